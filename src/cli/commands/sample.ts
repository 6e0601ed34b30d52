/**
 * `mixed sample FORMULA --data DATA`: a Bayesian fit by NUTS (chains in worker threads), printed
 * like cmdstanr's `summary()` with the priors and per-chain sampler diagnostics; `--json` writes
 * the contract's object, `--draws-out FILE.csv` the draws with cmdstan's columns, `--compare-lmm`
 * adds lme4's REML estimates and conditional modes next to the posterior means.
 */
import { writeFileSync } from "node:fs";
import cliProgress from "cli-progress";
import { drawsCsv } from "../../bayes/draws-csv.ts";
import { fitLmm, OptionError, parseFormula, SpecError } from "../../index.ts";
import { fitBayesParallel } from "../../node/fit-bayes-parallel.ts";
import { readData } from "../../node/read-data.ts";
import { lmmComparison, printBayesSummary, printLmmComparison } from "../../report/bayes-summary.ts";
import type { ModelOptions } from "../main.ts";
import { writeWarnings } from "./fit.ts";
import { type SamplerCliOptions, samplerFitOptions } from "./sampler-options.ts";

export interface SampleOptions extends ModelOptions, SamplerCliOptions {
  drawsOut?: string;
  compareLmm?: boolean;
}

function checkSampleOptions(opts: SampleOptions): void {
  if (opts.reml || opts.ml)
    throw new OptionError("--reml/--ml do not apply to mixed sample (a Bayesian fit)");
  if (opts.weights) throw new OptionError("--weights is not supported by mixed sample yet");
  if (opts.nagq !== undefined) throw new OptionError("--nagq applies to generalized models only");
  if (opts.family && opts.family !== "gaussian") {
    throw new OptionError(
      `--family ${opts.family} is not available for mixed sample yet`,
      "only Gaussian models can be sampled",
    );
  }
}

/** A progress bar on stderr (only for a terminal): one bar over all chains' iterations. */
function progressBar(total: number): {
  update: (chain: number, iteration: number) => void;
  stop: () => void;
} {
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: "sampling [{bar}] {percentage}% | {value}/{total} iterations | {eta}s left",
      hideCursor: true,
      clearOnComplete: true,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0);
  const done = new Map<number, number>();
  return {
    update: (chain, iteration) => {
      done.set(chain, iteration);
      let sum = 0;
      for (const v of done.values()) sum += v;
      bar.update(sum);
    },
    stop: () => bar.stop(),
  };
}

export async function runSample(formulaText: string, opts: SampleOptions): Promise<number> {
  checkSampleOptions(opts);
  const fitOpts = samplerFitOptions(opts);
  const formula = parseFormula(formulaText);
  const data = await readData(opts.data, { schemaPath: opts.schema, encoding: opts.encoding });
  if (formula.random.length === 0) {
    throw new SpecError(
      "E_SPEC_NO_RANDOM_EFFECTS",
      `the formula '${formulaText}' has no random-effects term`,
      "mixed sample fits mixed models: add a term such as (1 | group)",
    );
  }
  const showBar = !opts.json && process.stderr.isTTY === true;
  const chains = fitOpts.chains ?? 4;
  const iterations = (fitOpts.warmup ?? 1000) + (fitOpts.draws ?? 1000);
  const bar = showBar ? progressBar(chains * iterations) : null;
  let fit: Awaited<ReturnType<typeof fitBayesParallel>>;
  try {
    fit = await fitBayesParallel(formulaText, data, { ...fitOpts, onProgress: bar?.update });
  } finally {
    bar?.stop();
  }
  if (opts.drawsOut !== undefined) writeFileSync(opts.drawsOut, drawsCsv(fit));
  const lmm = opts.compareLmm ? fitLmm(formula, data, { REML: true }) : null;
  if (opts.json) {
    const json = lmm === null ? fit.toJSON() : { ...fit.toJSON(), compare_lmm: lmmComparison(fit, lmm) };
    process.stdout.write(`${JSON.stringify(json)}\n`);
    return 0;
  }
  let out = printBayesSummary(fit);
  if (lmm !== null) out += `\n${printLmmComparison(fit, lmm)}`;
  process.stdout.write(out);
  writeWarnings(fit.warnings);
  if (lmm !== null) writeWarnings(lmm.warnings);
  return 0;
}
