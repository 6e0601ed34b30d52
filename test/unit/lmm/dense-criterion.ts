/**
 * Test-only: the profiled ML deviance / REML criterion of an LmmProblem at θ (input order, the
 * user's parametrisation), computed densely from V₀ = Z Λ Λᵀ Zᵀ + W⁻¹ with no shared engine code,
 * and a check that a fitted θ is a local minimum of it.
 */
import type { LmmProblem } from "../../../src/lmm/lmm-problem.ts";

function chol(A: Float64Array, n: number): Float64Array | null {
  const L = Float64Array.from(A);
  for (let j = 0; j < n; j++) {
    let d = L[j * n + j];
    for (let t = 0; t < j; t++) d -= L[t * n + j] ** 2;
    if (!(d > 0)) return null;
    const r = Math.sqrt(d);
    L[j * n + j] = r;
    for (let i = j + 1; i < n; i++) {
      let s = L[j * n + i];
      for (let t = 0; t < j; t++) s -= L[t * n + i] * L[t * n + j];
      L[j * n + i] = s / r;
    }
  }
  return L;
}

/** L⁻¹ b (L lower, column-major). */
function solveLower(L: Float64Array, n: number, b: ArrayLike<number>): Float64Array {
  const x = Float64Array.from(b);
  for (let j = 0; j < n; j++) {
    x[j] /= L[j * n + j];
    for (let i = j + 1; i < n; i++) x[i] -= L[j * n + i] * x[j];
  }
  return x;
}

/** Dense criterion at θ; NaN when V₀ or XᵀV₀⁻¹X is not numerically positive definite. */
export function denseCriterion(prob: LmmProblem, theta: readonly number[], reml: boolean): number {
  const n = prob.y.length;
  const p = prob.xnames.length;
  // ZΛ columns, term by term (θ: lower triangle of λ, column-major)
  const cols: Float64Array[] = [];
  let o = 0;
  for (const rt of prob.reterms) {
    const S = rt.cnames.length;
    const lam = new Float64Array(S * S);
    for (let c = 0; c < S; c++) for (let r = c; r < S; r++) lam[c * S + r] = theta[o++];
    for (let l = 0; l < rt.levels.length; l++)
      for (let c = 0; c < S; c++) {
        const col = new Float64Array(n);
        for (let t = 0; t < n; t++) {
          if (rt.refs[t] !== l) continue;
          let s = 0;
          for (let r = c; r < S; r++) s += rt.z[t * S + r] * lam[c * S + r];
          col[t] = s;
        }
        cols.push(col);
      }
  }
  const V = new Float64Array(n * n);
  for (const col of cols)
    for (let j = 0; j < n; j++) {
      if (col[j] === 0) continue;
      for (let i = 0; i < n; i++) V[j * n + i] += col[i] * col[j];
    }
  for (let t = 0; t < n; t++) V[t * n + t] += 1 / (prob.weights ? prob.weights[t] : 1);
  const C = chol(V, n);
  if (!C) return Number.NaN;
  let logdetV = 0;
  for (let t = 0; t < n; t++) logdetV += 2 * Math.log(C[t * n + t]);
  const Xw: Float64Array[] = [];
  for (let j = 0; j < p; j++) Xw.push(solveLower(C, n, prob.X.subarray(j * n, (j + 1) * n)));
  const yw = solveLower(
    C,
    n,
    Float64Array.from(prob.y, (v, t) => v - (prob.offset ? prob.offset[t] : 0)),
  );
  // least squares of yw on Xw by modified Gram–Schmidt (R factor kept for log|XᵀV⁻¹X|)
  const Q = Xw.map((c) => Float64Array.from(c));
  const r = Float64Array.from(yw);
  let logdetR = 0;
  for (let j = 0; j < p; j++) {
    let nn = 0;
    for (let t = 0; t < n; t++) nn += Q[j][t] ** 2;
    const norm = Math.sqrt(nn);
    if (!(norm > 0)) return Number.NaN;
    logdetR += 2 * Math.log(norm);
    for (let t = 0; t < n; t++) Q[j][t] /= norm;
    for (const v of [...Q.slice(j + 1), r]) {
      let d = 0;
      for (let t = 0; t < n; t++) d += Q[j][t] * v[t];
      for (let t = 0; t < n; t++) v[t] -= d * Q[j][t];
    }
  }
  let rss = 0;
  for (let t = 0; t < n; t++) rss += r[t] ** 2;
  const nu = reml ? n - p : n;
  const base = logdetV + nu * (1 + Math.log((2 * Math.PI * rss) / nu));
  return reml ? base + logdetR : base;
}

/**
 * Largest decrease of the dense criterion found by moving each θ coordinate by ±rel·max(|θ_i|, 1e-3)
 * (staying in bounds): ≤ a small tolerance at a true local minimum.
 */
export function bestImprovement(
  prob: LmmProblem,
  theta: readonly number[],
  lower: readonly number[],
  reml: boolean,
  rel = 1e-3,
): number {
  const f0 = denseCriterion(prob, theta, reml);
  let best = 0;
  for (let i = 0; i < theta.length; i++)
    for (const sgn of [-1, 1]) {
      const tr = [...theta];
      tr[i] += sgn * rel * Math.max(Math.abs(theta[i]), 1e-3);
      if (tr[i] < lower[i]) continue;
      const f = denseCriterion(prob, tr, reml);
      if (f0 - f > best) best = f0 - f;
    }
  return best;
}
