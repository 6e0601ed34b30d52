/**
 * A column whose type is decided at the end (CONTRACT.md): numeric when every non-missing value
 * parses as a number, else a factor whose levels are the distinct values in sorted (C locale) order.
 * Also used for schema factors that give no level list (`forceFactor`).
 *
 * Memory: cells go into a per-column dictionary (text → code) with one Int32 per row, and each
 * distinct text is parsed as a number only once. A factor column therefore costs 4 bytes per row
 * plus its levels. A column that is still all-numeric after `DICTIONARY_LIMIT` distinct values
 * (a measurement, not a label) switches to one Float64 per row and keeps only the cells whose text
 * is not the canonical spelling of their number (`1.50`, `1e-05`), so that, should a non-numeric
 * value turn up later, the factor levels are still the exact texts of the file.
 */
import type { ColumnAccumulator } from "./column-accumulator.ts";
import type { Column, ContrastName } from "./column.ts";
import { isCanonicalNumber, isMissingCell, parseNumberCell } from "./cell-text.ts";
import { ensureF64, ensureI32 } from "./growable.ts";
import { sortLevels } from "./sort-levels.ts";

/** Distinct numeric texts kept in the dictionary before a numeric column drops it. */
export const DICTIONARY_LIMIT = 65536;

export interface ForcedFactor {
  readonly ordered: boolean;
  readonly contrasts: ContrastName | null;
}

export class InferredColumn implements ColumnAccumulator {
  readonly name: string;
  readonly #forced: ForcedFactor | null;
  #n = 0;
  // dictionary mode
  #codes: Int32Array | null = new Int32Array(1024);
  #dict: Map<string, number> | null = new Map();
  #levels: string[] = [];
  #levelNum: number[] = [];
  #allNumeric: boolean;
  // numeric mode (after the dictionary grew too large while every value was a number)
  #nums: Float64Array | null = null;
  #exceptions: Map<number, string> | null = null;

  constructor(name: string, forced: ForcedFactor | null = null) {
    this.name = name;
    this.#forced = forced;
    this.#allNumeric = forced === null;
  }

  push(raw: string): boolean {
    const n = this.#n;
    if (this.#codes !== null) {
      const dict = this.#dict as Map<string, number>;
      let code = dict.get(raw);
      if (code === undefined) {
        if (isMissingCell(raw)) code = -1;
        else {
          code = this.#levels.length;
          this.#levels.push(raw);
          if (this.#allNumeric) {
            const v = parseNumberCell(raw);
            this.#levelNum.push(v);
            if (Number.isNaN(v)) this.#allNumeric = false;
          }
        }
        dict.set(raw, code);
      }
      if (n === this.#codes.length) this.#codes = ensureI32(this.#codes, n + 1);
      this.#codes[n] = code;
      this.#n = n + 1;
      if (this.#allNumeric && this.#levels.length > DICTIONARY_LIMIT) this.#toNumeric();
      return true;
    }
    const v = parseNumberCell(raw);
    if (Number.isNaN(v) && !isMissingCell(raw)) {
      this.#toDictionary();
      return this.push(raw);
    }
    let nums = this.#nums as Float64Array;
    if (n === nums.length) nums = this.#nums = ensureF64(nums, n + 1);
    nums[n] = v;
    if (!Number.isNaN(v) && !isCanonicalNumber(raw, v)) (this.#exceptions as Map<number, string>).set(n, raw);
    this.#n = n + 1;
    return true;
  }

  rejection(): string {
    return "cannot be stored"; // never rejects
  }

  /** Dictionary → one Float64 per row plus the non-canonical texts. */
  #toNumeric(): void {
    const codes = this.#codes as Int32Array;
    const levelNum = this.#levelNum;
    const canonical = this.#levels.map((s, i) => isCanonicalNumber(s, levelNum[i]));
    const nums = new Float64Array(codes.length);
    const exceptions = new Map<number, string>();
    for (let r = 0; r < this.#n; r++) {
      const c = codes[r];
      nums[r] = c < 0 ? Number.NaN : levelNum[c];
      if (c >= 0 && !canonical[c]) exceptions.set(r, this.#levels[c]);
    }
    this.#nums = nums;
    this.#exceptions = exceptions;
    this.#codes = null;
    this.#dict = null;
    this.#levels = [];
    this.#levelNum = [];
  }

  /** Numeric mode → dictionary (a non-numeric value arrived): the column is a factor. */
  #toDictionary(): void {
    const nums = this.#nums as Float64Array;
    const exceptions = this.#exceptions as Map<number, string>;
    const codes = new Int32Array(nums.length);
    const dict = new Map<string, number>();
    const levels: string[] = [];
    for (let r = 0; r < this.#n; r++) {
      const v = nums[r];
      if (Number.isNaN(v)) {
        codes[r] = -1;
        continue;
      }
      const text = exceptions.get(r) ?? String(v);
      let code = dict.get(text);
      if (code === undefined) {
        code = levels.length;
        levels.push(text);
        dict.set(text, code);
      }
      codes[r] = code;
    }
    this.#codes = codes;
    this.#dict = dict;
    this.#levels = levels;
    this.#levelNum = [];
    this.#allNumeric = false;
    this.#nums = null;
    this.#exceptions = null;
  }

  finish(): Column {
    const n = this.#n;
    if (this.#codes === null) {
      return {
        kind: "numeric",
        name: this.name,
        values: (this.#nums as Float64Array).slice(0, n),
        integer: false,
      };
    }
    const codes = this.#codes.slice(0, n);
    if (this.#allNumeric) {
      const values = new Float64Array(n);
      const levelNum = this.#levelNum;
      for (let r = 0; r < n; r++) {
        const c = codes[r];
        values[r] = c < 0 ? Number.NaN : levelNum[c];
      }
      return { kind: "numeric", name: this.name, values, integer: false };
    }
    const { levels, remap } = sortLevels(this.#levels);
    for (let r = 0; r < n; r++) {
      const c = codes[r];
      if (c >= 0) codes[r] = remap[c];
    }
    return {
      kind: "factor",
      name: this.name,
      codes,
      levels,
      ordered: this.#forced?.ordered ?? false,
      contrasts: this.#forced?.contrasts ?? null,
    };
  }
}
