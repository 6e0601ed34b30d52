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

/**
 * Tolerances for GLM fits against R's `glm()` (test/reference/glm/glm.json). IRLS follows
 * `glm.fit` step for step (same start, same convergence rule, same iteration count), so the
 * answers agree to near rounding error; these bounds leave room for a different QR / pnorm.
 */
export const GLM_TOL = {
  /** β: |Δ| ≤ this × max(|β|, SE). */
  beta: 1e-8,
  /** SE, vcov, z/t: relative. */
  se: 1e-8,
  /** Residual and null deviance, AIC, BIC, logLik, Pearson χ²: relative. */
  deviance: 1e-10,
  /** p-values: relative (they come from z through pnorm). */
  p: 1e-7,
  /** Fitted values, linear predictor, residuals, working weights: absolute + relative. */
  fitted: 1e-8,
} as const;
