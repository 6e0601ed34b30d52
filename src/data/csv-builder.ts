/**
 * CSV text → `ColumnTable`, incrementally: `write()` string chunks of any size (a chunk may end
 * inside a quoted field or between the CR and LF of a line break), then `finish()`.
 *
 * Parsing (RFC 4180: quoted fields with embedded commas, newlines and doubled quotes) is done by
 * papaparse's `Parser` on the text buffered so far; the incomplete last record is carried over to
 * the next chunk. Each record's cells go straight into the per-column accumulators (typed
 * buffers), so no per-row object outlives its chunk. A leading byte-order mark is dropped; the
 * line break (LF, CRLF or CR) is detected from the first line. Blank lines are skipped (as R's
 * `read.csv`).
 */
import Papa from "papaparse";
import { DataError } from "../errors.ts";
import { BadBytes, ByteDecoder, type TextEncodingName } from "./byte-decoder.ts";
import type { ColumnAccumulator } from "./column-accumulator.ts";
import { ColumnTable } from "./column-table.ts";
import { InferredColumn } from "./inferred-column.ts";
import type { DatasetSchema, SchemaColumn } from "./schema.ts";
import { SchemaFactorColumn, SchemaNumericColumn } from "./schema-columns.ts";
import { quote, quoteList } from "../util/quote.ts";

export interface CsvOptions {
  /** Dataset name (file stem or bundled name). */
  readonly name: string;
  /** Column types and factor levels; columns it does not describe are inferred. */
  readonly schema?: DatasetSchema;
  /** Encoding of the bytes given to `writeBytes` (default UTF-8, strictly: invalid bytes are an error). */
  readonly encoding?: TextEncodingName;
}

type Newline = "\n" | "\r\n" | "\r";

/** A single record longer than this is refused (almost always an unterminated quote). */
export const MAX_RECORD_CHARS = 16 * 1024 * 1024;

interface PapaError {
  code: string;
  row: number;
}

/** The line break of `text`, or undefined when it cannot be told yet. */
function detectNewline(text: string, final: boolean): Newline | undefined {
  const lf = text.indexOf("\n");
  const cr = text.indexOf("\r");
  if (lf === -1) {
    if (cr !== -1 && (final || cr < text.length - 1)) return "\r";
    return final ? "\n" : undefined;
  }
  if (cr === -1 || cr > lf) return "\n";
  return cr === lf - 1 ? "\r\n" : "\r";
}

function accumulatorFor(name: string, s: SchemaColumn | undefined): ColumnAccumulator {
  if (!s) return new InferredColumn(name);
  if (s.type !== "factor") return new SchemaNumericColumn(name, s.type === "integer");
  if (s.levels === null) return new InferredColumn(name, { ordered: s.ordered, contrasts: s.contrasts });
  return new SchemaFactorColumn(name, s.levels, s.ordered, s.contrasts);
}

export class CsvBuilder {
  readonly #opts: CsvOptions;
  #started = false;
  #finished = false;
  #pending = "";
  #parser: Papa.Parser | null = null;
  #newlineChar = "\n";
  #newline: Newline = "\n";
  #header: string[] | null = null;
  #cols: ColumnAccumulator[] = [];
  #rows = 0;
  /** Line number (1-based) of the first record in `#pending`. */
  #line = 1;
  #bytes: ByteDecoder | null = null;

  constructor(opts: CsvOptions = { name: "data" }) {
    this.#opts = opts;
  }

  /** Data rows read so far. */
  get rows(): number {
    return this.#rows;
  }

