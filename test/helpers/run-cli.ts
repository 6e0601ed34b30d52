/** Run the built CLI (`bin/mixed.mjs` → dist/cli.js, as users run it) and capture its output. */
import { spawnSync } from "node:child_process";

export interface CliRun {
  status: number;
  stdout: string;
  stderr: string;
}

export function runCli(args: readonly string[], input?: string): CliRun {
  const r = spawnSync(process.execPath, ["bin/mixed.mjs", ...args], {
    encoding: "utf8",
    input,
    env: { ...process.env, NO_COLOR: "1" },
    maxBuffer: 64 * 1024 * 1024,
  });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
