/**
 * The sampler's command-line options, shared by `mixed sample`, `mixed plot trace|rank|density` and
 * `mixed report --bayes`: registration (`addSamplerOptions`) and parsing into `BayesFitOptions`
 * (`samplerFitOptions`: whole numbers and reals checked, OptionError naming the flag). Kept apart
 * from the commands so registering them loads nothing heavy.
 */
import type { Command } from "commander";
import type { BayesFitOptions } from "../../bayes/bayes-options.ts";
import type { BayesMethod } from "../../bayes/build-bayes-model.ts";
import type { Parameterisation } from "../../bayes/full-model.ts";
import { OptionError } from "../../errors.ts";

/** Raw option values of the sampler flags, as commander parses them. */
export interface SamplerCliOptions {
  method?: string;
  parameterisation?: string;
  chains?: string;
  warmup?: string;
  draws?: string;
  seed?: string;
  adaptDelta?: string;
  maxTreedepth?: string;
  prior?: string[];
}

export function wholeNumber(flag: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\s*\d+\s*$/.test(v)) throw new OptionError(`${flag} must be a whole number, not '${v}'`);
  return Number(v);
}

export function realNumber(flag: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const x = Number(v);
  if (v.trim() === "" || !Number.isFinite(x)) throw new OptionError(`${flag} must be a number, not '${v}'`);
  return x;
}

/** The sampler flags as `fitBayes` options (unset flags stay unset: the library's defaults apply). */
export function samplerFitOptions(opts: SamplerCliOptions): BayesFitOptions {
  return {
    method: opts.method as BayesMethod | undefined,
    parameterisation: opts.parameterisation as Parameterisation | undefined,
    chains: wholeNumber("--chains", opts.chains),
    warmup: wholeNumber("--warmup", opts.warmup),
    draws: wholeNumber("--draws", opts.draws),
    seed: wholeNumber("--seed", opts.seed),
    adaptDelta: realNumber("--adapt-delta", opts.adaptDelta),
    maxTreedepth: wholeNumber("--max-treedepth", opts.maxTreedepth),
    prior: opts.prior ?? [],
  };
}

/** Register the sampler flags (`seed: false` when the command already has its own --seed). */
export function addSamplerOptions(cmd: Command, { seed = true }: { seed?: boolean } = {}): Command {
  cmd
    .option("--method <method>", "collapsed (random effects integrated out, then drawn exactly) or nuts-full")
    .option(
      "--parameterisation <p>",
      "random effects of nuts-full: noncentred, centred or hcentred (default: chosen from the data)",
    )
    .option("--chains <n>", "number of chains (default 4)")
    .option("--warmup <n>", "warm-up iterations per chain (default 1000)")
    .option("--draws <n>", "kept draws per chain (default 1000)");
  if (seed) cmd.option("--seed <n>", "random seed (default: random, printed)");
  return cmd
    .option(
      "--prior <prior>",
      'a prior "CLASS: DIST", repeatable (b, Intercept, sd, cor, sigma)',
      (v: string, acc: string[]) => [...acc, v],
      [] as string[],
    )
    .option("--adapt-delta <x>", "target acceptance rate of the step-size adaptation (default 0.8)")
    .option("--max-treedepth <n>", "maximum NUTS tree depth (default 10)");
}
