/**
 * One Markov chain: initialisation, Stan's windowed warm-up, sampling, and the chain's statistics.
 *
 *     const r = runChain(model, { seed: 1, chain: 0, warmup: 1000, draws: 1000 });
 *     r.outputs[k * r.draws + i]        // reported quantity k (model.outputNames[k]) at kept draw i
 *     r.unconstrained[k * r.draws + i]  // unconstrained coordinate k at kept draw i
 *     r.stats.treeDepth[i], r.summary.divergences, r.summary.stepSize, …
 *
 * Randomness comes from `RandomStream.forChain(seed, chain, SAMPLER_STREAM)` (initial point,
 * momenta, directions, proposals) and `RandomStream.forChain(seed, chain, OUTPUT_STREAM)` (handed
 * to `model.constrain`), so a chain is reproducible from (seed, chain) on any thread. Chains of one
 * fit use the same seed and chain = 0, 1, 2, ….
 *
 * Initial point: `init` when given (unconstrained scale), otherwise `model.initialPoint` (Stan:
 * uniform(−2, 2)), retried up to 100 times until the log density and its gradient are finite.
 * The result holds only typed arrays and plain values (it can be posted from a worker).
 */

import { NumericalError, OptionError, type Warning } from "../errors.ts";
import { WarmupAdapter } from "./adaptation.ts";
import { ebfmi } from "./diagnostics.ts";
import type { BayesModel } from "./log-density.ts";
import { DenseMetric, DiagMetric, type Metric } from "./metric.ts";
import { NutsSampler } from "./nuts.ts";
import { OUTPUT_STREAM, RandomStream, SAMPLER_STREAM } from "./random.ts";

export interface ChainOptions {
  /** Seed shared by all chains of a fit (a safe integer). */
  readonly seed: number;
  /** Chain index (0, 1, …): selects the chain's random streams. */
  readonly chain: number;
  /** Warm-up iterations (default 1000). */
  readonly warmup?: number;
  /** Kept iterations after warm-up (default 1000). */
  readonly draws?: number;
  /** Target acceptance statistic of the step-size adaptation (default 0.8). */
  readonly adaptDelta?: number;
  /** Maximum tree depth (default 10). */
  readonly maxTreedepth?: number;
  /** Diagonal (default) or dense metric. */
  readonly metric?: "diag" | "dense";
  /**
   * How warm-up estimates a diagonal metric: "stan" (default, variance of the positions) or
   * "gradient" (nutpie's √(var q / var grad)).
   */
  readonly metricAdaptation?: "stan" | "gradient";
  /** Initial point on the unconstrained scale (default: the model's `initialPoint`). */
  readonly init?: ArrayLike<number>;
  /** Initial step size before the heuristic (default 1). */
  readonly stepSize?: number;
  /** Initial inverse metric (dim diagonal entries, or dim × dim for dense; default identity). */
  readonly inverseMetric?: ArrayLike<number>;
  /** Called after every iteration with the number done and the total (warm-up + draws). */
  readonly onProgress?: (done: number, total: number) => void;
}

/** Per-iteration sampler statistics (Stan's `*__` columns), one entry per iteration. */
export interface SamplerStats {
  /** lp__: log density (Jacobians included, constants dropped) at the draw. */
  readonly lp: Float64Array;
  /** accept_stat__ */
  readonly acceptStat: Float64Array;
  /** stepsize__ */
  readonly stepSize: Float64Array;
  /** treedepth__ */
  readonly treeDepth: Int32Array;
  /** n_leapfrog__ */
  readonly nLeapfrog: Int32Array;
  /** divergent__ (0 or 1) */
  readonly divergent: Uint8Array;
  /** energy__ */
  readonly energy: Float64Array;
}

export interface ChainSummary {
  readonly chain: number;
  readonly metric: "diag" | "dense";
  /** Step size after warm-up. */
  readonly stepSize: number;
  /** Adapted inverse metric: dim diagonal entries, or dim × dim row-major for dense. */
  readonly inverseMetric: Float64Array;
  /** Divergent transitions after warm-up. */
  readonly divergences: number;
  /** Divergent transitions during warm-up. */
  readonly divergencesWarmup: number;
  /** Kept iterations that hit the maximum tree depth. */
  readonly maxTreedepthHits: number;
  readonly maxTreedepth: number;
  readonly meanTreeDepth: number;
  readonly meanAcceptStat: number;
  /** Energy Bayesian fraction of missing information of the kept iterations (NaN with < 2 draws). */
  readonly ebfmi: number;
  /** Leapfrog steps during warm-up / sampling (Stan's n_leapfrog__ sums). */
  readonly leapfrogWarmup: number;
  readonly leapfrogSampling: number;
  /** Every gradient evaluation, initialisation and step-size searches included. */
  readonly gradientEvaluations: number;
  /** Wall seconds of warm-up (initialisation included) and of sampling (performance.now()). */
  readonly warmupSeconds: number;
  readonly samplingSeconds: number;
}

