/**
 * Triangular solves and inverses on column-major Float64Array storage.
 *
 * The triangle is read from the leading `k × k` block of a matrix whose leading dimension is `ld`
 * (element (i, j) at `j * ld + i`), so the upper triangle of a compact QR factor (ld = n) can be
 * used in place. Elements outside the triangle are never read.
 */

/**
 * Solve `U b = rhs` for upper-triangular `U` (the leading k × k block, leading dimension `ld`).
 * Returns a new array of length k; `rhs` is not modified (only its first k entries are read).
 * A zero diagonal element yields ±Infinity/NaN, as in R's `backsolve`.
 */
export function backSolveUpper(U: Float64Array, ld: number, k: number, rhs: ArrayLike<number>): Float64Array {
  const b = new Float64Array(k);
  for (let i = 0; i < k; i++) b[i] = rhs[i];
  for (let j = k - 1; j >= 0; j--) {
    b[j] /= U[j * ld + j];
    const bj = b[j];
    const col = j * ld;
    for (let i = 0; i < j; i++) b[i] -= U[col + i] * bj;
  }
  return b;
}

/** Solve `Uᵀ b = rhs` for upper-triangular `U` (forward substitution on the transpose). */
export function forwardSolveUpperTransposed(
  U: Float64Array,
  ld: number,
  k: number,
  rhs: ArrayLike<number>,
): Float64Array {
  const b = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    let s = rhs[j];
    const col = j * ld;
    for (let i = 0; i < j; i++) s -= U[col + i] * b[i];
    b[j] = s / U[col + j];
  }
  return b;
}

/** Inverse of the upper-triangular leading k × k block of `U`, as a dense k × k column-major array. */
export function invertUpper(U: Float64Array, ld: number, k: number): Float64Array {
  const inv = new Float64Array(k * k);
  for (let c = 0; c < k; c++) {
    // Column c of U⁻¹ solves U x = e_c; x is zero below row c.
    inv[c * k + c] = 1 / U[c * ld + c];
    for (let i = c - 1; i >= 0; i--) {
      let s = 0;
      for (let m = i + 1; m <= c; m++) s += U[m * ld + i] * inv[c * k + m];
      inv[c * k + i] = -s / U[i * ld + i];
    }
  }
  return inv;
}

/**
 * `(Uᵀ U)⁻¹ = U⁻¹ U⁻ᵀ` for the upper-triangular leading k × k block of `U` (R's `chol2inv`).
 * Returns a dense symmetric k × k column-major array.
 */
export function crossprodInverseUpper(U: Float64Array, ld: number, k: number): Float64Array {
  const inv = invertUpper(U, ld, k);
  const out = new Float64Array(k * k);
  for (let a = 0; a < k; a++) {
    for (let b = a; b < k; b++) {
      // (U⁻¹ U⁻ᵀ)[a, b] = Σ_m inv[a, m] inv[b, m]; inv[a, m] is zero for m < a.
      let s = 0;
      for (let m = b; m < k; m++) s += inv[m * k + a] * inv[m * k + b];
      out[b * k + a] = s;
      out[a * k + b] = s;
    }
  }
  return out;
}
