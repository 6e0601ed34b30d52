/**
 * Rough posterior estimates from the REML fit, used for data-driven starting points and a
 * suggested initial inverse metric for the first warm-up window (Stan starts from the identity;
 * the coordinates of an LMM posterior can differ in scale by orders of magnitude, e.g. β₀ ≈ 250 ± 7
 * next to log σ ± 0.05, which costs deep trees until the first metric update).
 *
 * Suggested variances: β_j: REML se²; log SD: 1/(2J) (J levels of its factor), partial
 * correlation (atanh): 1/J; log σ: 1/(2N); centred random effects: the conditional variance of
 * the REML fit; non-centred z: 1/(1 + info) with info the term column's information ratio;
 * coordinates with an interval (uniform-prior) transform: 1.
 */
import type { HyperParameters } from "./hyper-parameters.ts";

export interface StartEstimates {
  readonly beta: readonly number[];
  readonly betaSE: readonly number[];
  /** One SD per random-effect column, in term order. */
  readonly sd: readonly number[];
  readonly sigma: number;
  /** Per term: conditional modes, level-major (S per level); null when not computed. */
  readonly ranef: readonly Float64Array[] | null;
  /** Per term: conditional SDs, same layout; null when not computed. */
  readonly ranefSD: readonly Float64Array[] | null;
}

/** Suggested inverse metric of the hyper-parameter coordinates into `out[0 .. hyper.dim)`. */
export function hyperInverseMetric(
  hyper: HyperParameters,
  est: StartEstimates,
  levels: readonly number[],
  nobs: number,
  out: Float64Array,
): void {
  for (let j = 0; j < hyper.p; j++) {
    const se = est.betaSE[j];
    out[j] = hyper.isIntervalBeta(j) || !(se > 0) ? 1 : se * se;
  }
  let sdIndex = 0;
  hyper.terms.forEach((t, ti) => {
    const J = Math.max(2, levels[ti]);
    for (let r = 0; r < t.S; r++) out[t.tauOff + r] = hyper.isIntervalSd(sdIndex + r) ? 1 : 1 / (2 * J);
    sdIndex += t.S;
    if (t.cpcOff >= 0) for (let k = 0; k < (t.S * (t.S - 1)) / 2; k++) out[t.cpcOff + k] = 1 / J;
  });
  out[hyper.sigmaOff] = hyper.isIntervalSigma() ? 1 : 1 / (2 * Math.max(2, nobs));
}

/**
 * Move the hyper-parameter coordinates q[0 .. hyper.dim), filled with uniform jitter in (−2, 2),
 * near the estimates: β_j ± (|β_j| + σ)/10, each SD and σ within a factor e^{±1/2}.
 */
export function jitterNearEstimates(hyper: HyperParameters, est: StartEstimates, q: Float64Array): void {
  for (let j = 0; j < hyper.p; j++)
    q[j] = hyper.unconstrainBeta(j, est.beta[j] + (q[j] / 20) * (Math.abs(est.beta[j]) + est.sigma));
  let sdIndex = 0;
  for (const t of hyper.terms) {
    for (let r = 0; r < t.S; r++) {
      const scale = Math.max(est.sd[sdIndex + r], 1e-3 * est.sigma);
      q[t.tauOff + r] = hyper.unconstrainSd(sdIndex + r, scale * Math.exp(q[t.tauOff + r] / 4));
    }
    sdIndex += t.S;
  }
  q[hyper.sigmaOff] = hyper.unconstrainSigma(est.sigma * Math.exp(q[hyper.sigmaOff] / 4));
}
