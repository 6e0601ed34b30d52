/**
 * Likelihood-profile confidence intervals of a GLMM, as lme4's `confint(m)` for a glmer fit (its
 * default method, "profile"): for each parameter — the random-effect standard deviations and
 * correlations (σ = 1, no residual parameter), then each fixed effect — the deviance is minimised
 * over all the other parameters with that one held fixed, and the interval's ends are where the
 * signed square root of its rise, ζ, crosses ∓ the normal quantile.
 *
 * The deviance is the fit's own approximation (Laplace for nAGQ ≤ 1, adaptive Gauss–Hermite for
 * nAGQ > 1) as a function of φ = (standard deviations and correlations of each term) and β, with
 * θ = chol(Σ(φ)) per term and the conditional modes by PIRLS (`glmmDeviance`: converged to 1e-10,
 * warm-started, so ζ is smooth). Its minimum D̂ is found again from the fit's estimates with that
 * function (lme4's evaluations stop PIRLS at 1e-7 and differ from it by about 1e-3 standard errors
 * at the optimum). The inner minimisations use BOBYQA over the free coordinates (β in units of its
 * standard error), started from the previous point of the same profile; the crossings are
 * bracketed by doubling steps and found by regula falsi to |ζ − z| ≤ 1e-7, as for the LMM profile.
 * A standard deviation whose profile does not reach the quantile before 0 gets 0 as its lower end
 * (a correlation: ±1), as lme4 reports it.
 *
 * lme4 finds the ends by interpolating splines through its profile points, so the two agree to the
 * accuracy of that interpolation (about 1e-3 relative on cbpp and grouseticks), not to the digit.
 */
import { OptionError, SpecError } from "../errors.ts";
import type { GlmmFit } from "../glmm/fit-glmm.ts";
import { glmmDeviance } from "../glmm/glmm-deviance.ts";
import { glmmInternals } from "../glmm/glmm-internals.ts";
import { bobyqa } from "../optim/bobyqa.ts";
import { qnorm } from "../special/quantiles.ts";
import type { ProfileCurve, ProfileResult } from "./confint-result.ts";
import { findRoot, ROOT_ZETA_TOL } from "./find-root.ts";
import { thetaOfVarParams, varParams } from "./var-params.ts";

function phiOf(fit: GlmmFit): number[] {
  const phi: number[] = [];
  for (const g of fit.varcorr.groups) {
    const S = g.terms.length;
    for (let c = 0; c < S; c++)
      for (let r = c; r < S; r++) phi.push(r === c ? g.stddev[r] : g.correlation[r][c]);
  }
  return phi;
}

/**
 * lme4's `profile(m)` of a GLMM with the interval ends of `confint(m)` (see the module comment):
 * each parameter's ζ curve at the points evaluated, plus `extra` evenly spaced points on each side
 * of the estimate (default 4; 0 for the interval ends alone).
 */
