/**
 * `varCorr(fit)`: the estimated variance components, as lme4's `VarCorr(m)`: per random-effects
 * term the variances, standard deviations, covariance and correlation matrices, and the residual.
 */
import type { GlmmFit } from "../glmm/fit-glmm.ts";
import type { LmmFit } from "../lmm/fit-lmm.ts";

export function varCorr(fit: LmmFit | GlmmFit): LmmFit["varcorr"] | GlmmFit["varcorr"] {
  return fit.varcorr;
}
