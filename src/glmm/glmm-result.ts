/**
 * The immutable result of a GLMM fit, assembled from the PIRLS state at the optimum (u, β, η, μ
 * current; L factored at the working weights there). Everything is reported in the input order of
 * `problem.reterms`, with lme4's conventions: σ = 1, `logLik` as lme4's `logLik(m)` (for nAGQ > 1
 * without the saturated log-likelihood, see `logLikFull`), `deviance` = −2·logLik as `summary()`
 * prints it, `devianceResidualSum` = lme4's `deviance(m)`.
 */
import { NumericalError, type Warning } from "../errors.ts";
import type { Family } from "../glm/family.ts";
import { boundaryWarnings } from "../glm/fit-glm.ts";
import { updateL } from "../lmm/update-l.ts";
import { condVarTerm, vcovFromL } from "../lmm/lmm-estimates.ts";
import type { CoefFactor, RanefFactor, RanefTerm, VarCorrGroup } from "../lmm/lmm-result.ts";
import { SINGULAR_TOL, thetaLowerBounds } from "../lmm/lmm-result.ts";
import type { PirlsResult } from "./pirls.ts";
import type { GlmmWork } from "./pirls.ts";

export interface GlmmOptInfo {
  /** Evaluations of the final stage (lme4's `feval`: of the last stage). */
  readonly feval: number;
  /** Evaluations of the nAGQ = 0 stage. */
  readonly fevalStage1: number;
  readonly converged: boolean;
  readonly message: string;
  readonly optimizer: string;
}

/** How the integral over the random effects was done for nAGQ > 1. */
export interface GlmmQuadrature {
  /**
   * "lme4": lme4's rule (a single scalar term, one-dimensional per level); "extended": a product
   * rule over each block of random effects linked through shared observations (beyond lme4).
   */
  readonly mode: "lme4" | "extended";
  /** Number of independent blocks (one integral each). */
  readonly blocks: number;
  /** Random effects in the largest block (the dimension of its integral). */
  readonly maxDimension: number;
  /** Quadrature points of the largest block: nAGQ^maxDimension. */
  readonly gridPoints: number;
}

export interface GlmmResult {
  readonly family: string;
  readonly link: string;
  readonly nAGQ: number;
  /** The quadrature of nAGQ > 1 (null for the Laplace approximation and nAGQ = 0). */
  readonly quadrature: GlmmQuadrature | null;
  readonly nobs: number;
  readonly ngroups: Readonly<Record<string, number>>;
  readonly xnames: readonly string[];
  readonly theta: readonly number[];
  readonly thetaLower: readonly number[];
  readonly beta: readonly number[];
  /** Standard errors as lme4 reports them (from the Hessian over (θ, β) for nAGQ ≥ 1). */
  readonly se: readonly number[];
  readonly vcov: readonly (readonly number[])[];
  /** From the factor of the working-weights model (lme4 `vcov(m, use.hessian = FALSE)`). */
  readonly seRX: readonly number[];
  readonly vcovRX: readonly (readonly number[])[];
  /** Which of the two `se`/`vcov` are: "hessian" or "rx". */
  readonly vcovMethod: "hessian" | "rx";
  /** 1 (no dispersion parameter for binomial and Poisson). */
  readonly sigma: number;
  /** The minimised criterion: lme4's −2 logLik (nAGQ > 1: without the saturated part). */
  readonly objective: number;
  /** lme4's `logLik(m)`: the Laplace log-likelihood; for nAGQ > 1 without the saturated log-likelihood. */
  readonly logLik: number;
  /** The actual marginal log-likelihood (= logLik for nAGQ ≤ 1; logLik + logLikSaturated for nAGQ > 1). */
  readonly logLikFull: number;
  /** Log-likelihood of the saturated model (μ = y). */
  readonly logLikSaturated: number;
  /** −2·logLik (what `summary()` prints as deviance). */
  readonly deviance: number;
  /** Σ squared deviance residuals: what lme4's `deviance(m)` returns. */
  readonly devianceResidualSum: number;
  readonly df: number;
  readonly AIC: number;
  readonly BIC: number;
  readonly dfResidual: number;
  readonly varcorr: { readonly groups: readonly VarCorrGroup[]; readonly residual: null };
  readonly ranefTerms: readonly RanefTerm[];
  readonly ranef: Readonly<Record<string, RanefFactor>>;
  readonly coef: Readonly<Record<string, CoefFactor>>;
  /** The response as fitted: 0/1 or counts, or proportions (successes/trials) for binomial with trials. */
  readonly y: Float64Array;
  /** Prior weights (the trials of a binomial `cbind()` or proportion response; 1 otherwise). */
  readonly priorWeights: Float64Array;
  /** Linear predictor including the random effects and the offset (link scale). */
  readonly linearPredictor: Float64Array;
  /** Fitted means μ (response scale). */
  readonly fitted: Float64Array;
  /** Response residuals y − μ. */
  readonly residuals: Float64Array;
  readonly pearsonResiduals: Float64Array;
  /** Deviance residuals (lme4's default residual type for GLMMs). */
  readonly devianceResiduals: Float64Array;
  /** Σ Pearson residuals² and its ratio to the residual degrees of freedom (overdispersion check). */
  readonly pearsonChi2: number;
  readonly overdispersionRatio: number;
  /** lme4's deviance components: ldL2, ussq = ‖u‖², drsum = Σ devresid. */
  readonly devcomp: { readonly ldL2: number; readonly ussq: number; readonly drsum: number };
  readonly isSingular: boolean;
  readonly optinfo: GlmmOptInfo;
  readonly warnings: readonly Warning[];
}