export interface ChainResult {
  readonly chain: number;
  readonly seed: number;
  readonly warmup: number;
  readonly draws: number;
  /** Unconstrained dimension. */
  readonly dim: number;
  /** Number of reported quantities (model.outputNames.length). */
  readonly outputCount: number;
  /** Kept unconstrained draws, coordinate-major: [k * draws + i]. */
  readonly unconstrained: Float64Array;
  /** Kept reported quantities (model.constrain), variable-major: [k * draws + i]. */
  readonly outputs: Float64Array;
  /** Statistics of the kept iterations. */
  readonly stats: SamplerStats;
  /** Statistics of the warm-up iterations. */
  readonly warmupStats: SamplerStats;
  readonly summary: ChainSummary;
  readonly warnings: readonly Warning[];
  /** The initial point used (unconstrained). */
  readonly initialPoint: Float64Array;
}

/** Maximum number of random initial points tried (Stan's 100). */
export const MAX_INIT_TRIES = 100;

function newStats(n: number): SamplerStats {
  return {
    lp: new Float64Array(n),
    acceptStat: new Float64Array(n),
    stepSize: new Float64Array(n),
    treeDepth: new Int32Array(n),
    nLeapfrog: new Int32Array(n),
    divergent: new Uint8Array(n),
    energy: new Float64Array(n),
  };
}

function record(s: SamplerStats, i: number, nuts: NutsSampler): void {
  s.lp[i] = nuts.lp;
  s.acceptStat[i] = nuts.acceptStat;
  s.stepSize[i] = nuts.lastStepSize;
  s.treeDepth[i] = nuts.treeDepth;
  s.nLeapfrog[i] = nuts.nLeapfrog;
  s.divergent[i] = nuts.divergent ? 1 : 0;
  s.energy[i] = nuts.energy;
}

function checkCount(name: string, v: number): void {
  if (!Number.isSafeInteger(v) || v < 0) {
    throw new OptionError(`${name} must be a non-negative integer, got ${v}`);
  }
}

function allFinite(x: Float64Array): boolean {
  for (let i = 0; i < x.length; i++) if (!Number.isFinite(x[i])) return false;
  return true;
}

