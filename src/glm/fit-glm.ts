/**
 * `fitGlm()`: generalized linear models (R's `glm()`) by IRLS (`irls.ts`), with the quantities of
 * R's `summary.glm`: coefficients, standard errors from the last weighted fit's QR times the
 * dispersion (1 for binomial and Poisson, else the Pearson estimate), z (or t) values and
 * p-values, null and residual deviance with their df, AIC/BIC/logLik as R's `logLik.glm`, the
 * Fisher-scoring iteration count, and the four residual types. Adds what R leaves to the user:
 * the Pearson χ²/df overdispersion ratio, and a separation warning that names the coefficient.
 */
import type { DataSource, NumericColumn } from "../data/column.ts";
import { buildModelFrame } from "../design/model-frame.ts";
import {
  checkMatrixSize,
  DEFAULT_MAX_MATRIX_BYTES,
  materializeModelMatrix,
  planModelMatrix,
} from "../design/model-matrix.ts";
import { rankDeficientWarning } from "../design/rank-deficient-warning.ts";
import { DataError, SpecError, type Warning } from "../errors.ts";
import type { ModelFormula } from "../formula/model-formula.ts";
import { parseFormula } from "../formula/parse-formula.ts";
import { pnorm, pt } from "../special/distributions.ts";
import { quote } from "../util/quote.ts";
import type { Family, FamilyName } from "./family.ts";
import { glmToJSON } from "./glm-json.ts";
import { registerGlmInternals } from "./glm-internals.ts";
import { glmResponse } from "./glm-response.ts";
import { type IrlsControl, irls } from "./irls.ts";
import type { LinkName } from "./link.ts";
import { makeFamily } from "./make-family.ts";

export interface GlmFitOptions {
  /** "binomial", "poisson" or "gaussian" (default "gaussian"), or a `Family` from `makeFamily`. */
  readonly family?: string | Family;
  /** Link name (default: the family's canonical link); ignored when `family` is a `Family`. */
  readonly link?: string;
  /** Column of prior weights (R's `weights =`; for a binomial proportion, the number of trials). */
  readonly weights?: string;
  /** Column added to the linear predictor as a known offset (R's `offset =`), besides any `offset()` term. */
  readonly offset?: string;
  /** IRLS tolerance and iteration limit (R's `glm.control`: epsilon 1e-8, maxit 25). */
  readonly control?: IrlsControl;
  /** Refuse (E_DATA_TOO_LARGE) a model matrix of more bytes than this. Default 2 GiB. */
  readonly maxBytes?: number;
}

/** Residuals of a GLM fit, every row (R's `residuals(fit, type)`). */
export interface GlmResiduals {
  /** sign(y − μ)·√(deviance residual), R's default type. */
  readonly deviance: Float64Array;
  /** (y − μ)·√w / √V(μ). */
  readonly pearson: Float64Array;
  /** (y − μ)/(dμ/dη), on the link scale. */
  readonly working: Float64Array;
  /** y − μ. */
  readonly response: Float64Array;
}

