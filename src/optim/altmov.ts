/**
 * BOBYQA's alternative ("geometry") step (Powell 2009, §3 "ALTMOV"): when point `knew` is to be
 * replaced to improve the interpolation set, choose d with ‖d‖ ≤ Δa and x̂opt + d inside the box
 * so that the denominator σ of the KKT update is large, which keeps the Lagrange functions
 * bounded. Following the report, two kinds of candidates are compared:
 *  (a) steps along each line from x̂opt through another interpolation point y_k: on that line the
 *      Lagrange function ℓ = ℓ_knew is the quadratic a·s + (δ_k,knew − a)·s² (because ℓ(x̂opt) = 0
 *      and ℓ(y_k) = δ_k,knew), so the s of largest |ℓ| in the allowed interval is found exactly;
 *  (b) a projected-gradient ("Cauchy") step along ±∇ℓ(x̂opt), coordinates blocked by a bound
 *      removed, with the step length of largest |ℓ|.
 * The best line candidate and the two Cauchy candidates are then ranked by the actual σ.
 */
import type { BobyqaState } from "./bobyqa-state.ts";

export interface AltmovWork {
  gl: Float64Array;
  p: Float64Array;
  cand: Float64Array;
  /** [lo, hi] written by `interval`. */
  span: Float64Array;
}

export function makeAltmovWork(n: number): AltmovWork {
  return {
    gl: new Float64Array(n),
    p: new Float64Array(n),
    cand: new Float64Array(n),
    span: new Float64Array(2),
  };
}

/**
 * Interval [lo, hi] of s with ‖s·u‖ ≤ radius and sl ≤ xo + s·u ≤ su (always contains 0), written
 * to `span`.
 */
function interval(
  n: number,
  xo: Float64Array,
  u: Float64Array,
  st: BobyqaState,
  radius: number,
  span: Float64Array,
): void {
  let uu = 0;
  for (let i = 0; i < n; i++) uu += u[i] * u[i];
  if (!(uu > 0)) {
    span[0] = 0;
    span[1] = 0;
    return;
  }
  const r = radius / Math.sqrt(uu);
  let lo = -r;
  let hi = r;
  for (let i = 0; i < n; i++) {
    if (u[i] === 0) continue;
    const a = (st.sl[i] - xo[i]) / u[i];
    const b = (st.su[i] - xo[i]) / u[i];
    if (u[i] > 0) {
      lo = Math.max(lo, a);
      hi = Math.min(hi, b);
    } else {
      lo = Math.max(lo, b);
      hi = Math.min(hi, a);
    }
  }
  span[0] = Math.min(0, lo);
  span[1] = Math.max(0, hi);
}

/** |a·s + b·s²| (a top-level function: no closure is created per call). */
function lineValue(a: number, b: number, s: number): number {
  return Math.abs(a * s + b * s * s);
}

/** s in [lo, hi] maximising |a·s + b·s²|. */
function bestOnLine(a: number, b: number, lo: number, hi: number): number {
  let best = lineValue(a, b, hi) >= lineValue(a, b, lo) ? hi : lo;
  if (b !== 0) {
    const s = -a / (2 * b);
    if (s > lo && s < hi && lineValue(a, b, s) > lineValue(a, b, best)) best = s;
  }
  return best;
}

/** Fill `d` with the geometry step for replacing point `knew`, within radius `adelt`. */
export function altmov(st: BobyqaState, knew: number, adelt: number, d: Float64Array, w: AltmovWork): void {
  const { n, m, N, xpt, h } = st;
  const { gl, p, cand } = w;
  const xo = st.xopt();
  // gradient of ℓ_knew at x̂opt: g + Σ_j λ_j (y_jᵀ x̂opt) y_j
  for (let i = 0; i < n; i++) gl[i] = h[(m + 1 + i) * N + knew];
  for (let j = 0; j < m; j++) {
    let yx = 0;
    for (let i = 0; i < n; i++) yx += xpt[j * n + i] * xo[i];
    const c = h[j * N + knew] * yx;
    for (let i = 0; i < n; i++) gl[i] += c * xpt[j * n + i];
  }

  // (a) lines through the other interpolation points
  let bestK = -1;
  let bestS = 0;
  let bestVal = -1;
  for (let k = 0; k < m; k++) {
    if (k === st.kopt) continue;
    let a = 0;
    for (let i = 0; i < n; i++) {
      p[i] = xpt[k * n + i] - xo[i];
      a += gl[i] * p[i];
    }
    const b = (k === knew ? 1 : 0) - a;
    interval(n, xo, p, st, adelt, w.span);
    const s = bestOnLine(a, b, w.span[0], w.span[1]);
    const v = Math.abs(a * s + b * s * s);
    if (v > bestVal) {
      bestVal = v;
      bestK = k;
      bestS = s;
    }
  }
  let bestSigma = -Infinity;
  if (bestK >= 0) {
    for (let i = 0; i < n; i++) d[i] = bestS * (xpt[bestK * n + i] - xo[i]);
    const beta = st.prepare(d);
    bestSigma = Math.abs(st.sigma(knew, beta));
  }

  // (b) Cauchy steps along ±∇ℓ with blocked coordinates removed
  for (let sign = 1; sign >= -1; sign -= 2) {
    let any = false;
    for (let i = 0; i < n; i++) {
      const v = sign * gl[i];
      const blocked = (xo[i] <= st.sl[i] && v < 0) || (xo[i] >= st.su[i] && v > 0);
      p[i] = blocked ? 0 : v;
      if (p[i] !== 0) any = true;
    }
    if (!any) continue;
    let a = 0;
    let b = 0;
    for (let i = 0; i < n; i++) a += gl[i] * p[i];
    for (let j = 0; j < m; j++) {
      let yp = 0;
      for (let i = 0; i < n; i++) yp += xpt[j * n + i] * p[i];
      b += 0.5 * h[j * N + knew] * yp * yp;
    }
    interval(n, xo, p, st, adelt, w.span);
    const s = bestOnLine(a, b, 0, w.span[1]);
    if (s === 0) continue;
    for (let i = 0; i < n; i++) cand[i] = s * p[i];
    const beta = st.prepare(cand);
    const sg = Math.abs(st.sigma(knew, beta));
    if (sg > bestSigma) {
      bestSigma = sg;
      d.set(cand);
    }
  }
  for (let i = 0; i < n; i++) d[i] = Math.min(st.su[i] - xo[i], Math.max(st.sl[i] - xo[i], d[i]));
}