  /**
   * Append raw bytes, decoded in `opts.encoding` (a character may be split between calls).
   * Bytes that are not valid text are a `DataError` (E_DATA_BAD_ENCODING) naming the line.
   */
  writeBytes(chunk: Uint8Array): void {
    if (this.#finished) throw new Error("CsvBuilder.writeBytes() after finish()");
    if (this.#bytes === null) this.#bytes = new ByteDecoder(this.#opts.encoding ?? "utf-8");
    let text: string;
    try {
      text = this.#bytes.decode(chunk);
    } catch (e) {
      if (e instanceof BadBytes) throw this.#encodingError(e);
      throw e;
    }
    this.write(text);
  }

  write(chunk: string): void {
    if (this.#finished) throw new Error("CsvBuilder.write() after finish()");
    if (!this.#started) {
      if (chunk === "") return;
      if (chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1);
      this.#started = true;
    }
    const nul = chunk.indexOf("\0");
    if (nul !== -1) {
      // what comes before is read first, so problems are reported in file order
      if (nul > 0) this.write(chunk.slice(0, nul));
      throw this.#nulError();
    }
    this.#pending += chunk;
    if (this.#parser === null && !this.#makeParser(false)) {
      this.#checkRecordLength();
      return;
    }
    this.#parse(false);
  }

  finish(): ColumnTable {
    if (this.#finished) throw new Error("CsvBuilder.finish() called twice");
    if (this.#bytes !== null) {
      let rest: string;
      try {
        rest = this.#bytes.end();
      } catch (e) {
        if (e instanceof BadBytes) throw this.#encodingError(e);
        throw e;
      }
      this.write(rest);
    }
    this.#finished = true;
    if (this.#parser !== null || this.#makeParser(true)) this.#parse(true);
    const { name } = this.#opts;
    if (this.#header === null) {
      throw new DataError(
        "E_DATA_EMPTY",
        `data ${quote(name)} is empty`,
        "give a CSV file with a header line and data rows",
      );
    }
    if (this.#rows === 0) {
      throw new DataError(
        "E_DATA_NO_ROWS",
        `data ${quote(name)} has a header (${quoteList(this.#header)}) but no data rows`,
        "add data rows below the header line",
      );
    }
    const nrow = this.#opts.schema?.nrow ?? null;
    if (nrow !== null && nrow !== this.#rows) {
      throw new DataError(
        "E_DATA_BAD_SCHEMA",
        `the schema says ${quote(name)} has ${nrow} rows, but it has ${this.#rows}`,
        "the schema describes another version of the data: correct or remove its 'nrow'",
      );
    }
    return new ColumnTable(
      name,
      this.#cols.map((c) => c.finish()),
    );
  }

  #makeParser(final: boolean): boolean {
    const nl = detectNewline(this.#pending, final);
    if (nl === undefined) return false;
    this.#newlineChar = nl === "\r" ? "\r" : "\n";
    this.#newline = nl;
    this.#parser = new Papa.Parser({ delimiter: ",", newline: nl, quoteChar: '"', escapeChar: '"' });
    return true;
  }

  #parse(final: boolean): void {
    const text = this.#pending;
    const res = (this.#parser as Papa.Parser).parse(text, 0, !final) as {
      data: string[][];
      errors: PapaError[];
      meta: { cursor: number };
    };
    const data = res.data;
    for (const e of res.errors) {
      // an error in the incomplete last record is re-examined with the next chunk
      if (final || e.row < data.length) this.#csvError(e, data);
    }
    const consumed = final ? text.length : res.meta.cursor;
    for (let i = 0; i < data.length; i++) this.#record(data[i], data, i);
    this.#line += text.indexOf('"') === -1 ? data.length : this.#countNewlines(text, consumed);
    this.#pending = final ? "" : text.slice(consumed);
    this.#checkRecordLength();
  }

  #record(rec: string[], data: string[][], i: number): void {
    if (this.#newline === "\n") {
      // a CRLF line in a file whose first line ends in LF: the CR is part of the line end, not
      // of the last value (else "a\r" and "a" would be two levels)
      const last = rec[rec.length - 1];
      if (last.charCodeAt(last.length - 1) === 13) rec[rec.length - 1] = last.slice(0, -1);
    }
    if (rec.length === 1 && rec[0].trim() === "") return; // blank line
    if (this.#header === null) {
      this.#setHeader(rec, data, i);
      return;
    }
    const cols = this.#cols;
    if (rec.length !== cols.length) {
      throw new DataError(
        "E_DATA_RAGGED",
        `line ${this.#lineOf(data, i)} of ${quote(this.#opts.name)} has ${rec.length} field${rec.length === 1 ? "" : "s"}, but the header has ${cols.length}`,
        this.#newline === "\r\n" && rec.some((f) => f.includes("\n"))
          ? "the file mixes line ends: its first line ends in CRLF but this one in a bare LF; convert the line ends (e.g. with dos2unix)"
          : "every row needs one value per column: check for an unquoted comma or a missing field",
      );
    }
    for (let c = 0; c < cols.length; c++) {
      if (!cols[c].push(rec[c])) {
        throw new DataError(
          "E_DATA_BAD_SCHEMA",
          `value ${quote(rec[c])} in column ${quote(cols[c].name)}, line ${this.#lineOf(data, i)}, ${cols[c].rejection(rec[c])}`,
          "correct the value, or fix the schema",
        );
      }
    }
    this.#rows++;
  }

  #setHeader(rec: string[], data: string[][], i: number): void {
    const seen = new Set<string>();
    rec.forEach((h, j) => {
      if (h.trim() === "") {
        throw new DataError(
          "E_DATA_BAD_CSV",
          `column ${j + 1} of ${quote(this.#opts.name)} has no name in the header (line ${this.#lineOf(data, i)})`,
          "give every column a name in the first line",
        );
      }
      if (seen.has(h)) {
        throw new DataError(
          "E_DATA_DUPLICATE_COLUMN",
          `the header of ${quote(this.#opts.name)} names column ${quote(h)} twice`,
          "rename one of them so every column name is unique",
        );
      }
      seen.add(h);
    });
    const schema = this.#opts.schema;
    const described = new Map((schema?.columns ?? []).map((c) => [c.name, c]));
    for (const c of described.keys()) {
      if (!seen.has(c)) {
        throw new DataError(
          "E_DATA_BAD_SCHEMA",
          `the schema describes column ${quote(c)}, but ${quote(this.#opts.name)} has no such column (its columns: ${quoteList(rec)})`,
          "fix the schema's column names, or use the matching data file",
        );
      }
    }
    this.#header = rec;
    this.#cols = rec.map((h) => accumulatorFor(h, described.get(h)));
  }

  #csvError(e: PapaError, data: string[][]): never {
    const line = this.#lineOf(data, e.row);
    if (e.code === "MissingQuotes") {
      throw new DataError(
        "E_DATA_BAD_CSV",
        `${quote(this.#opts.name)} has a quoted field that is never closed (the record starting at line ${line})`,
        'close the quote; write a quote inside a quoted field as ""',
      );
    }
    throw new DataError(
      "E_DATA_BAD_CSV",
      `${quote(this.#opts.name)} has a malformed quoted field in the record starting at line ${line}`,
      'a closing quote must be followed by a comma or the end of the line; write a quote inside a quoted field as ""',
    );
  }

  /** Line number (1-based) at the end of the text written so far (error path only). */
  #lineAtEnd(): number {
    return this.#line + this.#countNewlines(this.#pending, this.#pending.length);
  }

