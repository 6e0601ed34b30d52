/**
 * Fit a linear mixed model by optimising the profiled criterion over θ (algorithm.md §5), then
 * apply lme4's post-fit boundary handling and assemble the result.
 */
import { NumericalError, OptionError, type Warning } from "../errors.ts";
import { bobyqa } from "../optim/bobyqa.ts";
import type { OptimOptions, OptimResult } from "../optim/types.ts";
import { createLmm, fillXyDiag, fillXyRow, type LmmModel } from "./lmm-model.ts";
import type { LmmProblem } from "./lmm-problem.ts";
import { buildResult, type LmmResult, thetaLowerBounds } from "./lmm-result.ts";
import { scaleResponse } from "./working-scale.ts";
import { diagonalRange, evaluate, updateL } from "./update-l.ts";
import type { DenseBlock } from "../linalg/block-types.ts";

/** A derivative-free bound-constrained minimiser with the team optimiser's signature. */
export type Optimizer = (
  f: (x: Float64Array) => number,
  x0: ArrayLike<number>,
  opts: OptimOptions,
) => OptimResult;

export interface FitLmmOptions {
  /** REML (default true) or ML. */
  readonly REML?: boolean;
  /** Minimiser; default BOBYQA from src/optim (rhobeg 0.2, rhoend 1e-7 unless overridden). */
  readonly optimizer?: Optimizer;
  /** Extra options passed to the optimiser (bounds are always set here). */
  readonly optimizerOptions?: OptimOptions;
  /** Starting θ (input order); default λ = I. */
  readonly start?: ArrayLike<number>;
}

/** Diagonal θ in (0, ZERO_SNAP_X) are set to 0 when the criterion rises by at most ZERO_SNAP_F. */
const ZERO_SNAP_X = 1e-3;
const ZERO_SNAP_F = 1e-5;

export const BOUNDARY_WARNING: Warning = {
  code: "boundary_fit",
  message: "boundary (singular) fit: see help('isSingular')",
};

/** Default start: 1 on λ diagonals, 0 elsewhere. */
export function defaultStart(model: LmmModel): Float64Array {
  const lower = thetaLowerBounds(model);
  return Float64Array.from(lower, (l) => (l === 0 ? 1 : 0));
}

export function fitLmmProblem(problem: LmmProblem, options: FitLmmOptions = {}): LmmResult {
  return fitModel(createLmm(problem), options);
}

/** The optimum of θ found by `optimizeTheta` (before the result is assembled). */
export interface ThetaOptimum {
  /** θ̂ (input order, the user's scale). */
  readonly theta: number[];
  readonly feval: number;
  readonly converged: boolean;
  readonly message: string;
  readonly optimizer: OptimResult["optimizer"];
  /** The optimiser stopped where a coordinate step still lowers the criterion (badly scaled). */
  readonly stalled: boolean;
}

/**
 * Optimise θ for a constructed model (the structure is reused; only L is overwritten): the
 * optimiser from `options.start` (default λ = I), restarts when it had to repair its model, and
 * the zero snap of near-boundary diagonal elements. L is left factored at some trial θ.
 */
export function optimizeTheta(model: LmmModel, options: FitLmmOptions = {}): ThetaOptimum {
  const reml = options.REML ?? true;
  const lower = thetaLowerBounds(model);
  // the optimiser works on the working θ (θ × thetaFactor: powers of two, 1 for ordinary data)
  const fac = model.thetaFactor;
  const x0 = options.start ? Float64Array.from(options.start, (v, i) => v * fac[i]) : defaultStart(model);
  if (x0.length !== model.ntheta)
    throw new OptionError(`start has length ${x0.length}, but the model has ${model.ntheta} θ parameters`);
  const unit = fac.every((v) => v === 1);
  const toTheta = (x: ArrayLike<number>): Float64Array =>
    unit ? Float64Array.from(x) : Float64Array.from(x, (v, i) => v / fac[i]);
  const f0 = evaluate(model, toTheta(x0), reml, true);
  if (!f0.ok) throw startFailure(model, options.start !== undefined);
  const fail = f0.value;
  const f = (x: Float64Array): number => {
    const e = evaluate(model, unit ? x : toTheta(x), reml, true);
    return e.ok ? e.value : fail;
  };
  const optimize = options.optimizer ?? bobyqa;
  const optOpts = { rhobeg: 0.2, rhoend: 1e-7, ...options.optimizerOptions, lower };
  let res = optimize(f, x0, optOpts);
  let feval = res.feval;
  // an optimiser that had to repair its model (badly scaled criterion) may stop short of the
  // minimum: probe the coordinates, restart from a better point, warn if that does not settle it
  let stalled = false;
  for (let round = 0; (res.rescues ?? 0) > 0 && round < MAX_RESTARTS + 1; round++) {
    const probe = probeCoordinates(f, res.x, res.fval, lower);
    feval += probe.feval;
    if (!probe.better) break;
    if (round === MAX_RESTARTS) {
      stalled = true;
      break;
    }
    res = optimize(f, probe.better, optOpts);
    feval += res.feval;
  }
  let work = Array.from(res.x);
  let fbest = f(res.x);
  feval++;
  // zero snap of near-boundary diagonal elements (MixedModels/lme4 style)
  for (let i = 0; i < work.length; i++) {
    if (lower[i] !== 0 || !(work[i] > 0 && work[i] < ZERO_SNAP_X)) continue;
    const trial = work.slice();
    trial[i] = 0;
    const ft = f(Float64Array.from(trial));
    feval++;
    if (ft <= fbest + ZERO_SNAP_F) {
      work = trial;
      fbest = ft;
    }
  }
  return {
    theta: Array.from(toTheta(work)),
    feval,
    converged: res.converged,
    message: res.message,
    optimizer: res.optimizer,
    stalled,
  };
}

