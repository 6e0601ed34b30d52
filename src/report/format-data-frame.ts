/**
 * R's `print.data.frame()` for numeric columns: each column formatted on its own with 7
 * significant digits (`format()` of the column), row names left-aligned, entries and headers
 * right-aligned, columns wrapped at the console width. NA prints "NA", NaN "NaN".
 */
import { formatNumbers, type MaybeNumber } from "./format-number.ts";
import { printMatrix } from "./print-matrix.ts";

export interface DataFrameOptions {
  /** Significant digits (`getOption("digits")`, 7). */
  readonly digits?: number;
  /** Console width, default 80. */
  readonly width?: number;
}

/** Print `values[row][col]` with the given row and column names. */
export function formatDataFrame(
  values: readonly (readonly MaybeNumber[])[],
  rowNames: readonly string[],
  colNames: readonly string[],
  opts: DataFrameOptions = {},
): string {
  const digits = opts.digits ?? 7;
  if (colNames.length === 0) return `data frame with 0 columns and ${rowNames.length} rows\n`;
  if (rowNames.length === 0) return `[1] ${colNames.join(" ")}\n<0 rows> (or 0-length row.names)\n`;
  const cols = colNames.map((_, j) =>
    formatNumbers(
      values.map((row) => row[j]),
      digits,
    ),
  );
  const cells = rowNames.map((_, i) => cols.map((c) => c[i]));
  return printMatrix(cells, rowNames, colNames, { right: true, width: opts.width });
}
