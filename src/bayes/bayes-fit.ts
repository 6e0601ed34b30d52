/**
 * The result of a Bayesian fit (`fitBayes`, or the Node entry's parallel run): the kept draws of
 * every chain, cmdstanr-style summary rows, per-chain sampler diagnostics and the convergence
 * warnings, assembled from the chains' `ChainResult`s. `toJSON()` writes the shape of the CLI
 * contract (`mixed sample --json`).
 */
import type { Warning } from "../errors.ts";
import type { BayesMethod } from "./build-bayes-model.ts";
import type { ChainResult } from "./run-chain.ts";
import { type DrawSummary, summariseVariable } from "./summarise-draws.ts";

/** A prior in use, one per parameter (a correlation block: `cor_<group>`). */
export interface PriorUsed {
  /** `b_Intercept`, `sd_group__x`, `sigma`, `cor_group`. */
  readonly parameter: string;
  /** The prior, in the syntax of `--prior` (`student_t(3, 3.8, 8.7) T[0, ]`, `flat`, `lkj(2)`). */
  readonly prior: string;
  /** `default` (derived from the data, brms-like) or `user`. */
  readonly source: "default" | "user";
}

/** One chain's sampler diagnostics (kept draws unless stated). */
export interface ChainDiagnostics {
  /** 1-based chain id (as Stan and the draws CSV number them). */
  readonly chain: number;
  readonly divergences: number;
  readonly divergencesWarmup: number;
  /** Kept iterations whose tree reached the maximum depth. */
  readonly treedepthHits: number;
  /** Energy Bayesian fraction of missing information; NaN with < 2 draws. */
  readonly ebfmi: number;
  /** Step size after adaptation. */
  readonly stepsize: number;
  readonly meanTreedepth: number;
  readonly meanAcceptStat: number;
  readonly nLeapfrogWarmup: number;
  readonly nLeapfrogSampling: number;
  /** Every gradient evaluation of the chain (warm-up, step-size searches and initialisation included). */
  readonly gradientEvaluations: number;
  /** Adapted inverse metric on the unconstrained scale (diagonal). */
  readonly inverseMetric: readonly number[];
  readonly warmupSeconds: number;
  readonly samplingSeconds: number;
}

function chainDiagnostics(r: ChainResult): ChainDiagnostics {
  const s = r.summary;
  return {
    chain: r.chain + 1,
    divergences: s.divergences,
    divergencesWarmup: s.divergencesWarmup,
    treedepthHits: s.maxTreedepthHits,
    ebfmi: s.ebfmi,
    stepsize: s.stepSize,
    meanTreedepth: s.meanTreeDepth,
    meanAcceptStat: s.meanAcceptStat,
    nLeapfrogWarmup: s.leapfrogWarmup,
    nLeapfrogSampling: s.leapfrogSampling,
    gradientEvaluations: s.gradientEvaluations,
    inverseMetric: Array.from(s.inverseMetric),
    warmupSeconds: s.warmupSeconds,
    samplingSeconds: s.samplingSeconds,
  };
}

/** The settings a fit ran with (every option resolved to its value). */
export interface BayesRunSettings {
  readonly formula: string;
  readonly method: BayesMethod;
  /** Parameterisation of the random effects (`noncentred`/`centred`) for nuts-full; null for collapsed. */
  readonly parameterisation: string | null;
  /** Why this parameterisation (chosen from the data, or given). */
  readonly parameterisationReason: string;
  readonly chains: number;
  readonly warmup: number;
  readonly draws: number;
  readonly seed: number;
  readonly adaptDelta: number;
  readonly maxTreedepth: number;
}

export interface BayesTiming {
  /** Chain-seconds of warm-up, summed over chains (as Stan reports them). */
  readonly warmup_s: number;
  /** Chain-seconds of sampling, summed over chains. */
  readonly sampling_s: number;
  /** warmup_s + sampling_s. */
  readonly total_s: number;
  /** Elapsed time of the whole run (model set-up, all chains, summaries). */
  readonly wall_s: number;
}

/** `mixed sample --json`: the contract's fields, then extras. */
export interface BayesJSON {
  readonly method: BayesMethod;
  readonly chains: number;
  readonly warmup: number;
  readonly draws: number;
  readonly seed: number;
  readonly priors: readonly PriorUsed[];
  readonly summary: readonly DrawSummary[];
  readonly divergences: number;
  readonly timing: BayesTiming;
  readonly formula: string;
  readonly parameterisation: string | null;
  readonly parameterisation_reason: string;
  readonly adapt_delta: number;
  readonly max_treedepth: number;
  readonly per_chain: readonly Record<string, number | readonly number[]>[];
  readonly warnings: readonly Warning[];
}

