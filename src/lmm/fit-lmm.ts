/**
 * The public entry for linear mixed models: formula + data → an immutable `LmmFit`
 * (design by `design/`, fit by the profiled-deviance engine), with `toJSON()` in the CONTRACT's
 * schema (field names of the lme4 reference fits).
 */
import type { DataSource } from "../data/column.ts";
import { buildDesign, type Design } from "../design/design.ts";
import { SpecError, type Warning } from "../errors.ts";
import type { ModelFormula } from "../formula/model-formula.ts";
import { parseFormula } from "../formula/parse-formula.ts";
import { quantile } from "../util/stats.ts";
import { createLmm, type LmmModel } from "./lmm-model.ts";
import type { LmmProblem } from "./lmm-problem.ts";
import type { LmmResult } from "./lmm-result.ts";
import { type FitLmmOptions, fitModel, refit } from "./fit-lmm-problem.ts";
import { type FitInternals, fitInternals, modelFor, registerFitInternals } from "./fit-internals.ts";
import { decomposeVariance, decompositionTerms, varianceDecompositionToJSON } from "./decompose-variance.ts";
import { requireLmm } from "./require-lmm.ts";

export interface LmmFitOptions extends FitLmmOptions {
  /** Column of prior weights (lme4's `weights =`). */
  readonly weights?: string;
  /**
   * Refuse (DataError E_DATA_TOO_LARGE) a model whose fixed- or random-effects matrices would need
   * more than this many bytes. Default 2 GiB, as `fitLm`.
   */
  readonly maxBytes?: number;
}

/** A fitted linear mixed model: the engine's numbers plus what the design knew. */
export interface LmmFit extends LmmResult {
  readonly kind: "lmm";
  readonly formula: string;
  readonly dataName: string;
  /** θ names as lme4's `getME(m, "theta")`: `Subject.(Intercept)`, `Subject.Days.(Intercept)`. */
  readonly thetaNames: readonly string[];
  /** Names of fixed-effect columns dropped for rank deficiency. */
  readonly droppedColumns: readonly string[];
  /** Seconds spent building the design and fitting. */
  readonly fitSeconds: number;
  readonly weightsColumn: string | undefined;
  /**
   * Refit to a new response of the same length, reusing the factorisation structure; θ starts at
   * `options.start` (default: the default start, λ = I).
   */
  refit(newY: Float64Array, options?: { readonly start?: ArrayLike<number> }): LmmFit;
  /**
   * The same model fitted by maximum likelihood (lme4's `refitML`), starting from this fit's θ;
   * an ML fit returns itself.
   */
  refitML(): LmmFit;
  toJSON(): Record<string, unknown>;
}

/** θ names of a design (see `LmmFit.thetaNames`). */
export function thetaNames(design: Design): string[] {
  const out: string[] = [];
  for (const t of design.reterms) {
    const c = t.cnames;
    for (let j = 0; j < c.length; j++) {
      for (let i = j; i < c.length; i++)
        out.push(i === j ? `${t.factor}.${c[i]}` : `${t.factor}.${c[i]}.${c[j]}`);
    }
  }
  return out;
}

function problemOf(design: Design): LmmProblem {
  return {
    y: design.y,
    X: design.X,
    xnames: design.xnames,
    reterms: design.reterms,
    weights: design.weights,
    offset: design.offset,
  };
}

/**
 * A fit from its design, engine model (L factored at the result's θ) and result. Shared with
 * `restoreLmm`; not part of the public API.
 */
export function assembleFit(
  design: Design,
  model: LmmModel,
  result: LmmResult,
  opts: LmmFitOptions,
  seconds: number,
): LmmFit {
  const warnings: Warning[] = [...design.warnings, ...result.warnings];
  const internals: FitInternals = { design, model, y: model.problem.y };
  const fit: LmmFit = {
    ...result,
    kind: "lmm",
    formula: design.frame.formula.text,
    dataName: design.frame.dataName,
    thetaNames: thetaNames(design),
    droppedColumns: design.dropped,
    fitSeconds: seconds,
    weightsColumn: opts.weights,
    warnings,
    refit(newY: Float64Array, options: { readonly start?: ArrayLike<number> } = {}): LmmFit {
      if (newY.length !== design.n) {
        throw new SpecError("E_SPEC_UNSUPPORTED", `refit needs ${design.n} responses, got ${newY.length}`);
      }
      const t0 = performance.now();
      const r = refit(model, newY, options.start ? { ...opts, start: options.start } : opts);
      return assembleFit({ ...design, y: newY }, model, r, opts, (performance.now() - t0) / 1000);
    },
    refitML(): LmmFit {
      if (!fit.REML) return fit;
      const t0 = performance.now();
      const mlOpts: LmmFitOptions = { ...opts, REML: false, start: fit.theta };
      const r = fitModel(modelFor(internals), mlOpts);
      return assembleFit(design, model, r, mlOpts, (performance.now() - t0) / 1000);
    },
    toJSON: () => lmmToJSON(fit),
  };
  registerFitInternals(fit, internals);
  return Object.freeze(fit);
}

/**
 * The design and engine model of `formula` on `data` (checked as `fitLmm` checks them), before any
 * θ is chosen. Shared with `restoreLmm`; not part of the public API.
 */