  #nulError(): DataError {
    const line = this.#lineAtEnd();
    return new DataError(
      "E_DATA_BAD_ENCODING",
      `${quote(this.#opts.name)} has a NUL byte on line ${line}: it is not a text CSV file`,
      this.#opts.encoding === "utf-16le"
        ? "remove the NUL characters from the file"
        : "a file saved as UTF-16 has NUL bytes: read it with encoding 'utf-16le' (CLI: --encoding utf-16le), or save it as UTF-8",
    );
  }

  #encodingError(e: BadBytes): DataError {
    const enc = this.#opts.encoding ?? "utf-8";
    const name = quote(this.#opts.name);
    // the valid text before the bad byte is read first, so problems are reported in file order
    // and the position is counted on the text itself
    if (e.before.length > 0) this.write(new TextDecoder("utf-8").decode(e.before));
    let where = `line ${this.#lineAtEnd()}`;
    let hex = "";
    if (enc === "utf-8") {
      const pend = this.#pending;
      const column = new TextEncoder().encode(pend.slice(pend.lastIndexOf(this.#newlineChar) + 1)).length + 1;
      where += ` (byte ${column} of the line)`;
      if (e.bytes.length > 0) hex = `0x${e.bytes[0].toString(16).toUpperCase().padStart(2, "0")} `;
    }
    if (e.offset === 0 && enc === "utf-8" && e.bytes[0] === 0xff && e.bytes[1] === 0xfe) {
      return new DataError(
        "E_DATA_BAD_ENCODING",
        `${name} starts with a UTF-16 byte-order mark: it is UTF-16 text, not UTF-8`,
        "read it with encoding 'utf-16le' (CLI: --encoding utf-16le), or save it as UTF-8",
      );
    }
    if (enc !== "utf-8") {
      return new DataError(
        "E_DATA_BAD_ENCODING",
        `${name} is not valid ${enc} text (${e.truncated ? "it ends in the middle of a character" : `near ${where}`})`,
        "check the encoding the file was saved in",
      );
    }
    return new DataError(
      "E_DATA_BAD_ENCODING",
      e.truncated
        ? `${name} is not valid UTF-8: it ends in the middle of a character, on ${where}`
        : `${name} is not valid UTF-8 text: byte ${hex}on ${where} is not part of a UTF-8 character`,
      "if the file was saved as Latin-1 or Windows-1252, read it with encoding 'latin1' or 'windows-1252' (CLI: --encoding latin1); otherwise save it as UTF-8",
    );
  }

  #checkRecordLength(): void {
    if (this.#pending.length > MAX_RECORD_CHARS) {
      throw new DataError(
        "E_DATA_BAD_CSV",
        `${quote(this.#opts.name)} has a record longer than ${MAX_RECORD_CHARS / 1048576} MiB starting at line ${this.#line}`,
        "this is almost always a quote that is never closed; check the quoting near that line",
      );
    }
  }

  /** Line number where record `i` of the current chunk starts (error path only). */
  #lineOf(data: string[][], i: number): number {
    let line = this.#line + i;
    for (let r = 0; r < Math.min(i, data.length); r++) {
      for (const f of data[r]) line += this.#countNewlines(f, f.length);
    }
    return line;
  }

  #countNewlines(text: string, end: number): number {
    const ch = this.#newlineChar;
    let count = 0;
    for (let p = text.indexOf(ch); p !== -1 && p < end; p = text.indexOf(ch, p + 1)) count++;
    return count;
  }
}
