/**
 * Approximate solution of BOBYQA's trust-region subproblem (Powell 2009, §3 "TRSBOX"):
 *
 *     minimise  gᵀd + ½ dᵀHd   subject to  ‖d‖ ≤ Δ  and  sl ≤ xo + d ≤ su,
 *
 * by truncated conjugate gradients with an active set. Coordinates already on a bound with the
 * gradient pointing out of the box are fixed at the start; when a CG step reaches a bound that
 * coordinate is fixed there and CG restarts (steepest descent on the remaining free coordinates).
 * The iteration stops on the trust-region boundary, after a step whose reduction is below 1% of
 * the total reduction so far, when the free gradient vanishes, or after an iteration cap.
 * (Powell's further iterations around the sphere after reaching the boundary are not done.)
 *
 * Returns "crvmin": the least curvature sᵀHs/sᵀs seen along the CG directions when the step ended
 * inside the trust region, and 0 when it ended on the trust-region boundary or no CG step was taken.
 */
export interface TrsboxWork {
  gd: Float64Array;
  s: Float64Array;
  hs: Float64Array;
  free: Uint8Array;
}

export function makeTrsboxWork(n: number): TrsboxWork {
  return {
    gd: new Float64Array(n),
    s: new Float64Array(n),
    hs: new Float64Array(n),
    free: new Uint8Array(n),
  };
}

export function trsbox(
  n: number,
  xo: Float64Array,
  g: Float64Array,
  hm: Float64Array,
  sl: Float64Array,
  su: Float64Array,
  delta: number,
  d: Float64Array,
  w: TrsboxWork,
): number {
  const { gd, s, hs, free } = w;
  d.fill(0);
  for (let i = 0; i < n; i++) {
    gd[i] = g[i];
    free[i] = (xo[i] <= sl[i] && g[i] >= 0) || (xo[i] >= su[i] && g[i] <= 0) ? 0 : 1;
  }
  const delsq = delta * delta;
  let crvmin = Infinity;
  let boundary = false;
  let qred = 0;
  let gg = 0;
  let restart = true;
  const maxIter = 2 * n + 2;
  for (let iter = 0; iter < maxIter; iter++) {
    if (restart) {
      gg = 0;
      for (let i = 0; i < n; i++) {
        s[i] = free[i] ? -gd[i] : 0;
        gg += s[i] * s[i];
      }
      restart = false;
    }
    if (!(gg > 1e-300)) break;
    let shs = 0;
    let gs = 0;
    let ss = 0;
    let ds = 0;
    let dd = 0;
    for (let i = 0; i < n; i++) {
      let t = 0;
      for (let j = 0; j < n; j++) t += hm[i * n + j] * s[j];
      hs[i] = t;
      shs += s[i] * t;
      gs += gd[i] * s[i];
      ss += s[i] * s[i];
      ds += d[i] * s[i];
      dd += d[i] * d[i];
    }
    if (gs >= 0 || ss === 0) break;
    const rem = delsq - dd;
    if (rem <= 0) {
      boundary = true;
      break;
    }
    const ab = rem / (ds + Math.sqrt(ds * ds + ss * rem));
    let ac = Infinity;
    let ic = -1;
    for (let i = 0; i < n; i++) {
      if (!free[i] || s[i] === 0) continue;
      const lim = s[i] > 0 ? (su[i] - xo[i] - d[i]) / s[i] : (sl[i] - xo[i] - d[i]) / s[i];
      if (lim < ac) {
        ac = Math.max(0, lim);
        ic = i;
      }
    }
    const aq = shs > 0 ? -gs / shs : Infinity;
    if (shs > 0) crvmin = Math.min(crvmin, shs / ss);
    const a = Math.min(aq, ab, ac);
    const red = -a * gs - 0.5 * a * a * shs;
    qred += red;
    for (let i = 0; i < n; i++) {
      d[i] += a * s[i];
      gd[i] += a * hs[i];
    }
    if (ic >= 0 && a === ac) {
      free[ic] = 0;
      d[ic] = s[ic] > 0 ? su[ic] - xo[ic] : sl[ic] - xo[ic];
      restart = true;
      continue;
    }
    if (a === ab) {
      boundary = true;
      break;
    }
    if (red <= 0.01 * qred) break;
    let ggNew = 0;
    for (let i = 0; i < n; i++) if (free[i]) ggNew += gd[i] * gd[i];
    const beta = ggNew / gg;
    for (let i = 0; i < n; i++) s[i] = free[i] ? -gd[i] + beta * s[i] : 0;
    gg = ggNew;
  }
  // guard against rounding: keep xo + d inside the box
  for (let i = 0; i < n; i++) {
    const lo = sl[i] - xo[i];
    const hi = su[i] - xo[i];
    if (d[i] < lo) d[i] = lo;
    else if (d[i] > hi) d[i] = hi;
  }
  return boundary || crvmin === Infinity ? 0 : crvmin;
}
