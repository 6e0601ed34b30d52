/**
 * Synthetic chains for the Bayes integration tests: `ChainResult`s filled with seeded independent
 * normal draws (optionally shifted per chain, or with divergences / a random-walk energy).
 */
import { ebfmi } from "../../src/bayes/diagnostics.ts";
import type { ChainResult, SamplerStats } from "../../src/bayes/run-chain.ts";
import { rng } from "./dense-reference.ts";

/** Box-Muller normals from the seeded uniform generator. */
export function normals(seed: number): () => number {
  const u = rng(seed);
  return () => {
    const a = Math.max(u(), 1e-300);
    return Math.sqrt(-2 * Math.log(a)) * Math.cos(2 * Math.PI * u());
  };
}

export interface SyntheticChainOptions {
  readonly nDraws: number;
  /** Means of the outputs (one per variable). */
  readonly means: readonly number[];
  /** Added to every draw of this chain (a chain stuck elsewhere). */
  readonly shift?: number;
  readonly divergences?: number;
  /** Energy as a slow random walk (low E-BFMI) instead of independent draws. */
  readonly stickyEnergy?: boolean;
}

/** A chain (0-based `chain`) of independent normal draws with the sampler columns filled in. */
export function syntheticChain(chain: number, seed: number, o: SyntheticChainOptions): ChainResult {
  const z = normals(seed);
  const n = o.nDraws;
  const nOut = o.means.length;
  const outputs = new Float64Array(n * nOut);
  for (let i = 0; i < n; i++)
    for (let k = 0; k < nOut; k++) outputs[k * n + i] = o.means[k] + z() + (o.shift ?? 0);
  const energy = new Float64Array(n);
  let e = 0;
  for (let i = 0; i < n; i++) {
    e = o.stickyEnergy ? e + 0.05 * z() : z();
    energy[i] = e;
  }
  const divergent = new Uint8Array(n);
  for (let i = 0; i < (o.divergences ?? 0); i++) divergent[i * 7] = 1;
  const stats: SamplerStats = {
    lp: new Float64Array(n).fill(-1),
    acceptStat: new Float64Array(n).fill(0.8),
    stepSize: new Float64Array(n).fill(0.5),
    treeDepth: new Int32Array(n).fill(3),
    nLeapfrog: new Int32Array(n).fill(7),
    divergent,
    energy,
  };
  return {
    chain,
    seed,
    warmup: 0,
    draws: n,
    dim: nOut,
    outputCount: nOut,
    unconstrained: Float64Array.from(outputs),
    outputs,
    stats,
    warmupStats: stats,
    summary: {
      chain,
      metric: "diag",
      stepSize: 0.5,
      inverseMetric: new Float64Array(nOut).fill(1),
      divergences: o.divergences ?? 0,
      divergencesWarmup: 0,
      maxTreedepthHits: 0,
      maxTreedepth: 10,
      meanTreeDepth: 3,
      meanAcceptStat: 0.8,
      ebfmi: ebfmi(energy),
      leapfrogWarmup: 7000,
      leapfrogSampling: 7 * n,
      gradientEvaluations: 7000 + 7 * n,
      warmupSeconds: 0.01,
      samplingSeconds: 0.02,
    },
    warnings: [],
    initialPoint: new Float64Array(nOut),
  };
}