export interface GlmFit {
  readonly kind: "glm";
  readonly formula: string;
  readonly dataName: string;
  readonly family: FamilyName;
  readonly link: LinkName;
  /** The family object used (variance, deviance residuals, link functions). */
  readonly familyObject: Family;
  /** Rows with non-zero prior weight (R's `nobs(fit)`). */
  readonly nobs: number;
  /** Rows used (after dropping missing values), zero-weight rows included. */
  readonly n: number;
  /** All model-matrix columns in order (aliased ones included, as R's `coef(glm)`). */
  readonly xnames: readonly string[];
  /** Coefficients by `xnames`; NaN for aliased columns (R's NA). */
  readonly beta: readonly number[];
  readonly se: readonly number[];
  /** Wald statistic β/SE: z for binomial/Poisson, t for families with an estimated dispersion. */
  readonly statistic: readonly number[];
  /** "z" (dispersion fixed at 1) or "t" (dispersion estimated). */
  readonly statisticName: "z" | "t";
  readonly p: readonly number[];
  /** Covariance of the coefficients (p × p by `xnames`, NaN rows/columns for aliased ones). */
  readonly vcov: readonly (readonly number[])[];
  readonly estimable: readonly number[];
  readonly droppedColumns: readonly string[];
  readonly rank: number;
  /** 1 for binomial/Poisson; Σ w·r²/df over the working residuals otherwise (R's `summary.glm`). */
  readonly dispersion: number;
  readonly dispersionFixed: boolean;
  /** Residual deviance Σ wt·d(y, μ). */
  readonly deviance: number;
  readonly nullDeviance: number;
  readonly dfResidual: number;
  readonly dfNull: number;
  /** R's `fit$aic`: family AIC + 2·rank. */
  readonly aic: number;
  /**
   * As R's `logLik.glm` (df = rank, + 1 for an estimated dispersion); BIC uses log(n) over all rows
   * used, zero-weight rows included, as R does.
   */
  readonly logLik: number;
  readonly df: number;
  readonly AIC: number;
  readonly BIC: number;
  /** Fisher-scoring (IRLS) iterations. */
  readonly iter: number;
  readonly converged: boolean;
  readonly boundary: boolean;
  /** Σ Pearson residual², and its ratio to the residual df (≈ 1 without overdispersion). */
  readonly pearsonChisq: number;
  readonly overdispersionRatio: number;
  /** Response on the fitting scale (binomial: proportions). */
  readonly y: Float64Array;
  /** μ on the response scale (R's `fitted(fit)`). */
  readonly fitted: Float64Array;
  /** η including any offset (R's `fit$linear.predictors`). */
  readonly linearPredictor: Float64Array;
  readonly offset: Float64Array | undefined;
  readonly priorWeights: Float64Array;
  readonly workingWeights: Float64Array;
  /** Residuals of every type (computed on first access). */
  readonly residuals: GlmResiduals;
  readonly weightsColumn: string | undefined;
  /** The `offset` option's column, if any. */
  readonly offsetColumn: string | undefined;
  /** Rows dropped for missing values. */
  readonly nDropped: number;
  readonly fitSeconds: number;
  readonly warnings: readonly Warning[];
  toJSON(): Record<string, unknown>;
}