export function glmmProfile(fit: GlmmFit, opts: { level?: number; extra?: number } = {}): ProfileResult {
  const level = opts.level ?? 0.95;
  const extra = opts.extra ?? 4;
  if (!(level > 0 && level < 1)) throw new OptionError(`level must be between 0 and 1, got ${level}`);
  const internals = glmmInternals(fit);
  if (!internals)
    throw new SpecError("E_SPEC_UNSUPPORTED", "this fit was not made by fitGlmm, so it cannot be profiled");
  const dv = glmmDeviance(internals.problem, internals.nAGQ);
  const vps = varParams(fit);
  const d = vps.length;
  const p = fit.beta.length;
  const m = d + p;
  const lowerB = [
    ...vps.map((v) => (v.kind === "cor" ? -1 : 0)),
    ...new Array<number>(p).fill(Number.NEGATIVE_INFINITY),
  ];
  const upperB = [
    ...vps.map((v) => (v.kind === "cor" ? 1 : Number.POSITIVE_INFINITY)),
    ...new Array<number>(p).fill(Number.POSITIVE_INFINITY),
  ];
  const phi0 = phiOf(fit);
  const scales = [
    ...vps.map((v, i) => (v.kind === "cor" ? 0.25 : Math.max(Math.abs(phi0[i]), 0.1))),
    ...fit.se.map((s) => (Number.isFinite(s) && s > 0 ? s : 1)),
  ];
  const devPsi = (psi: ArrayLike<number>): number => {
    const th = thetaOfVarParams(fit, psi);
    if (!th) return Number.NaN;
    return dv.deviance(
      th,
      Array.from({ length: p }, (_, j) => psi[d + j]),
    );
  };

  /** Minimum of the deviance over the coordinates other than `fix` (−1: none) with ψ_fix = value. */
  const inner = (
    fix: number,
    value: number,
    start: ArrayLike<number>,
  ): { dev: number; psi: Float64Array } => {
    const full = Float64Array.from(start);
    if (fix >= 0) full[fix] = value;
    if (m === 1 && fix === 0) return { dev: devPsi(full), psi: full };
    const x0 = Float64Array.from(full, (v, i) => Math.min(Math.max(v, lowerB[i]), upperB[i]) / scales[i]);
    const lo = lowerB.map((v, i) => (i === fix ? x0[i] : v / scales[i]));
    const hi = upperB.map((v, i) => (i === fix ? x0[i] : v / scales[i]));
    const psi = new Float64Array(m);
    const obj = (x: Float64Array): number => {
      for (let i = 0; i < m; i++) psi[i] = x[i] * scales[i];
      if (fix >= 0) psi[fix] = value;
      return devPsi(psi);
    };
    const res = bobyqa(obj, x0, { lower: lo, upper: hi, rhobeg: 0.05, rhoend: 1e-8, maxfun: 20000 });
    const out = Float64Array.from(res.x, (x, i) => x * scales[i]);
    if (fix >= 0) out[fix] = value;
    return { dev: devPsi(out), psi: out };
  };

  // the optimum of this deviance function, from the fit's estimates
  const best = inner(-1, 0, [...phi0, ...fit.beta]);
  if (!Number.isFinite(best.dev))
    throw new SpecError(
      "E_SPEC_UNSUPPORTED",
      "the deviance is not defined at the fit's estimates, so it cannot be profiled",
    );
  const psiHat = best.psi;
  const dev0 = best.dev;
  const z = qnorm(0.5 + level / 2);

  const lower: number[] = [];
  const upper: number[] = [];
  const curves: ProfileCurve[] = [];
  const names = [...vps.map((v) => v.name), ...fit.xnames];
  for (let i = 0; i < m; i++) {
    let warm: Float64Array = Float64Array.from(psiHat);
    let seen: [number, number][] = [[psiHat[i], 0]];
    const devAt = (t: number): number => {
      const r = inner(i, t, warm);
      if (Number.isFinite(r.dev)) warm = r.psi;
      return r.dev;
    };
    const side = (dir: 1 | -1): number => {
      const est = psiHat[i];
      const bound = dir < 0 ? lowerB[i] : upperB[i];
      const zeta = (t: number): number => {
        const rise = devAt(t) - dev0;
        const zt = dir * Math.sqrt(Math.max(rise, 0));
        if (Number.isFinite(zt)) seen.push([t, zt]);
        return zt - dir * z;
      };
      let a = est;
      let ga = -dir * z;
      let step = 0.5 * scales[i];
      for (let it = 0; it < 60; it++) {
        let b = est + dir * step;
        let atBound = false;
        if ((dir < 0 && b <= bound) || (dir > 0 && b >= bound)) {
          b = bound;
          atBound = true;
        }
        const gb = zeta(b);
        if (Number.isFinite(gb) && Math.sign(gb) !== Math.sign(ga))
          return findRoot(zeta, a, b, ga, gb, 1e-10 * scales[i], ROOT_ZETA_TOL);
        if (atBound) return bound;
        if (Number.isFinite(gb)) {
          a = b;
          ga = gb;
        }
        step *= 2;
      }
      return Number.NaN;
    };
    const lo = side(-1);
    warm = Float64Array.from(psiHat);
    const hi = side(1);
    lower.push(lo);
    upper.push(hi);
    for (const [end, dir] of [
      [lo, -1],
      [hi, 1],
    ] as const) {
      if (!Number.isFinite(end)) continue;
      warm = Float64Array.from(psiHat);
      for (let k = 1; k <= extra; k++) {
        const t = psiHat[i] + ((end - psiHat[i]) * k) / (extra + 1);
        const rise = devAt(t) - dev0;
        if (Number.isFinite(rise)) seen.push([t, dir * Math.sqrt(Math.max(rise, 0))]);
      }
    }
    seen = seen.filter(([t]) => t >= lo && t <= hi).sort((a, b) => a[0] - b[0]);
    const xs: number[] = [];
    const zs: number[] = [];
    for (const [t, zt] of seen) {
      if (xs.length > 0 && t === xs[xs.length - 1]) continue;
      xs.push(t);
      zs.push(zt);
    }
    curves.push({ parameter: names[i], estimate: psiHat[i], x: xs, zeta: zs });
  }
  return {
    method: "profile",
    level,
    parameters: names,
    lower,
    upper,
    estimates: Array.from(psiHat),
    curves,
    z,
  };
}
