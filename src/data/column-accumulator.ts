/**
 * The per-column sink the CSV builder feeds, one cell per row in row order, while parsing.
 * Implementations store cells in growable typed buffers; none keeps per-row objects.
 */
import type { Column } from "./column.ts";

export interface ColumnAccumulator {
  readonly name: string;
  /** Store the next row's cell. false when the value is not allowed (it disagrees with the schema). */
  push(raw: string): boolean;
  /** Why `push(raw)` returned false, for the error message ("is not one of the schema's levels"). */
  rejection(raw: string): string;
  /** The finished column (call once, after the last push). */
  finish(): Column;
}