export interface BayesFit extends BayesRunSettings {
  readonly kind: "bayes";
  readonly priors: readonly PriorUsed[];
  /** Reported quantities (brms names), in output order. */
  readonly variables: readonly string[];
  readonly summary: readonly DrawSummary[];
  readonly chainResults: readonly ChainResult[];
  readonly diagnostics: readonly ChainDiagnostics[];
  /** Divergent transitions after warm-up, all chains. */
  readonly divergences: number;
  readonly warnings: readonly Warning[];
  readonly timing: BayesTiming;
  /** The kept draws of one variable, one array per chain. Throws on an unknown name. */
  drawsOf(variable: string): Float64Array[];
  toJSON(): BayesJSON;
}

/** ESS below this per chain draws a warning (400 for 4 chains, as Vehtari et al. 2021). */
const ESS_PER_CHAIN = 100;
const RHAT_MAX = 1.01;
const EBFMI_MIN = 0.3;

const fmt = (x: number, d = 3): string => (Number.isFinite(x) ? x.toFixed(d) : String(x));

function listNames(names: readonly string[], max = 5): string {
  const shown = names.slice(0, max).join(", ");
  return names.length > max ? `${shown} and ${names.length - max} more` : shown;
}

function healthWarnings(
  s: BayesRunSettings,
  rows: readonly DrawSummary[],
  diag: readonly ChainDiagnostics[],
) {
  const w: Warning[] = [];
  const badRhat = rows.filter((r) => !(r.rhat < RHAT_MAX) && !Number.isNaN(r.rhat));
  if (badRhat.length > 0) {
    const worst = badRhat.reduce((a, b) => (b.rhat > a.rhat ? b : a));
    w.push({
      code: "rhat_high",
      message: `R-hat above ${RHAT_MAX} for ${badRhat.length} variable(s) (${listNames(badRhat.map((r) => r.variable))}; largest ${fmt(worst.rhat)} for ${worst.variable}): the chains have not mixed; run longer chains or reparameterise`,
    });
  }
  const minEss = ESS_PER_CHAIN * s.chains;
  const lowEss = rows.filter((r) => r.ess_bulk < minEss || r.ess_tail < minEss);
  if (lowEss.length > 0) {
    const worst = lowEss.reduce((a, b) =>
      Math.min(b.ess_bulk, b.ess_tail) < Math.min(a.ess_bulk, a.ess_tail) ? b : a,
    );
    w.push({
      code: "ess_low",
      message: `bulk or tail ESS below ${minEss} (${ESS_PER_CHAIN} per chain) for ${lowEss.length} variable(s) (${listNames(lowEss.map((r) => r.variable))}; lowest ${fmt(Math.min(worst.ess_bulk, worst.ess_tail), 0)} for ${worst.variable}): posterior means and quantiles may be unreliable; run more draws`,
    });
  }
  const div = diag.reduce((a, d) => a + d.divergences, 0);
  if (div > 0) {
    w.push({
      code: "divergent_transitions",
      message: `${div} divergent transition(s) after warm-up (${diag.map((d) => d.divergences).join(", ")} per chain): the posterior may be biased; increase adaptDelta (--adapt-delta) or reparameterise`,
    });
  }
  const depth = diag.reduce((a, d) => a + d.treedepthHits, 0);
  if (depth > 0) {
    w.push({
      code: "max_treedepth",
      message: `${depth} transition(s) hit the maximum tree depth of ${s.maxTreedepth}: efficiency suffers; increase maxTreedepth or reparameterise`,
    });
  }
  const lowE = diag.filter((d) => d.ebfmi < EBFMI_MIN);
  if (lowE.length > 0) {
    w.push({
      code: "ebfmi_low",
      message: `E-BFMI below ${EBFMI_MIN} in chain(s) ${lowE.map((d) => `${d.chain} (${fmt(d.ebfmi)})`).join(", ")}: the momentum resampling explores the energy poorly; reparameterise`,
    });
  }
  return w;
}

/** Draws of output `k` of one chain (a view, not a copy). */
function column(c: ChainResult, k: number): Float64Array {
  return c.outputs.subarray(k * c.draws, (k + 1) * c.draws);
}

