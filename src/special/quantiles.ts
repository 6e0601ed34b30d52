/**
 * Quantile functions with R's names and semantics: `qnorm`, `qt`, `qchisq` (with a `lowerTail`
 * flag like R's `lower.tail`). Invalid parameters give NaN, as R does.
 */

import erfcinv from "@stdlib/math-base-special-erfcinv";
import chisqQuantile from "@stdlib/stats-base-dists-chisquare-quantile";
import tQuantile from "@stdlib/stats-base-dists-t-quantile";

/**
 * Standard normal quantile (R's `qnorm`), computed as −√2 · erfcinv(2p): relative error below
 * 1e-13 down to p = 1e-300, unlike stdlib's normal quantile (docs/dependencies.md). With `lowerTail` false, returns the
 * q with P(X > q) = p.
 */
export function qnorm(p: number, lowerTail = true): number {
  if (Number.isNaN(p) || p < 0 || p > 1) return Number.NaN;
  const z = Math.SQRT2 * erfcinv(2 * p);
  return (lowerTail ? -z : z) + 0; // + 0 turns −0 (at p = 0.5) into 0
}

/**
 * Student t quantile (R's `qt`). With `lowerTail` false, returns the q with P(T > q) = p
 * (by symmetry, −qt(p)).
 */
export function qt(p: number, df: number, lowerTail = true): number {
  if (Number.isNaN(p) || p < 0 || p > 1) return Number.NaN;
  const q = tQuantile(p, df);
  return lowerTail ? q : -q;
}

/**
 * χ² quantile (R's `qchisq`, central only). The upper-tail form evaluates the lower quantile at
 * 1 − p, so it is only accurate for p well above 1e-16.
 */
export function qchisq(p: number, df: number, lowerTail = true): number {
  if (Number.isNaN(p) || p < 0 || p > 1) return Number.NaN;
  return chisqQuantile(lowerTail ? p : 1 - p, df);
}
