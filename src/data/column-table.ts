/**
 * An immutable in-memory table of typed columns: the `DataSource` the CSV reader produces.
 * Columns are shared, never copied, by `select`; callers must not write into their arrays.
 */
import { DataError } from "../errors.ts";
import type { Column, DataSource } from "./column.ts";
import { didYouMean } from "../util/did-you-mean.ts";
import { quote, quoteList } from "../util/quote.ts";

function columnLength(c: Column): number {
  return c.kind === "numeric" ? c.values.length : c.codes.length;
}

export class ColumnTable implements DataSource {
  readonly name: string;
  readonly nrow: number;
  readonly names: readonly string[];
  /** Columns in file order. */
  readonly columns: readonly Column[];
  readonly #byName: ReadonlyMap<string, Column>;

  /**
   * `nrow` is needed only for a table with no columns; otherwise it is the (common) column length.
   */
  constructor(name: string, columns: readonly Column[], nrow?: number) {
    const byName = new Map<string, Column>();
    const n = columns.length > 0 ? columnLength(columns[0]) : (nrow ?? 0);
    for (const c of columns) {
      if (byName.has(c.name)) {
        throw new DataError(
          "E_DATA_DUPLICATE_COLUMN",
          `column ${quote(c.name)} appears twice in table ${quote(name)}`,
        );
      }
      if (columnLength(c) !== n) {
        throw new RangeError(`column ${quote(c.name)} has ${columnLength(c)} rows, expected ${n}`);
      }
      byName.set(c.name, c);
    }
    this.name = name;
    this.nrow = n;
    this.columns = Object.freeze([...columns]);
    this.names = Object.freeze(columns.map((c) => c.name));
    this.#byName = byName;
  }

  get ncol(): number {
    return this.columns.length;
  }

  column(name: string): Column | undefined {
    return this.#byName.get(name);
  }

  /** The column, or a `DataError` listing the available names. */
  require(name: string): Column {
    const c = this.#byName.get(name);
    if (!c) {
      throw new DataError(
        "E_DATA_UNKNOWN_COLUMN",
        `column ${quote(name)} is not in data ${quote(this.name)}${guessText(name, this.names)}`,
        `available columns: ${quoteList(this.names)}`,
      );
    }
    return c;
  }

  /** A table with just these columns, in this order (columns are shared, not copied). */
  select(names: readonly string[]): ColumnTable {
    return new ColumnTable(
      this.name,
      names.map((n) => this.require(n)),
      this.nrow,
    );
  }

  /** 1 for each row where every named column is non-missing, else 0 (R's `complete.cases`). */
  rowsComplete(names: readonly string[]): Uint8Array {
    const ok = new Uint8Array(this.nrow).fill(1);
    for (const n of names) {
      const c = this.require(n);
      if (c.kind === "numeric") {
        const v = c.values;
        for (let i = 0; i < v.length; i++) if (Number.isNaN(v[i])) ok[i] = 0;
      } else {
        const k = c.codes;
        for (let i = 0; i < k.length; i++) if (k[i] < 0) ok[i] = 0;
      }
    }
    return ok;
  }
}

function guessText(name: string, names: readonly string[]): string {
  const guess = didYouMean(name, names);
  return guess === undefined ? "" : ` (did you mean ${quote(guess)}?)`;
}
