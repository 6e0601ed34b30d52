/**
 * A lean refit for the parametric bootstrap: install a new response in a constructed model,
 * optimise θ from a warm start, and read only the parameters off L (θ, the SDs and correlations
 * of each term, σ, β, the criterion), writing them into a caller's row. The same optimisation as
 * `fitModel` and the same arithmetic as `buildResult` for these numbers, so a row equals what a
 * full refit reports; what a full result adds (conditional modes and variances, vcov, fitted
 * values, residuals, per-factor tables) is skipped, as is every allocation proportional to n
 * beyond the response's own scaling.
 */
import { NumericalError } from "../errors.ts";
import {
  BOUNDARY_WARNING,
  convergenceWarning,
  type FitLmmOptions,
  installResponse,
  optimizeTheta,
  optimumWarnings,
} from "./fit-lmm-problem.ts";
import { fixefFromL } from "./lmm-estimates.ts";
import type { LmmModel } from "./lmm-model.ts";
import { SINGULAR_TOL, thetaLowerBounds } from "./lmm-result.ts";
import { criterionFromL, logDets, updateL } from "./update-l.ts";

/** Columns of a parameter row: ntheta θ, then per term (input order) its SDs and correlations, σ, p β, the criterion. */
export function parameterCount(model: LmmModel): number {
  let v = 0;
  for (const t of model.terms) v += (t.S * (t.S + 1)) / 2;
  return model.ntheta + v + 1 + model.p + 1;
}

/**
 * Refit `model` to `y` (kept by reference: do not modify it while the model holds it) and write
 * the parameters into `row` (see `parameterCount` for the layout: per term, for each column c
 * the SD of c then its correlations with the later columns r > c, as `varParams` names them).
 * Returns the codes of the refit's warnings (`not_converged`, `boundary_fit`, …).
 */
export function refitParameters(
  model: LmmModel,
  y: Float64Array,
  options: FitLmmOptions,
  row: Float64Array,
): string[] {
  installResponse(model, y);
  const reml = options.REML ?? true;
  const opt = optimizeTheta(model, options);
  const theta = opt.theta;
  if (!updateL(model, theta))
    throw new NumericalError(
      "E_NUMERIC_NOT_POSITIVE_DEFINITE",
      "the Cholesky factorisation failed at the optimum",
    );
  const codes = model.warnings.map((w) => w.code as string);
  const convergence = convergenceWarning(opt);
  if (convergence) codes.push(convergence.code);
  const { n, p, terms, xScale } = model;
  const { scale, betaShift } = model.response;
  const work = logDets(model);
  const objective = criterionFromL(model, reml);
  const sigmaW = Math.sqrt(work.pwrss / (reml ? n - p : n)) * scale;
  const sigma = sigmaW * model.sigmaFactor;
  let o = 0;
  for (const v of theta) row[o++] = v;
  const byInput = new Array<number>(terms.length);
  terms.forEach((t, j) => {
    byInput[t.input] = j;
  });
  for (let i = 0; i < terms.length; i++) {
    const t = terms[byInput[i]];
    const S = t.S;
    const lam = t.lambda;
    const zm = t.zScale;
    // (λλᵀ)[a][c] as buildResult forms it
    const rel = (a: number, c: number): number => {
      let s = 0;
      for (let x = 0; x <= Math.min(a, c); x++) s += lam[x * S + a] * lam[x * S + c];
      return s;
    };
    for (let c = 0; c < S; c++)
      for (let r = c; r < S; r++)
        row[o++] =
          r === c
            ? sigmaW * zm[r] * Math.sqrt(rel(r, r))
            : rel(r, c) / (Math.sqrt(rel(r, r)) * Math.sqrt(rel(c, c)));
  }
  row[o++] = sigma;
  const betaWork = fixefFromL(model);
  for (let j = 0; j < p; j++) row[o++] = betaShift[j] + scale * (xScale[j] * betaWork[j]);
  row[o++] = objective;
  const lower = thetaLowerBounds(model);
  if (theta.some((v, i) => lower[i] === 0 && v * model.thetaFactor[i] < SINGULAR_TOL))
    codes.push(BOUNDARY_WARNING.code);
  for (const w of optimumWarnings(model, sigma)) codes.push(w.code);
  return codes;
}
