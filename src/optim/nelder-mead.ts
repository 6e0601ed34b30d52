/**
 * Bound-constrained Nelder–Mead simplex minimiser.
 *
 * Algorithm: the simplex method of Nelder & Mead (1965) with the standard coefficients
 * (reflection 1, expansion 2, contraction 1/2, shrink 1/2) as stated by Lagarias, Reeds, Wright &
 * Wright (1998), "Convergence properties of the Nelder–Mead simplex method in low dimensions".
 * Bounds are handled by projecting every trial point onto the box, so every evaluated point is
 * feasible. The initial simplex is x0 plus x0 + h_i·e_i (or x0 − h_i·e_i when the upper bound is
 * too close).
 *
 * Stopping (defaults in parentheses): the simplex has converged when the spread of its f values
 * satisfies fmax − fmin ≤ max(ftolAbs (1e-10), ftolRel (1e-12)·|fmin|), or when every vertex lies
 * within xtolAbs (1e-8, max-norm) of the best one. Because Nelder–Mead can converge to a non-stationary
 * point (and projection can flatten the simplex onto a face), convergence is then checked by probing
 * x_best ± δ_i·e_i (δ_i = max(1e-3·h_i, 10·xtolAbs)); if a probe is lower the method restarts
 * from that probe with a fresh simplex of the original size (at most 10 restarts).
 * Evaluation budget: `maxfun` (default 2000·n + 2000).
 */
import { Evaluator, positiveOption, setupProblem, tolOption } from "./evaluator.ts";
import type { Objective, OptimOptions, OptimResult } from "./types.ts";

const MAX_RESTARTS = 10;

function initialSteps(n: number, x0: Float64Array, step: OptimOptions["step"]): Float64Array {
  const h = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const s =
      step === undefined ? 0.1 * Math.max(1, Math.abs(x0[i])) : typeof step === "number" ? step : step[i];
    h[i] = positiveOption(s, 1, `step[${i}]`);
  }
  return h;
}

