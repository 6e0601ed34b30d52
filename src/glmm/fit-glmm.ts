/**
 * The public entry for generalized linear mixed models: formula + data + family → an immutable
 * `GlmmFit` (design by `design/`, response by `glm/glm-response.ts`, fit by PIRLS on the LMM
 * engine), with `toJSON()` in the CONTRACT's schema (field names of the lme4 reference fits).
 */
import type { DataSource } from "../data/column.ts";
import { buildDesign, type Design } from "../design/design.ts";
import { SpecError, type Warning } from "../errors.ts";
import type { ModelFormula } from "../formula/model-formula.ts";
import { parseFormula } from "../formula/parse-formula.ts";
import type { Family } from "../glm/family.ts";
import { type GlmResponse, glmResponse } from "../glm/glm-response.ts";
import { makeFamily } from "../glm/make-family.ts";
import { registerFitInternals } from "../lmm/fit-internals.ts";
import type { LmmModel } from "../lmm/lmm-model.ts";
import { quantile } from "../util/stats.ts";
import { MAX_AGQ_GRID } from "./agq.ts";
import { type FitGlmmOptions, fitGlmmModel } from "./fit-glmm-problem.ts";
import { glmmFamily } from "./glmm-family.ts";
import { registerGlmmInternals } from "./glmm-internals.ts";
import type { GlmmProblem } from "./glmm-problem.ts";
import type { GlmmResult } from "./glmm-result.ts";

export interface GlmmFitOptions extends FitGlmmOptions {
  /** `binomial` or `poisson` (a family name, or a family object from `src/glm`). Required. */
  readonly family: string | Family;
  /** Link name; default the family's canonical link (logit, log). */
  readonly link?: string;
  /** Column of prior weights (lme4's `weights =`; for a proportion response, the trials). */
  readonly weights?: string;
  /** Refuse models whose matrices would need more than this many bytes (default 2 GiB). */
  readonly maxBytes?: number;
}

/** A fitted GLMM: the engine's numbers plus what the design knew. */
export interface GlmmFit extends GlmmResult {
  readonly kind: "glmm";
  readonly formula: string;
  readonly dataName: string;
  /** θ names as lme4's `getME(m, "theta")`. */
  readonly thetaNames: readonly string[];
  readonly droppedColumns: readonly string[];
  readonly fitSeconds: number;
  readonly weightsColumn: string | undefined;
  /** Whether the formula had an `offset()` term. */
  readonly hasOffset: boolean;
  toJSON(): Record<string, unknown>;
}

export function thetaNamesOf(reterms: GlmmProblem["reterms"]): string[] {
  const out: string[] = [];
  for (const t of reterms) {
    const c = t.cnames;
    for (let j = 0; j < c.length; j++)
      for (let i = j; i < c.length; i++)
        out.push(i === j ? `${t.factor}.${c[i]}` : `${t.factor}.${c[i]}.${c[j]}`);
  }
  return out;
}

/**
 * Fit `formula` (lme4 syntax, at least one random term) to `data` by maximum likelihood as
 * `glmer(formula, data, family, nAGQ)`: Laplace (nAGQ = 1, default), nAGQ = 0, or adaptive
 * Gauss–Hermite quadrature (nAGQ > 1, a single scalar random-effects term; any other random
 * effects with `agq: "extended"`).
 */
export function fitGlmm(formula: string | ModelFormula, data: DataSource, opts: GlmmFitOptions): GlmmFit {
  const t0 = performance.now();
  const prepared = prepareGlmm(formula, data, opts);
  const { result, model } = fitGlmmModel(prepared.problem, opts);
  return assembleGlmmFit(prepared, model, result, opts, (performance.now() - t0) / 1000);
}

/** What `fitGlmm` and `restoreGlmm` build before fitting: the design, the response, the engine input. */
export interface PreparedGlmm {
  readonly design: Design;
  readonly resp: GlmResponse;
  readonly family: Family;
  readonly problem: GlmmProblem;
}

/** The design, response and engine input of a GLMM (see `fitGlmm`), with the checks of its input. */
export function prepareGlmm(
  formula: string | ModelFormula,
  data: DataSource,
  opts: GlmmFitOptions,
): PreparedGlmm {
  const f = typeof formula === "string" ? parseFormula(formula) : formula;
  if (f.random.length === 0)
    throw new SpecError(
      "E_SPEC_NO_RANDOM_EFFECTS",
      `the formula '${f.text}' has no random-effects term`,
      "add a term such as (1 | group), or fit a generalized linear model (fitGlm)",
    );
  const family = typeof opts.family === "string" ? makeFamily(opts.family, opts.link) : opts.family;
  const design = buildDesign(f, data, {
    weights: opts.weights,
    maxBytes: opts.maxBytes,
    family: family.name,
  });
  const resp = glmResponse(design.frame, family);
  for (let t = 0; t < resp.priorWeights.length; t++)
    if (!(resp.priorWeights[t] > 0))
      throw new SpecError(
        "E_SPEC_UNSUPPORTED",
        `row ${design.frame.rows[t] + 1} has prior weight ${resp.priorWeights[t]} (zero trials or a zero weight)`,
        "drop the rows with zero weight or zero trials before fitting the mixed model",
      );
  const problem: GlmmProblem = {
    y: resp.y,
    X: design.X,
    xnames: design.xnames,
    reterms: design.reterms,
    weights: resp.priorWeights,
    offset: resp.hasOffset ? resp.offset : undefined,
    family: glmmFamily(family, resp.n),
  };
  return { design, resp, family, problem };
}

