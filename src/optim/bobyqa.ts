/**
 * BOBYQA: derivative-free minimisation subject to simple bounds, written from the mathematics of
 * M.J.D. Powell, "The BOBYQA algorithm for bound constrained optimization without derivatives",
 * DAMTP 2009/NA06 (and the NEWUOA paper it extends). Structure:
 *
 * 1. Initial set (`BobyqaState.rebuild`): x0 and, per coordinate, x0 ± rhobeg·e_i (one-sided
 *    steps near a bound), NPT = 2n+1 points by default; the initial quadratic model is the least
 *    Frobenius-norm interpolant (diagonal second derivatives for the 2n+1 set).
 * 2. Trust-region step (`trsbox.ts`): truncated CG on the model within ‖d‖ ≤ Δ and the box.
 *    - ‖d‖ < ½ρ: no evaluation; Δ ← Δ/10 (to ρ when within 1.5ρ); ρ is reduced at once when the last
 *      three model errors |f − Q| are all ≤ ρ²·crvmin/8, otherwise the geometry test below decides.
 *    - otherwise f is evaluated at x̂opt + d, ratio = (f − fopt)/(Q(x̂opt + d) − Q(x̂opt)) updates Δ
 *      (≤ 0.1: min(Δ/2, ‖d‖); ≤ 0.7: max(Δ/2, ‖d‖); else max(Δ/2, 2‖d‖); Δ ← ρ if Δ ≤ 1.5ρ), and the
 *      new point replaces the point t maximising |σ_t|·max(1, ‖y_t − x̂opt‖²/max(Δ/10, ρ)²)² (never the
 *      best point unless the new one is better). H and the model are updated (`bobyqa-state.ts`).
 * 3. Geometry step (`altmov.ts`) when ratio < 0.1: if some point is farther than 2Δ from x̂opt, the
 *    farthest one is replaced by x̂opt + d with d chosen to make the update denominator large,
 *    ‖d‖ ≤ max(min(dist/10, Δ), ρ).
 * 4. Otherwise, when ratio ≤ 0 and max(Δ, ‖d‖) ≤ ρ, ρ is reduced: ρ ← ρend if ρ/ρend ≤ 16,
 *    √(ρ·ρend) if ≤ 250, else ρ/10; Δ ← max(ρ_old/2, ρ_new). The run stops when ρ = ρend would be
 *    reduced (status "xtol").
 * RESCUE is simplified (documented deviation): whenever the update denominator σ of a replacement
 * is not safely positive even after recomputing H directly, the interpolation set is rebuilt around
 * the best point with radius ρ (2n or NPT−1 new evaluations), and the old model plus the least
 * Frobenius-norm interpolant of its residuals becomes the new model.
 *
 * Defaults: NPT = 2n+1; rhobeg = 0.2·max(1, max|x0_i|), capped at half the smallest finite box width;
 * rhoend = 1e-6·rhobeg; maxfun = 100000 (lme4's maxeval); ftolRel = 1e-12, ftolAbs = 0: the run also
 * stops (status "ftol") when a trust-region step lowers f by at most max(ftolAbs, ftolRel·|f|).
 * `step` and `xtolAbs` are not used. Coordinates with lower = upper are held fixed (the problem is
 * reduced). Points are always inside the box; a coordinate on a bound is evaluated exactly at it.
 * Non-finite objective values: the point is kept in the interpolation set with a value just above
 * the current set's largest (see `BobyqaState.evalPenalised`), so the model stays finite and the
 * method moves away from the region; if every initial point is non-finite the run stops ("nonfinite").
 */
import { OptionError } from "../errors.ts";
import { altmov, makeAltmovWork } from "./altmov.ts";
import { BobyqaState } from "./bobyqa-state.ts";
import { Evaluator, positiveOption, setupProblem, tolOption } from "./evaluator.ts";
import { makeTrsboxWork, trsbox } from "./trsbox.ts";
import type { Objective, OptimOptions, OptimResult, OptimStatus } from "./types.ts";

export function bobyqa(f: Objective, x0: ArrayLike<number>, opts: OptimOptions = {}): OptimResult {
  const { n, lower, upper, x0: start } = setupProblem(x0, opts);
  const freeIdx: number[] = [];
  for (let i = 0; i < n; i++) if (lower[i] < upper[i]) freeIdx.push(i);
  if (freeIdx.length === n) return bobyqaCore(f, start, lower, upper, opts);

  // Fixed coordinates: optimise over the free ones only.
  const full = Float64Array.from(start);
  const k = freeIdx.length;
  const wrapped: Objective = (z) => {
    for (let j = 0; j < k; j++) full[freeIdx[j]] = z[j];
    return f(full);
  };
  const sub = (a: Float64Array) => Float64Array.from(freeIdx, (i) => a[i]);
  const expand = (z: Float64Array) => {
    const x = Float64Array.from(start);
    for (let j = 0; j < k; j++) x[freeIdx[j]] = z[j];
    return x;
  };
  if (k === 0) {
    const ev = new Evaluator(f, n, 1, opts.trace === true);
    ev.eval(full);
    return ev.result("bobyqa", "xtol", "every coordinate is fixed by its bounds");
  }
  const res = bobyqaCore(wrapped, sub(start), sub(lower), sub(upper), { ...opts, npt: undefined });
  res.x = expand(res.x);
  if (res.trace) res.trace = res.trace.map((e) => ({ x: expand(e.x), f: e.f }));
  return res;
}

