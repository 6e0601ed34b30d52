/**
 * Gaussian kernel density estimates for the density figures: R's `density()` default bandwidth
 * (`bw.nrd0`: 0.9·min(sd, IQR/1.34)·n^(−1/5)), evaluated on an even grid that extends 3 bandwidths
 * beyond the data. Direct sums, O(n·points): fine for the few thousand draws a figure shows.
 */
import { quantile7 } from "../report/quantile.ts";

export interface Density {
  readonly x: number[];
  readonly y: number[];
  readonly bandwidth: number;
}

/** Silverman's rule of thumb as R's `bw.nrd0`. */
export function bandwidthNrd0(sorted: readonly number[]): number {
  const n = sorted.length;
  const mean = sorted.reduce((a, b) => a + b, 0) / n;
  const sd = Math.sqrt(sorted.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(n - 1, 1));
  const iqr = quantile7(sorted, 0.75) - quantile7(sorted, 0.25);
  let lo = Math.min(sd, iqr / 1.34);
  if (!(lo > 0)) lo = sd || Math.abs(sorted[0]) || 1;
  return 0.9 * lo * n ** -0.2;
}

/** The density of the finite values of `values` at `points` grid points. */
export function kde(values: ArrayLike<number>, points = 256): Density {
  const v = Array.from(values).filter(Number.isFinite);
  v.sort((a, b) => a - b);
  if (v.length === 0) return { x: [], y: [], bandwidth: Number.NaN };
  const bw = bandwidthNrd0(v);
  const from = v[0] - 3 * bw;
  const to = v[v.length - 1] + 3 * bw;
  const x: number[] = [];
  const y: number[] = [];
  const c = 1 / (v.length * bw * Math.sqrt(2 * Math.PI));
  for (let k = 0; k < points; k++) {
    const t = from + ((to - from) * k) / (points - 1);
    let s = 0;
    for (const xi of v) {
      const u = (t - xi) / bw;
      if (u > -8 && u < 8) s += Math.exp(-0.5 * u * u);
    }
    x.push(t);
    y.push(c * s);
  }
  return { x, y, bandwidth: bw };
}
