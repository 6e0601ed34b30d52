/**
 * Descriptive statistics with R's definitions: `mean`, `sampleVariance` / `sd` (divisor n − 1),
 * `quantile` (R's default type 7), `median`, and `scaleColumn` (R's `scale()` of one column).
 *
 * Missing values: except for `scaleColumn`, inputs must not contain NaN; callers remove missing
 * values first (the results with NaN present are unspecified). `scaleColumn` follows R's `scale()`,
 * which ignores NA when computing the centre and scale and keeps NA in the output.
 */

import { OptionError } from "../errors.ts";

/**
 * Arithmetic mean, with R's second pass (adds the mean of the residuals) for accuracy.
 * NaN for an empty input.
 */
export function mean(x: ArrayLike<number>): number {
  const n = x.length;
  if (n === 0) return Number.NaN;
  let s = 0;
  for (let i = 0; i < n; i++) s += x[i];
  let m = s / n;
  if (!Number.isFinite(m)) {
    // The sum overflowed (R accumulates in long double and does not): average scaled values.
    m = 0;
    for (let i = 0; i < n; i++) m += x[i] / n;
    if (!Number.isFinite(m)) return m;
  }
  let r = 0;
  for (let i = 0; i < n; i++) r += x[i] - m;
  return m + r / n;
}

/** Sample variance Σ(x − x̄)² / (n − 1) (R's `var` of a vector); NaN when n < 2. */
export function sampleVariance(x: ArrayLike<number>): number {
  const n = x.length;
  if (n < 2) return Number.NaN;
  const m = mean(x);
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (x[i] - m) ** 2;
  return ss / (n - 1);
}

/** Sample standard deviation, √sampleVariance (R's `sd`); NaN when n < 2. */
export function sd(x: ArrayLike<number>): number {
  return Math.sqrt(sampleVariance(x));
}

export interface ScaledColumn {
  /** (x − center) / scale, NaN where x is NaN. */
  readonly values: Float64Array;
  /** R's attribute `scaled:center`. */
  readonly center: number;
  /** R's attribute `scaled:scale`. */
  readonly scale: number;
}

/**
 * R's `scale(x)` for one column (center = TRUE, scale = TRUE): center = mean of the non-missing
 * values, scale = √(Σ(x − center)² / max(1, m − 1)) over the m non-missing values. A constant
 * column has scale 0 and, as in R, gives NaN values (0/0); the caller decides whether to reject it.
 */
export function scaleColumn(x: ArrayLike<number>): ScaledColumn {
  const present: number[] = [];
  for (let i = 0; i < x.length; i++) if (!Number.isNaN(x[i])) present.push(x[i]);
  const center = mean(present);
  let ss = 0;
  for (const v of present) ss += (v - center) ** 2;
  const scale = Math.sqrt(ss / Math.max(1, present.length - 1));
  const values = Float64Array.from(x, (v) => (v - center) / scale);
  return { values, center, scale };
}

/**
 * Sample quantiles, R's default `type = 7` (Hyndman & Fan 1996): with the sorted values
 * x₍₁₎ ≤ … ≤ x₍ₙ₎ and h = 1 + (n − 1)p, Q(p) = (1 − f)·x₍⌊h⌋₎ + f·x₍⌈h⌉₎ with f = h − ⌊h⌋,
 * computed as R does (the interpolation is skipped when both order statistics are equal).
 * Throws `OptionError` for a probability outside [0, 1]; NaN for every p when x is empty.
 */
export function quantile(x: ArrayLike<number>, probs: ArrayLike<number>): Float64Array {
  for (let k = 0; k < probs.length; k++) {
    const p = probs[k];
    if (!(p >= 0 && p <= 1)) throw new OptionError(`probability ${p} is outside [0, 1]`);
  }
  const n = x.length;
  const out = new Float64Array(probs.length);
  if (n === 0) return out.fill(Number.NaN);
  const s = Float64Array.from(x).sort();
  for (let k = 0; k < probs.length; k++) {
    const index = (n - 1) * probs[k]; // 0-based version of R's 1 + (n − 1)p
    const lo = Math.floor(index);
    const hi = Math.ceil(index);
    let q = s[lo];
    if (index > lo && s[hi] !== q) {
      const h = index - lo;
      q = (1 - h) * q + h * s[hi];
    }
    out[k] = q;
  }
  return out;
}

/** Median (R's `median`): the middle order statistic, or the mean of the two middle ones. */
export function median(x: ArrayLike<number>): number {
  const n = x.length;
  if (n === 0) return Number.NaN;
  const s = Float64Array.from(x).sort();
  const half = Math.floor(n / 2);
  return n % 2 === 1 ? s[half] : mean([s[half - 1], s[half]]);
}
