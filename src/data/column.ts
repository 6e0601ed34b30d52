/**
 * Columnar storage. No per-row objects: numbers live in Float64Array (NaN = missing; ±Infinity is
 * kept as read so the model frame can reject it with a clear error), factors in Int32Array codes
 * (0-based index into `levels`, -1 = missing).
 */

/** Contrast coding named in a schema (R's names). */
export type ContrastName = "contr.treatment" | "contr.sum" | "contr.helmert" | "contr.poly" | "contr.SAS";

export interface NumericColumn {
  readonly kind: "numeric";
  readonly name: string;
  /** NaN marks a missing value. */
  readonly values: Float64Array;
  /** true when the schema says `integer` (affects printing only). */
  readonly integer: boolean;
}

export interface FactorColumn {
  readonly kind: "factor";
  readonly name: string;
  /** 0-based index into `levels`; -1 marks a missing value. */
  readonly codes: Int32Array;
  /** Level names in R's level order. */
  readonly levels: readonly string[];
  readonly ordered: boolean;
  /** Contrasts to use when this factor enters X; null = R's default (treatment, or poly if ordered). */
  readonly contrasts: ContrastName | null;
}

export type Column = NumericColumn | FactorColumn;

/**
 * Read-only access to a data set: the small interface every data source implements
 * (in-memory CSV today; Arrow/Parquet/DuckDB later).
 */
export interface DataSource {
  /** Dataset name (file stem or bundled name), used in summaries ("Data: sleepstudy"). */
  readonly name: string;
  readonly nrow: number;
  /** Column names in file order. */
  readonly names: readonly string[];
  /** The column, or undefined when there is none of that name (exact, case-sensitive match). */
  column(name: string): Column | undefined;
}
