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
import { scaleResponse } from "./response-scaling.ts";
import { evaluate, updateL } from "./update-l.ts";
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

/** Optimise θ for a constructed model (the structure is reused; only L is overwritten). */
export function fitModel(model: LmmModel, options: FitLmmOptions = {}): LmmResult {
  const reml = options.REML ?? true;
  const lower = thetaLowerBounds(model);
  const x0 = options.start ? Float64Array.from(options.start) : defaultStart(model);
  if (x0.length !== model.ntheta)
    throw new OptionError(`start has length ${x0.length}, but the model has ${model.ntheta} θ parameters`);
  const f0 = evaluate(model, x0, reml);
  if (!f0.ok)
    throw new NumericalError(
      "E_NUMERIC_NOT_POSITIVE_DEFINITE",
      "the mixed-model objective cannot be evaluated at the starting values (a Cholesky factor is not positive definite)",
      options.start
        ? "try other starting values, or check for collinear fixed effects"
        : "check for collinear fixed effects",
    );
  const fail = f0.value;
  const f = (x: Float64Array): number => {
    const e = evaluate(model, x, reml);
    return e.ok ? e.value : fail;
  };
  const optimize = options.optimizer ?? bobyqa;
  const res = optimize(f, x0, { rhobeg: 0.2, rhoend: 1e-7, ...options.optimizerOptions, lower });
  let theta = Array.from(res.x);
  let fbest = f(res.x);
  let feval = res.feval + 1;
  // zero snap of near-boundary diagonal elements (MixedModels/lme4 style)
  for (let i = 0; i < theta.length; i++) {
    if (lower[i] !== 0 || !(theta[i] > 0 && theta[i] < ZERO_SNAP_X)) continue;
    const trial = theta.slice();
    trial[i] = 0;
    const ft = f(Float64Array.from(trial));
    feval++;
    if (ft <= fbest + ZERO_SNAP_F) {
      theta = trial;
      fbest = ft;
    }
  }
  const warnings: Warning[] = [];
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
  if (!res.converged)
    warnings.push({ code: "not_converged", message: `optimizer did not converge: ${res.message}` });
  const optinfo = { feval, converged: res.converged, message: res.message, optimizer: res.optimizer };
  const result = buildResult(model, theta, reml, optinfo, warnings, mlDev);
  checkResultFinite(result);
  if (result.isSingular) warnings.push(BOUNDARY_WARNING);
  const ratio = result.sigma / model.response.lsSigma;
  if (ratio < RESIDUAL_ZERO_RATIO) warnings.push(residualZeroWarning(result.sigma, ratio));
  return result;
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
      "times the spread of the response around the fixed effects, i.e. the fixed and random effects fit the data " +
      "(almost) exactly. The variance components are not identifiable (their ratio to σ̂ grows without bound), and " +
      "the standard errors, t values and likelihood-based tests are not meaningful; check for a response that is a " +
      "function of the predictors, or groups whose rows are copies of each other",
  };
}

/** A non-finite estimate means the numbers left the range of double precision. */
function checkResultFinite(r: LmmResult): void {
  const bad =
    !Number.isFinite(r.sigma) ||
    !Number.isFinite(r.objective) ||
    r.beta.some((v) => !Number.isFinite(v)) ||
    r.varcorr.groups.some((g) => g.variance.some((v) => !Number.isFinite(v))) ||
    !Number.isFinite(r.varcorr.residual.variance);
  if (bad)
    throw new NumericalError(
      "E_NUMERIC_OVERFLOW",
      "an estimate of the mixed model is not finite: the variances or coefficients are outside the range of double precision",
      "rescale the response (e.g. change its units) so that its values are of moderate size",
    );
}

/**
 * Refit the same structure to a new response (algorithm.md §8): only the y row of A is
 * recomputed, then θ is re-optimised from the default start. Mutates `model` (its response).
 */
export function refit(model: LmmModel, newY: Float64Array, options: FitLmmOptions = {}): LmmResult {
  const { n, p, k, problem, Xy, A, terms } = model;
  if (newY.length !== n) throw new OptionError(`the new response has length ${newY.length}, expected ${n}`);
  const w = problem.weights;
  const sqrtw = w ? Float64Array.from(w, Math.sqrt) : null;
  const Akk = A[k][k] as DenseBlock;
  model.response = scaleResponse(
    newY,
    problem.offset,
    problem.X,
    model.xScale,
    n,
    sqrtw,
    Xy,
    Akk.data,
    p + 1,
  );
  for (let j = 0; j < k; j++) fillXyRow(A[k][j] as DenseBlock, terms[j], Xy, n, p, p);
  fillXyDiag(Akk, Xy, n, p, p);
  model.problem = { ...problem, y: Float64Array.from(newY) };
  return fitModel(model, options);
}
