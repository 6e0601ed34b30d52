/**
 * Log-densities with R's names and semantics for the GLM families: `dnorm`, `dbinomLog`
 * (`dbinom(x, n, p, log = TRUE)`), `dpoisLog` (`dpois(x, λ, log = TRUE)`) and `lgamma`.
 *
 * The binomial and Poisson log-densities are written with `lgamma` (stdlib's gammaln, ≤ 1 ulp
 * where tried) rather than R's saddle-point form (Loader 2000); the two agree to ~1e-13 relative
 * on the counts GLMs see, which is far inside the AIC tolerance of the tests.
 */
import gammaln from "@stdlib/math-base-special-gammaln";

const LN_SQRT_2PI = 0.9189385332046728; // log(sqrt(2π))

/** log Γ(x) (R's `lgamma`). */
export function lgamma(x: number): number {
  return gammaln(x);
}

/** Standard normal density φ(x) (R's `dnorm(x)`). */
export function dnorm(x: number): number {
  return Math.exp(-0.5 * x * x - LN_SQRT_2PI);
}

/** x·log(p) with 0·log(0) = 0. */
function xlogp(x: number, p: number): number {
  return x === 0 ? 0 : x * Math.log(p);
}

/** x·log1p(−p) with 0·log(0) = 0. */
function xlog1mp(x: number, p: number): number {
  return x === 0 ? 0 : x * Math.log1p(-p);
}

/**
 * log P(X = x) for X ~ Binomial(n, p) (R's `dbinom(x, n, p, log = TRUE)`); −Infinity outside the
 * support, NaN for invalid parameters. `x` and `n` are expected to be integers (as `round()`ed by
 * the binomial family's AIC).
 */
export function dbinomLog(x: number, n: number, p: number): number {
  if (Number.isNaN(x) || Number.isNaN(n) || Number.isNaN(p)) return Number.NaN;
  if (p < 0 || p > 1 || n < 0) return Number.NaN;
  if (x < 0 || x > n) return Number.NEGATIVE_INFINITY;
  const lchoose = lgamma(n + 1) - lgamma(x + 1) - lgamma(n - x + 1);
  return lchoose + xlogp(x, p) + xlog1mp(n - x, p);
}

/**
 * log P(X = x) for X ~ Poisson(λ) (R's `dpois(x, lambda, log = TRUE)`): a non-integer x has
 * probability 0 (−Infinity), as R (which also warns).
 */
export function dpoisLog(x: number, lambda: number): number {
  if (Number.isNaN(x) || Number.isNaN(lambda)) return Number.NaN;
  if (lambda < 0) return Number.NaN;
  if (x < 0 || Math.abs(x - Math.round(x)) > 1e-7 * Math.max(1, Math.abs(x))) return Number.NEGATIVE_INFINITY;
  x = Math.round(x);
  if (lambda === 0) return x === 0 ? 0 : Number.NEGATIVE_INFINITY;
  return xlogp(x, lambda) - lambda - lgamma(x + 1);
}
