/**
 * Sample quantiles as R's default `quantile(x, type = 7)`, and the five-number summary the
 * residual sections of `summary(lm)` and lme4's `summary()` print.
 */

/** R's type-7 quantile of sorted values (no NaN) at probability `p` in [0, 1]. */
export function quantile7(sorted: readonly number[], p: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const index = (n - 1) * p; // zero-based
  const lo = Math.floor(index);
  const hi = Math.ceil(index);
  const q = sorted[lo];
  if (index > lo && sorted[hi] !== q) {
    const h = index - lo;
    return (1 - h) * q + h * sorted[hi];
  }
  return q;
}

/** Min, 1st quartile, median, 3rd quartile and max of the non-missing values (R: `quantile(x, na.rm = TRUE)`). */
export function residualQuantiles(values: ArrayLike<number>): number[] {
  const sorted = Array.from(values)
    .filter((v) => !Number.isNaN(v))
    .sort((a, b) => a - b);
  return [0, 0.25, 0.5, 0.75, 1].map((p) => quantile7(sorted, p));
}
