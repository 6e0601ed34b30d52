/**
 * Normal QQ coordinates as R's `qqnorm` (plotting positions `ppoints(n)`) and the reference line
 * of `qqline` (through the first and third quartiles).
 */
import { qnorm } from "../special/quantiles.ts";
import { quantile } from "../util/stats.ts";

/** R's `ppoints(n)`: (i − a)/(n + 1 − 2a), a = 3/8 for n ≤ 10, else 1/2. */
export function ppoints(n: number): Float64Array {
  const a = n <= 10 ? 3 / 8 : 1 / 2;
  return Float64Array.from({ length: n }, (_, i) => (i + 1 - a) / (n + 1 - 2 * a));
}

export interface QqData {
  /** Sorted sample values with their theoretical normal quantiles. */
  readonly points: readonly { readonly theoretical: number; readonly sample: number }[];
  /** `qqline`: sample = intercept + slope · theoretical. */
  readonly intercept: number;
  readonly slope: number;
}

/** QQ points of the finite values of `x` against the standard normal, and the quartile line. */
export function qqData(x: ArrayLike<number>): QqData {
  const v = Float64Array.from(Array.from(x).filter(Number.isFinite)).sort();
  const n = v.length;
  const p = ppoints(n);
  const points = Array.from(v, (sample, i) => ({ theoretical: qnorm(p[i]), sample }));
  if (n === 0) return { points, intercept: Number.NaN, slope: Number.NaN };
  const [q1, q3] = quantile(v, [0.25, 0.75]);
  const z1 = qnorm(0.25);
  const slope = (q3 - q1) / (qnorm(0.75) - z1);
  return { points, intercept: q1 - slope * z1, slope };
}
