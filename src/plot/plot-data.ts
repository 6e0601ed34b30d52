/**
 * Columns for figures, read through the library's `DataSource` (`column(name)`): numeric x/y as
 * Float64Array (NaN = missing), a grouping column as codes + level names (a factor's levels in
 * their order; a numeric column's distinct values, ascending). Rows with a missing value in any
 * used column are dropped and reported once as a `rows_dropped` warning (through `onWarning`) and
 * as a note on the figure; no complete row at all is an error.
 */
import type { Column, DataSource } from "../data/column.ts";
import type { Warning } from "../errors.ts";
import { didYouMean } from "../util/did-you-mean.ts";
import { quote, quoteList } from "../util/quote.ts";
import { PlotError } from "./plot-error.ts";

/** The column, or E_PLOT_UNKNOWN_COLUMN naming the closest name and the available ones. */
export function plotColumn(data: DataSource, name: string, role: string): Column {
  const c = data.column(name);
  if (c === undefined) {
    const guess = didYouMean(name, data.names);
    throw new PlotError(
      "E_PLOT_UNKNOWN_COLUMN",
      `the ${role} column ${quote(name)} is not in data ${quote(data.name)}${guess === undefined ? "" : ` (did you mean ${quote(guess)}?)`}`,
      `available columns: ${quoteList(data.names)}`,
    );
  }
  return c;
}

/** A numeric column's values (NaN = missing), or E_PLOT_NON_NUMERIC for a factor. */
export function numericValues(data: DataSource, name: string, role: string): Float64Array {
  const c = plotColumn(data, name, role);
  if (c.kind !== "numeric") {
    throw new PlotError(
      "E_PLOT_NON_NUMERIC",
      `the ${role} column ${quote(name)} is a factor (levels ${quoteList(c.levels, 5)}), not numbers`,
      `choose a numeric column for ${role}`,
    );
  }
  return c.values;
}

export interface GroupValues {
  /** Index into `levels` per row, -1 = missing. */
  readonly codes: Int32Array;
  readonly levels: readonly string[];
}

/** A grouping column as codes + levels (factor: its levels; numeric: distinct values ascending). */
export function groupValues(data: DataSource, name: string, role = "group"): GroupValues {
  const c = plotColumn(data, name, role);
  if (c.kind === "factor") return { codes: c.codes, levels: c.levels };
  const distinct = [...new Set(Array.from(c.values).filter((v) => !Number.isNaN(v)))].sort((a, b) => a - b);
  const index = new Map(distinct.map((v, i) => [v, i]));
  const codes = Int32Array.from(c.values, (v) => (Number.isNaN(v) ? -1 : index.get(v)!));
  return { codes, levels: distinct.map(String) };
}

/** Complete rows of x, y and (optionally) a group, with the per-row group codes. */
export interface PlotRows {
  readonly x: Float64Array;
  readonly y: Float64Array;
  /** Group code per kept row (all 0 without a group column). */
  readonly g: Int32Array;
  /** Group names (one "all" level without a group column). */
  readonly levels: readonly string[];
  /** Rows kept, rows dropped for missing values. */
  readonly n: number;
  readonly dropped: number;
  readonly warnings: readonly Warning[];
  /** "N rows with missing values dropped" or undefined. */
  readonly note: string | undefined;
}

export interface RowsRequest {
  readonly x: string;
  readonly y: string;
  readonly group?: string;
  readonly onWarning?: (w: Warning) => void;
}

/** Read x, y (numeric) and the group, keep complete rows; E_PLOT_NO_COMPLETE_ROWS when none. */
export function completeRows(data: DataSource, req: RowsRequest): PlotRows {
  const xs = numericValues(data, req.x, "x");
  const ys = numericValues(data, req.y, "y");
  const gv = req.group === undefined ? undefined : groupValues(data, req.group);
  const nrow = data.nrow;
  const keep: number[] = [];
  for (let i = 0; i < nrow; i++) {
    if (Number.isNaN(xs[i]) || Number.isNaN(ys[i]) || !Number.isFinite(xs[i]) || !Number.isFinite(ys[i]))
      continue;
    if (gv !== undefined && gv.codes[i] < 0) continue;
    keep.push(i);
  }
  const used = [req.x, req.y, ...(req.group === undefined ? [] : [req.group])];
  if (keep.length === 0) {
    throw new PlotError(
      "E_PLOT_NO_COMPLETE_ROWS",
      `no row of data ${quote(data.name)} has finite values in all of ${quoteList(used)}`,
      "check the columns for missing values",
    );
  }
  const dropped = nrow - keep.length;
  const warnings: Warning[] = [];
  let note: string | undefined;
  if (dropped > 0) {
    note = `${dropped} of ${nrow} rows with missing or non-finite values dropped`;
    const w: Warning = {
      code: "rows_dropped",
      message: `${note} (columns ${quoteList(used)})`,
    };
    warnings.push(w);
    req.onWarning?.(w);
  }
  return {
    x: Float64Array.from(keep, (i) => xs[i]),
    y: Float64Array.from(keep, (i) => ys[i]),
    g: gv === undefined ? new Int32Array(keep.length) : Int32Array.from(keep, (i) => gv.codes[i]),
    levels: gv === undefined ? ["all"] : gv.levels,
    n: keep.length,
    dropped,
    warnings,
    note,
  };
}
