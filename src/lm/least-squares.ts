/**
 * The least-squares core of `lm()`: coefficients, rank (R's limited pivoting, tol 1e-7) and the
 * unscaled covariance (XᵀWX)⁻¹ of the estimable columns, by dense Householder QR. The blocked
 * solver for large dummy-coded factors (`blocked-least-squares.ts`) returns the same shape.
 */
import { qrCoefPivoted, qrDecomposeInPlace, qrUnscaledCovariance } from "../linalg/qr.ts";

export interface LeastSquaresSolution {
  readonly rank: number;
  /** Coefficients in original column order; NaN for aliased columns. */
  readonly coef: Float64Array;
  /** Original indices of the estimable columns, ascending. */
  readonly estimable: readonly number[];
  /** Original indices of the aliased (dropped) columns, ascending. */
  readonly aliased: readonly number[];
  /** Entry (i, j) of (XᵀWX)⁻¹ for estimable original columns i and j. */
  covUnscaled(i: number, j: number): number;
}

/**
 * Solve min ‖z − X b‖ for the n × p column-major `X` (overwritten by its QR factor); rows must
 * already carry √w. Aliased columns are found as R's `qr(X, tol)` finds them.
 */
export function solveDense(
  X: Float64Array,
  n: number,
  p: number,
  z: Float64Array,
  tol = 1e-7,
): LeastSquaresSolution {
  const qr = qrDecomposeInPlace(X, n, p, tol);
  const rank = qr.rank;
  const bPiv = qrCoefPivoted(qr, z);
  const unscaled = qrUnscaledCovariance(qr);
  const coef = new Float64Array(p).fill(Number.NaN);
  const position = new Int32Array(p).fill(-1);
  for (let k = 0; k < rank; k++) {
    coef[qr.pivot[k]] = bPiv[k];
    position[qr.pivot[k]] = k;
  }
  const estimable: number[] = [];
  const aliased: number[] = [];
  for (let j = 0; j < p; j++) (position[j] >= 0 ? estimable : aliased).push(j);
  return {
    rank,
    coef,
    estimable,
    aliased,
    covUnscaled: (i, j) => unscaled[position[j] * rank + position[i]],
  };
}
