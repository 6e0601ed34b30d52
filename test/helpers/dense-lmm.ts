/**
 * Test-only dense references for linear (mixed) models, independent of the engine: the profiled
 * −2 log-likelihood (ML deviance or REML criterion) of an `LmmProblem` at θ from the dense marginal
 * covariance V = ZΛΛᵀZᵀ + W⁻¹, and the residual sum of squares of a least-squares fit. Both whiten
 * and solve by Householder QR, not by the normal equations, so that they stay accurate on the
 * badly scaled data the fuzz test feeds them. O(n³): for small problems only.
 */
import type { LmmProblem } from "../../src/lmm/lmm-problem.ts";

/** C = op(A)·B with A m×k (or k×m when transA), B k×n, all column-major. */
export function matmul(
  A: ArrayLike<number>,
  B: ArrayLike<number>,
  m: number,
  k: number,
  n: number,
  transA = false,
): Float64Array {
  const C = new Float64Array(m * n);
  for (let j = 0; j < n; j++)
    for (let i = 0; i < m; i++) {
      let s = 0;
      for (let x = 0; x < k; x++) s += (transA ? A[i * k + x] : A[x * m + i]) * B[j * k + x];
      C[j * m + i] = s;
    }
  return C;
}

/** Lower Cholesky factor of an n×n SPD matrix (column-major); NaN on the diagonal if not SPD. */
export function cholesky(A: ArrayLike<number>, n: number): Float64Array {
  const L = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    let d = A[j * n + j];
    for (let k = 0; k < j; k++) d -= L[k * n + j] ** 2;
    const s = Math.sqrt(d);
    L[j * n + j] = s;
    for (let i = j + 1; i < n; i++) {
      let v = A[j * n + i];
      for (let k = 0; k < j; k++) v -= L[k * n + i] * L[k * n + j];
      L[j * n + i] = v / s;
    }
  }
  return L;
}

/** Solve L x = b for lower-triangular L (n×n column-major). */
export function forwardSolve(L: ArrayLike<number>, n: number, b: ArrayLike<number>): Float64Array {
  const x = Float64Array.from(b);
  for (let i = 0; i < n; i++) {
    let s = x[i];
    for (let k = 0; k < i; k++) s -= L[k * n + i] * x[k];
    x[i] = s / L[i * n + i];
  }
  return x;
}

/**
 * Householder QR of the n×p matrix A (column-major, copied) applied to b: returns |R_jj| and the
 * squared norm of the part of b outside the column space. No pivoting; a column whose norm in the
 * rows left is at most `rankTol` times its original norm (exactly zero by default) gets R_jj = 0
 * and is skipped, so the residual is that of the column space.
 * Each column is divided by its largest entry first, so values near 1e±150 neither overflow nor
 * underflow.
 */
export function qrResidual(
  A: ArrayLike<number>,
  n: number,
  p: number,
  b: ArrayLike<number>,
  rankTol = 0,
): {
  rdiag: Float64Array;
  rss: number;
  /** log(rss), finite even when rss itself overflows or underflows. */
  logRss: number;
} {
  // Every column (and b) divided by its largest entry: R scales with the columns (A·D has R·D) and
  // the residual with b, so nothing near the ends of the double range can overflow below.
  const a = Float64Array.from(A);
  const colScale = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    let m = 0;
    for (let i = 0; i < n; i++) m = Math.max(m, Math.abs(a[j * n + i]));
    colScale[j] = m > 0 ? m : 1;
    for (let i = 0; i < n; i++) a[j * n + i] /= colScale[j];
  }
  let bScale = 0;
  for (let i = 0; i < n; i++) bScale = Math.max(bScale, Math.abs(b[i]));
  if (!(bScale > 0)) bScale = 1;
  const y = Float64Array.from(b, (v) => v / bScale);
  const rdiag = new Float64Array(p);
  const norm2 = (off: number, from: number) => {
    let scale = 0;
    for (let i = from; i < n; i++) scale = Math.max(scale, Math.abs(a[off + i]));
    let ss = 0;
    if (scale > 0) for (let i = from; i < n; i++) ss += (a[off + i] / scale) ** 2;
    return { scale, norm: scale * Math.sqrt(ss) };
  };
  const initial = Array.from({ length: p }, (_, j) => norm2(j * n, 0).norm);
  let k = 0; // rows k.. are still to be reduced (an aliased column is skipped and keeps its row)
  for (let j = 0; j < p && k < n; j++) {
    // Work on the column divided by its largest entry: no overflow or underflow in the sums.
    const { scale, norm: left } = norm2(j * n, k);
    if (!(left > rankTol * initial[j])) continue;
    for (let i = k; i < n; i++) a[j * n + i] /= scale;
    const norm = left / scale;
    const alpha = a[j * n + k] > 0 ? -norm : norm;
    // v = x − αe_k (scaled), H = I − 2vvᵀ/(vᵀv)
    a[j * n + k] -= alpha;
    let vv = 0;
    for (let i = k; i < n; i++) vv += a[j * n + i] ** 2;
    const apply = (col: Float64Array, off: number) => {
      let s = 0;
      for (let i = k; i < n; i++) s += a[j * n + i] * col[off + i];
      const f = (2 * s) / vv;
      for (let i = k; i < n; i++) col[off + i] -= f * a[j * n + i];
    };
    for (let c = j + 1; c < p; c++) apply(a, c * n);
    apply(y, 0);
    rdiag[j] = Math.abs(alpha) * scale * colScale[j];
    k++;
  }
  let m = 0;
  for (let i = k; i < n; i++) m = Math.max(m, Math.abs(y[i]));
  let ss = 0;
  if (m > 0) for (let i = k; i < n; i++) ss += (y[i] / m) ** 2;
  const logRss = m > 0 ? 2 * Math.log(m * bScale) + Math.log(ss) : Number.NEGATIVE_INFINITY;
  return { rdiag, rss: m * bScale * (m * bScale) * ss, logRss };
}

