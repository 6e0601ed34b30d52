/**
 * Tolerances for comparing fits with the lme4 references (test/reference/README.md,
 * "Recommended tolerances"); `rel(a, b) = |a − b| / max(|b|, 1)` unless stated.
 */
export const TOL = {
  /** Criterion evaluated at the reference θ (no optimiser involved): relative. */
  objectiveAtTheta: 1e-8,
  /** Objective, logLik, AIC, BIC of a full fit (LMM): relative. */
  objective: 1e-6,
  /** β: absolute, in units of the reference SE. */
  betaSE: 1e-3,
  /** SE and vcov: relative. */
  se: 1e-3,
  /** σ, variances, standard deviations: relative. */
  varcomp: 1e-3,
  /** θ: absolute (well-determined fits only). */
  theta: 1e-3,
  /** θ of a singular fit must be at most this. */
  singularTheta: 1e-4,
  /** Correlations: absolute. */
  correlation: 5e-3,
  /** ranef, coef, fitted, residuals: absolute, in units of the residual SD. */
  ranefSigma: 1e-3,
  /** condVar / condSD: relative. */
  condVar: 1e-3,
} as const;
