/**
 * Likelihood-profile confidence intervals, as lme4's `confint(m, method = "profile")`: for each
 * parameter — the random-effect standard deviations and correlations, σ, and each fixed effect —
 * the ML deviance is minimised over all the other parameters with that one held fixed, and the
 * interval's ends are where the signed square root of its rise, ζ, crosses ∓ the normal quantile.
 * As lme4 does, a REML fit is refitted by ML first (the profile is always of the ML deviance).
 *
 * The deviance used is −2ℓ(θ, σ, β) with β profiled out, on the engine's factor L:
 *   D(φ) = log|L_θ|² + n·log(2πσ²) + pwrss(θ)/σ²,   θ = chol(Σ(φ)/σ²) per term,
 * where φ = (standard deviations and correlations of each term, σ). With β_j held at c, pwrss(θ)
 * becomes l_yy² + min over the other β of ‖L_XXᵀβ − l_yXᵀ‖² (the blocks of L that the fit already
 * factors), so no new model is built. The crossing points are bracketed by doubling steps, then
 * found by regula falsi (Anderson–Björck) to |ζ − z| ≤ 1e-7; the inner minimisations use BOBYQA,
 * started from the previous point of the same profile.
 *
 * Where the profile does not reach the quantile before a bound (a standard deviation at 0, a
 * correlation at ±1), that bound is the interval's end, as lme4 reports it.
 */
import { OptionError, SpecError } from "../errors.ts";
import type { DenseBlock } from "../linalg/block-types.ts";
import { qrDecompose, qrResiduals } from "../linalg/qr.ts";
import { fitInternals, modelFor } from "../lmm/fit-internals.ts";
import type { GlmmFit } from "../glmm/fit-glmm.ts";
import type { LmmFit } from "../lmm/fit-lmm.ts";
import type { LmmModel } from "../lmm/lmm-model.ts";
import { logDets, updateL } from "../lmm/update-l.ts";
import { bobyqa } from "../optim/bobyqa.ts";
import { qnorm } from "../special/quantiles.ts";
import { requireLmm } from "../lmm/require-lmm.ts";
import type { ConfintResult, ProfileCurve, ProfileResult } from "./confint-result.ts";
import { findRoot, ROOT_ZETA_TOL } from "./find-root.ts";
import { glmmProfile } from "./glmm-profile.ts";
import { thetaOfVarParams, varParams } from "./var-params.ts";

export type { ConfintResult, ProfileCurve, ProfileResult } from "./confint-result.ts";

function phiOf(fit: LmmFit): Float64Array {
  const phi: number[] = [];
  for (const g of fit.varcorr.groups) {
    const S = g.terms.length;
    for (let c = 0; c < S; c++)
      for (let r = c; r < S; r++) phi.push(r === c ? g.stddev[r] : g.correlation[r][c]);
  }
  phi.push(fit.sigma);
  return Float64Array.from(phi);
}

/** Working-scale pieces of L at θ: ldL2, and the X/y block (U = L_XXᵀ, v = l_yXᵀ, l_yy). */
function factorAt(
  model: LmmModel,
  theta: Float64Array,
): { ldL2: number; pwrss: (fixed: number, c: number) => number } | null {
  if (!updateL(model, theta)) return null;
  const { ldL2, pwrss } = logDets(model);
  const p = model.p;
  const m = p + 1;
  const x = (model.L[model.k][model.k] as DenseBlock).data;
  return {
    ldL2,
    pwrss(j: number, c: number): number {
      if (j < 0) return pwrss;
      // min over β_{-j} of ‖Uβ − v‖², U = L_XXᵀ (U[a][b] = L[b][a]), β_j = c (working scale)
      const rhs = new Float64Array(p);
      for (let a = 0; a < p; a++) rhs[a] = x[a * m + p] - (a <= j ? x[a * m + j] : 0) * c;
      const yy = x[p * m + p] * x[p * m + p];
      if (p === 1) return yy + rhs[0] * rhs[0];
      const A = new Float64Array(p * (p - 1));
      for (let b = 0, col = 0; b < p; b++) {
        if (b === j) continue;
        for (let a = 0; a < p; a++) A[col * p + a] = a <= b ? x[a * m + b] : 0;
        col++;
      }
      const r = qrResiduals(qrDecompose(A, p, p - 1), rhs);
      let s = 0;
      for (const v of r) s += v * v;
      return yy + s;
    },
  };
}