/** Optimise θ for a constructed model (the structure is reused; only L is overwritten). */
export function fitModel(model: LmmModel, options: FitLmmOptions = {}): LmmResult {
  const reml = options.REML ?? true;
  const opt = optimizeTheta(model, options);
  const { theta } = opt;
  const warnings: Warning[] = [...model.warnings];
  let mlDev: number | null = null;
  if (reml) {
    const e = evaluate(model, theta, false);
    mlDev = e.ok ? e.value : null;
  }
  if (!updateL(model, theta))
    throw new NumericalError(
      "E_NUMERIC_NOT_POSITIVE_DEFINITE",
      "the Cholesky factorisation failed at the optimum",
    );
  const convergence = convergenceWarning(opt);
  if (convergence) warnings.push(convergence);
  const optinfo = {
    feval: opt.feval,
    converged: opt.converged,
    message: opt.message,
    optimizer: opt.optimizer,
  };
  const result = buildResult(model, theta, reml, optinfo, warnings, mlDev);
  checkResultFinite(result, model);
  if (result.isSingular) warnings.push(BOUNDARY_WARNING);
  warnings.push(...optimumWarnings(model, result.sigma));
  return result;
}

/** `not_converged` when the optimiser did not converge or stalled; null otherwise. */
export function convergenceWarning(opt: ThetaOptimum): Warning | null {
  if (!opt.converged) return { code: "not_converged", message: `optimizer did not converge: ${opt.message}` };
  if (opt.stalled)
    return {
      code: "not_converged",
      message:
        "the optimizer stopped at a point that is not a minimum of the criterion (a coordinate step lowers it); " +
        "the criterion is badly scaled, e.g. by prior weights spanning many orders of magnitude: the estimates are not reliable",
    };
  return null;
}

/**
 * The warnings read off the optimum (L factored at θ̂, σ̂ on the user's scale):
 * `residual_variance_zero` and `ill_conditioned`.
 */
export function optimumWarnings(model: LmmModel, sigma: number): Warning[] {
  const out: Warning[] = [];
  const ratio = sigma / model.sigmaFactor / model.response.spread;
  if (ratio < RESIDUAL_ZERO_RATIO) out.push(residualZeroWarning(sigma, ratio));
  const range = diagonalRange(model);
  const digits = -Math.log10(Number.EPSILON * range * range);
  if (digits < MIN_DIGITS)
    out.push({
      code: "ill_conditioned",
      message:
        `the mixed-model equations are ill-conditioned at the optimum (the diagonal of their Cholesky factor spans a ratio of ${range.toExponential(1)}): ` +
        `the criterion and the estimates carry only about ${Math.max(0, Math.floor(digits))} correct digits and the optimum may be misplaced; ` +
        "rescale the variables, bound extreme prior weights, or simplify the random effects",
    });
  return out;
}

/** Fewer correct digits than this (ε·range² of the factor's diagonal) give `ill_conditioned`. */
const MIN_DIGITS = 7;

/** Restarts of the optimiser from a better point found by `probeCoordinates`. */
const MAX_RESTARTS = 2;

/**
 * Evaluate f at x ± 1e-3·max(|x_i|, 1e-2) along each coordinate (within the lower bounds); return
 * the best point when it lowers f by more than 1e-7·max(1, |f|).
 */
function probeCoordinates(
  f: (x: Float64Array) => number,
  x: Float64Array,
  fx: number,
  lower: readonly number[],
): { better: Float64Array | null; feval: number } {
  let best: Float64Array | null = null;
  let fbest = fx - 1e-7 * Math.max(1, Math.abs(fx));
  let feval = 0;
  for (let i = 0; i < x.length; i++)
    for (const sgn of [-1, 1]) {
      const t = Float64Array.from(x);
      t[i] += sgn * 1e-3 * Math.max(Math.abs(x[i]), 1e-2);
      if (t[i] < lower[i]) t[i] = lower[i];
      if (t[i] === x[i]) continue;
      const ft = f(t);
      feval++;
      if (ft < fbest) {
        fbest = ft;
        best = t;
      }
    }
  return { better: best, feval };
}

