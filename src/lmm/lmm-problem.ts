/**
 * The numeric input of the linear-mixed-model engine. Formula parsing and model-matrix building
 * produce this; the engine never looks at a data frame.
 */

/** One random-effects term `(lhs | factor)`. */
export interface ReTerm {
  /** VarCorr group name: "Subject", "Subject.1" (second `||` term on the same factor), "cask:batch". */
  readonly name: string;
  /** Grouping factor label; several terms may share a factor. */
  readonly factor: string;
  /** ℓ level names in R's order. */
  readonly levels: readonly string[];
  /** Length n, 0-based level of each observation. */
  readonly refs: Int32Array;
  /** S column names, e.g. ["(Intercept)", "Days"]. */
  readonly cnames: readonly string[];
  /** S×n, `z[t*S + r]` = column r at observation t. */
  readonly z: Float64Array;
}

export interface LmmProblem {
  /** Response, length n. */
  readonly y: Float64Array;
  /** n×p column-major (`X[j*n + t]`), full column rank (the caller drops aliased columns). */
  readonly X: Float64Array;
  /** p fixed-effect names. */
  readonly xnames: readonly string[];
  /**
   * Random-effects terms in lme4's order (stable sort by decreasing number of levels);
   * θ, varcorr and ranef follow this order.
   */
  readonly reterms: readonly ReTerm[];
  /** Prior weights (lme4 `weights=`), length n, all > 0. */
  readonly weights?: Float64Array;
  /** Offset added to the linear predictor, length n. */
  readonly offset?: Float64Array;
}