function bobyqaCore(
  f: Objective,
  start: Float64Array,
  lower: Float64Array,
  upper: Float64Array,
  opts: OptimOptions,
): OptimResult {
  const n = start.length;
  const m = opts.npt ?? 2 * n + 1;
  if (!Number.isInteger(m) || m < n + 2 || m > 2 * n + 1) {
    throw new OptionError(`npt = ${opts.npt} is outside [n + 2, 2n + 1] = [${n + 2}, ${2 * n + 1}]`);
  }
  let xmax = 1;
  let minWidth = Infinity;
  for (let i = 0; i < n; i++) {
    xmax = Math.max(xmax, Math.abs(start[i]));
    minWidth = Math.min(minWidth, upper[i] - lower[i]);
  }
  const rhobeg = Math.min(positiveOption(opts.rhobeg, 0.2 * xmax, "rhobeg"), 0.5 * minWidth);
  const rhoend = Math.min(positiveOption(opts.rhoend, 1e-6 * rhobeg, "rhoend"), rhobeg);
  const maxfun = positiveOption(opts.maxfun, 100000, "maxfun");
  const ftolAbs = tolOption(opts.ftolAbs, 0, "ftolAbs");
  const ftolRel = tolOption(opts.ftolRel, 1e-12, "ftolRel");

  const ev = new Evaluator(f, n, maxfun, opts.trace === true);
  const st = new BobyqaState(ev, lower, upper, start, m);
  const d = new Float64Array(n);
  const gopt = new Float64Array(n);
  const tw = makeTrsboxWork(n);
  const aw = makeAltmovWork(n);
  const errs = [Infinity, Infinity, Infinity];
  const done = (status: OptimStatus, message: string) => ev.result("bobyqa", status, message);

  const f0 = st.evalAt(d);
  const init = st.rebuild(rhobeg, true, f0);
  if (init === "maxfun") return done("maxfun", `stopped after ${ev.feval} evaluations (maxfun = ${maxfun})`);
  if (init === "singular") return done("roundoff", "the initial interpolation system is singular");
  if (init === "nonfinite") return done("nonfinite", "the objective was non-finite at every initial point");

  let rho = rhobeg;
  let delta = rho;
  let rescues = 0;

  /** Rebuild the set around the best point; false when the budget ran out or it failed. */
  const rescue = (): boolean => {
    rescues++;
    errs.fill(Infinity);
    return st.rebuild(rho, false, st.fopt) === "ok";
  };

  /** Is σ_t usable for the update? (σ = αβ + τ² ≥ τ² in exact arithmetic.) */
  const sigmaOk = (t: number, beta: number): boolean => {
    const s = st.sigma(t, beta);
    const tau = st.hw[t];
    return s > 1e-10 && s >= 0.5 * tau * tau;
  };

  /** Choose the point to replace by x̂opt + d (after `prepare`), or −1 if no usable one. */
  const choose = (beta: number, allowOpt: boolean): number => {
    const xo = st.xopt();
    const d0 = Math.max(0.1 * delta, rho);
    const delsq = d0 * d0;
    let best = -1;
    let bestScore = -1;
    for (let k = 0; k < m; k++) {
      if (k === st.kopt && !allowOpt) continue;
      let dist = 0;
      for (let i = 0; i < n; i++) dist += (st.xpt[k * n + i] - xo[i]) ** 2;
      const wgt = Math.max(1, dist / delsq) ** 2;
      const score = wgt * Math.abs(st.sigma(k, beta));
      if (score > bestScore) {
        bestScore = score;
        best = k;
      }
    }
    return best;
  };

  /** Replace point t (or the best choice when t < 0) by x̂opt + d with value fnew. */
  const accept = (t: number, fnew: number, vquad: number, allowOpt: boolean): boolean => {
    const fold = st.fopt;
    let beta = st.prepare(d);
    let k = t >= 0 ? t : choose(beta, allowOpt);
    if (k < 0 || !sigmaOk(k, beta)) {
      if (!st.refresh()) return false;
      beta = st.prepare(d);
      k = t >= 0 ? t : choose(beta, allowOpt);
      if (k < 0 || !sigmaOk(k, beta)) return false;
    }
    st.replace(k, d, fnew, fnew - fold - vquad, beta);
    return true;
  };

  /** Put x̂opt + d (value fnew) in place of the best point before a rescue when it is better. */
  const rescueWith = (fnew: number): boolean => {
    if (fnew < st.fopt) {
      const xo = st.xopt();
      for (let i = 0; i < n; i++) xo[i] += d[i];
      st.fval[st.kopt] = fnew;
    }
    return rescue();
  };

  let status: OptimStatus = "maxfun";
  let message = "";
  for (;;) {
    if (ev.exhausted) break;
    const xo = st.xopt();
    let xoptsq = 0;
    for (let i = 0; i < n; i++) xoptsq += xo[i] * xo[i];
    if (xoptsq >= 1e3 * delta * delta && !st.shiftBase() && !rescue()) break;

    st.gradOpt(gopt);
    const crvmin = trsbox(n, st.xopt(), gopt, st.hm, st.sl, st.su, delta, d, tw);
    let dnorm = 0;
    for (let i = 0; i < n; i++) dnorm += d[i] * d[i];
    dnorm = Math.sqrt(dnorm);
    let ratio = -1;
    let reduce = false;
    if (dnorm < 0.5 * rho) {
      delta *= 0.1;
      if (delta <= 1.5 * rho) delta = rho;
      const errMax = Math.max(errs[0], errs[1], errs[2]);
      if (crvmin > 0 && errMax <= 0.125 * crvmin * rho * rho) reduce = true;
    } else {
      const fold = st.fopt;
      const vquad = st.modelChange(d, gopt);
      const fnew = st.evalPenalised(addTo(st.xopt(), d, aw.cand));
      errs[0] = errs[1];
      errs[1] = errs[2];
      errs[2] = Math.abs(fnew - fold - vquad);
      ratio = vquad < 0 ? (fnew - fold) / vquad : -1;
      if (ratio <= 0.1) delta = Math.min(0.5 * delta, dnorm);
      else if (ratio <= 0.7) delta = Math.max(0.5 * delta, dnorm);
      else delta = Math.max(0.5 * delta, 2 * dnorm);
      if (delta <= 1.5 * rho) delta = rho;
      if (!accept(-1, fnew, vquad, fnew < fold) && !rescueWith(fnew)) break;
      if (fnew < fold && fold - fnew <= Math.max(ftolAbs, ftolRel * Math.abs(fnew))) {
        status = "ftol";
        message = `converged: a step lowered f by at most ${Math.max(ftolAbs, ftolRel * Math.abs(fnew))} (ftol)`;
        break;
      }
      if (ratio >= 0.1) continue;
    }

    if (!reduce) {
      // geometry: replace the farthest point if it is beyond 2Δ
      const xo2 = st.xopt();
      let knew = -1;
      let dmax = 4 * delta * delta;
      for (let k = 0; k < m; k++) {
        let dist = 0;
        for (let i = 0; i < n; i++) dist += (st.xpt[k * n + i] - xo2[i]) ** 2;
        if (dist > dmax) {
          dmax = dist;
          knew = k;
        }
      }
      if (knew >= 0) {
        if (ev.exhausted) break;
        const adelt = Math.max(Math.min(0.1 * Math.sqrt(dmax), delta), rho);
        st.gradOpt(gopt);
        altmov(st, knew, adelt, d, aw);
        const vquad = st.modelChange(d, gopt);
        const fnew = st.evalPenalised(addTo(st.xopt(), d, aw.cand));
        if (!accept(knew, fnew, vquad, true) && !rescueWith(fnew)) break;
        continue;
      }
      if (ratio > 0 || Math.max(delta, dnorm) > rho) continue;
    }

    // reduce rho
    if (rho <= rhoend) {
      status = "xtol";
      message = `converged: trust-region radius reached rhoend = ${rhoend}`;
      break;
    }
    delta = 0.5 * rho;
    const r = rho / rhoend;
    rho = r <= 16 ? rhoend : r <= 250 ? Math.sqrt(r) * rhoend : 0.1 * rho;
    delta = Math.max(delta, rho);
    errs.fill(Infinity);
    if (!st.shiftBase() && !rescue()) break;
  }
  if (status === "maxfun") {
    if (ev.exhausted) message = `stopped after ${ev.feval} evaluations (maxfun = ${maxfun})`;
    else {
      status = "roundoff";
      message = "stopped: the interpolation set could not be repaired (rounding errors)";
    }
  }
  if (rescues > 0) message += ` (${rescues} rescue(s))`;
  return { ...done(status, message), rescues };
}

function addTo(a: Float64Array, b: Float64Array, out: Float64Array): Float64Array {
  for (let i = 0; i < a.length; i++) out[i] = a[i] + b[i];
  return out;
}