/** Dense Z (n×q) and Λ (q×q) of the problem's terms in input order, Λ from θ (input order). */
export function denseZLambdaOf(
  problem: LmmProblem,
  theta: ArrayLike<number>,
): { Z: Float64Array; Lam: Float64Array; q: number } {
  const n = problem.y.length;
  const terms = problem.reterms;
  const q = terms.reduce((s, t) => s + t.levels.length * t.cnames.length, 0);
  const Z = new Float64Array(n * q);
  const Lam = new Float64Array(q * q);
  let off = 0;
  let o = 0;
  for (const t of terms) {
    const S = t.cnames.length;
    const nl = t.levels.length;
    for (let r = 0; r < n; r++)
      for (let s = 0; s < S; s++) Z[(off + t.refs[r] * S + s) * n + r] = t.z[r * S + s];
    // θ holds the lower triangle of the S×S template column by column (lme4's order).
    const lam = new Float64Array(S * S);
    for (let c = 0; c < S; c++) for (let r = c; r < S; r++) lam[c * S + r] = theta[o++];
    for (let l = 0; l < nl; l++)
      for (let c = 0; c < S; c++)
        for (let r = c; r < S; r++) Lam[(off + l * S + c) * q + off + l * S + r] = lam[c * S + r];
    off += nl * S;
  }
  return { Z, Lam, q };
}

/**
 * −2 log-likelihood profiled over β and σ (REML criterion when `reml`) at θ, from
 * V = ZΛΛᵀZᵀ + W⁻¹ with the GLS estimate of β: ν log(2πσ̂²) + log|V| + ν (+ log|XᵀV⁻¹X| for REML),
 * ν = n (ML) or n − p (REML), σ̂² = r'V⁻¹r / ν. Loses accuracy when V is badly conditioned (large
 * θ); `denseObjective` does not.
 */
export function denseObjectiveMarginal(problem: LmmProblem, theta: ArrayLike<number>, reml: boolean): number {
  const n = problem.y.length;
  const p = problem.xnames.length;
  const { Z, Lam, q } = denseZLambdaOf(problem, theta);
  const ZL = matmul(Z, Lam, n, q, q);
  const V = new Float64Array(n * n);
  for (let j = 0; j < n; j++)
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let c = 0; c < q; c++) s += ZL[c * n + i] * ZL[c * n + j];
      V[j * n + i] = s + (i === j ? 1 / (problem.weights ? problem.weights[i] : 1) : 0);
    }
  const C = cholesky(V, n);
  let logdetV = 0;
  for (let i = 0; i < n; i++) logdetV += 2 * Math.log(C[i * n + i]);
  // whiten X and y − offset: C⁻¹X, C⁻¹y
  const Xw = new Float64Array(n * p);
  for (let j = 0; j < p; j++) Xw.set(forwardSolve(C, n, problem.X.subarray(j * n, (j + 1) * n)), j * n);
  const y0 = Float64Array.from(problem.y, (v, t) => v - (problem.offset ? problem.offset[t] : 0));
  const yw = forwardSolve(C, n, y0);
  const { rdiag, rss } = qrResidual(Xw, n, p, yw);
  let logdetXtX = 0;
  for (let j = 0; j < p; j++) logdetXtX += 2 * Math.log(rdiag[j]);
  const nu = reml ? n - p : n;
  return nu * Math.log((2 * Math.PI * rss) / nu) + logdetV + nu + (reml ? logdetXtX : 0);
}