export function nelderMead(f: Objective, x0: ArrayLike<number>, opts: OptimOptions = {}): OptimResult {
  const { n, lower, upper, x0: start } = setupProblem(x0, opts);
  const maxfun = positiveOption(opts.maxfun, 2000 * n + 2000, "maxfun");
  const ftolAbs = tolOption(opts.ftolAbs, 1e-10, "ftolAbs");
  const ftolRel = tolOption(opts.ftolRel, 1e-12, "ftolRel");
  const xtolAbs = tolOption(opts.xtolAbs, 1e-8, "xtolAbs");
  const h = initialSteps(n, start, opts.step);
  const ev = new Evaluator(f, n, maxfun, opts.trace === true);

  const m = n + 1;
  const simp = new Float64Array(m * n); // vertex j occupies simp[j*n .. j*n+n)
  const fv = new Float64Array(m);
  const cen = new Float64Array(n);
  const xr = new Float64Array(n);
  const xe = new Float64Array(n);
  const xc = new Float64Array(n);
  const base = Float64Array.from(start);

  const project = (x: Float64Array): void => {
    for (let i = 0; i < n; i++) x[i] = Math.min(upper[i], Math.max(lower[i], x[i]));
  };
  // x = cen + t·(cen − worst), projected
  const along = (x: Float64Array, w: number, t: number): void => {
    const o = w * n;
    for (let i = 0; i < n; i++) x[i] = cen[i] + t * (cen[i] - simp[o + i]);
    project(x);
  };
  const put = (j: number, x: Float64Array, fx: number): void => {
    simp.set(x, j * n);
    fv[j] = fx;
  };

  // Fresh simplex around `base`. Returns false if the budget ran out.
  const buildSimplex = (fbase: number): boolean => {
    simp.set(base, 0);
    fv[0] = fbase;
    for (let j = 1; j < m; j++) {
      const i = j - 1;
      const o = j * n;
      simp.set(base, o);
      let v = base[i] + h[i];
      if (v > upper[i]) {
        v = base[i] - h[i];
        if (v < lower[i]) v = upper[i] - base[i] >= base[i] - lower[i] ? upper[i] : lower[i];
      }
      simp[o + i] = v;
      if (ev.exhausted) return false;
      fv[j] = ev.eval(simp.subarray(o, o + n));
    }
    return true;
  };

  let fbase = ev.eval(base);
  let status: "ftol" | "xtol" | "maxfun" = "maxfun";
  let restarts = 0;
  outer: for (;;) {
    status = "maxfun";
    if (!buildSimplex(fbase)) break;
    for (;;) {
      // order: best (lo), worst (hi), second worst (nh)
      let lo = 0;
      let hi = 0;
      for (let j = 1; j < m; j++) {
        if (fv[j] < fv[lo]) lo = j;
        if (fv[j] > fv[hi]) hi = j;
      }
      if (hi === lo) hi = lo === 0 ? 1 : 0;
      let nh = lo;
      for (let j = 0; j < m; j++) if (j !== hi && fv[j] > fv[nh]) nh = j;

      // convergence tests
      const flo = fv[lo];
      let conv: "ftol" | "xtol" | null = null;
      if (fv[hi] - flo <= Math.max(ftolAbs, ftolRel * Math.abs(flo))) conv = "ftol";
      else {
        let dmax = 0;
        const ob = lo * n;
        for (let j = 0; j < m; j++) {
          const o = j * n;
          for (let i = 0; i < n; i++) dmax = Math.max(dmax, Math.abs(simp[o + i] - simp[ob + i]));
        }
        if (dmax <= xtolAbs) conv = "xtol";
      }
      if (conv !== null) {
        status = conv;
        base.set(simp.subarray(lo * n, lo * n + n));
        fbase = flo;
        break;
      }
      if (ev.exhausted) break outer;

      // centroid of all vertices but the worst
      cen.fill(0);
      for (let j = 0; j < m; j++) {
        if (j === hi) continue;
        const o = j * n;
        for (let i = 0; i < n; i++) cen[i] += simp[o + i];
      }
      for (let i = 0; i < n; i++) cen[i] /= n;

      along(xr, hi, 1);
      const fr = ev.eval(xr);
      if (fr < flo) {
        if (ev.exhausted) {
          put(hi, xr, fr);
          break outer;
        }
        along(xe, hi, 2);
        const fe = ev.eval(xe);
        if (fe < fr) put(hi, xe, fe);
        else put(hi, xr, fr);
      } else if (fr < fv[nh]) {
        put(hi, xr, fr);
      } else {
        if (ev.exhausted) break outer;
        const outside = fr < fv[hi];
        along(xc, hi, outside ? 0.5 : -0.5);
        const fc = ev.eval(xc);
        if (outside ? fc <= fr : fc < fv[hi]) {
          put(hi, xc, fc);
        } else {
          // shrink towards the best vertex
          const ob = lo * n;
          for (let j = 0; j < m; j++) {
            if (j === lo) continue;
            if (ev.exhausted) break outer;
            const o = j * n;
            for (let i = 0; i < n; i++) simp[o + i] = simp[ob + i] + 0.5 * (simp[o + i] - simp[ob + i]);
            fv[j] = ev.eval(simp.subarray(o, o + n));
          }
        }
      }
    }

    // probe around the converged point; restart from a lower probe if there is one
    let improved = false;
    for (let i = 0; i < n && !improved; i++) {
      const d = Math.max(1e-3 * h[i], 10 * xtolAbs);
      for (const s of [d, -d]) {
        const v = base[i] + s;
        if (v < lower[i] || v > upper[i]) continue;
        if (ev.exhausted) {
          status = "maxfun";
          break outer;
        }
        const old = base[i];
        base[i] = v;
        const fp = ev.eval(base);
        if (fp < fbase) {
          fbase = fp;
          improved = true;
          break;
        }
        base[i] = old;
      }
    }
    if (!improved || restarts >= MAX_RESTARTS) break;
    restarts++;
  }
  const msg =
    status === "maxfun"
      ? `stopped after ${ev.feval} evaluations (maxfun = ${maxfun})`
      : `converged (${status === "ftol" ? "simplex f spread" : "simplex size"} below tolerance)` +
        (restarts > 0 ? ` after ${restarts} restart(s)` : "");
  return ev.result("nelder-mead", status, msg);
}