/** Fit a GLM (no random-effects terms) by IRLS, as R's `glm()`. */
export function fitGlm(formula: string | ModelFormula, data: DataSource, opts: GlmFitOptions = {}): GlmFit {
  const t0 = performance.now();
  const f = typeof formula === "string" ? parseFormula(formula) : formula;
  if (f.random.length > 0) {
    throw new SpecError(
      "E_SPEC_UNSUPPORTED",
      "fitGlm() takes a formula without random-effects terms",
      "remove the (… | group) terms for a GLM",
    );
  }
  const family =
    typeof opts.family === "object" ? opts.family : makeFamily(opts.family ?? "gaussian", opts.link);
  const frame = buildModelFrame(f, data, { weights: opts.weights, family: family.name });
  const n = frame.n;
  const resp = glmResponse(frame, family);
  const warnings: Warning[] = [...frame.warnings, ...resp.warnings];
  let offset = resp.offset;
  let hasOffset = resp.hasOffset;
  if (opts.offset !== undefined) {
    const col = data.column(opts.offset);
    if (col?.kind !== "numeric")
      throw new DataError(
        col ? "E_DATA_NON_NUMERIC" : "E_DATA_UNKNOWN_COLUMN",
        `offset column ${quote(opts.offset)} is ${col ? "not numeric" : "not in the data"}`,
        "name a numeric column",
      );
    const v = (col as NumericColumn).values;
    offset = offset.slice();
    for (let i = 0; i < n; i++) {
      const o = v[frame.rows[i]];
      if (!Number.isFinite(o))
        throw new DataError(
          "E_DATA_NON_FINITE",
          `offset column ${quote(opts.offset)} is missing or infinite in row ${frame.rows[i] + 1}`,
        );
      offset[i] += o;
    }
    hasOffset = true;
  }
  if (resp.nOk === 0)
    throw new DataError(
      "E_DATA_NO_COMPLETE_ROWS",
      "every prior weight is zero, so no observation enters the fit",
      "check the weights column",
    );
  const plan = planModelMatrix(f.fixed, frame.variables, n);
  const p = plan.p;
  checkMatrixSize(
    plan,
    8 * 3 * n * p,
    opts.maxBytes ?? DEFAULT_MAX_MATRIX_BYTES,
    "fixed-effects model matrix and its IRLS work",
  );
  const X = materializeModelMatrix(plan).X;
  const names = plan.names;
  const input = { X, n, p, y: resp.y, priorWeights: resp.priorWeights, offset, mustart: resp.mustart, names };
  const fit = irls(input, family, opts.control);
  const sol = fit.solution;
  const rank = fit.rank;
  const intercept = f.fixed.intercept && p > 0;
  if (sol && sol.aliased.length > 0) warnings.push(rankDeficientWarning(sol.aliased.map((j) => names[j])));

  const w = resp.priorWeights;
  const y = resp.y;
  const mu = fit.mu;
  const eta = fit.eta;
  const link = family.link;
  // Null deviance: weighted mean with an intercept (refit with the offset when there is one), else μ = g⁻¹(offset).
  let nullDeviance: number;
  if (intercept && hasOffset) {
    const ones = new Float64Array(n).fill(1);
    const nullFit = irls({ X: ones, n, p: 1, y, priorWeights: w, offset, mustart: mu }, family, opts.control);
    nullDeviance = nullFit.deviance;
  } else if (intercept) {
    let sw = 0;
    let swy = 0;
    for (let i = 0; i < n; i++) {
      sw += w[i];
      swy += w[i] * y[i];
    }
    nullDeviance = family.deviance(y, new Float64Array(n).fill(swy / sw), w);
  } else {
    const mu0 = new Float64Array(n);
    link.linkinvInto(offset, mu0);
    nullDeviance = family.deviance(y, mu0, w);
  }
  const nOk = resp.nOk;
  const dfResidual = nOk - rank;
  const dfNull = nOk - (intercept ? 1 : 0);

  // Residuals.
  const muEta = new Float64Array(n);
  link.muEtaInto(eta, muEta);
  const vari = new Float64Array(n);
  family.varianceInto(mu, vari);
  const working = new Float64Array(n);
  const pearson = new Float64Array(n);
  let pearsonChisq = 0;
  for (let i = 0; i < n; i++) {
    working[i] = (y[i] - mu[i]) / muEta[i];
    pearson[i] = ((y[i] - mu[i]) * Math.sqrt(w[i])) / Math.sqrt(vari[i]);
    pearsonChisq += pearson[i] * pearson[i];
  }
  let dispersion = 1;
  if (!family.dispersionFixed) {
    if (dfResidual > 0) {
      let s = 0;
      for (let i = 0; i < n; i++) if (fit.workingWeights[i] > 0) s += fit.workingWeights[i] * working[i] ** 2;
      dispersion = s / dfResidual;
    } else dispersion = Number.NaN;
  }

  const beta = Array.from(fit.coef);
  const se = new Array<number>(p).fill(Number.NaN);
  const stat = new Array<number>(p).fill(Number.NaN);
  const pv = new Array<number>(p).fill(Number.NaN);
  if (sol) {
    for (const j of sol.estimable) {
      se[j] = Math.sqrt(dispersion * sol.covUnscaled(j, j));
      stat[j] = beta[j] / se[j];
      pv[j] = family.dispersionFixed ? 2 * pnorm(-Math.abs(stat[j])) : 2 * pt(-Math.abs(stat[j]), dfResidual);
    }
  }
  const estimable = sol ? sol.estimable : [];
  const isEst = new Uint8Array(p);
  for (const j of estimable) isEst[j] = 1;
  let vcovCache: number[][] | undefined;
  const buildVcov = (): number[][] =>
    Array.from({ length: p }, (_, i) => {
      const row = new Array<number>(p).fill(Number.NaN);
      if (isEst[i] && sol) for (const j of estimable) row[j] = dispersion * sol.covUnscaled(i, j);
      return row;
    });

  const aic = family.aic(y, resp.n, mu, w, fit.deviance) + 2 * rank;
  const df = rank + (family.dispersionFixed ? 0 : 1);
  const logLik = df - aic / 2;

  if (!fit.converged)
    warnings.push({
      code: "not_converged",
      message: `the IRLS algorithm did not converge in ${fit.iter} iterations (R: "glm.fit: algorithm did not converge")`,
    });
  if (fit.boundary)
    warnings.push({
      code: "not_converged",
      message:
        'the IRLS algorithm stopped at a boundary value after step halving (R: "glm.fit: algorithm stopped at boundary value")',
    });
  warnings.push(...boundaryWarnings(family, mu, X, n, p, beta, se, names));

  let residualsCache: GlmResiduals | undefined;
  const buildResiduals = (): GlmResiduals => {
    const dev = new Float64Array(n);
    const response = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const d = Math.sqrt(Math.max(family.devResid(y[i], mu[i], w[i]), 0));
      dev[i] = y[i] > mu[i] ? d : -d;
      response[i] = y[i] - mu[i];
    }
    return { deviance: dev, pearson, working, response };
  };
  const result: GlmFit = {
    kind: "glm",
    formula: f.text,
    dataName: frame.dataName,
    family: family.name,
    link: link.name,
    familyObject: family,
    nobs: nOk,
    n,
    xnames: names,
    beta,
    se,
    statistic: stat,
    statisticName: family.dispersionFixed ? "z" : "t",
    p: pv,
    vcov: [],
    estimable,
    droppedColumns: sol ? sol.aliased.map((j) => names[j]) : [],
    rank,
    dispersion,
    dispersionFixed: family.dispersionFixed,
    deviance: fit.deviance,
    nullDeviance,
    dfResidual,
    dfNull,
    aic,
    logLik,
    df,
    AIC: -2 * logLik + 2 * df,
    // R's logLik.glm counts every row with a residual (zero-weight rows too) as nobs for BIC
    BIC: -2 * logLik + Math.log(n) * df,
    iter: fit.iter,
    converged: fit.converged,
    boundary: fit.boundary,
    pearsonChisq,
    overdispersionRatio: pearsonChisq / dfResidual,
    y,
    fitted: mu,
    linearPredictor: eta,
    offset: hasOffset ? offset : undefined,
    priorWeights: w,
    workingWeights: fit.workingWeights,
    residuals: undefined as unknown as GlmResiduals,
    weightsColumn: opts.weights,
    offsetColumn: opts.offset,
    nDropped: data.nrow - n,
    fitSeconds: (performance.now() - t0) / 1000,
    warnings,
    toJSON: () => glmToJSON(result),
  };
  Object.defineProperty(result, "vcov", {
    enumerable: true,
    get: () => {
      vcovCache ??= buildVcov();
      return vcovCache;
    },
  });
  Object.defineProperty(result, "residuals", {
    enumerable: true,
    get: () => {
      residualsCache ??= buildResiduals();
      return residualsCache;
    },
  });
  registerGlmInternals(result, { formula: f, variables: frame.variables, transforms: frame.transforms, X });
  return Object.freeze(result);
}