/**
 * The same criterion from the penalised least-squares problem, solved by Householder QR of the
 * dense augmented matrix [√W·ZΛ, √W·X | √W·y; I, 0 | 0] ((n + q) × (q + p + 1)): with R its
 * triangular factor, log|ΛᵀZᵀWZΛ + I| = Σ_{j<q} log R_jj², log|XᵀV⁻¹X| = Σ_{q≤j<q+p} log R_jj²,
 * the penalised RSS r² is the squared norm of what is left of the response column, and
 * −2ℓ = ν log(2π r²/ν) + log|ΛᵀZᵀWZΛ + I| − Σ log wᵢ + ν (+ log|XᵀV⁻¹X| for REML).
 * QR never forms ΛᵀZᵀWZΛ, so this stays accurate for large θ and badly scaled columns.
 */
export function denseObjective(problem: LmmProblem, theta: ArrayLike<number>, reml: boolean): number {
  const n = problem.y.length;
  const p = problem.xnames.length;
  const { Z, Lam, q } = denseZLambdaOf(problem, theta);
  const ZL = matmul(Z, Lam, n, q, q);
  const rows = n + q;
  const cols = q + p;
  const A = new Float64Array(rows * cols);
  const b = new Float64Array(rows);
  let sumLogW = 0;
  for (let i = 0; i < n; i++) {
    const w = problem.weights ? problem.weights[i] : 1;
    sumLogW += Math.log(w);
    const sw = Math.sqrt(w);
    for (let c = 0; c < q; c++) A[c * rows + i] = sw * ZL[c * n + i];
    for (let c = 0; c < p; c++) A[(q + c) * rows + i] = sw * problem.X[c * n + i];
    b[i] = sw * (problem.y[i] - (problem.offset ? problem.offset[i] : 0));
  }
  for (let c = 0; c < q; c++) A[c * rows + n + c] = 1;
  const { rdiag, logRss } = qrResidual(A, rows, cols, b);
  let logdetL = 0;
  for (let j = 0; j < q; j++) logdetL += 2 * Math.log(rdiag[j]);
  let logdetX = 0;
  for (let j = q; j < cols; j++) logdetX += 2 * Math.log(rdiag[j]);
  const nu = reml ? n - p : n;
  return nu * (Math.log((2 * Math.PI) / nu) + logRss) + logdetL - sumLogW + nu + (reml ? logdetX : 0);
}

/**
 * Weighted residual sum of squares of the least-squares fit of y − offset on X; columns aliased
 * once the weights are applied (zero weights) are skipped (relative tolerance 1e-9).
 */
export function denseRss(
  X: ArrayLike<number>,
  n: number,
  p: number,
  y: ArrayLike<number>,
  weights?: ArrayLike<number>,
  offset?: ArrayLike<number>,
): number {
  const sw = (i: number) => (weights ? Math.sqrt(weights[i]) : 1);
  const Xw = Float64Array.from({ length: n * p }, (_, k) => X[k] * sw(k % n));
  const yw = Float64Array.from({ length: n }, (_, i) => (y[i] - (offset ? offset[i] : 0)) * sw(i));
  return qrResidual(Xw, n, p, yw, 1e-9).rss;
}

/**
 * Largest decrease of the dense criterion found by moving each θ coordinate by ±rel·s_i (staying in
 * bounds): ≤ a small tolerance at a true local minimum. s_i is |θ_i|, or for θ_i = 0 one over the
 * root mean square of the term's random-effect columns: θ's natural scale is σ_b/σ over the scale of
 * those columns, which may be far from 1 (a random slope on x ~ 1e100 has θ ~ 1e-100), so an
 * absolute step would leave the neighbourhood the check is about.
 */
export function bestImprovement(
  prob: LmmProblem,
  theta: readonly number[],
  lower: readonly number[],
  reml: boolean,
  rel = 1e-3,
): number {
  const f0 = denseObjective(prob, theta, reml);
  const zeroStep: number[] = [];
  for (const t of prob.reterms) {
    let ss = 0;
    for (const v of t.z) ss += v * v;
    const k = t.cnames.length;
    const rms = Math.sqrt(ss / Math.max(1, t.z.length));
    for (let j = 0; j < (k * (k + 1)) / 2; j++) zeroStep.push(rms > 0 ? 1 / rms : 1);
  }
  let best = 0;
  for (let i = 0; i < theta.length; i++)
    for (const sgn of [-1, 1]) {
      const tr = [...theta];
      tr[i] += sgn * rel * (theta[i] !== 0 ? Math.abs(theta[i]) : zeroStep[i]);
      if (tr[i] < lower[i]) continue;
      const f = denseObjective(prob, tr, reml);
      if (f0 - f > best) best = f0 - f;
    }
  return best;
}
