/**
 * `fitBayes`: a Bayesian linear mixed model by NUTS, chains one after the other (browser-pure;
 * the Node entry's `fitBayesParallel` runs the same chains in worker threads and gets the same
 * draws). A run is described by a `BayesRunSpec` (formula text, data columns, resolved options):
 * plain data that a worker can rebuild the model from, so every chain depends only on the spec
 * and its chain number, never on which thread ran it or in which order.
 */
import type { Column, DataSource } from "../data/column.ts";
import { ColumnTable } from "../data/column-table.ts";
import type { Warning } from "../errors.ts";
import { type BayesFit, type BayesRunSettings, type PriorUsed, assembleBayesFit } from "./bayes-fit.ts";
import { type BayesFitOptions, type ResolvedBayesOptions, resolveBayesOptions } from "./bayes-options.ts";
import { type BuiltBayesModel, buildModelForRun } from "./build-model-for-run.ts";
import type { ChainResult } from "./chain-result.ts";
import { type ChainProgress, runBayesChain } from "./run-bayes-chain.ts";

/** Everything needed to rebuild the model and run any of its chains (structured-clonable). */
export interface BayesRunSpec {
  readonly formula: string;
  readonly dataName: string;
  readonly nrow: number;
  readonly columns: readonly Column[];
  readonly options: ResolvedBayesOptions;
}

/** The model of a run and what the fit reports about it. */
export interface PreparedBayesRun {
  readonly spec: BayesRunSpec;
  readonly built: BuiltBayesModel;
  readonly settings: BayesRunSettings;
}

function dataColumns(data: DataSource): Column[] {
  const out: Column[] = [];
  for (const n of data.names) {
    const c = data.column(n);
    if (c !== undefined) out.push(c);
  }
  return out;
}

/** Rebuild the data of a spec (in a worker). */
export function specData(spec: BayesRunSpec): DataSource {
  return new ColumnTable(spec.dataName, spec.columns, spec.nrow);
}

/** Resolve the options and build the model once (validating formula, data and priors). */
export function prepareBayesRun(formula: string, data: DataSource, opts: BayesFitOptions = {}): PreparedBayesRun {
  const options = resolveBayesOptions(opts);
  const built = buildModelForRun(formula, data, options);
  const spec: BayesRunSpec = {
    formula,
    dataName: data.name,
    nrow: data.nrow,
    columns: dataColumns(data),
    options,
  };
  const settings: BayesRunSettings = {
    formula,
    method: options.method,
    parameterisation: options.method === "nuts-full" ? built.parameterisation : null,
    chains: options.chains,
    warmup: options.warmup,
    draws: options.draws,
    seed: options.seed,
    adaptDelta: options.adaptDelta,
    maxTreedepth: options.maxTreedepth,
  };
  return { spec, built, settings };
}

/** Run chain `chain` (1-based) of a spec, rebuilding its model: what a worker thread does. */
export function runChainOfSpec(spec: BayesRunSpec, chain: number, progress?: ChainProgress): ChainResult {
  const built = buildModelForRun(spec.formula, specData(spec), spec.options);
  return runBayesChain(built.model, spec.options, chain, progress);
}

/** Assemble the fit of a prepared run from its chains (in chain order). */
export function finishBayesRun(
  run: PreparedBayesRun,
  chains: readonly ChainResult[],
  wallSeconds: number,
): BayesFit {
  const priors: readonly PriorUsed[] = run.built.priors;
  const warnings: readonly Warning[] = run.built.warnings;
  return assembleBayesFit(run.settings, priors, run.built.model.outputNames, chains, wallSeconds, warnings);
}

/**
 * Fit `formula` to `data` by NUTS: `chains` chains of `warmup` + `draws` iterations, run one after
 * the other. The same seed gives the same draws here, in the Node entry's parallel run, and in
 * `mixed sample`.
 */
export function fitBayes(formula: string, data: DataSource, opts: BayesFitOptions = {}): BayesFit {
  const t0 = performance.now();
  const run = prepareBayesRun(formula, data, opts);
  const chains: ChainResult[] = [];
  for (let c = 1; c <= run.settings.chains; c++) {
    chains.push(runBayesChain(run.built.model, run.spec.options, c));
  }
  return finishBayesRun(run, chains, (performance.now() - t0) / 1000);
}