const BOUNDARY_EPS = 10 * 2.220446049250313e-16;

/**
 * R's warnings for fitted probabilities numerically 0 or 1 (binomial) and fitted rates numerically
 * 0 (Poisson), naming the coefficient(s) whose term dominates the linear predictor on those rows
 * (the direction of separation: its estimate and SE are unreliable).
 */
export function boundaryWarnings(
  family: Family,
  mu: Float64Array,
  X: Float64Array,
  n: number,
  p: number,
  beta: readonly number[],
  se: readonly number[],
  names: readonly string[],
): Warning[] {
  const binomial = family.name === "binomial";
  if (!binomial && family.name !== "poisson") return [];
  const rows: number[] = [];
  for (let i = 0; i < n; i++) {
    if (mu[i] < BOUNDARY_EPS || (binomial && mu[i] > 1 - BOUNDARY_EPS)) rows.push(i);
  }
  if (rows.length === 0) return [];
  const count = new Map<number, number>();
  for (const i of rows) {
    let best = -1;
    let bestAbs = -1;
    for (let j = 0; j < p; j++) {
      if (Number.isNaN(beta[j])) continue;
      const c = Math.abs(X[j * n + i] * beta[j]);
      if (c > bestAbs) {
        bestAbs = c;
        best = j;
      }
    }
    if (best >= 0) count.set(best, (count.get(best) ?? 0) + 1);
  }
  const culprits = [...count.entries()].sort((a, b) => b[1] - a[1]).map(([j]) => j);
  const fmt = (v: number) => v.toPrecision(4);
  const named = culprits
    .map((j) => `${quote(names[j])} (estimate ${fmt(beta[j])}, SE ${fmt(se[j])})`)
    .join(", ");
  const what = binomial
    ? "fitted probabilities numerically 0 or 1 occurred"
    : "fitted rates numerically 0 occurred";
  return [
    {
      code: binomial ? "fitted_probabilities_0_or_1" : "fitted_rates_0",
      message:
        `${what} in ${rows.length} of ${n} rows (R: "glm.fit: ${what}"): ` +
        (binomial ? "complete or quasi-complete separation" : "the linear predictor runs to −∞") +
        (named ? `, driven by ${named}` : "") +
        "; those estimates and standard errors are unreliable (consider removing or combining the predictor, or a penalised fit)",
    },
  ];
}
