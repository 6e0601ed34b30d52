/**
 * The numeric input of the linear-mixed-model engine. Formula parsing and model-matrix building
 * produce this; the engine never looks at a data frame.
 */
import type { RandomEffectsTerm } from "../design/random-effects.ts";

/** One random-effects term `(lhs | factor)`: the design's term without its formula bookkeeping. */
export type ReTerm = Omit<RandomEffectsTerm, "fromDoubleBar">;

export interface LmmProblem {
  /** Response, length n. */
  readonly y: Float64Array;
  /** n×p column-major (`X[j*n + t]`), full column rank (the caller drops aliased columns). */
  readonly X: Float64Array;
  /** p fixed-effect names. */
  readonly xnames: readonly string[];
  /**
   * Random-effects terms in lme4's order (by decreasing number of levels, as mkReTrms);
   * θ, varcorr and ranef follow this order.
   */
  readonly reterms: readonly ReTerm[];
  /** Prior weights (lme4 `weights=`), length n, all > 0. */
  readonly weights?: Float64Array | undefined;
  /** Offset added to the linear predictor, length n. */
  readonly offset?: Float64Array | undefined;
}