/** Runs one chain of NUTS with Stan's warm-up on `model`. */
export function runChain(model: BayesModel, options: ChainOptions): ChainResult {
  const warmup = options.warmup ?? 1000;
  const draws = options.draws ?? 1000;
  const adaptDelta = options.adaptDelta ?? 0.8;
  const maxTreedepth = options.maxTreedepth ?? 10;
  const metricKind = options.metric ?? "diag";
  checkCount("warmup", warmup);
  checkCount("draws", draws);
  if (!(adaptDelta > 0 && adaptDelta < 1)) {
    throw new OptionError(`adaptDelta must be strictly between 0 and 1, got ${adaptDelta}`);
  }
  if (!Number.isInteger(maxTreedepth) || maxTreedepth < 1 || maxTreedepth > 30) {
    throw new OptionError(`maxTreedepth must be an integer from 1 to 30, got ${maxTreedepth}`);
  }
  if (metricKind !== "diag" && metricKind !== "dense") {
    throw new OptionError(`metric must be "diag" or "dense", got ${JSON.stringify(metricKind)}`);
  }
  const metricAdaptation = options.metricAdaptation ?? "stan";
  if (metricAdaptation !== "stan" && metricAdaptation !== "gradient") {
    throw new OptionError(
      `metricAdaptation must be "stan" or "gradient", got ${JSON.stringify(metricAdaptation)}`,
    );
  }
  if (metricAdaptation === "gradient" && metricKind === "dense") {
    throw new OptionError('metricAdaptation "gradient" works with the diagonal metric only');
  }
  const stepSize0 = options.stepSize ?? 1;
  if (!(stepSize0 > 0 && Number.isFinite(stepSize0))) {
    throw new OptionError(`stepSize must be a positive number, got ${stepSize0}`);
  }
  const d = model.dim;
  const rng = RandomStream.forChain(options.seed, options.chain, SAMPLER_STREAM);
  const outRng = RandomStream.forChain(options.seed, options.chain, OUTPUT_STREAM);
  const t0 = performance.now();

  const metric: Metric = metricKind === "dense" ? new DenseMetric(d) : new DiagMetric(d);
  if (options.inverseMetric) {
    const need = metricKind === "dense" ? d * d : d;
    if (options.inverseMetric.length !== need) {
      throw new OptionError(
        `inverseMetric must have ${need} entries for a ${metricKind} metric in ${d} dimensions`,
      );
    }
    metric.inverse.set(options.inverseMetric);
  }
  if (!metric.update()) {
    throw new OptionError("inverseMetric must be finite and positive definite");
  }
  const nuts = new NutsSampler(model, metric, rng, { maxTreedepth });
  nuts.stepSize = stepSize0;

  // initial point
  const q0 = new Float64Array(d);
  if (options.init) {
    if (options.init.length !== d) {
      throw new OptionError(`init must have ${d} unconstrained values, got ${options.init.length}`);
    }
    q0.set(options.init);
    const lp = nuts.setPosition(q0);
    if (!Number.isFinite(lp) || !allFinite(nuts.gradient)) {
      throw new NumericalError(
        "E_NUMERIC_NON_FINITE",
        `the log density or its gradient is not finite at the given initial point (chain ${options.chain + 1})`,
        "Give an initial point inside the support of the posterior, or leave init out",
      );
    }
  } else {
    let ok = false;
    for (let attempt = 0; attempt < MAX_INIT_TRIES && !ok; attempt++) {
      model.initialPoint(q0, rng.uniformFn);
      const lp = nuts.setPosition(q0);
      ok = Number.isFinite(lp) && allFinite(nuts.gradient);
    }
    if (!ok) {
      throw new NumericalError(
        "E_NUMERIC_NON_FINITE",
        `no initial point with a finite log density and gradient found in ${MAX_INIT_TRIES} attempts (chain ${options.chain + 1})`,
        "Check the model and its priors, or give an initial point",
      );
    }
  }

  const warnings: Warning[] = [];
  const adapter = new WarmupAdapter(nuts, { warmup, adaptDelta, metric: metricKind, metricAdaptation });
  if (adapter.warning) warnings.push(adapter.warning);
  const total = warmup + draws;
  const onProgress = options.onProgress;

  // warm-up
  adapter.start();
  const warmupStats = newStats(warmup);
  for (let it = 0; it < warmup; it++) {
    nuts.transition();
    record(warmupStats, it, nuts);
    adapter.afterTransition();
    if (onProgress) onProgress(it + 1, total);
  }
  adapter.finish();
  const t1 = performance.now();

  // sampling
  const stats = newStats(draws);
  const unconstrained = new Float64Array(d * draws);
  const nOut = model.outputNames.length;
  const outputs = new Float64Array(nOut * draws);
  const out = new Float64Array(nOut);
  for (let it = 0; it < draws; it++) {
    nuts.transition();
    record(stats, it, nuts);
    const q = nuts.q;
    for (let k = 0; k < d; k++) unconstrained[k * draws + it] = q[k];
    model.constrain(q, out, outRng.normalFn);
    for (let k = 0; k < nOut; k++) outputs[k * draws + it] = out[k];
    if (onProgress) onProgress(warmup + it + 1, total);
  }
  const t2 = performance.now();

  let divergences = 0;
  let hits = 0;
  let depthSum = 0;
  let acceptSum = 0;
  let leapSampling = 0;
  for (let i = 0; i < draws; i++) {
    divergences += stats.divergent[i];
    if (stats.treeDepth[i] >= maxTreedepth) hits++;
    depthSum += stats.treeDepth[i];
    acceptSum += stats.acceptStat[i];
    leapSampling += stats.nLeapfrog[i];
  }
  let divergencesWarmup = 0;
  let leapWarmup = 0;
  for (let i = 0; i < warmup; i++) {
    divergencesWarmup += warmupStats.divergent[i];
    leapWarmup += warmupStats.nLeapfrog[i];
  }
  const summary: ChainSummary = {
    chain: options.chain,
    metric: metricKind,
    stepSize: nuts.stepSize,
    inverseMetric: Float64Array.from(metric.inverse),
    divergences,
    divergencesWarmup,
    maxTreedepthHits: hits,
    maxTreedepth,
    meanTreeDepth: draws > 0 ? depthSum / draws : Number.NaN,
    meanAcceptStat: draws > 0 ? acceptSum / draws : Number.NaN,
    ebfmi: ebfmi(stats.energy),
    leapfrogWarmup: leapWarmup,
    leapfrogSampling: leapSampling,
    gradientEvaluations: nuts.gradientEvaluations,
    warmupSeconds: (t1 - t0) / 1000,
    samplingSeconds: (t2 - t1) / 1000,
  };
  return {
    chain: options.chain,
    seed: options.seed,
    warmup,
    draws,
    dim: d,
    outputCount: nOut,
    unconstrained,
    outputs,
    stats,
    warmupStats,
    summary,
    warnings,
    initialPoint: q0,
  };
}