/** Why the objective cannot be evaluated at the start: name the likely cause. */
function startFailure(model: LmmModel, userStart: boolean): NumericalError {
  const w = model.problem.weights;
  let hint = "check for fixed effects that are (nearly) collinear";
  if (w) {
    let lo = Number.POSITIVE_INFINITY;
    let hi = 0;
    for (const v of w) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    const orders = Math.log10(hi) - Math.log10(lo);
    if (orders > 12)
      hint =
        `the prior weights range over ${Math.round(orders)} orders of magnitude (${lo} to ${hi}), more than ` +
        "double precision can resolve in one model: drop the rows whose weight is negligible, or bound the weights";
  }
  if (userStart) hint = `try other starting values, or ${hint}`;
  return new NumericalError(
    "E_NUMERIC_NOT_POSITIVE_DEFINITE",
    "the mixed-model objective cannot be evaluated at the starting values (a Cholesky pivot is not positive)",
    hint,
  );
}

/**
 * σ̂ below this fraction of the residual SD of the fixed effects alone counts as zero: the profiled
 * criterion then decreases without bound as σ → 0 (θ = σ_b/σ grows without bound), the optimiser
 * stops wherever rounding (of relative size θ²·ε in the factor) takes over, and θ, σ̂, the
 * standard errors and the intercept-like fixed effects are no longer determined by the data.
 */
export const RESIDUAL_ZERO_RATIO = 1e-5;

function residualZeroWarning(sigma: number, ratio: number): Warning {
  return {
    code: "residual_variance_zero",
    message:
      `the residual variance is at its boundary: σ̂ = ${sigma.toPrecision(3)} is about ${ratio.toExponential(0)} ` +
      "times the spread of the response around the fixed effects, so the random effects take up (almost) all of " +
      "the variation: the data are fitted (almost) exactly, e.g. a response that is a function of the predictors and " +
      "the groups, groups whose rows are copies of each other, or group means far from the fixed-effect fit (a model " +
      "without an intercept). The ratio of the random-effect variances to σ̂² grows without bound, the optimum is not " +
      "reached in floating point, and θ, σ̂, the standard errors, t values and likelihood-based tests are not meaningful",
  };
}

/**
 * Estimates outside the range of double precision: a non-finite value, or a variance that
 * underflowed to 0 while its standard deviation did not. Names what to rescale.
 */
function checkResultFinite(r: LmmResult, model: LmmModel): void {
  const bad = (v: number): boolean => !Number.isFinite(v);
  const under = (variance: number, sd: number): boolean => variance === 0 && sd > 0;
  let culprit: string | null = null;
  if (bad(r.sigma) || bad(r.objective) || under(r.varcorr.residual.variance, r.sigma))
    culprit = "the response";
  r.beta.forEach((v, j) => {
    if (!culprit && (bad(v) || bad(r.se[j]) || bad(r.vcov[j][j]) || under(r.vcov[j][j], r.se[j])))
      culprit = r.xnames[j] === "(Intercept)" ? "the response" : `the variable '${r.xnames[j]}'`;
  });
  for (const g of r.varcorr.groups)
    g.variance.forEach((v, a) => {
      if (!culprit && (bad(v) || under(v, g.stddev[a])))
        culprit = g.terms[a] === "(Intercept)" ? "the response" : `the variable '${g.terms[a]}'`;
    });
  if (culprit)
    throw new NumericalError(
      "E_NUMERIC_OVERFLOW",
      "an estimate of the mixed model (a variance, coefficient or standard error) is outside the range of double precision",
      `rescale ${culprit} (e.g. change its units) so that its values are of moderate size` +
        (model.problem.weights ? ", or the prior weights" : ""),
    );
}
/**
 * Make `y` the model's response (rescaled into A's response row and column, as `createLmm` does);
 * `y` is kept by reference, so callers must not modify it afterwards.
 */
export function installResponse(model: LmmModel, y: Float64Array): void {
  const { n, p, k, problem, Xy, A, terms } = model;
  if (y.length !== n) throw new OptionError(`the new response has length ${y.length}, expected ${n}`);
  const sqrtw = model.sqrtw;
  const Akk = A[k][k] as DenseBlock;
  model.response = scaleResponse(y, problem.offset, problem.X, model.xScale, n, sqrtw, Xy, Akk.data, p + 1);
  for (let j = 0; j < k; j++) fillXyRow(A[k][j] as DenseBlock, terms[j], Xy, n, p, p);
  fillXyDiag(Akk, Xy, n, p, p);
  model.problem = { ...problem, y };
}

/**
 * Refit the same structure to a new response (algorithm.md §8): only the y row of A is
 * recomputed, then θ is re-optimised from the default start. Mutates `model` (its response).
 */
export function refit(model: LmmModel, newY: Float64Array, options: FitLmmOptions = {}): LmmResult {
  installResponse(model, Float64Array.from(newY));
  return fitModel(model, options);
}
