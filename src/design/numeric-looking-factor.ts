/**
 * A factor that is (almost) a numeric column: every level but a few reads as a number. Without a
 * schema a CSV column becomes a factor as soon as one cell is not a number ("4x", "1..5", "n/a"),
 * so a single typo silently turns a covariate into a factor with a level per distinct value. R
 * does the same without a word; we say so.
 */
import { parseNumberCell } from "../data/cell-text.ts";
import type { FactorColumn } from "../data/column.ts";
import { quote } from "../util/quote.ts";

/** At least this share of the levels must be numbers (and at least MIN_NUMERIC of them). */
const NUMERIC_SHARE = 0.8;
const MIN_NUMERIC = 3;

export interface NumericLookingFactor {
  /** The levels that are not numbers, in level order. */
  readonly nonNumeric: readonly string[];
  /** 1-based row of the first cell holding one of them. */
  readonly firstRow: number;
}

/** The non-numeric levels of a factor whose other levels are numbers, or null. */
export function numericLookingFactor(col: FactorColumn): NumericLookingFactor | null {
  const bad: number[] = [];
  for (let l = 0; l < col.levels.length; l++) if (Number.isNaN(parseNumberCell(col.levels[l]))) bad.push(l);
  const numeric = col.levels.length - bad.length;
  if (bad.length === 0 || numeric < MIN_NUMERIC || numeric < NUMERIC_SHARE * col.levels.length) return null;
  const badSet = new Set(bad);
  let firstRow = 0;
  for (let i = 0; i < col.codes.length; i++)
    if (badSet.has(col.codes[i])) {
      firstRow = i + 1;
      break;
    }
  return { nonNumeric: bad.map((l) => col.levels[l]), firstRow };
}

/** "row 4 holds '4x'" (and how many other such values), for messages. */
export function describeNonNumeric(f: NumericLookingFactor): string {
  const more = f.nonNumeric.length - 1;
  return `row ${f.firstRow} holds ${quote(f.nonNumeric[0])}${
    more > 0 ? ` (and ${more} other non-number value${more === 1 ? "" : "s"})` : ""
  }, which is not a number`;
}