/** The public `GlmmFit` of an engine result (fitted, or restored at saved parameters). */
export function assembleGlmmFit(
  prepared: PreparedGlmm,
  model: LmmModel,
  result: GlmmResult,
  opts: GlmmFitOptions,
  fitSeconds: number,
): GlmmFit {
  const { design, resp, family, problem } = prepared;
  const warnings: Warning[] = [...design.warnings, ...resp.warnings, ...result.warnings];
  const fit: GlmmFit = {
    ...result,
    kind: "glmm",
    formula: design.frame.formula.text,
    dataName: design.frame.dataName,
    thetaNames: thetaNamesOf(design.reterms),
    droppedColumns: design.dropped,
    fitSeconds,
    weightsColumn: opts.weights,
    hasOffset: resp.hasOffset,
    warnings,
    toJSON: () => glmmToJSON(fit),
  };
  // the design and the engine model, for predict() on new data
  registerFitInternals(fit, { design, model, y: resp.y });
  registerGlmmInternals(fit, {
    problem,
    nAGQ: opts.nAGQ ?? 1,
    agq: opts.agq ?? "lme4",
    trials: resp.n,
    familyName: family.name,
    linkName: family.link.name,
  });
  return Object.freeze(fit);
}

function named(names: readonly string[], values: ArrayLike<number>): Record<string, number> {
  const out: Record<string, number> = Object.create(null);
  names.forEach((n, i) => {
    out[n] = values[i];
  });
  return out;
}

/** The CONTRACT JSON of a GLMM fit (field names of the reference fits; NaN/Infinity become null). */
export function glmmToJSON(fit: GlmmFit): Record<string, unknown> {
  const ranef: Record<string, unknown> = Object.create(null);
  for (const [f, r] of Object.entries(fit.ranef))
    ranef[f] = { levels: r.levels, terms: r.terms, values: r.values, condSD: r.condSD };
  const agq = fit.nAGQ > 1;
  return {
    formula: fit.formula,
    data: fit.dataName,
    model_class: "glmerMod",
    family: fit.family,
    weights: fit.weightsColumn ?? null,
    link: fit.link,
    REML: null,
    nAGQ: fit.nAGQ,
    agq: fit.quadrature
      ? {
          mode: fit.quadrature.mode,
          blocks: fit.quadrature.blocks,
          max_dimension: fit.quadrature.maxDimension,
          grid_points: fit.quadrature.gridPoints,
          grid_limit: MAX_AGQ_GRID,
        }
      : null,
    nobs: fit.nobs,
    ngroups: fit.ngroups,
    theta: named(fit.thetaNames, fit.theta),
    beta: named(fit.xnames, fit.beta),
    se: named(fit.xnames, fit.se),
    se_method:
      fit.vcovMethod === "hessian" ? "finite-difference Hessian over (theta, beta), as lme4" : "RX factor",
    vcov_beta: fit.vcov,
    se_rx: named(fit.xnames, fit.seRX),
    vcov_beta_rx: fit.vcovRX,
    sigma: 1,
    varcorr: fit.varcorr,
    logLik: fit.logLik,
    logLik_full: fit.logLikFull,
    logLik_saturated: fit.logLikSaturated,
    logLik_note: agq
      ? "logLik is lme4's (1.1-31) value for nAGQ > 1, which omits the saturated-model log-likelihood; logLik_full = logLik + logLik_saturated is the actual marginal log-likelihood (AIC, BIC, deviance and objective follow lme4's logLik)"
      : "logLik is the Laplace-approximated marginal log-likelihood (= logLik_full)",
    df: fit.df,
    AIC: fit.AIC,
    BIC: fit.BIC,
    deviance: fit.deviance,
    deviance_residual_sum: fit.devianceResidualSum,
    deviance_lme4_function: fit.devianceResidualSum,
    objective: fit.objective,
    df_residual: fit.dfResidual,
    pearson_chi2: fit.pearsonChi2,
    overdispersion_ratio: fit.overdispersionRatio,
    isSingular: fit.isSingular,
    scaled_residuals_quantiles: Array.from(quantile(fit.pearsonResiduals, [0, 0.25, 0.5, 0.75, 1])),
    ranef,
    coef: fit.coef,
    optinfo: {
      feval: fit.optinfo.feval,
      feval_stage1: fit.optinfo.fevalStage1,
      converged: fit.optinfo.converged,
      message: fit.optinfo.message,
      optimizer: fit.optinfo.optimizer,
    },
    dropped_columns: fit.droppedColumns,
    warnings: fit.warnings.map((w) => ({ code: w.code, message: w.message })),
    timing: { fit_s: fit.fitSeconds },
  };
}
