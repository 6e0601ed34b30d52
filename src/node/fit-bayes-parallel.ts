/**
 * `fitBayesParallel`: `fitBayes` with its chains in worker threads (one per core, at most one per
 * chain). Every chain depends only on the run's spec and its chain number, so the draws are the
 * same as `fitBayes`'s for the same seed, whatever the scheduling.
 */
import { availableParallelism } from "node:os";
import workerpool from "workerpool";
import type { BayesFit } from "../bayes/bayes-fit.ts";
import type { BayesFitOptions } from "../bayes/bayes-options.ts";
import type { ChainResult } from "../bayes/run-chain.ts";
import type { DrawSummary } from "../bayes/summarise-draws.ts";
import { finishBayesRun, prepareBayesRun } from "../bayes/fit-bayes.ts";
import type { DataSource } from "../data/column.ts";
import type { ModelFormula } from "../formula/model-formula.ts";
import { workerScript } from "./worker-script.ts";

export interface ParallelBayesOptions extends BayesFitOptions {
  /** Worker threads; default min(chains, available cores). 1 still runs in a worker. */
  readonly workers?: number;
  /** Called as chains advance: iterations done (warm-up + draws) per chain, 0-based chain index. */
  readonly onProgress?: (chain: number, iteration: number) => void;
}

/** Fit by NUTS with the chains in parallel worker threads; same options and result as `fitBayes`. */
export async function fitBayesParallel(
  formula: string | ModelFormula,
  data: DataSource,
  opts: ParallelBayesOptions = {},
): Promise<BayesFit> {
  const t0 = performance.now();
  const run = prepareBayesRun(formula, data, opts);
  const nChains = run.settings.chains;
  const workers = Math.max(1, Math.min(opts.workers ?? availableParallelism(), nChains));
  const script = workerScript("bayes-worker");
  const pool = workerpool.pool(script.path, {
    workerType: "thread",
    maxWorkers: workers,
    workerThreadOpts: { execArgv: script.execArgv },
  });
  try {
    const onProgress = opts.onProgress;
    const results = await Promise.all(
      Array.from(
        { length: nChains },
        (_, i) =>
          pool.exec("runChain", [run.spec, i + 1], {
            on: (e: { chain: number; iteration: number }) => onProgress?.(e.chain - 1, e.iteration),
          }) as Promise<ChainResult>,
      ),
    );
    // the summaries (R-hat, ESS, MCSE of every variable) in slices, one per worker
    const names = run.build.model.outputNames;
    const draws = run.settings.draws;
    const slices = Math.min(workers, names.length);
    const per = Math.ceil(names.length / slices);
    const parts = await Promise.all(
      Array.from({ length: slices }, (_, w) => {
        const from = w * per;
        const to = Math.min(names.length, from + per);
        const chainSlices = results.map((r) => r.outputs.slice(from * draws, to * draws));
        return pool.exec("summarise", [names.slice(from, to), chainSlices, draws]) as Promise<DrawSummary[]>;
      }),
    );
    return finishBayesRun(run, results, t0, parts.flat());
  } finally {
    await pool.terminate();
  }
}
