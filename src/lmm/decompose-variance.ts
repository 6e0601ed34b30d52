/**
 * The variance decomposition of a linear mixed model (Nakagawa & Schielzeth 2013; Johnson 2014's
 * extension to random slopes; Nakagawa, Johnson & Schielzeth 2017, J. R. Soc. Interface 14:
 * 20170213), as `performance::r2_nakagawa` and `MuMIn::r.squaredGLMM` compute it for a Gaussian
 * model:
 *
 * - fixed: `var(Xβ)`, the sample variance (n − 1) of the fixed-effects predictions over the rows
 *   (constant columns such as the intercept are left out: they add nothing; an offset is not included);
 * - each random-effects term t: `mean_i z_iᵀ Σ_t z_i`, its model row z_i at every observation
 *   against its covariance matrix Σ_t (for an intercept-only term just its variance; with a random
 *   slope the contribution depends on x, so it is averaged over the data);
 * - residual: σ² (with prior weights, σ² of a unit-weight observation).
 *
 * Marginal R² = fixed / total, conditional R² = (fixed + random) / total, and the adjusted ICC of
 * a grouping factor = its terms' variances / (random + residual).
 */
import { SpecError } from "../errors.ts";
import type { VarCorrGroup } from "./lmm-result.ts";

/** One random-effects term's share of the variance. */
export interface VarianceComponent {
  /** VarCorr group name (`Subject`, `Subject.1`, `cask:batch`). */
  readonly name: string;
  /** Its grouping factor. */
  readonly factor: string;
  /** The term's model columns. */
  readonly terms: readonly string[];
  /** Mean over the rows of z_iᵀ Σ z_i. */
  readonly variance: number;
  /** variance / total. */
  readonly share: number;
}

/** The decomposition of a fit's variance (see the module comment for the formulas). */
export interface VarianceDecomposition {
  /** var(Xβ) over the rows. */
  readonly fixed: number;
  /** Sum of the random-effects terms' variances. */
  readonly random: number;
  /** σ². */
  readonly residual: number;
  /** fixed + random + residual. */
  readonly total: number;
  readonly components: readonly VarianceComponent[];
  /** Adjusted ICC per grouping factor: its terms' variance / (random + residual). */
  readonly icc: Readonly<Record<string, number>>;
  /** random / (random + residual). */
  readonly iccAdjusted: number;
  /** fixed / total (Nakagawa & Schielzeth's marginal R²). */
  readonly r2Marginal: number;
  /** (fixed + random) / total (conditional R²). */
  readonly r2Conditional: number;
}

/** One random-effects term's model rows and estimated covariance. */
export interface DecompositionTerm {
  readonly name: string;
  readonly factor: string;
  readonly terms: readonly string[];
  /** S×n, observation-major: z[t*S + r] is column r at observation t. */
  readonly z: Float64Array;
  /** Σ, S×S. */
  readonly covariance: readonly (readonly number[])[];
}

export interface DecompositionInput {
  readonly n: number;
  /** n×p, column-major (X[c*n + t]). */
  readonly X: Float64Array;
  readonly beta: readonly number[];
  readonly terms: readonly DecompositionTerm[];
  readonly sigma: number;
}

function sampleVariance(v: Float64Array): number {
  const n = v.length;
  let mean = 0;
  for (const x of v) mean += x;
  mean /= n;
  let ss = 0;
  for (const x of v) ss += (x - mean) * (x - mean);
  return ss / (n - 1);
}

/** The decomposition from a design and estimates (the formulas of the module comment). */
export function decomposeVariance(input: DecompositionInput): VarianceDecomposition {
  const { n, X, beta, sigma } = input;
  const eta = new Float64Array(n);
  beta.forEach((b, c) => {
    // a constant column (the intercept) adds nothing to the variance: skip it, so that a model
    // with only an intercept gets exactly 0 rather than rounding noise
    const first = X[c * n];
    let constant = true;
    for (let t = 1; t < n && constant; t++) constant = X[c * n + t] === first;
    if (constant) return;
    for (let t = 0; t < n; t++) eta[t] += X[c * n + t] * b;
  });
  const fixed = n > 1 ? sampleVariance(eta) : 0;
  const raw = input.terms.map((term) => {
    const S = term.terms.length;
    const sig = term.covariance;
    let sum = 0;
    for (let t = 0; t < n; t++) {
      const o = t * S;
      let q = 0;
      for (let a = 0; a < S; a++) {
        const za = term.z[o + a];
        if (za === 0) continue;
        let row = 0;
        for (let c = 0; c < S; c++) row += sig[a][c] * term.z[o + c];
        q += za * row;
      }
      sum += q;
    }
    return { name: term.name, factor: term.factor, terms: term.terms, variance: sum / n };
  });
  const random = raw.reduce((s, c) => s + c.variance, 0);
  const residual = sigma * sigma;
  const total = fixed + random + residual;
  const icc: Record<string, number> = Object.create(null);
  for (const c of raw) icc[c.factor] = (icc[c.factor] ?? 0) + c.variance;
  for (const f of Object.keys(icc)) icc[f] /= random + residual;
  return {
    fixed,
    random,
    residual,
    total,
    components: raw.map((c) => ({ ...c, share: c.variance / total })),
    icc,
    iccAdjusted: random / (random + residual),
    r2Marginal: fixed / total,
    r2Conditional: (fixed + random) / total,
  };
}

/** Pair design terms with their VarCorr groups (by name). */
export function decompositionTerms(
  reterms: readonly {
    readonly name: string;
    readonly factor: string;
    readonly cnames: readonly string[];
    readonly z: Float64Array;
  }[],
  groups: readonly VarCorrGroup[],
): DecompositionTerm[] {
  return reterms.map((t) => {
    const g = groups.find((v) => v.name === t.name);
    if (!g)
      throw new SpecError(
        "E_SPEC_UNSUPPORTED",
        `no variance component for the random-effects term ${t.name}`,
      );
    return { name: t.name, factor: t.factor, terms: t.cnames, z: t.z, covariance: g.covariance };
  });
}

/** The CONTRACT JSON (snake_case) of a decomposition. */
export function varianceDecompositionToJSON(d: VarianceDecomposition): Record<string, unknown> {
  return {
    fixed: d.fixed,
    random: d.random,
    residual: d.residual,
    total: d.total,
    components: d.components.map((c) => ({
      name: c.name,
      factor: c.factor,
      terms: c.terms,
      variance: c.variance,
      share: c.share,
    })),
    icc: d.icc,
    icc_adjusted: d.iccAdjusted,
    r2_marginal: d.r2Marginal,
    r2_conditional: d.r2Conditional,
  };
}
