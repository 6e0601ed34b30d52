/**
 * Feed a file or a readable stream into a `CsvBuilder` chunk by chunk (the builder decodes the
 * bytes in its encoding, across chunk boundaries). Files are opened read-only.
 */
import { createReadStream } from "node:fs";
import type { CsvBuilder } from "../data/csv-builder.ts";
import { MixedError } from "../errors.ts";

/** Bytes per read: large enough to keep per-chunk overhead small, small enough to stream. */
export const CHUNK_BYTES = 1 << 18;

export async function streamInto(
  source: string | NodeJS.ReadableStream,
  builder: CsvBuilder,
  ioError: (e: unknown) => Error,
  chunkBytes = CHUNK_BYTES,
): Promise<void> {
  const stream =
    typeof source === "string" ? createReadStream(source, { flags: "r", highWaterMark: chunkBytes }) : source;
  try {
    for await (const chunk of stream as AsyncIterable<string | Uint8Array>) {
      if (typeof chunk === "string") builder.write(chunk);
      else builder.writeBytes(chunk);
    }
  } catch (e) {
    if (typeof source === "string" && "destroy" in stream) (stream as { destroy(): void }).destroy();
    if (e instanceof MixedError) throw e;
    throw ioError(e);
  }
}