/** Pearson χ²/df above this gives an `overdispersion` warning (families with a fixed dispersion). */
const OVERDISPERSION_WARN = 1.5;

export interface GlmmFitPieces {
  readonly theta: Float64Array;
  readonly nAGQ: number;
  readonly quadrature: GlmmQuadrature | null;
  readonly objective: number;
  readonly pirls: PirlsResult;
  readonly vcovHess: number[][] | null;
  readonly optinfo: GlmmOptInfo;
  readonly warnings: readonly Warning[];
}

export function buildGlmmResult(work: GlmmWork, pieces: GlmmFitPieces): GlmmResult {
  const { problem, model, n, p, uOff } = work;
  const { terms } = model;
  const fam = problem.family;
  const theta = Array.from(pieces.theta);
  const beta = Array.from(work.beta);
  // the canonical factor at the same working weights (condVar needs it; L_XX is the same)
  if (model.permuted.length > 0 && !updateL(model, theta))
    throw new NumericalError(
      "E_NUMERIC_NOT_POSITIVE_DEFINITE",
      "the Cholesky factorisation failed at the optimum",
    );
  // vcov from the factor: (L_XX L_XXᵀ)⁻¹ on the working scale, mapped back (σ = 1: σ'' = 1/(√c·S))
  const unit = vcovFromL(model, 1);
  const xf = Array.from(model.xScale, (m) => m / model.sigmaFactor);
  const vcovRX = unit.map((row, a) => row.map((v, c) => xf[a] * xf[c] * v));
  const seRX = vcovRX.map((row, i) => Math.sqrt(row[i]));
  const vcov = pieces.vcovHess ?? vcovRX;
  const se = vcov.map((row, i) => Math.sqrt(row[i]));

  const y = problem.y;
  const prior = work.prior;
  const logLikSaturated = -work.minus2LogLikSaturated / 2;
  const logLik = -pieces.objective / 2;
  const logLikFull = pieces.nAGQ > 1 ? logLik + logLikSaturated : logLik;
  const nth = model.ntheta;
  const df = p + nth;
  const deviance = -2 * logLik;

  const lower = thetaLowerBounds(model);
  const isSingular = theta.some((v, i) => lower[i] === 0 && v < SINGULAR_TOL);
  const byInput = new Array<number>(terms.length);
  terms.forEach((t, j) => {
    byInput[t.input] = j;
  });
  const groups: VarCorrGroup[] = [];
  const ranefTerms: RanefTerm[] = [];
  problem.reterms.forEach((rt, i) => {
    const j = byInput[i];
    const t = terms[j];
    const S = t.S;
    // user λ (column-major lower triangle) from θ
    const lam = new Float64Array(S * S);
    for (let c = 0, o = t.thetaOffset; c < S; c++) for (let r = c; r < S; r++, o++) lam[c * S + r] = theta[o];
    const cov: number[][] = [];
    for (let a = 0; a < S; a++) {
      const row: number[] = [];
      for (let c = 0; c < S; c++) {
        let s = 0;
        for (let x = 0; x <= Math.min(a, c); x++) s += lam[x * S + a] * lam[x * S + c];
        row.push(s);
      }
      cov.push(row);
    }
    const variance = cov.map((r, a) => r[a]);
    const stddev = variance.map((v) => Math.sqrt(v));
    const correlation = cov.map((r, a) => r.map((v, c) => (a === c ? 1 : v / (stddev[a] * stddev[c]))));
    groups.push({
      name: rt.name,
      factor: rt.factor,
      terms: rt.cnames,
      variance,
      stddev,
      covariance: cov,
      correlation,
    });
    const values: number[][] = [];
    for (let l = 0; l < t.nl; l++) {
      const row: number[] = [];
      for (let r = 0; r < S; r++) {
        let s = 0;
        for (let c = 0; c <= r; c++) s += lam[c * S + r] * work.u[uOff[j] + l * S + c];
        row.push(s);
      }
      values.push(row);
    }
    // conditional covariance of b from the factor at the working weights (σ = 1)
    const cv = condVarTerm(model, j, 1);
    const zf = Array.from(t.zScale, (m) => m / model.sigmaFactor);
    const condVar: number[][][] = [];
    const condSD: number[][] = [];
    for (let l = 0; l < t.nl; l++) {
      const m: number[][] = [];
      for (let a = 0; a < S; a++) {
        const row: number[] = [];
        for (let c = 0; c < S; c++) row.push(zf[a] * zf[c] * cv[l * S * S + c * S + a]);
        m.push(row);
      }
      condVar.push(m);
      condSD.push(zf.map((f, a) => f * Math.sqrt(cv[l * S * S + a * S + a])));
    }
    ranefTerms.push({
      name: rt.name,
      factor: rt.factor,
      levels: rt.levels,
      terms: rt.cnames,
      values,
      condVar,
      condSD,
    });
  });
  const ranef: Record<string, RanefFactor> = Object.create(null);
  const coef: Record<string, CoefFactor> = Object.create(null);
  const ngroups: Record<string, number> = Object.create(null);
  for (const rt of ranefTerms) {
    if (rt.factor in ranef) continue;
    const same = ranefTerms.filter((x) => x.factor === rt.factor);
    ngroups[rt.factor] = rt.levels.length;
    const termNames = same.flatMap((x) => x.terms);
    const values = rt.levels.map((_, l) => same.flatMap((x) => x.values[l]));
    const condSD = rt.levels.map((_, l) => same.flatMap((x) => x.condSD![l]));
    ranef[rt.factor] = {
      levels: rt.levels,
      terms: termNames,
      values,
      condVar: same.length === 1 ? rt.condVar : null,
      condSD,
    };
    coef[rt.factor] = {
      levels: rt.levels,
      columns: problem.xnames,
      values: rt.levels.map((_, l) =>
        problem.xnames.map((nm, c) => {
          const idx = termNames.indexOf(nm);
          return beta[c] + (idx >= 0 ? values[l][idx] : 0);
        }),
      ),
    };
  }

  const eta = Float64Array.from(work.eta);
  const mu = Float64Array.from(work.mu);
  const resid = new Float64Array(n);
  const pearson = new Float64Array(n);
  const devres = new Float64Array(n);
  let chi2 = 0;
  for (let t = 0; t < n; t++) {
    const r = y[t] - mu[t];
    resid[t] = r;
    pearson[t] = (r * Math.sqrt(prior[t])) / Math.sqrt(fam.variance(mu[t]));
    chi2 += pearson[t] * pearson[t];
    devres[t] = Math.sign(r) * Math.sqrt(Math.max(0, fam.devResid(y[t], mu[t], prior[t])));
  }
  const dfResidual = n - df;
  const ratio = chi2 / dfResidual;
  const warnings: Warning[] = [
    ...model.warnings.filter((w) => w.code !== "random_effects_collinear"),
    ...pieces.warnings,
  ];
  if (isSingular)
    warnings.push({ code: "boundary_fit", message: "boundary (singular) fit: see help('isSingular')" });
  // fitted probabilities (rates) numerically 0 or 1 (0): R's glm warning, naming the dominant coefficient
  warnings.push(
    ...boundaryWarnings({ name: fam.family } as Family, mu, problem.X, n, p, beta, se, problem.xnames),
  );
  const binomialTrials = fam.family === "binomial" && prior.some((w) => w > 1);
  if ((fam.family === "poisson" || binomialTrials) && ratio > OVERDISPERSION_WARN)
    warnings.push({
      code: "overdispersion",
      message: `the Pearson χ²/df ratio is ${ratio.toFixed(2)} (χ² = ${chi2.toFixed(1)} on ${dfResidual} df): the data vary more than the ${fam.family} family allows; consider an observation-level random effect (1 | obs)`,
    });
  return {
    family: fam.family,
    link: fam.link,
    nAGQ: pieces.nAGQ,
    quadrature: pieces.quadrature,
    nobs: n,
    ngroups,
    xnames: problem.xnames,
    theta,
    thetaLower: lower,
    beta,
    se,
    vcov,
    seRX,
    vcovRX,
    vcovMethod: pieces.vcovHess ? "hessian" : "rx",
    sigma: 1,
    objective: pieces.objective,
    logLik,
    logLikFull,
    logLikSaturated,
    deviance,
    devianceResidualSum: pieces.pirls.devResid,
    df,
    AIC: deviance + 2 * df,
    BIC: deviance + df * Math.log(n),
    dfResidual,
    varcorr: { groups, residual: null },
    ranefTerms,
    ranef,
    coef,
    y: Float64Array.from(y),
    priorWeights: Float64Array.from(prior),
    linearPredictor: eta,
    fitted: mu,
    residuals: resid,
    pearsonResiduals: pearson,
    devianceResiduals: devres,
    pearsonChi2: chi2,
    overdispersionRatio: ratio,
    devcomp: { ldL2: pieces.pirls.ldL2, ussq: pieces.pirls.sqrL, drsum: pieces.pirls.devResid },
    isSingular,
    optinfo: pieces.optinfo,
    warnings,
  };
}
