/**
 * The numeric input of the GLMM engine: the LMM engine's input plus a family/link and the GLM
 * response conventions (binomial: proportion y with the trials as prior weights).
 */
import type { ReTerm } from "../lmm/lmm-problem.ts";

/**
 * What PIRLS needs of a family and link (per observation). The implementations come from
 * `src/glm` (the family/link interface); this is the subset the GLMM uses.
 */
export interface GlmmFamily {
  /** Family name as R prints it (`binomial`, `poisson`). */
  readonly family: string;
  /** Link name (`logit`, `probit`, `cloglog`, `log`). */
  readonly link: string;
  linkfun(mu: number): number;
  linkinv(eta: number): number;
  /** dμ/dη at η. */
  muEta(eta: number): number;
  variance(mu: number): number;
  /** Squared deviance residual of one observation with prior weight wt. */
  devResid(y: number, mu: number, wt: number): number;
  /**
   * −2 Σ log p(y | μ = y): the saturated model's −2 log-likelihood for responses y with prior
   * weights wt (binomial: proportions with the trials as weights). For binomial and Poisson
   * −2 log p(y | μ) = Σ devResid + this constant.
   */
  saturatedMinus2LogLik(y: Float64Array, wt: Float64Array): number;
  /** Starting means (R's family `initialize`: `mustart`). */
  muStart(y: Float64Array, wt: Float64Array): Float64Array;
}

export interface GlmmProblem {
  /** Response on the family's scale (binomial: proportion of successes), length n. */
  readonly y: Float64Array;
  /** n×p column-major fixed-effects matrix (full column rank). */
  readonly X: Float64Array;
  readonly xnames: readonly string[];
  /** Random-effects terms in lme4's order. */
  readonly reterms: readonly ReTerm[];
  /** Prior weights (binomial: the number of trials), length n; default 1. */
  readonly weights?: Float64Array | undefined;
  /** Offset on the linear-predictor scale, length n. */
  readonly offset?: Float64Array | undefined;
  readonly family: GlmmFamily;
}
