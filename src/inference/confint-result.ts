/**
 * The result shapes of confidence intervals (`confint`, any method) and of likelihood profiles,
 * shared by the LMM and GLMM profiles, the bootstrap and the printers.
 */

export interface ConfintResult {
  readonly method: "wald" | "profile" | "boot";
  readonly level: number;
  /** lme4's names (`confint(..., oldNames = FALSE)`): `sd_(Intercept)|Subject`, `cor_Days.(Intercept)|Subject`, `sigma`, then the fixed effects. */
  readonly parameters: readonly string[];
  /** NaN where an interval is not defined (Wald intervals of variance parameters). */
  readonly lower: readonly number[];
  readonly upper: readonly number[];
}

/** lme4's `profile(m)`: the signed square root ζ of the deviance's rise along each parameter. */
export interface ProfileCurve {
  readonly parameter: string;
  readonly estimate: number;
  /** Parameter values evaluated, increasing, and ζ at each (0 at the estimate). */
  readonly x: readonly number[];
  readonly zeta: readonly number[];
}

export interface ProfileResult extends ConfintResult {
  readonly method: "profile";
  /** The ML estimates the profiles start from. */
  readonly estimates: readonly number[];
  readonly curves: readonly ProfileCurve[];
  /** The normal quantile the interval ends cross (±z). */
  readonly z: number;
}
