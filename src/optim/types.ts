/**
 * Shared types of the derivative-free optimisers (`nelderMead`, `bobyqa`, `brent`, `minimize`).
 *
 * Conventions common to every optimiser in this folder:
 * - The objective receives a `Float64Array` that the optimiser owns and reuses between calls:
 *   read it, never keep a reference to it and never write to it.
 * - A non-finite objective value (NaN, ±Infinity) and any value above `NONFINITE_VALUE` is replaced
 *   by `NONFINITE_VALUE` (1e30): a very large finite number, so the point is never accepted as the
 *   best one, while quadratic models stay finite (see `evaluator.ts`).
 * - Bounds may be infinite; `x0` is first projected onto the box `[lower, upper]`.
 * - Optimisers never throw for a bad objective value; they throw `OptionError` for invalid options
 *   (lower > upper, wrong lengths, non-finite `x0`).
 */

/** The function minimised. It must not keep or modify its argument. */
export type Objective = (x: Float64Array) => number;

export type OptimMethod = "bobyqa" | "nelder-mead" | "brent";

export interface OptimOptions {
  /** Lower bounds, one per coordinate; `-Infinity` allowed. Default: all `-Infinity`. */
  lower?: ArrayLike<number>;
  /** Upper bounds, one per coordinate; `+Infinity` allowed. Default: all `+Infinity`. */
  upper?: ArrayLike<number>;
  /** Maximum number of objective evaluations. Default: NM `2000·n + 2000`, BOBYQA 100000 (as lme4), Brent 500. */
  maxfun?: number;
  /** Nelder–Mead initial simplex step per coordinate (or one number for all). Default 0.1·max(1, |x0_i|). */
  step?: ArrayLike<number> | number;
  /** BOBYQA initial trust-region radius. Default `0.2·max(1, max|x0_i|)` (capped by half the tightest finite box width). */
  rhobeg?: number;
  /** BOBYQA final trust-region radius. Default `1e-6·rhobeg`. Brent: the x tolerance. */
  rhoend?: number;
  /** BOBYQA number of interpolation points, in [n+2, 2n+1]. Default 2n+1. */
  npt?: number;
  /** Absolute f tolerance (meaning depends on the method; see each optimiser). */
  ftolAbs?: number;
  /** Relative f tolerance (meaning depends on the method; see each optimiser). */
  ftolRel?: number;
  /** Absolute x tolerance (Nelder–Mead simplex diameter; Brent interval). */
  xtolAbs?: number;
  /** Record every evaluation (x copy and value) in `result.trace`. Default false. */
  trace?: boolean;
}

/** Why an optimiser stopped. */
export type OptimStatus =
  | "ftol" // the f-tolerance test succeeded
  | "xtol" // the x-tolerance test succeeded (NM simplex size, Brent interval, BOBYQA rho = rhoend)
  | "maxfun" // evaluation budget exhausted
  | "roundoff" // no further progress possible in floating point
  | "nonfinite"; // the objective was non-finite at every point tried

export interface OptimTraceEntry {
  readonly x: Float64Array;
  /** The value returned by the objective (before the non-finite replacement). */
  readonly f: number;
}

export interface OptimResult {
  /** Best point found (a fresh array). */
  x: Float64Array;
  /** Objective at `x` (as returned by the objective). */
  fval: number;
  /** Number of objective evaluations. */
  feval: number;
  /** True when a tolerance test succeeded (status "ftol" or "xtol"). */
  converged: boolean;
  status: OptimStatus;
  /** Human-readable reason for stopping. */
  message: string;
  optimizer: OptimMethod;
  /**
   * BOBYQA: how often the interpolation set had to be rebuilt because rounding broke the model
   * (a sign of a badly scaled objective; callers may verify the optimum). Absent elsewhere.
   */
  rescues?: number;
  /** Every evaluation in order, when `trace: true` was requested. */
  trace?: OptimTraceEntry[];
}
