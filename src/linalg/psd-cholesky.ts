/**
 * The lower Cholesky factor of a small positive semidefinite matrix, allowing zero columns (a
 * variance at 0): where a pivot is not positive the column is set to 0. Used for the covariance
 * of a random-effects term (simulating from it, or mapping SDs and correlations back to θ).
 */

export interface PsdCholesky {
  /** Lower factor, row-major: L[i*S + k]. */
  readonly L: Float64Array;
  /**
   * False when A is not positive semidefinite beyond rounding: a pivot below −1e-12·max(1, A_jj),
   * or an entry off a zero column's diagonal larger than 1e-10 in absolute value.
   */
  readonly psd: boolean;
}

/** Factor the S×S symmetric `a` (row-major, only the lower triangle read). */
export function psdCholesky(a: ArrayLike<number>, S: number): PsdCholesky {
  const L = new Float64Array(S * S);
  let psd = true;
  for (let j = 0; j < S; j++) {
    const ajj = a[j * S + j];
    let d = ajj;
    for (let k = 0; k < j; k++) d -= L[j * S + k] * L[j * S + k];
    if (d < -1e-12 * Math.max(1, ajj)) psd = false;
    const ljj = d > 0 ? Math.sqrt(d) : 0;
    L[j * S + j] = ljj;
    for (let i = j + 1; i < S; i++) {
      let s = a[i * S + j];
      for (let k = 0; k < j; k++) s -= L[i * S + k] * L[j * S + k];
      L[i * S + j] = ljj > 0 ? s / ljj : 0;
      if (ljj === 0 && Math.abs(s) > 1e-10) psd = false;
    }
  }
  return { L, psd };
}
