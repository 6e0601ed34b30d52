/**
 * Column accumulators for columns a schema describes: numeric/integer columns, and factors with
 * a fixed level list (codes follow the schema's level order; a value outside it is rejected).
 */
import type { ColumnAccumulator } from "./column-accumulator.ts";
import type { Column, ContrastName } from "./column.ts";
import { isMissingCell, parseNumberCell, trimCell } from "./cell-text.ts";
import { ensureF64, ensureI32 } from "./growable.ts";
import { quote, quoteList } from "../util/quote.ts";

export class SchemaNumericColumn implements ColumnAccumulator {
  readonly name: string;
  readonly #integer: boolean;
  #n = 0;
  #values: Float64Array = new Float64Array(1024);

  constructor(name: string, integer: boolean) {
    this.name = name;
    this.#integer = integer;
  }

  push(raw: string): boolean {
    const v = parseNumberCell(raw);
    if (Number.isNaN(v)) {
      if (!isMissingCell(raw)) return false;
    } else if (this.#integer && Number.isFinite(v) && !Number.isInteger(v)) {
      return false;
    }
    const n = this.#n;
    if (n === this.#values.length) this.#values = ensureF64(this.#values, n + 1);
    this.#values[n] = v;
    this.#n = n + 1;
    return true;
  }

  rejection(raw: string): string {
    return Number.isNaN(parseNumberCell(raw))
      ? `is not a number, but the schema says column ${quote(this.name)} is ${this.#integer ? "integer" : "numeric"}`
      : `is not a whole number, but the schema says column ${quote(this.name)} is integer`;
  }

  finish(): Column {
    return {
      kind: "numeric",
      name: this.name,
      values: this.#values.slice(0, this.#n),
      integer: this.#integer,
    };
  }
}

export class SchemaFactorColumn implements ColumnAccumulator {
  readonly name: string;
  readonly #levels: readonly string[];
  readonly #ordered: boolean;
  readonly #contrasts: ContrastName | null;
  readonly #dict: Map<string, number>;
  #n = 0;
  #codes: Int32Array = new Int32Array(1024);

  constructor(name: string, levels: readonly string[], ordered: boolean, contrasts: ContrastName | null) {
    this.name = name;
    this.#levels = levels;
    this.#ordered = ordered;
    this.#contrasts = contrasts;
    this.#dict = new Map(levels.map((l, i) => [l, i]));
  }

  push(raw: string): boolean {
    let code = this.#dict.get(raw);
    if (code === undefined) {
      // a padded or missing spelling: remember what it maps to
      const t = trimCell(raw);
      code = this.#dict.get(t);
      if (code === undefined) {
        if (!isMissingCell(raw)) return false;
        code = -1;
      }
      this.#dict.set(raw, code);
    }
    const n = this.#n;
    if (n === this.#codes.length) this.#codes = ensureI32(this.#codes, n + 1);
    this.#codes[n] = code;
    this.#n = n + 1;
    return true;
  }

  rejection(): string {
    return `is not one of the levels the schema lists for factor ${quote(this.name)} (${quoteList(this.#levels, 10)})`;
  }

  finish(): Column {
    return {
      kind: "factor",
      name: this.name,
      codes: this.#codes.slice(0, this.#n),
      levels: this.#levels,
      ordered: this.#ordered,
      contrasts: this.#contrasts,
    };
  }
}
