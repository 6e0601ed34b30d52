/**
 * A formula variable evaluated against the data: a numeric vector, a numeric matrix (poly), or a
 * factor. Values cover every row of the data source; NaN / code -1 mark missing values.
 */
import type { ContrastName } from "../data/column.ts";

export interface NumericVariable {
  readonly kind: "numeric";
  readonly label: string;
  readonly values: Float64Array;
}

/** A matrix-valued variable such as `poly(x, 2)`: n×k column-major, columns named by suffix. */
export interface MatrixVariable {
  readonly kind: "matrix";
  readonly label: string;
  readonly ncol: number;
  readonly values: Float64Array;
  /** Suffixes appended to the label to name columns ("1", "2" → `poly(x, 2)1`). */
  readonly colnames: readonly string[];
}

export interface FactorVariable {
  readonly kind: "factor";
  readonly label: string;
  readonly codes: Int32Array;
  readonly levels: readonly string[];
  readonly ordered: boolean;
  readonly contrasts: ContrastName | null;
}

export type EvaluatedVariable = NumericVariable | MatrixVariable | FactorVariable;

/** Whether row `i` of the variable is missing (NaN in any column, or factor code -1). */
export function isMissingAt(v: EvaluatedVariable, n: number, i: number): boolean {
  switch (v.kind) {
    case "numeric":
      return Number.isNaN(v.values[i]);
    case "factor":
      return v.codes[i] < 0;
    case "matrix":
      for (let j = 0; j < v.ncol; j++) if (Number.isNaN(v.values[j * n + i])) return true;
      return false;
  }
}

/** Keep only the rows listed in `rows` (indices into the full data). */
export function subsetVariable(v: EvaluatedVariable, n: number, rows: Int32Array): EvaluatedVariable {
  const m = rows.length;
  switch (v.kind) {
    case "numeric": {
      const out = new Float64Array(m);
      for (let i = 0; i < m; i++) out[i] = v.values[rows[i]];
      return { ...v, values: out };
    }
    case "factor": {
      const out = new Int32Array(m);
      for (let i = 0; i < m; i++) out[i] = v.codes[rows[i]];
      return { ...v, codes: out };
    }
    case "matrix": {
      const out = new Float64Array(m * v.ncol);
      for (let j = 0; j < v.ncol; j++) for (let i = 0; i < m; i++) out[j * m + i] = v.values[j * n + rows[i]];
      return { ...v, values: out };
    }
  }
}

/**
 * Drop levels that no row uses (lme4's model frame uses `drop.unused.levels = TRUE`).
 * Codes are renumbered; the level order is kept.
 */
export function dropUnusedLevels(v: FactorVariable): FactorVariable {
  const used = new Uint8Array(v.levels.length);
  for (let i = 0; i < v.codes.length; i++) if (v.codes[i] >= 0) used[v.codes[i]] = 1;
  if (used.every((u) => u === 1)) return v;
  const remap = new Int32Array(v.levels.length).fill(-1);
  const levels: string[] = [];
  for (let l = 0; l < v.levels.length; l++) {
    if (used[l]) {
      remap[l] = levels.length;
      levels.push(v.levels[l]);
    }
  }
  const codes = new Int32Array(v.codes.length);
  for (let i = 0; i < codes.length; i++) codes[i] = v.codes[i] < 0 ? -1 : remap[v.codes[i]];
  return { ...v, codes, levels };
}
