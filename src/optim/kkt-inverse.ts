/**
 * The inverse H of the KKT matrix W of minimum-Frobenius-norm quadratic interpolation
 * (M.J.D. Powell, "Least Frobenius norm updating of quadratic models that satisfy interpolation
 * conditions", Math. Program. 100 (2004); used by NEWUOA and BOBYQA).
 *
 * With m interpolation points y_1..y_m (offsets from a base point) in R^n and N = m + n + 1,
 *
 *     W = [ A  Xᵀ ]     A_ij = ½ (y_iᵀ y_j)²,   X = [1 … 1; y_1 … y_m]   ((n+1) × m),
 *         [ X  0  ]
 *
 * and column t ≤ m of H = W⁻¹ holds the coefficients of the t-th Lagrange function
 * ℓ_t(x) = c + gᵀx + ½ Σ_j λ_j (y_jᵀ x)² : λ = H[0..m, t], c = H[m, t], g = H[m+1.., t].
 *
 * `invertKkt` forms H directly (scaled Gauss–Jordan elimination); `updateKkt` applies Powell's
 * rank-two formula when point t is replaced by a new point x with w = (½(y_jᵀx)², 1, x):
 *     α = H_tt, β = ½‖x‖⁴ − wᵀHw, τ = (Hw)_t, σ = αβ + τ²,
 *     H⁺ = H + σ⁻¹ [ α u uᵀ − β h hᵀ + τ (h uᵀ + u hᵀ) ],  u = e_t − Hw, h = H e_t.
 * All matrices are dense row-major Float64Arrays (N is at most a few dozen here).
 */

/**
 * Overwrite `h` (N×N) with W⁻¹ for the points `xpt` (m×n, row-major). Coordinates are scaled by
 * the largest point norm before the elimination so that the blocks of W are of similar size.
 * `work` must hold at least N·N values. Returns false when W is numerically singular.
 */
export function invertKkt(
  xpt: Float64Array,
  m: number,
  n: number,
  h: Float64Array,
  work: Float64Array,
): boolean {
  const N = m + n + 1;
  let s = 0;
  for (let k = 0; k < m; k++) {
    let q = 0;
    for (let i = 0; i < n; i++) q += xpt[k * n + i] ** 2;
    s = Math.max(s, q);
  }
  s = Math.sqrt(s);
  if (!(s > 0)) return false;
  // W' for the scaled points y/s; then W = D W' D with D = diag(s², …, s², s⁻², s⁻¹, …, s⁻¹),
  // hence H = D⁻¹ H' D⁻¹.
  const w = work;
  w.fill(0, 0, N * N);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j <= i; j++) {
      let d = 0;
      for (let p = 0; p < n; p++) d += xpt[i * n + p] * xpt[j * n + p];
      d /= s * s;
      w[i * N + j] = w[j * N + i] = 0.5 * d * d;
    }
    w[i * N + m] = w[m * N + i] = 1;
    for (let p = 0; p < n; p++) w[i * N + m + 1 + p] = w[(m + 1 + p) * N + i] = xpt[i * n + p] / s;
  }
  if (!gaussJordanInverse(w, N, h)) return false;
  for (let i = 0; i < N; i++) {
    const di = i < m ? s * s : i === m ? 1 / (s * s) : 1 / s;
    for (let j = 0; j < N; j++) {
      const dj = j < m ? s * s : j === m ? 1 / (s * s) : 1 / s;
      h[i * N + j] /= di * dj;
    }
  }
  // symmetrise
  for (let i = 0; i < N; i++) {
    for (let j = 0; j < i; j++) {
      const v = 0.5 * (h[i * N + j] + h[j * N + i]);
      h[i * N + j] = h[j * N + i] = v;
    }
  }
  return true;
}

/** Inverse of the N×N matrix `a` (destroyed) into `out`, with partial pivoting. */
function gaussJordanInverse(a: Float64Array, N: number, out: Float64Array): boolean {
  out.fill(0, 0, N * N);
  for (let i = 0; i < N; i++) out[i * N + i] = 1;
  let amax = 0;
  for (let i = 0; i < N * N; i++) amax = Math.max(amax, Math.abs(a[i]));
  const tiny = amax * 1e-14;
  for (let c = 0; c < N; c++) {
    let p = c;
    for (let r = c + 1; r < N; r++) if (Math.abs(a[r * N + c]) > Math.abs(a[p * N + c])) p = r;
    const piv = a[p * N + c];
    if (!(Math.abs(piv) > tiny)) return false;
    if (p !== c) {
      for (let j = 0; j < N; j++) {
        let t = a[p * N + j];
        a[p * N + j] = a[c * N + j];
        a[c * N + j] = t;
        t = out[p * N + j];
        out[p * N + j] = out[c * N + j];
        out[c * N + j] = t;
      }
    }
    const inv = 1 / piv;
    for (let j = 0; j < N; j++) {
      a[c * N + j] *= inv;
      out[c * N + j] *= inv;
    }
    for (let r = 0; r < N; r++) {
      if (r === c) continue;
      const fct = a[r * N + c];
      if (fct === 0) continue;
      for (let j = 0; j < N; j++) {
        a[r * N + j] -= fct * a[c * N + j];
        out[r * N + j] -= fct * out[c * N + j];
      }
    }
  }
  return true;
}

/**
 * Apply the replacement of point t to H (N×N) in place. `hw` = H·w for the new point, `beta` the
 * β above, `scratch` at least 2N long. Returns σ (the caller checks it is safely positive first).
 */
export function updateKkt(
  h: Float64Array,
  N: number,
  t: number,
  hw: Float64Array,
  beta: number,
  scratch: Float64Array,
): number {
  const alpha = h[t * N + t];
  const tau = hw[t];
  const sigma = alpha * beta + tau * tau;
  const inv = 1 / sigma;
  // scratch[0..N) = u = e_t − Hw, scratch[N..2N) = h = H e_t (copied before H changes)
  for (let i = 0; i < N; i++) {
    scratch[i] = (i === t ? 1 : 0) - hw[i];
    scratch[N + i] = h[i * N + t];
  }
  for (let i = 0; i < N; i++) {
    const ui = scratch[i];
    const hi = scratch[N + i];
    // α u_i u_j − β h_i h_j + τ (h_i u_j + u_i h_j) = (α u_i + τ h_i) u_j + (τ u_i − β h_i) h_j
    const ci = inv * (alpha * ui + tau * hi);
    const di = inv * (tau * ui - beta * hi);
    const row = i * N;
    for (let j = 0; j < N; j++) h[row + j] += ci * scratch[j] + di * scratch[N + j];
  }
  return sigma;
}
