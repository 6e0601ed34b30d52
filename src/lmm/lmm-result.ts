/**
 * The immutable result of a linear-mixed-model fit and its assembly from a factored model.
 * Everything is reported in the input order of `problem.reterms`.
 */
import type { Warning } from "../errors.ts";
import { condVarTerm, fixefFromL, sphericalModes, vcovFromL } from "./lmm-estimates.ts";
import type { LmmModel } from "./lmm-model.ts";
import { criterionFromL, logDets } from "./update-l.ts";

export interface VarCorrGroup {
  readonly name: string;
  readonly factor: string;
  readonly terms: readonly string[];
  readonly variance: readonly number[];
  readonly stddev: readonly number[];
  readonly covariance: readonly (readonly number[])[];
  readonly correlation: readonly (readonly number[])[];
}

/** Conditional modes of one term: `values[l][s]`, `condVar[l]` S×S, `condSD[l][s]`. */
export interface RanefTerm {
  readonly name: string;
  readonly factor: string;
  readonly levels: readonly string[];
  readonly terms: readonly string[];
  readonly values: readonly (readonly number[])[];
  readonly condVar: readonly (readonly (readonly number[])[])[] | null;
  readonly condSD: readonly (readonly number[])[] | null;
}

/** lme4's `ranef(m)[[factor]]`: terms sharing a factor merged column-wise (condVar only with one term). */
export interface RanefFactor {
  readonly levels: readonly string[];
  readonly terms: readonly string[];
  readonly values: readonly (readonly number[])[];
  readonly condVar: readonly (readonly (readonly number[])[])[] | null;
  readonly condSD: readonly (readonly number[])[] | null;
}

export interface CoefFactor {
  readonly levels: readonly string[];
  readonly columns: readonly string[];
  readonly values: readonly (readonly number[])[];
}

export interface OptInfo {
  readonly feval: number;
  readonly converged: boolean;
  readonly message: string;
  readonly optimizer: string;
}

export interface LmmResult {
  readonly REML: boolean;
  readonly nobs: number;
  /** Levels per grouping factor (a prototype-free object keyed by factor name, as `ranef` and `coef`). */
  readonly ngroups: Readonly<Record<string, number>>;
  readonly xnames: readonly string[];
  readonly theta: readonly number[];
  readonly thetaLower: readonly number[];
  readonly beta: readonly number[];
  readonly se: readonly number[];
  readonly vcov: readonly (readonly number[])[];
  readonly sigma: number;
  /** The minimised criterion: REML criterion or ML deviance. */
  readonly objective: number;
  readonly REMLcrit: number | null;
  readonly deviance: number | null;
  /** ML deviance at the REML estimates (REML fits only). */
  readonly mlDevianceAtREMLEstimates: number | null;
  readonly logLik: number;
  readonly df: number;
  readonly AIC: number;
  readonly BIC: number;
  readonly dfResidual: number;
  readonly varcorr: {
    readonly groups: readonly VarCorrGroup[];
    readonly residual: { variance: number; stddev: number };
  };
  readonly ranefTerms: readonly RanefTerm[];
  readonly ranef: Readonly<Record<string, RanefFactor>>;
  readonly coef: Readonly<Record<string, CoefFactor>>;
  readonly fitted: Float64Array;
  readonly residuals: Float64Array;
  readonly pearsonResiduals: Float64Array;
  readonly scaledResiduals: Float64Array;
  readonly devcomp: { readonly ldL2: number; readonly ldRX2: number; readonly pwrss: number };
  readonly isSingular: boolean;
  readonly optinfo: OptInfo;
  readonly warnings: readonly Warning[];
}

/** lme4's default `lme4.singular.tolerance`. */
export const SINGULAR_TOL = 1e-4;
/** Largest Σ_levels (q of the blocks a condVar solve walks) for which condVar is computed. */
const CONDVAR_WORK_LIMIT = 4e6;

