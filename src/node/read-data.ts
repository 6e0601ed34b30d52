/**
 * `--data SPEC` → `ColumnTable` (Node only). SPEC is a bundled dataset name (case-insensitive),
 * `-` for standard input, or a CSV path. For `dir/x.csv` the sibling `dir/x.meta.json` is the
 * schema when it exists; `schemaPath` names one explicitly. Files are streamed in chunks into the
 * CSV builder (the text is never held whole) and opened read-only: the input is never modified.
 */
import { constants, createReadStream, fstatSync } from "node:fs";
import { access, readFile, stat } from "node:fs/promises";
import { basename, extname, resolve } from "node:path";
import type { ColumnTable } from "../data/column-table.ts";
import type { TextEncodingName } from "../data/byte-decoder.ts";
import { CsvBuilder } from "../data/csv-builder.ts";
import { type DatasetSchema, parseSchema } from "../data/schema.ts";
import { DataError } from "../errors.ts";
import { didYouMean } from "../util/did-you-mean.ts";
import { bundledDatasets, findBundled } from "./bundled-data.ts";
import { streamInto } from "./stream-into.ts";
import { escapeText, quote } from "../util/quote.ts";

export type { DatasetInfo } from "./bundled-data.ts";
export { listDatasets } from "./bundled-data.ts";

export interface ReadDataOptions {
  /** Schema file; overrides the sibling `.meta.json`. */
  readonly schemaPath?: string;
  /** Stream read for `-` (default: process.stdin); typed structurally so the public types need no @types/node. */
  readonly stdin?: AsyncIterable<string | Uint8Array>;
  /** Encoding of the CSV bytes (default UTF-8; invalid UTF-8 is an error, never replaced). */
  readonly encoding?: TextEncodingName;
}

function stdinIsDirectory(): boolean {
  try {
    return fstatSync(0).isDirectory();
  } catch {
    return false;
  }
}

/** A name rather than a path: no directory separator and no extension. */
function looksLikeName(spec: string): boolean {
  return !/[\\/.]/.test(spec);
}

function errno(e: unknown): string | undefined {
  return (e as NodeJS.ErrnoException | null)?.code;
}

function bundledHint(spec: string): string | undefined {
  const stem = basename(spec, extname(spec));
  const names = bundledDatasets().map((d) => d.name);
  const close = didYouMean(stem, names);
  return close ? `did you mean the bundled dataset ${quote(close)}?` : undefined;
}

function unknownDataset(spec: string): DataError {
  const names = bundledDatasets().map((d) => d.name);
  const close = didYouMean(spec, names);
  return new DataError(
    "E_DATA_UNKNOWN_DATASET",
    `${quote(spec, 200)} is neither a bundled dataset nor a file${close ? ` (did you mean ${quote(close)}?)` : ""}`,
    `bundled datasets: ${names.join(", ")}; or give the path of a CSV file`,
  );
}

function fileError(e: unknown, path: string, what: string): DataError {
  const code = errno(e);
  if (code === "ENOENT" || code === "ENOTDIR") {
    return new DataError(
      "E_DATA_FILE_NOT_FOUND",
      `${what} ${quote(path, 200)} does not exist`,
      bundledHint(path) ?? "check the path",
    );
  }
  if (code === "EISDIR") {
    return new DataError(
      "E_DATA_NOT_A_FILE",
      `${what} ${quote(path, 200)} is a directory, not a file`,
      what === "schema file" ? "give the path of a .meta.json schema file" : "give the path of a CSV file",
    );
  }
  const reason = code === "EACCES" || code === "EPERM" ? "permission denied" : (e as Error).message;
  return new DataError(
    "E_DATA_UNREADABLE",
    `cannot read ${what} ${quote(path, 200)} (${escapeText(reason, 200)})`,
    "check the file's permissions",
  );
}

/** A schema larger than this is refused (no real schema comes near it; `/dev/zero` would never end). */
export const MAX_SCHEMA_BYTES = 64 * 1024 * 1024;

