/**
 * The contract between the Bayesian models (log densities on an unconstrained space) and the
 * sampler (NUTS). The sampler only ever sees a `LogDensity`; a `BayesModel` adds what is needed to
 * start chains and to turn kept draws into reported quantities.
 */

/** A differentiable log density on R^dim, up to an additive constant. */
export interface LogDensity {
  /** Number of unconstrained coordinates. */
  readonly dim: number;
  /**
   * Writes the gradient of log p at `q` into `grad` (length `dim`) and returns log p(q), Jacobians of
   * the constraining transforms included. Returns -Infinity (and leaves `grad` unspecified) where the
   * density is zero or cannot be evaluated; the sampler treats that as a divergence. Never throws
   * for a finite `q`.
   */
  logDensityGradient(q: Float64Array, grad: Float64Array): number;
}

/** A posterior the sampler can run, with the maps it needs around the log density. */
export interface BayesModel extends LogDensity {
  /** Names of the unconstrained coordinates (for messages and the mass-matrix report). */
  readonly unconstrainedNames: readonly string[];
  /** Names of the reported quantities, brms style (`b_Intercept`, `sd_g__x`, `r_g[3,Intercept]`), in output order. */
  readonly outputNames: readonly string[];
  /**
   * Writes a starting point into `q`. `uniform` returns independent draws in [0, 1); Stan starts
   * from uniform(-2, 2) on the unconstrained scale; a model may use a data-driven start instead.
   */
  initialPoint(q: Float64Array, uniform: () => number): void;
  /**
   * Maps one kept draw `q` to the reported quantities (`out`, length `outputNames.length`).
   * `normal` returns independent standard normal draws (the collapsed model draws the random
   * effects from their exact conditional here); a model that does not need it must not call it.
   */
  constrain(q: Float64Array, out: Float64Array, normal: () => number): void;
}
