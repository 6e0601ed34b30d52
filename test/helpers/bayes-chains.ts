/**
 * Synthetic chains for the Bayes integration tests: `ChainResult`s filled with seeded independent
 * normal draws (optionally shifted per chain, or with divergences / a random-walk energy), and an
 * iid Gaussian `BayesModel` with a known posterior.
 */
import type { BayesModel } from "../../src/bayes/log-density.ts";
import type { ChainResult } from "../../src/bayes/chain-result.ts";
import { ebfmi } from "../../src/bayes/chain-result.ts";
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

export function syntheticChain(chain: number, seed: number, o: SyntheticChainOptions): ChainResult {
  const z = normals(seed);
  const nOut = o.means.length;
  const values = new Float64Array(o.nDraws * nOut);
  for (let i = 0; i < o.nDraws; i++)
    for (let k = 0; k < nOut; k++) values[i * nOut + k] = o.means[k] + z() + (o.shift ?? 0);
  const energy = new Float64Array(o.nDraws);
  let e = 0;
  for (let i = 0; i < o.nDraws; i++) {
    e = o.stickyEnergy ? e + 0.05 * z() : z();
    energy[i] = e;
  }
  const divergent = new Float64Array(o.nDraws);
  for (let i = 0; i < (o.divergences ?? 0); i++) divergent[i * 7] = 1;
  const col = (v: number) => new Float64Array(o.nDraws).fill(v);
  return {
    nDraws: o.nDraws,
    values,
    sampler: {
      lp: col(-1),
      acceptStat: col(0.8),
      stepsize: col(0.5),
      treedepth: col(3),
      nLeapfrog: col(7),
      divergent,
      energy,
    },
    diagnostics: {
      chain,
      divergences: o.divergences ?? 0,
      divergencesWarmup: 0,
      treedepthHits: 0,
      ebfmi: ebfmi(energy),
      stepsize: 0.5,
      meanTreedepth: 3,
      meanAcceptStat: 0.8,
      nLeapfrogWarmup: 7000,
      nLeapfrogSampling: 7 * o.nDraws,
      inverseMetric: [1],
      warmupSeconds: 0.01,
      samplingSeconds: 0.02,
    },
  };
}

/**
 * Independent normals N(mu_k, sd_k^2) on R^d: outputs `x[k]` (the coordinates) and `z`, one standard
 * normal from `constrain`'s stream per draw (so the output stream is exercised as the collapsed
 * model exercises it).
 */
export function gaussianModel(mu: readonly number[], sd: readonly number[]): BayesModel {
  const d = mu.length;
  return {
    dim: d,
    unconstrainedNames: mu.map((_, k) => `x[${k + 1}]`),
    outputNames: [...mu.map((_, k) => `x[${k + 1}]`), "z"],
    logDensityGradient(q, grad) {
      let lp = 0;
      for (let k = 0; k < d; k++) {
        const r = (q[k] - mu[k]) / sd[k];
        lp -= 0.5 * r * r;
        grad[k] = -r / sd[k];
      }
      return lp;
    },
    initialPoint(q, uniform) {
      for (let k = 0; k < d; k++) q[k] = 4 * uniform() - 2;
    },
    constrain(q, out, normal) {
      for (let k = 0; k < d; k++) out[k] = q[k];
      out[d] = normal();
    },
  };
}
