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

import { mean, sd } from "../util/stats.ts";
import {
  type DrawsByChain,
  essBelow,
  essOfChains,
  isDegenerate,
  mcseMean,
  mcseQuantileFromEss,
  mcseSd,
  medianSorted,
  normalScores,
  pooled,
  quantileSorted,
  rankNormalise,
  rhatOfChains,
  splitChains,
  unpool,
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
  const C = x.length;
  const S = x[0]?.length ?? 0;
  const all = pooled(x);
  // one sort of the draws gives the quantiles and the bulk ranks, one of the folded draws the
  // tail ranks and the mad; with an even S the split draws are the same multiset, so their
  // normal scores are those of the whole chains, split
  const scores = normalScores(all);
  const sorted = scores.sorted;
  const hasNaN = S > 0 && Number.isNaN(sorted[sorted.length - 1]);
  const q5 = hasNaN ? Number.NaN : quantileSorted(sorted, 0.05);
  const q95 = hasNaN ? Number.NaN : quantileSorted(sorted, 0.95);
  const median = hasNaN ? Number.NaN : medianSorted(sorted);
  const folded = new Float64Array(all.length);
  for (let i = 0; i < all.length; i++) folded[i] = Math.abs(all[i] - median);
  const foldedScores = normalScores(folded);
  const even = S % 2 === 0;
  const bulk = even ? splitChains(unpool(scores.z, C)) : rankNormalise(splitChains(x));
  const tail = even ? splitChains(unpool(foldedScores.z, C)) : rankNormalise(splitChains(unpool(folded, C)));
  const rhatBulk = rhatOfChains(bulk);
  const rhatTail = rhatOfChains(tail);
  const bad = isDegenerate(x);
  const essQ5 = bad ? Number.NaN : essBelow(x, q5);
  const essQ95 = bad ? Number.NaN : essBelow(x, q95);
  const essQ50 = bad ? Number.NaN : essBelow(x, quantileSorted(sorted, 0.5));
  return {
    variable,
    mean: mean(all),
    median,
    sd: sd(all),
    mad: hasNaN ? Number.NaN : 1.4826 * medianSorted(foldedScores.sorted),
    q5,
    q95,
    rhat: Number.isNaN(rhatBulk) || Number.isNaN(rhatTail) ? Number.NaN : Math.max(rhatBulk, rhatTail),
    ess_bulk: essOfChains(bulk),
    ess_tail: Number.isNaN(essQ5) || Number.isNaN(essQ95) ? Number.NaN : Math.min(essQ5, essQ95),
    mcse_mean: mcseMean(x),
    mcse_sd: mcseSd(x),
    mcse_q5: mcseQuantileFromEss(sorted, 0.05, essQ5),
    mcse_median: mcseQuantileFromEss(sorted, 0.5, essQ50),
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
