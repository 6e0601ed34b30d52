/**
 * `varCorr(fit)`: the estimated variance components, as lme4's `VarCorr(m)`: per random-effects
 * term the variances, standard deviations, covariance and correlation matrices, and the residual
 * (null for a GLMM: binomial and Poisson have no residual variance).
 */
import type { GlmmFit } from "../glmm/fit-glmm.ts";
import type { LmmFit } from "../lmm/fit-lmm.ts";

export function varCorr(fit: LmmFit): LmmFit["varcorr"];
export function varCorr(fit: GlmmFit): GlmmFit["varcorr"];
export function varCorr(fit: LmmFit | GlmmFit): LmmFit["varcorr"] | GlmmFit["varcorr"];
export function varCorr(fit: LmmFit | GlmmFit): LmmFit["varcorr"] | GlmmFit["varcorr"] {
  return fit.varcorr;
}
