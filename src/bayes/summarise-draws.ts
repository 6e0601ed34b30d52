/**
 * cmdstanr-style posterior summaries (posterior::summarise_draws with the default measures plus
 * MCSEs):
 *
 *     summariseDraws(model.outputNames, chains.map((c) => c.outputs), draws)
 *       → [{ variable, mean, median, sd, mad, q5, q95, rhat, ess_bulk, ess_tail,
 *            mcse_mean, mcse_sd, mcse_q5, mcse_median, mcse_q95 }, …]
 *
 * `chainOutputs[c]` holds chain c's draws variable-major (`[k * draws + i]`, the layout of
 * `ChainResult.outputs`). `summariseVariable(name, drawsByChain)` does one scalar. Quantiles are R's
 * type 7 over all chains pooled; diagnostics as in diagnostics.ts. NaN stands for R's NA.
 */

import { mean, quantile, sd } from "../util/stats.ts";
import {
  type DrawsByChain,
  essBulk,
  essQuantile,
  mad,
  mcseMean,
  mcseQuantileFromEss,
  mcseSd,
  rhat,
} from "./diagnostics.ts";

export interface DrawSummary {
  readonly variable: string;
  readonly mean: number;
  readonly median: number;
  readonly sd: number;
  readonly mad: number;
  readonly q5: number;
  readonly q95: number;
  readonly rhat: number;
  readonly ess_bulk: number;
  readonly ess_tail: number;
  readonly mcse_mean: number;
  readonly mcse_sd: number;
  readonly mcse_q5: number;
  readonly mcse_median: number;
  readonly mcse_q95: number;
}

/** Summary of one scalar's draws (one array per chain). */
export function summariseVariable(variable: string, x: DrawsByChain): DrawSummary {
  const n = x[0]?.length ?? 0;
  const all = new Float64Array(n * x.length);
  x.forEach((c, k) => {
    for (let i = 0; i < n; i++) all[k * n + i] = c[i];
  });
  const [q5, median, q95] = quantile(all, [0.05, 0.5, 0.95]);
  const sorted = Float64Array.from(all).sort();
  const essQ5 = essQuantile(x, 0.05);
  const essQ95 = essQuantile(x, 0.95);
  return {
    variable,
    mean: mean(all),
    median,
    sd: sd(all),
    mad: mad(all),
    q5,
    q95,
    rhat: rhat(x),
    ess_bulk: essBulk(x),
    ess_tail: Number.isNaN(essQ5) || Number.isNaN(essQ95) ? Number.NaN : Math.min(essQ5, essQ95),
    mcse_mean: mcseMean(x),
    mcse_sd: mcseSd(x),
    mcse_q5: mcseQuantileFromEss(sorted, 0.05, essQ5),
    mcse_median: mcseQuantileFromEss(sorted, 0.5, essQuantile(x, 0.5)),
    mcse_q95: mcseQuantileFromEss(sorted, 0.95, essQ95),
  };
}

/**
 * Summaries of every variable. `chainOutputs[c][k * draws + i]` is variable k at draw i of chain c
 * (all chains with `draws` draws of `names.length` variables).
 */
export function summariseDraws(
  names: readonly string[],
  chainOutputs: readonly Float64Array[],
  draws: number,
): DrawSummary[] {
  for (const c of chainOutputs) {
    if (c.length !== names.length * draws) {
      throw new RangeError(`each chain must hold ${names.length} × ${draws} draws, got ${c.length}`);
    }
  }
  return names.map((name, k) =>
    summariseVariable(
      name,
      chainOutputs.map((c) => c.subarray(k * draws, (k + 1) * draws)),
    ),
  );
}
