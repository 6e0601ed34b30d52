/**
 * Stan's transform of K(K−1)/2 unconstrained reals w to the Cholesky factor L of a K×K
 * correlation matrix (canonical partial correlations c = tanh w, consumed row by row), with the
 * log-Jacobian and the LKJ(eta) density of L, and the reverse-mode gradient of all of it.
 *
 * Row i (0-based) of L: `L[i][k] = c_k · Π_{m<k} sech(w_m)` for k < i, `L[i][i] = Π_{k<i} sech(w_k)`
 * (because 1 − Σ_{m<k} L[i][m]² = Π_{m<k} (1 − c_m²)). With ℓ_k = log(1 − c_k²):
 * log-Jacobian of the row = Σ_k (1 + (i − 1 − k)/2)·ℓ_k; log L[i][i] = ½ Σ_k ℓ_k; LKJ adds
 * (K − i + 2η − 3)·log L[i][i] (Stan's Σ_{i=2..K} (K − i + 2η − 2) log L_ii, 1-based). Everything is
 * computed from w directly (no division by L[i][i]), so it stays finite for large |w|.
 */

/** log(1 − tanh(w)²) = −2 log cosh w, accurate for large |w|. */
export function logOneMinusTanh2(w: number): number {
  const a = Math.abs(w);
  return -2 * (a + Math.log1p(Math.exp(-2 * a)) - Math.LN2);
}

/** 1/cosh(w), 0 beyond the double range. */
function sech(w: number): number {
  const a = Math.abs(w);
  if (a > 700) return 0;
  const e = Math.exp(-a);
  return (2 * e) / (1 + e * e);
}

/**
 * Fill `L` (K×K, row-major `L[i*K + k]`, upper part zeroed) from `w[off .. off + K(K−1)/2)`.
 * Returns the log-Jacobian plus the log LKJ(eta) density plus Σ_i diagCoef[i]·log L[i][i]
 * (diagCoef: extra coefficients on log L_ii, e.g. −J for a centred prior; may be omitted).
 */
export function corrCholeskyForward(
  w: ArrayLike<number>,
  off: number,
  K: number,
  eta: number,
  L: Float64Array,
  diagCoef?: ArrayLike<number>,
): number {
  L.fill(0);
  L[0] = 1;
  let lp = 0;
  let idx = off;
  for (let i = 1; i < K; i++) {
    let s = 1;
    let sumEll = 0;
    const a = K - i + 2 * eta - 3 + (diagCoef ? diagCoef[i] : 0);
    for (let k = 0; k < i; k++) {
      const wk = w[idx++];
      const c = Math.tanh(wk);
      L[i * K + k] = c * s;
      s *= sech(wk);
      const ell = logOneMinusTanh2(wk);
      sumEll += ell;
      lp += (1 + 0.5 * (i - 1 - k)) * ell;
    }
    L[i * K + i] = s;
    lp += 0.5 * a * sumEll;
  }
  return lp;
}

/**
 * Add to `grad[off ..]` the gradient with respect to w of (a) Σ gL[i][k]·L[i][k] (the chain rule of
 * a function of L whose gradient with respect to L, lower part and diagonal, is `gL`), and (b) the
 * log-Jacobian, LKJ and diagCoef terms of `corrCholeskyForward`. `L` must be the forward result.
 */
export function corrCholeskyBackward(
  w: ArrayLike<number>,
  off: number,
  K: number,
  eta: number,
  L: Float64Array,
  gL: Float64Array,
  grad: Float64Array,
  diagCoef?: ArrayLike<number>,
): void {
  let base = off;
  for (let i = 1; i < K; i++) {
    const a = K - i + 2 * eta - 3 + (diagCoef ? diagCoef[i] : 0);
    // tail = Σ_{j>k} gL[i][j]·L[i][j] (j up to the diagonal), built from the right
    let tail = gL[i * K + i] * L[i * K + i];
    for (let k = i - 1; k >= 0; k--) {
      const wk = w[base + k];
      const c = Math.tanh(wk);
      let sk = 1; // Π_{m<k} sech(w_m) (K is small)
      for (let m = 0; m < k; m++) sk *= sech(w[base + m]);
      const sechK = sech(wk);
      grad[base + k] +=
        gL[i * K + k] * sk * sechK * sechK - c * tail - 2 * c * (1 + 0.5 * (i - 1 - k)) - a * c;
      tail += gL[i * K + k] * L[i * K + k];
    }
    base += i;
  }
}
