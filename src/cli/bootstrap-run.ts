/**
 * What `mixed bootstrap` and `mixed confint --method boot` share: parsing `--nsim` / `--seed`, and
 * running the bootstrap on worker threads (`bootstrapParallel`) with a progress bar on stderr when
 * it is a terminal and the output is not `--json`.
 */
import { type BootstrapTable, type GlmmFit, type LmmFit, OptionError } from "../index.ts";
import { bootstrapParallel } from "../node/bootstrap-parallel.ts";
import { progressBar } from "./progress.ts";

export interface ReplicateOptions {
  nsim?: string;
  seed?: string;
}

/** `--nsim` (default 500, as lme4's confint) and `--seed` (default 1), checked. */
export function parseReplicates(opts: ReplicateOptions): { nsim: number; seed: number } {
  const nsim = opts.nsim === undefined ? 500 : Number(opts.nsim);
  const seed = opts.seed === undefined ? 1 : Number(opts.seed);
  if (!Number.isSafeInteger(nsim) || nsim < 1)
    throw new OptionError(`--nsim must be a positive integer, got ${opts.nsim}`);
  if (!Number.isSafeInteger(seed)) throw new OptionError(`--seed must be an integer, got ${opts.seed}`);
  return { nsim, seed };
}

/** The bootstrap table of `fit` on worker threads, with a progress bar unless `json`. */
export async function runBootstrapCli(
  fit: LmmFit | GlmmFit,
  nsim: number,
  seed: number,
  json: boolean | undefined,
): Promise<BootstrapTable> {
  const bar = json ? null : await progressBar(nsim);
  try {
    return await bootstrapParallel(fit, nsim, { seed, onProgress: bar?.update });
  } finally {
    bar?.stop();
  }
}
