/**
 * One row of the posterior summary of a variable, as cmdstanr's `summary()` (posterior 1.4.0's
 * `summarise_draws` defaults) plus the Monte-Carlo standard errors the reference tests use.
 */
import { essBulk, essTail, mcseMean, mcseQuantile, mcseSd, rhat } from "./diagnostics.ts";

export interface BayesSummaryRow {
  readonly variable: string;
  readonly mean: number;
  readonly median: number;
  readonly sd: number;
  /** Median absolute deviation, scaled by 1.4826 as R's `mad`. */
  readonly mad: number;
  readonly q5: number;
  readonly q95: number;
  /** Rank-normalised split R-hat (max of bulk and tail). */
  readonly rhat: number;
  readonly ess_bulk: number;
  readonly ess_tail: number;
  readonly mcse_mean: number;
  readonly mcse_sd: number;
  readonly mcse_q5: number;
  readonly mcse_q95: number;
}

/** R's type-7 quantile of sorted values. */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/** The summary row of one variable from its draws per chain (equal lengths). */
export function summaryRow(variable: string, chains: readonly Float64Array[]): BayesSummaryRow {
  let total = 0;
  for (const c of chains) total += c.length;
  const all = new Float64Array(total);
  let o = 0;
  for (const c of chains) {
    all.set(c, o);
    o += c.length;
  }
  let mean = 0;
  for (let i = 0; i < total; i++) mean += all[i];
  mean /= total;
  let ss = 0;
  for (let i = 0; i < total; i++) ss += (all[i] - mean) ** 2;
  const sd = total > 1 ? Math.sqrt(ss / (total - 1)) : Number.NaN;
  const sorted = Float64Array.from(all).sort();
  const median = quantileSorted(sorted, 0.5);
  const dev = all.map((x) => Math.abs(x - median)).sort();
  const mad = 1.4826 * quantileSorted(dev, 0.5);
  const arrays = chains.map((c) => Array.from(c));
  return {
    variable,
    mean,
    median,
    sd,
    mad,
    q5: quantileSorted(sorted, 0.05),
    q95: quantileSorted(sorted, 0.95),
    rhat: rhat(arrays),
    ess_bulk: essBulk(arrays),
    ess_tail: essTail(arrays),
    mcse_mean: mcseMean(arrays),
    mcse_sd: mcseSd(arrays),
    mcse_q5: mcseQuantile(arrays, 0.05),
    mcse_q95: mcseQuantile(arrays, 0.95),
  };
}