export function thetaLowerBounds(model: LmmModel): number[] {
  const lower: number[] = new Array(model.ntheta);
  for (const t of model.terms)
    for (let c = 0, o = t.thetaOffset; c < t.S; c++)
      for (let r = c; r < t.S; r++, o++) lower[o] = r === c ? 0 : Number.NEGATIVE_INFINITY;
  return lower;
}

/** Assemble the result; L must be factored at `theta`. */
export function buildResult(
  model: LmmModel,
  theta: readonly number[],
  reml: boolean,
  optinfo: OptInfo,
  warnings: readonly Warning[],
  mlDevianceAtREML: number | null,
): LmmResult {
  const { problem, n, p, terms, xScale } = model;
  const { scale, betaShift } = model.response;
  // L holds the working problem (working-scale.ts): map its estimates back to the user's scale
  const work = logDets(model);
  const dets = {
    ldL2: work.ldL2,
    ldRX2: work.ldRX2 - 2 * model.logXScale,
    pwrss: work.pwrss * scale * scale,
  };
  const objective = criterionFromL(model, reml);
  // σ of the working weights (what L's products are scaled by) and the reported σ
  const sigmaW = Math.sqrt(work.pwrss / (reml ? n - p : n)) * scale;
  const sigma = sigmaW * model.sigmaFactor;
  const betaWork = fixefFromL(model);
  const u = sphericalModes(model, betaWork);
  for (const uj of u) for (let i = 0; i < uj.length; i++) uj[i] *= scale;
  const beta = Array.from(betaWork, (b, j) => betaShift[j] + scale * (xScale[j] * b));
  // scale factors multiplied before squaring: a standard error near 1e-200 does not underflow
  const xf = Array.from(xScale, (m) => sigmaW * m);
  const unitVcov = vcovFromL(model, 1);
  const vcov = unitVcov.map((row, a) => row.map((v, c) => xf[a] * xf[c] * v));
  const se = unitVcov.map((row, i) => xf[i] * Math.sqrt(row[i]));
  const lower = thetaLowerBounds(model);
  // on the working θ: scale-free when a covariate or the weights were rescaled (else equal to θ)
  const isSingular = theta.some((v, i) => lower[i] === 0 && v * model.thetaFactor[i] < SINGULAR_TOL);
  const nth = model.ntheta;
  const df = p + nth + 1;

  // per input term
  const byInput = new Array<number>(terms.length);
  terms.forEach((t, j) => {
    byInput[t.input] = j;
  });
  let condWork = 0;
  for (const t of terms) {
    let q = 0;
    for (const s of terms) q += s.q;
    condWork += t.nl * t.S * q;
  }
  const withCondVar = condWork <= CONDVAR_WORK_LIMIT;
  const groups: VarCorrGroup[] = [];
  const ranefTerms: RanefTerm[] = [];
  const b: Float64Array[] = new Array(terms.length);
  problem.reterms.forEach((rt, i) => {
    const j = byInput[i];
    const t = terms[j];
    const S = t.S;
    const lam = t.lambda;
    const zm = t.zScale;
    const zf = Array.from(zm, (m) => sigmaW * m);
    const rel: number[][] = []; // λλᵀ
    for (let a = 0; a < S; a++) {
      const row: number[] = [];
      for (let c = 0; c < S; c++) {
        let s = 0;
        for (let x = 0; x <= Math.min(a, c); x++) s += lam[x * S + a] * lam[x * S + c];
        row.push(s);
      }
      rel.push(row);
    }
    const cov = rel.map((r, a) => r.map((v, c) => zf[a] * zf[c] * v));
    const variance = cov.map((r, a) => r[a]);
    const stddev = rel.map((r, a) => zf[a] * Math.sqrt(r[a]));
    const correlation = rel.map((r, a) =>
      r.map((v, c) => (a === c ? 1 : v / (Math.sqrt(r[a]) * Math.sqrt(rel[c][c])))),
    );
    groups.push({
      name: rt.name,
      factor: rt.factor,
      terms: rt.cnames,
      variance,
      stddev,
      covariance: cov,
      correlation,
    });
    const bj = new Float64Array(t.q);
    const uj = u[j];
    const values: number[][] = [];
    for (let l = 0; l < t.nl; l++) {
      const row: number[] = [];
      for (let r = 0; r < S; r++) {
        let s = 0;
        for (let c = 0; c <= r; c++) s += lam[c * S + r] * uj[l * S + c];
        s *= zm[r];
        bj[l * S + r] = s;
        row.push(s);
      }
      values.push(row);
    }
    b[j] = bj;
    let condVar: number[][][] | null = null;
    let condSD: number[][] | null = null;
    if (withCondVar) {
      const cv = condVarTerm(model, j, 1);
      condVar = [];
      condSD = [];
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

  // per factor (merged), coef. Keyed by the user's factor names: prototype-free objects, so that
  // factors named `constructor`, `toString` or `__proto__` are ordinary keys.
  const ranef: Record<string, RanefFactor> = Object.create(null);
  const coef: Record<string, CoefFactor> = Object.create(null);
  const ngroups: Record<string, number> = Object.create(null);
  const done = new Set<string>();
  for (const rt of ranefTerms) {
    if (done.has(rt.factor)) continue;
    done.add(rt.factor);
    const same = ranefTerms.filter((x) => x.factor === rt.factor);
    ngroups[rt.factor] = rt.levels.length;
    const termNames = same.flatMap((x) => x.terms);
    const values = rt.levels.map((_, l) => same.flatMap((x) => x.values[l]));
    const condSD = same.every((x) => x.condSD)
      ? rt.levels.map((_, l) => same.flatMap((x) => x.condSD![l]))
      : null;
    const condVar = same.length === 1 ? rt.condVar : null;
    ranef[rt.factor] = { levels: rt.levels, terms: termNames, values, condVar, condSD };
    const cvals = rt.levels.map((_, l) =>
      problem.xnames.map((nm, c) => {
        const idx = termNames.indexOf(nm);
        return beta[c] + (idx >= 0 ? values[l][idx] : 0);
      }),
    );
    coef[rt.factor] = { levels: rt.levels, columns: problem.xnames, values: cvals };
  }

  // fitted values and residuals (the only O(n) pass, once per fit)
  const fitted = new Float64Array(n);
  for (let c = 0; c < p; c++) {
    const bc = beta[c];
    for (let t = 0; t < n; t++) fitted[t] += problem.X[c * n + t] * bc;
  }
  if (problem.offset) for (let t = 0; t < n; t++) fitted[t] += problem.offset[t];
  terms.forEach((t, j) => {
    const z = problem.reterms[t.input].z;
    const S = t.S;
    for (let r = 0; r < n; r++) {
      const o = t.refs[r] * S;
      let s = 0;
      for (let c = 0; c < S; c++) s += z[r * S + c] * b[j][o + c];
      fitted[r] += s;
    }
  });
  const residuals = new Float64Array(n);
  const pearson = new Float64Array(n);
  const scaled = new Float64Array(n);
  for (let t = 0; t < n; t++) {
    residuals[t] = problem.y[t] - fitted[t];
    pearson[t] = problem.weights ? residuals[t] * Math.sqrt(problem.weights[t]) : residuals[t];
    scaled[t] = pearson[t] / sigma;
  }
  return {
    REML: reml,
    nobs: n,
    ngroups,
    xnames: problem.xnames,
    theta: [...theta],
    thetaLower: lower,
    beta: [...beta],
    se,
    vcov,
    sigma,
    objective,
    REMLcrit: reml ? objective : null,
    deviance: reml ? null : objective,
    mlDevianceAtREMLEstimates: reml ? mlDevianceAtREML : null,
    logLik: -objective / 2,
    df,
    AIC: objective + 2 * df,
    BIC: objective + df * Math.log(n),
    dfResidual: n - df,
    varcorr: { groups, residual: { variance: sigma * sigma, stddev: sigma } },
    ranefTerms,
    ranef,
    coef,
    fitted,
    residuals,
    pearsonResiduals: pearson,
    scaledResiduals: scaled,
    devcomp: dets,
    isSingular,
    optinfo,
    warnings,
  };
}
