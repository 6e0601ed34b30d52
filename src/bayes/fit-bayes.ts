/**
 * `fitBayes`: a Bayesian linear mixed model by NUTS, chains one after the other (browser-pure;
 * the Node entry's `fitBayesParallel` runs the same chains in worker threads and gets the same
 * draws). A run is described by a `BayesRunSpec` (formula text, data columns, resolved options):
 * plain data that a worker can rebuild the model from, so every chain depends only on the spec
 * and its chain number, never on which thread ran it or in which order.
 */
import type { Column, DataSource } from "../data/column.ts";
import { ColumnTable } from "../data/column-table.ts";
import type { ModelFormula } from "../formula/model-formula.ts";
import { type BayesFit, type BayesRunSettings, type PriorUsed, assembleBayesFit } from "./bayes-fit.ts";
import { type BayesFitOptions, type ResolvedBayesOptions, resolveBayesOptions } from "./bayes-options.ts";
import { type BayesModelBuild, buildBayesModel } from "./build-bayes-model.ts";
import { formatDistribution, type ResolvedPriors } from "./priors.ts";
import { type ChainResult, runChain } from "./run-chain.ts";
import type { DrawSummary } from "./summarise-draws.ts";

/** Everything needed to rebuild the model and run any of its chains (structured-clonable). */
export interface BayesRunSpec {
  /** Identifies the run (a worker reuses the model it built for an earlier chain of the same run). */
  readonly runId: string;
  readonly formula: string;
  readonly dataName: string;
  readonly nrow: number;
  readonly columns: readonly Column[];
  readonly options: ResolvedBayesOptions;
}

/** The model of a run and what the fit reports about it. */
export interface PreparedBayesRun {
  readonly spec: BayesRunSpec;
  readonly build: BayesModelBuild;
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

/** The data of a spec, rebuilt (in a worker). */
function specData(spec: BayesRunSpec): DataSource {
  return new ColumnTable(spec.dataName, spec.columns, spec.nrow);
}

function buildFor(formula: string, data: DataSource, o: ResolvedBayesOptions): BayesModelBuild {
  return buildBayesModel(formula, data, {
    method: o.method,
    parameterisation: o.parameterisation,
    priors: o.priors,
  });
}

/** The priors in force, one per parameter. */
export function priorsUsed(p: ResolvedPriors): PriorUsed[] {
  const scalar = [...p.b, ...p.sd, p.sigma].map((s) => {
    let prior = formatDistribution(s.dist);
    if (s.support.kind === "positive" && s.dist.family !== "flat") prior += " T[0, ]";
    if (s.support.kind === "interval" && s.dist.family !== "uniform") {
      prior += ` T[${s.support.lower}, ${s.support.upper}]`;
    }
    return { parameter: s.name, prior, source: s.source };
  });
  const cor = p.cor.map((c) => ({ parameter: c.name, prior: `lkj(${c.eta})`, source: c.source }));
  return [...scalar, ...cor];
}

let runCounter = 0;

/** Resolve the options and build the model once (validating formula, data and priors). */
export function prepareBayesRun(
  formulaOrText: string | ModelFormula,
  data: DataSource,
  opts: BayesFitOptions = {},
): PreparedBayesRun {
  // the text travels to the worker threads, which parse it again
  const formula = typeof formulaOrText === "string" ? formulaOrText : formulaOrText.text;
  const options = resolveBayesOptions(opts);
  const build = buildFor(formula, data, options);
  const spec: BayesRunSpec = {
    runId: `${performance.now()}:${++runCounter}:${Math.random()}`,
    formula,
    dataName: data.name,
    nrow: data.nrow,
    columns: dataColumns(data),
    // the builder's choices are fixed here, so a worker rebuilds exactly this model
    options: { ...options, method: build.method, parameterisation: build.parameterisation ?? undefined },
  };
  const settings: BayesRunSettings = {
    formula: build.formula,
    method: build.method,
    parameterisation: build.parameterisation,
    parameterisationReason: build.parameterisationReason,
    chains: options.chains,
    warmup: options.warmup,
    draws: options.draws,
    seed: options.seed,
    adaptDelta: options.adaptDelta,
    maxTreedepth: options.maxTreedepth,
  };
  return { spec, build, settings };
}

/** Called with the iterations done and the total (warm-up + draws) of one chain. */
export type ChainProgress = (done: number, total: number) => void;

function runOne(
  build: BayesModelBuild,
  o: ResolvedBayesOptions,
  chain: number,
  progress?: ChainProgress,
): ChainResult {
  return runChain(build.model, {
    seed: o.seed,
    chain: chain - 1,
    warmup: o.warmup,
    draws: o.draws,
    adaptDelta: o.adaptDelta,
    maxTreedepth: o.maxTreedepth,
    // the model's suggestion from the REML fit (the first window starts from it instead of ones)
    inverseMetric: build.suggestedInverseMetric ?? undefined,
    onProgress: progress,
  });
}

/** Run chain `chain` (1-based) of a prepared run, on its model (what `fitBayes` does per chain). */
export function runChainOfRun(run: PreparedBayesRun, chain: number, progress?: ChainProgress): ChainResult {
  return runOne(run.build, run.spec.options, chain, progress);
}

/** The last model a worker built, reused by its next chain of the same run. */
let lastBuild: { readonly runId: string; readonly build: BayesModelBuild } | undefined;

/**
 * Run chain `chain` (1-based) of a spec, rebuilding its model (once per run and thread: a worker
 * that runs several chains of one run reuses it): what a worker thread does.
 */
export function runChainOfSpec(spec: BayesRunSpec, chain: number, progress?: ChainProgress): ChainResult {
  if (lastBuild?.runId !== spec.runId) {
    lastBuild = { runId: spec.runId, build: buildFor(spec.formula, specData(spec), spec.options) };
  }
  return runOne(lastBuild.build, spec.options, chain, progress);
}

/** Assemble the fit of a prepared run from its chains (in chain order). */
export function finishBayesRun(
  run: PreparedBayesRun,
  chains: readonly ChainResult[],
  startedAt: number,
  summary?: readonly DrawSummary[],
): BayesFit {
  return assembleBayesFit(
    run.settings,
    priorsUsed(run.build.priors),
    run.build.model.outputNames,
    chains,
    startedAt,
    run.build.warnings,
    summary,
  );
}

/**
 * Fit `formula` to `data` by NUTS: `chains` chains of `warmup` + `draws` iterations, run one after
 * the other. The same seed gives the same draws here, in the Node entry's parallel run, and in
 * `mixed sample`.
 */
export function fitBayes(
  formula: string | ModelFormula,
  data: DataSource,
  opts: BayesFitOptions = {},
): BayesFit {
  const t0 = performance.now();
  const run = prepareBayesRun(formula, data, opts);
  const chains: ChainResult[] = [];
  for (let c = 1; c <= run.settings.chains; c++) chains.push(runChainOfRun(run, c));
  return finishBayesRun(run, chains, t0);
}
