/**
 * The CLI's output channel. A reader that goes away (`mixed fit … | head`) ends the command
 * quietly with status 0, as Unix filters do; any other failure to write the result (a full disk,
 * an I/O error) is reported on stderr as `error[E_OUTPUT_WRITE]` with status 1. Never a stack trace.
 */
import { MixedError } from "../index.ts";
import { formatError } from "./format-error.ts";

const REASONS: Record<string, string> = {
  ENOSPC: "no space left on device",
  EDQUOT: "disk quota exceeded",
  EFBIG: "the file is too large",
  EIO: "input/output error",
  EBADF: "standard output is not open",
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  EROFS: "read-only file system",
};

/** The typed error for a failed write of the result. */
export function outputWriteError(e: unknown): MixedError {
  const code = (e as NodeJS.ErrnoException | null)?.code ?? "";
  const reason = REASONS[code] ?? ((e as Error | null)?.message || "unknown error");
  return new MixedError(
    "E_OUTPUT_WRITE",
    `cannot write the result to standard output (${reason})`,
    code === "ENOSPC" || code === "EDQUOT"
      ? "free some space, or redirect the output to another device"
      : "check where the output is redirected",
  );
}

let installed = false;

/** Handle write errors on stdout and stderr for the rest of the process. */
export function guardOutput(): void {
  if (installed) return;
  installed = true;
  process.stdout.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code === "EPIPE") process.exit(0);
    try {
      process.stderr.write(formatError(outputWriteError(e), false));
    } finally {
      process.exit(1);
    }
  });
  // Nowhere left to report a failure to write a message: end with the status it had.
  process.stderr.on("error", () =>
    process.exit(process.exitCode === undefined ? 1 : Number(process.exitCode) || 1),
  );
}
