/**
 * R's `poly(x, degree)` (raw = FALSE): polynomials in x of degree 1..degree that are orthogonal
 * over the observed x and scaled to unit length, with the coefficients (`alpha`, `norm2`) that
 * `predict()` uses to evaluate them at new x by the three-term recurrence
 *
 *   p₀ = 1,  p₁ = x − α₁,  p_{j+1} = (x − α_{j+1}) p_j − (norm2_{j+1} / norm2_j) p_{j−1},
 *   column j = p_j / √norm2_{j+1}                                           (1-based α, norm2)
 *
 * where α_{j+1} = Σ x p_j² / Σ p_j² and norm2 = (1, Σ p₀², Σ p₁², …, Σ p_degree²) (length
 * degree + 2), exactly the `coefs` attribute R stores (Kennedy & Gentle, *Statistical Computing*,
 * 1980, cited by R's `?poly`). Each new polynomial is re-orthogonalised once against the earlier ones, which keeps
 * the values accurate to rounding for the degrees used in practice.
 *
 * Column names are "1".."degree" (the model matrix prefixes the term label: `poly(x, 2)1`).
 * Inputs must not contain NaN (the caller drops missing rows first).
 */

import { OptionError } from "../errors.ts";

export interface PolyCoefs {
  /** length degree */
  readonly alpha: Float64Array;
  /** length degree + 2; norm2[0] = 1, norm2[1] = n */
  readonly norm2: Float64Array;
}

export interface OrthogonalPolynomial {
  /** n × degree, column-major, unit-length orthogonal columns. */
  readonly values: Float64Array;
  readonly n: number;
  readonly degree: number;
  readonly colnames: readonly string[];
  readonly coefs: PolyCoefs;
}

/** `poly(x, degree)`: throws `OptionError` unless 1 ≤ degree < number of distinct x. */
export function orthogonalPolynomial(x: ArrayLike<number>, degree: number): OrthogonalPolynomial {
  const n = x.length;
  if (!Number.isInteger(degree) || degree < 1) {
    throw new OptionError(`'degree' must be a positive integer, not ${degree}`);
  }
  const distinct = new Set(Array.from(x)).size;
  if (degree >= distinct) {
    throw new OptionError(`'degree' (${degree}) must be less than the number of unique points (${distinct})`);
  }
  // Work with centred x (as R does) so that α is found without cancellation: α = x̄ + Σ xc p² / Σ p².
  let xbar = 0;
  for (let i = 0; i < n; i++) xbar += x[i];
  xbar /= n;
  const xc = Float64Array.from(x, (v) => v - xbar);
  // P holds p_0..p_degree unnormalised, column-major n × (degree + 1).
  const P = new Float64Array(n * (degree + 1));
  const alpha = new Float64Array(degree);
  const norm2 = new Float64Array(degree + 2);
  norm2[0] = 1;
  P.fill(1, 0, n);
  norm2[1] = n;
  for (let j = 0; j < degree; j++) {
    const pj = P.subarray(j * n, (j + 1) * n);
    let sxp = 0;
    for (let i = 0; i < n; i++) sxp += xc[i] * pj[i] * pj[i];
    const ac = sxp / norm2[j + 1];
    alpha[j] = xbar + ac;
    const next = P.subarray((j + 1) * n, (j + 2) * n);
    const ratio = norm2[j + 1] / norm2[j];
    for (let i = 0; i < n; i++) {
      next[i] = (xc[i] - ac) * pj[i] - (j > 0 ? ratio * P[(j - 1) * n + i] : 0);
    }
    // One pass of re-orthogonalisation against p_0..p_j (removes accumulated rounding).
    for (let m = 0; m <= j; m++) {
      let dot = 0;
      for (let i = 0; i < n; i++) dot += next[i] * P[m * n + i];
      const c = dot / norm2[m + 1];
      for (let i = 0; i < n; i++) next[i] -= c * P[m * n + i];
    }
    let ss = 0;
    for (let i = 0; i < n; i++) ss += next[i] * next[i];
    norm2[j + 2] = ss;
  }
  const values = new Float64Array(n * degree);
  for (let j = 1; j <= degree; j++) {
    const s = Math.sqrt(norm2[j + 1]);
    for (let i = 0; i < n; i++) values[(j - 1) * n + i] = P[j * n + i] / s;
  }
  return { values, n, degree, colnames: polyColnames(degree), coefs: { alpha, norm2 } };
}

/**
 * Evaluate the polynomials of a fitted `poly()` at new points (R's `predict(poly(x, d), newx)`).
 * Returns newx.length × degree, column-major.
 */
export function predictOrthogonalPolynomial(newx: ArrayLike<number>, coefs: PolyCoefs): Float64Array {
  const { alpha, norm2 } = coefs;
  const degree = alpha.length;
  const n = newx.length;
  const out = new Float64Array(n * degree);
  for (let i = 0; i < n; i++) {
    const x = newx[i];
    let prev = 1; // p_{j-1}
    let cur = x - alpha[0]; // p_j
    out[i] = cur / Math.sqrt(norm2[2]);
    for (let j = 1; j < degree; j++) {
      const next = (x - alpha[j]) * cur - (norm2[j + 1] / norm2[j]) * prev;
      prev = cur;
      cur = next;
      out[j * n + i] = cur / Math.sqrt(norm2[j + 2]);
    }
  }
  return out;
}

function polyColnames(degree: number): string[] {
  return Array.from({ length: degree }, (_, j) => String(j + 1));
}
