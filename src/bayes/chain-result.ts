/**
 * What one Markov chain hands back to the fit: its kept draws of the reported quantities and
 * Stan's per-iteration sampler columns, plus the chain's own diagnostics. Only typed arrays and
 * plain numbers, so a chain run in a worker thread crosses to the main thread unchanged.
 */

/** Per-iteration sampler columns, one entry per kept draw (cmdstan's `*__` columns). */
export interface SamplerColumns {
  readonly lp: Float64Array;
  readonly acceptStat: Float64Array;
  readonly stepsize: Float64Array;
  readonly treedepth: Float64Array;
  readonly nLeapfrog: Float64Array;
  /** 1 for a divergent transition, else 0. */
  readonly divergent: Float64Array;
  readonly energy: Float64Array;
}

/** One chain's sampler diagnostics (kept draws unless stated). */
export interface ChainDiagnostics {
  /** 1-based chain id. */
  readonly chain: number;
  readonly divergences: number;
  readonly divergencesWarmup: number;
  /** Kept iterations whose tree reached the maximum depth. */
  readonly treedepthHits: number;
  /** Estimated Bayesian fraction of missing information (Betancourt); NaN with < 2 draws. */
  readonly ebfmi: number;
  /** Step size after adaptation. */
  readonly stepsize: number;
  readonly meanTreedepth: number;
  readonly meanAcceptStat: number;
  readonly nLeapfrogWarmup: number;
  readonly nLeapfrogSampling: number;
  /** Adapted diagonal inverse metric on the unconstrained scale. */
  readonly inverseMetric: readonly number[];
  readonly warmupSeconds: number;
  readonly samplingSeconds: number;
}

export interface ChainResult {
  readonly diagnostics: ChainDiagnostics;
  /** Kept draws, row-major: draw i, quantity k at `i * nOutputs + k` (outputs as `BayesModel.outputNames`). */
  readonly values: Float64Array;
  readonly nDraws: number;
  readonly sampler: SamplerColumns;
}

/**
 * E-BFMI of one chain from its energies: sum of squared successive differences over the sum of
 * squared deviations from the mean (Betancourt 2016; what Stan and `posterior` report).
 */
export function ebfmi(energy: ArrayLike<number>): number {
  const n = energy.length;
  if (n < 2) return Number.NaN;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += energy[i];
  mean /= n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    const d = energy[i] - mean;
    den += d * d;
    if (i > 0) {
      const s = energy[i] - energy[i - 1];
      num += s * s;
    }
  }
  return den > 0 ? num / den : Number.NaN;
}