/** lme4's `confint(m, method = "profile")` (see the module comment). */
export function profileConfint(fit: LmmFit | GlmmFit, level = 0.95): ConfintResult {
  // the interval ends only: no extra points for a zeta plot
  const { method, parameters, lower, upper } = profile(fit, { level, extra: 0 });
  return { method, level, parameters, lower, upper };
}

/**
 * lme4's `profile(m)` with the interval ends of `confint` (a GLMM's: `glmmProfile`): each parameter's ζ curve at the points
 * the search evaluated (bracketing steps and the root iterations, denser near the ends), plus
 * `extra` evenly spaced points on each side (default 4), for the zeta plot.
 */
export function profile(fit: LmmFit | GlmmFit, opts: { level?: number; extra?: number } = {}): ProfileResult {
  if (fit.kind === "glmm") return glmmProfile(fit, opts);
  requireLmm(fit, "profile", "profile a linear or generalized linear mixed model (fitLmm, fitGlmm)");
  const level = opts.level ?? 0.95;
  const extra = opts.extra ?? 4;
  if (!(level > 0 && level < 1)) throw new OptionError(`level must be between 0 and 1, got ${level}`);
  const ml = fit.refitML();
  const internals = fitInternals(ml);
  if (!internals)
    throw new SpecError("E_SPEC_UNSUPPORTED", "this fit was not made by fitLmm, so it cannot be profiled");
  const model = modelFor(internals);
  const n = model.n;
  const p = model.p;
  const S = model.response.scale;
  const xs = model.xScale;
  const shift = model.response.betaShift;
  const sigmaToWork = 1 / (S * model.sigmaFactor);
  const vps = varParams(ml);
  const phiHat = phiOf(ml);
  const d = phiHat.length;

  // D(φ) with β_j (working) held at c when j ≥ 0; constants dropped (only differences are used)
  const devPhi = (phi: ArrayLike<number>, j = -1, c = 0): number => {
    const sigma = phi[d - 1];
    if (!(sigma > 0)) return Number.NaN;
    const theta = thetaOfVarParams(ml, phi);
    if (!theta) return Number.NaN;
    const f = factorAt(model, theta);
    if (!f) return Number.NaN;
    const sw = sigma * sigmaToWork;
    return f.ldL2 + n * Math.log(sw * sw) + f.pwrss(j, c) / (sw * sw);
  };
  const dev0 = devPhi(phiHat);
  const z = qnorm(0.5 + level / 2);

  const lowerB = vps.map((v) => (v.kind === "cor" ? -1 : 0));
  const upperB = vps.map((v) => (v.kind === "cor" ? 1 : Number.POSITIVE_INFINITY));
  const scales = vps.map((v, i) =>
    v.kind === "cor" ? 0.25 : Math.max(Math.abs(phiHat[i]), 1e-3 * ml.sigma),
  );

  /** Minimum of D over the variance parameters other than `fix` (index) with φ_fix = value. */
  const inner = (
    fix: number,
    value: number,
    start: Float64Array,
    j = -1,
    c = 0,
  ): { dev: number; phi: Float64Array } => {
    const free = Array.from({ length: d }, (_, i) => i).filter((i) => i !== fix);
    const full = Float64Array.from(start);
    if (fix >= 0) full[fix] = value;
    if (free.length === 0) return { dev: devPhi(full, j, c), phi: full };
    // optimise on scaled coordinates φ_i / scale_i
    const x0 = Float64Array.from(free, (i) => Math.min(Math.max(full[i], lowerB[i]), upperB[i]) / scales[i]);
    const lo = free.map((i) => lowerB[i] / scales[i]);
    const hi = free.map((i) => upperB[i] / scales[i]);
    const obj = (x: Float64Array): number => {
      free.forEach((i, k) => {
        full[i] = x[k] * scales[i];
      });
      return devPhi(full, j, c);
    };
    const res = bobyqa(obj, x0, { lower: lo, upper: hi, rhobeg: 0.1, rhoend: 1e-9 });
    free.forEach((i, k) => {
      full[i] = res.x[k] * scales[i];
    });
    return { dev: devPhi(full, j, c), phi: full };
  };

  const lower: number[] = [];
  const upper: number[] = [];
  const curves: ProfileCurve[] = [];
  let seen: [number, number][] = [];
  // one side of one profile: ζ(t) = ±√(D(t) − D̂) crossing ∓z, starting at the estimate
  const side = (
    est: number,
    dir: 1 | -1,
    bound: number,
    scale: number,
    devAt: (t: number) => number,
  ): number => {
    const zeta = (t: number): number => {
      const dv = devAt(t) - dev0;
      const zt = dir * Math.sqrt(Math.max(dv, 0));
      if (Number.isFinite(zt)) seen.push([t, zt]);
      return zt - dir * z;
    };
    let a = est;
    let ga = -dir * z;
    let step = 0.5 * scale;
    for (let it = 0; it < 60; it++) {
      let b = est + dir * step;
      let atBound = false;
      if ((dir < 0 && b <= bound) || (dir > 0 && b >= bound)) {
        b = bound;
        atBound = true;
      }
      const gb = zeta(b);
      if (Number.isFinite(gb) && Math.sign(gb) !== Math.sign(ga))
        return findRoot(zeta, a, b, ga, gb, 1e-10 * scale, ROOT_ZETA_TOL);
      if (atBound) return bound;
      if (Number.isFinite(gb)) {
        a = b;
        ga = gb;
      }
      // (doubling: each point warm-starts the next inner fit; bigger, extrapolated steps start
      // them farther away, and a standard deviation stuck at 0 then gives a wrong ζ)
      step *= 2;
    }
    return Number.NaN;
  };

  vps.forEach((_, i) => {
    let warm: Float64Array = Float64Array.from(phiHat);
    const devAt = (t: number): number => {
      const r = inner(i, t, warm);
      if (Number.isFinite(r.dev)) warm = r.phi;
      return r.dev;
    };
    seen = [[phiHat[i], 0]];
    const lo = side(phiHat[i], -1, lowerB[i], scales[i], devAt);
    warm = Float64Array.from(phiHat);
    const hi = side(phiHat[i], 1, upperB[i], scales[i], devAt);
    lower.push(lo);
    upper.push(hi);
    fillCurve(vps[i].name, phiHat[i], lo, hi, (t) => {
      warm = Float64Array.from(phiHat);
      return devAt(t);
    });
  });
  for (let j = 0; j < p; j++) {
    const toWork = (b: number) => (b - shift[j]) / (S * xs[j]);
    let warm: Float64Array = Float64Array.from(phiHat);
    const devAt = (b: number): number => {
      const r = inner(-1, 0, warm, j, toWork(b));
      if (Number.isFinite(r.dev)) warm = r.phi;
      return r.dev;
    };
    const se = ml.se[j];
    seen = [[ml.beta[j], 0]];
    const lo = side(ml.beta[j], -1, Number.NEGATIVE_INFINITY, se, devAt);
    warm = Float64Array.from(phiHat);
    const hi = side(ml.beta[j], 1, Number.POSITIVE_INFINITY, se, devAt);
    lower.push(lo);
    upper.push(hi);
    fillCurve(ml.xnames[j], ml.beta[j], lo, hi, (b) => {
      warm = Float64Array.from(phiHat);
      return devAt(b);
    });
  }
  // leave the ML model factored at its own θ
  updateL(model, Float64Array.from(ml.theta));
  return {
    method: "profile",
    level,
    parameters: [...vps.map((v) => v.name), ...ml.xnames],
    lower,
    upper,
    estimates: [...phiHat, ...ml.beta],
    curves,
    z,
  };

  /** The points seen for one parameter, plus `extra` evenly spaced ones on each side of the estimate. */
  function fillCurve(name: string, est: number, lo: number, hi: number, devAt: (t: number) => number): void {
    for (const [end, dir] of [
      [lo, -1],
      [hi, 1],
    ] as const) {
      if (!Number.isFinite(end)) continue;
      for (let k = 1; k <= extra; k++) {
        const t = est + ((end - est) * k) / (extra + 1);
        const dv = devAt(t) - dev0;
        if (Number.isFinite(dv)) seen.push([t, dir * Math.sqrt(Math.max(dv, 0))]);
      }
    }
    const pts = seen.filter(([t]) => t >= lo && t <= hi).sort((a, b) => a[0] - b[0]);
    const xs: number[] = [];
    const zs: number[] = [];
    for (const [t, zt] of pts) {
      if (xs.length > 0 && t === xs[xs.length - 1]) continue;
      xs.push(t);
      zs.push(zt);
    }
    curves.push({ parameter: name, estimate: est, x: xs, zeta: zs });
  }
}