/** The chains' own warnings (warm-up too short, ...), each once. */
function chainWarnings(chains: readonly ChainResult[]): Warning[] {
  const seen = new Set<string>();
  const out: Warning[] = [];
  for (const c of chains) {
    for (const w of c.warnings) {
      const key = `${w.code}\u0000${w.message}`;
      if (!seen.has(key)) {
        seen.add(key);
        out.push(w);
      }
    }
  }
  return out;
}

/**
 * Assemble a fit from its chains (in chain order). `startedAt` is the `performance.now()` at the
 * start of the run (the fit's `wall_s` runs to the end of the summaries). `extraWarnings` (from the
 * model: priors, data) come first. `precomputedSummary` (one row per variable, in order, e.g.
 * computed in worker threads by `summariseVariables`) replaces the summaries computed here.
 */
export function assembleBayesFit(
  settings: BayesRunSettings,
  priors: readonly PriorUsed[],
  variables: readonly string[],
  chainResults: readonly ChainResult[],
  startedAt: number,
  extraWarnings: readonly Warning[] = [],
  precomputedSummary?: readonly DrawSummary[],
): BayesFit {
  const index = new Map(variables.map((v, k) => [v, k] as const));
  const drawsOf = (variable: string): Float64Array[] => {
    const k = index.get(variable);
    if (k === undefined) throw new Error(`no variable named '${variable}' in this fit`);
    return chainResults.map((c) => Float64Array.from(column(c, k)));
  };
  const summary =
    precomputedSummary ??
    variables.map((v, k) =>
      summariseVariable(
        v,
        chainResults.map((c) => column(c, k)),
      ),
    );
  const diagnostics = chainResults.map(chainDiagnostics);
  const divergences = diagnostics.reduce((a, d) => a + d.divergences, 0);
  const warmupS = diagnostics.reduce((a, d) => a + d.warmupSeconds, 0);
  const samplingS = diagnostics.reduce((a, d) => a + d.samplingSeconds, 0);
  const timing: BayesTiming = {
    warmup_s: warmupS,
    sampling_s: samplingS,
    total_s: warmupS + samplingS,
    wall_s: (performance.now() - startedAt) / 1000,
  };
  const warnings = [
    ...extraWarnings,
    ...chainWarnings(chainResults),
    ...healthWarnings(settings, summary, diagnostics),
  ];
  const fit: BayesFit = {
    kind: "bayes",
    ...settings,
    priors,
    variables,
    summary,
    chainResults,
    diagnostics,
    divergences,
    warnings,
    timing,
    drawsOf,
    toJSON: () => bayesToJSON(fit),
  };
  return fit;
}

/**
 * Summary rows of variables `from` to `to - 1` from per-chain variable-major outputs (each chain's
 * slice holds exactly those variables, `draws` each): the unit of work of a worker thread.
 */
export function summariseVariables(
  names: readonly string[],
  chainSlices: readonly Float64Array[],
  draws: number,
): DrawSummary[] {
  return names.map((v, k) =>
    summariseVariable(
      v,
      chainSlices.map((c) => c.subarray(k * draws, (k + 1) * draws)),
    ),
  );
}

/** The JSON object of `mixed sample --json` (the contract's fields first). */
export function bayesToJSON(fit: BayesFit): BayesJSON {
  return {
    method: fit.method,
    chains: fit.chains,
    warmup: fit.warmup,
    draws: fit.draws,
    seed: fit.seed,
    priors: fit.priors,
    summary: fit.summary,
    divergences: fit.divergences,
    timing: fit.timing,
    formula: fit.formula,
    parameterisation: fit.parameterisation,
    parameterisation_reason: fit.parameterisationReason,
    adapt_delta: fit.adaptDelta,
    max_treedepth: fit.maxTreedepth,
    per_chain: fit.diagnostics.map((d) => ({
      chain: d.chain,
      divergences: d.divergences,
      divergences_warmup: d.divergencesWarmup,
      max_treedepth_hits: d.treedepthHits,
      e_bfmi: d.ebfmi,
      stepsize: d.stepsize,
      mean_treedepth: d.meanTreedepth,
      mean_accept_stat: d.meanAcceptStat,
      n_leapfrog_warmup: d.nLeapfrogWarmup,
      n_leapfrog_sampling: d.nLeapfrogSampling,
      gradient_evaluations: d.gradientEvaluations,
      warmup_s: d.warmupSeconds,
      sampling_s: d.samplingSeconds,
      inverse_metric: d.inverseMetric,
    })),
    warnings: fit.warnings,
  };
}
