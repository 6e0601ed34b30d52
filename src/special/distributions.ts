/**
 * Distribution functions with R's names and semantics: `pt`, `pf`, `pchisq`, `pnorm` (with a
 * `lowerTail` flag like R's `lower.tail`). Quantiles are in `quantiles.ts` (kept apart so the
 * fitting path does not load the inverse incomplete beta/gamma code).
 *
 * Thin wrappers over the `@stdlib` micro-packages (≤ 2e-16 relative error against R where tried,
 * see docs/dependencies.md). Upper tails are computed without the cancellation of `1 − cdf`
 * wherever the installed packages allow it, so p-values stay accurate down to ~1e-300:
 * - t and normal: by symmetry, P(X > q) = P(X < −q);
 * - F: P(F(d1, d2) > q) = P(F(d2, d1) < 1/q), since 1/F(d1, d2) ~ F(d2, d1);
 * - χ²: the regularised upper incomplete gamma Q(df/2, q/2).
 *
 * Invalid parameters (df ≤ 0, p outside [0, 1]) give NaN, as R does (R also warns). NaN inputs
 * give NaN. Densities, log-scale probabilities and non-central versions are not provided.
 */

import gammainc from "@stdlib/math-base-special-gammainc";
import chisqCdf from "@stdlib/stats-base-dists-chisquare-cdf";
import fCdf from "@stdlib/stats-base-dists-f-cdf";
import normalCdf from "@stdlib/stats-base-dists-normal-cdf";
import tCdf from "@stdlib/stats-base-dists-t-cdf";

/**
 * Standard normal distribution function Φ(q), or 1 − Φ(q) when `lowerTail` is false (R's `pnorm`).
 * In the far tails the relative error grows like q² ulps (about 1e-13 at |q| = 30, from exp(−q²/2)).
 */
export function pnorm(q: number, lowerTail = true): number {
  return normalCdf(lowerTail ? q : -q, 0, 1);
}

/** Student t distribution function with `df` degrees of freedom (R's `pt`); df may be fractional. */
export function pt(q: number, df: number, lowerTail = true): number {
  return tCdf(lowerTail ? q : -q, df);
}

/** F distribution function with `df1`, `df2` degrees of freedom (R's `pf`). */
export function pf(q: number, df1: number, df2: number, lowerTail = true): number {
  if (lowerTail) return fCdf(q, df1, df2);
  if (Number.isNaN(q) || !(df1 > 0) || !(df2 > 0)) return Number.NaN;
  if (q <= 0) return 1;
  // 1/F(df1, df2) ~ F(df2, df1): the upper tail becomes a lower tail, without cancellation.
  return fCdf(1 / q, df2, df1);
}

/** χ² distribution function with `df` degrees of freedom (R's `pchisq`, central only). */
export function pchisq(q: number, df: number, lowerTail = true): number {
  if (lowerTail) return chisqCdf(q, df);
  if (Number.isNaN(q) || Number.isNaN(df) || df < 0) return Number.NaN;
  if (q <= 0) return 1;
  return gammainc(q / 2, df / 2, true, true);
}