/** The bytes of a regular file or FIFO, refusing devices, directories and anything over `max`. */
async function readSmallFile(path: string, what: string, max: number): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    const info = await stat(path);
    if (info.isDirectory()) throw fileError({ code: "EISDIR" }, path, what);
    if (!info.isFile() && !info.isFIFO()) {
      throw new DataError(
        "E_DATA_NOT_A_FILE",
        `${what} ${quote(path, 200)} is not a regular file`,
        "give the path of a .meta.json schema file",
      );
    }
    for await (const chunk of createReadStream(path, { flags: "r" }) as AsyncIterable<Buffer>) {
      total += chunk.length;
      if (total > max) {
        throw new DataError(
          "E_DATA_BAD_SCHEMA",
          `${what} ${quote(path, 200)} is larger than ${max / 1048576} MiB`,
          "a schema lists column types and levels: check that this is the right file",
        );
      }
      chunks.push(chunk);
    }
  } catch (e) {
    if (e instanceof DataError) throw e;
    throw fileError(e, path, what);
  }
  return Buffer.concat(chunks);
}

async function loadSchema(path: string): Promise<DatasetSchema> {
  const bytes = await readSmallFile(path, "schema file", MAX_SCHEMA_BYTES);
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new DataError(
      "E_DATA_BAD_SCHEMA",
      `schema file ${quote(path, 200)} is not UTF-8 text`,
      "a schema is a JSON file: save it as UTF-8",
    );
  }
  return parseSchema(text, path);
}

/** The sibling schema `dir/x.meta.json` of `dir/x.csv`, when it exists. */
async function siblingSchema(csvPath: string): Promise<DatasetSchema | undefined> {
  const ext = extname(csvPath);
  const metaPath = `${ext ? csvPath.slice(0, -ext.length) : csvPath}.meta.json`;
  try {
    await access(metaPath, constants.R_OK);
  } catch {
    return undefined;
  }
  return loadSchema(metaPath);
}

async function readCsvFile(
  path: string,
  name: string,
  schema: DatasetSchema | undefined,
  encoding?: TextEncodingName,
): Promise<ColumnTable> {
  const builder = new CsvBuilder({ name, schema, encoding });
  await streamInto(path, builder, (e) => fileError(e, path, "data file"));
  return builder.finish();
}

/** Load data for `--data SPEC`. */
export async function readData(spec: string, opts: ReadDataOptions = {}): Promise<ColumnTable> {
  const explicit = opts.schemaPath !== undefined ? await loadSchema(opts.schemaPath) : undefined;
  if (spec === "-") {
    if (opts.stdin === undefined && stdinIsDirectory()) {
      throw new DataError(
        "E_DATA_NOT_A_FILE",
        "standard input is a directory, not a file",
        "redirect a CSV file into standard input (--data - < data.csv), or give its path",
      );
    }
    const builder = new CsvBuilder({ name: "stdin", schema: explicit, encoding: opts.encoding });
    await streamInto((opts.stdin ?? process.stdin) as NodeJS.ReadableStream, builder, (e) =>
      fileError(e, "-", "standard input"),
    );
    return builder.finish();
  }
  if (looksLikeName(spec)) {
    const bundled = findBundled(spec);
    if (bundled) {
      const schema = explicit ?? parseSchema(await readFile(bundled.metaPath, "utf8"), bundled.metaPath);
      return readCsvFile(bundled.csvPath, bundled.name, schema);
    }
  }
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(spec);
  } catch (e) {
    if (looksLikeName(spec) && errno(e) === "ENOENT") throw unknownDataset(spec);
    throw fileError(e, spec, "data file");
  }
  if (info.isDirectory()) throw fileError({ code: "EISDIR" }, spec, "data file");
  if (!info.isFile() && !info.isFIFO()) {
    throw new DataError(
      "E_DATA_NOT_A_FILE",
      `data file ${quote(spec, 200)} is not a regular file`,
      "give the path of a CSV file",
    );
  }
  const schema = explicit ?? (await siblingSchema(resolve(spec)));
  return readCsvFile(spec, basename(spec, extname(spec)), schema, opts.encoding);
}
