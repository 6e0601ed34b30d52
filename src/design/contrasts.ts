/**
 * Contrast matrices with R's values and column names, for a factor with levels l₁..l_k:
 *
 * - `contr.treatment`: indicators of levels 2..k (baseline l₁); names = those level names.
 * - `contr.SAS`: indicators of levels 1..k−1 (baseline l_k); names = those level names.
 * - `contr.sum`: column j is e_j − e_k (rows 1..k−1 identity, last row −1); names "1".."k−1".
 * - `contr.helmert`: column j has −1 in rows 1..j, j in row j+1, 0 below; names "1".."k−1".
 * - `contr.poly`: orthogonal polynomials of degree 1..k−1 in the scores 1..k, unit length
 *   (the same values as `poly(1:k, k − 1)`); names `.L`, `.Q`, `.C`, `^4`, `^5`, …
 *
 * The matrix is k × (k − 1), column-major: entry (level i, column j) at `j * k + i`.
 */

import type { ContrastName } from "../data/column.ts";
import { DataError, OptionError } from "../errors.ts";
import { orthogonalPolynomial } from "./poly.ts";
import { quote } from "../util/quote.ts";

export interface ContrastMatrix {
  /** nlevels × ncol, column-major. */
  readonly matrix: Float64Array;
  readonly nrow: number;
  readonly ncol: number;
  /** Suffixes R appends to the factor's name in model-matrix column names. */
  readonly colnames: readonly string[];
}

/**
 * The contrast matrix of `kind` for a factor with these levels (in R's level order).
 * Throws `DataError` (E_DATA_ONE_LEVEL) for fewer than two levels, as R's contr.* do.
 */
export function contrastMatrix(kind: ContrastName, levels: readonly string[]): ContrastMatrix {
  const k = levels.length;
  if (k < 2) {
    throw new DataError(
      "E_DATA_ONE_LEVEL",
      `contrasts need a factor with at least two levels, but it has ${k}${k === 1 ? ` (${quote(levels[0])})` : ""}`,
      "remove the factor from the formula or check the data",
    );
  }
  const nc = k - 1;
  const m = new Float64Array(k * nc);
  const numbered = Array.from({ length: nc }, (_, j) => String(j + 1));
  switch (kind) {
    case "contr.treatment":
      for (let j = 0; j < nc; j++) m[j * k + j + 1] = 1;
      return { matrix: m, nrow: k, ncol: nc, colnames: levels.slice(1) };
    case "contr.SAS":
      for (let j = 0; j < nc; j++) m[j * k + j] = 1;
      return { matrix: m, nrow: k, ncol: nc, colnames: levels.slice(0, nc) };
    case "contr.sum":
      for (let j = 0; j < nc; j++) {
        m[j * k + j] = 1;
        m[j * k + k - 1] = -1;
      }
      return { matrix: m, nrow: k, ncol: nc, colnames: numbered };
    case "contr.helmert":
      for (let j = 0; j < nc; j++) {
        for (let i = 0; i <= j; i++) m[j * k + i] = -1;
        m[j * k + j + 1] = j + 1;
      }
      return { matrix: m, nrow: k, ncol: nc, colnames: numbered };
    case "contr.poly": {
      const scores = Float64Array.from({ length: k }, (_, i) => i + 1);
      const p = orthogonalPolynomial(scores, nc);
      return { matrix: p.values, nrow: k, ncol: nc, colnames: polyContrastNames(nc) };
    }
    default:
      throw new OptionError(
        `unknown contrast '${String(kind)}'`,
        "use contr.treatment, contr.sum, contr.helmert, contr.poly or contr.SAS",
      );
  }
}

/** R's names for polynomial contrasts: `.L`, `.Q`, `.C`, then `^4`, `^5`, … */
export function polyContrastNames(ncol: number): string[] {
  const named = [".L", ".Q", ".C"];
  return Array.from({ length: ncol }, (_, j) => (j < 3 ? named[j] : `^${j + 1}`));
}
