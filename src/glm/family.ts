/**
 * The response-distribution interface of GLMs and GLMMs (R's `family` objects): variance
 * function, deviance residuals, the AIC term, the valid range of μ, starting values, and whether
 * the dispersion is fixed at 1. Every per-row method has a scalar form and an array form that
 * loops without allocating. Implementations: `binomial.ts`, `poisson.ts`, `gaussian.ts`; new
 * families (Gamma, negative binomial, ...) implement this interface and register in
 * `make-family.ts` — no fitting code changes.
 */
import type { Link } from "./link.ts";

/** Families implemented here (R's names). */
export type FamilyName = "binomial" | "poisson" | "gaussian";

export interface Family {
  readonly name: FamilyName;
  readonly link: Link;
  /** True when the dispersion is 1 by definition (binomial, Poisson: z tests); false = estimated (t tests). */
  readonly dispersionFixed: boolean;
  /** Whether the response may be `cbind(successes, failures)` (binomial only). */
  readonly twoColumnResponse: boolean;
  /** V(μ) (R's `variance`). */
  variance(mu: number): number;
  varianceInto(mu: Float64Array, out: Float64Array): void;
  /**
   * The deviance residual of one row, *squared and weighted*: wt·d(y, μ) (R's `dev.resids`); the
   * deviance is their sum, the signed deviance residual sign(y − μ)·√(devResid).
   */
  devResid(y: number, mu: number, wt: number): number;
  devResidInto(y: Float64Array, mu: Float64Array, wt: Float64Array, out: Float64Array): void;
  /** Σ devResid (no allocation). */
  deviance(y: Float64Array, mu: Float64Array, wt: Float64Array): number;
  /**
   * R's `family$aic(y, n, mu, wt, dev)`: −2·log-likelihood (+2 for an estimated dispersion, as R),
   * *without* the 2·rank term. `n` = binomial trials per row (R's `n`; ones for a 0/1 or
   * proportion response), unused by other families.
   */
  aic(y: Float64Array, n: Float64Array, mu: Float64Array, wt: Float64Array, dev: number): number;
  /** Whether every μ is inside the family's open range (R's `validmu`). */
  validMu(mu: Float64Array): boolean;
  /**
   * Starting μ (R's `mustart` from `family$initialize`): binomial (m·y + 0.5)/(m + 1), Poisson
   * y + 0.1, Gaussian y. `m` = the binomial count weight (trials for a cbind response, else the
   * prior weights); ignored by the other families.
   */
  initializeInto(y: Float64Array, m: Float64Array, out: Float64Array): void;
}