export function prepareLmm(
  formula: string | ModelFormula,
  data: DataSource,
  opts: LmmFitOptions,
): { design: Design; model: LmmModel } {
  const f = typeof formula === "string" ? parseFormula(formula) : formula;
  if (f.random.length === 0) {
    throw new SpecError(
      "E_SPEC_NO_RANDOM_EFFECTS",
      `the formula '${f.text}' has no random-effects term`,
      "add a term such as (1 | group), or fit an ordinary linear model",
    );
  }
  const design = buildDesign(f, data, { weights: opts.weights, maxBytes: opts.maxBytes });
  checkResponse(design);
  if (design.weights?.some((w) => w <= 0)) {
    throw new SpecError(
      "E_SPEC_UNSUPPORTED",
      `the weights column '${opts.weights}' has zero values`,
      "a mixed model needs positive prior weights; drop the rows with zero weight",
    );
  }
  return { design, model: createLmm(problemOf(design)) };
}

/** Fit `formula` (lme4 syntax, with at least one random term) to `data` by REML (default) or ML. */
export function fitLmm(formula: string | ModelFormula, data: DataSource, opts: LmmFitOptions = {}): LmmFit {
  const t0 = performance.now();
  const { design, model } = prepareLmm(formula, data, opts);
  const result = fitModel(model, opts);
  return assembleFit(design, model, result, opts, (performance.now() - t0) / 1000);
}

/**
 * A fingerprint of the response a fit was fitted to (FNV-1a over the bytes of the doubles, as 8
 * hex digits), saved in the JSON so that `restoreLmm` can tell a different response from the same.
 */
export function responseHash(y: Float64Array): string {
  const bytes = new Uint8Array(y.buffer, y.byteOffset, y.byteLength);
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) {
    h ^= bytes[i];
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, "0");
}

function checkResponse(design: Design): void {
  const y = design.y;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const v of y) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  // constant up to a few units in the last place (any absolute scale: 1e-300·y is not constant)
  if (!(max - min > 8 * Number.EPSILON * Math.max(Math.abs(max), Math.abs(min)))) {
    throw new SpecError(
      "E_SPEC_CONSTANT_RESPONSE",
      `the response '${design.frame.formula.responseLabel}' is constant (${min}) over the ${y.length} rows used`,
      "a model needs variation in the response; check the column and any filtering",
    );
  }
}

function named(names: readonly string[], values: ArrayLike<number>): Record<string, number> {
  const out: Record<string, number> = Object.create(null);
  names.forEach((n, i) => {
    out[n] = values[i];
  });
  return out;
}

/** The CONTRACT JSON of an LMM fit (numbers at full precision; NaN/Infinity become null). */
export function lmmToJSON(fit: LmmFit): Record<string, unknown> {
  requireLmm(fit, "lmmToJSON", "use glmmToJSON (or fit.toJSON()) for a GLMM");
  const ranef: Record<string, unknown> = Object.create(null);
  for (const [f, r] of Object.entries(fit.ranef)) {
    ranef[f] = { levels: r.levels, terms: r.terms, values: r.values, condSD: r.condSD };
  }
  return {
    formula: fit.formula,
    data: fit.dataName,
    model_class: "lmerMod",
    family: "gaussian",
    link: "identity",
    REML: fit.REML,
    nAGQ: null,
    nobs: fit.nobs,
    ngroups: fit.ngroups,
    theta: named(fit.thetaNames, fit.theta),
    beta: named(fit.xnames, fit.beta),
    se: named(fit.xnames, fit.se),
    vcov_beta: fit.vcov,
    sigma: fit.sigma,
    varcorr: fit.varcorr,
    logLik: fit.logLik,
    df: fit.df,
    AIC: fit.AIC,
    BIC: fit.BIC,
    ...(fit.REML ? { REMLcrit: fit.REMLcrit } : { deviance: fit.deviance }),
    objective: fit.objective,
    df_residual: fit.dfResidual,
    isSingular: fit.isSingular,
    scaled_residuals_quantiles: Array.from(quantile(fit.scaledResiduals, [0, 0.25, 0.5, 0.75, 1])),
    ranef,
    coef: fit.coef,
    optinfo: fit.optinfo,
    dropped_columns: fit.droppedColumns,
    warnings: fit.warnings.map((w) => ({ code: w.code, message: w.message })),
    variance_decomposition: jsonDecomposition(fit),
    timing: { fit_s: fit.fitSeconds },
    // what restoreLmm needs beyond the estimates: the prior-weights column and the response's fingerprint
    weights: fit.weightsColumn ?? null,
    response_hash: responseHash(fitInternals(fit)?.y ?? new Float64Array(0)),
  };
}

function jsonDecomposition(fit: LmmFit): Record<string, unknown> | null {
  const internals = fitInternals(fit);
  if (!internals) return null;
  const { design } = internals;
  return varianceDecompositionToJSON(
    decomposeVariance({
      n: design.n,
      X: design.X,
      beta: fit.beta,
      terms: decompositionTerms(design.reterms, fit.varcorr.groups),
      sigma: fit.sigma,
    }),
  );
}
