/**
 * The printers of fit objects: adapters from `LmFit` / `LmmFit` to the exact R/lme4 layouts. Each
 * returns the text R prints (the library never prints itself); the numbers behind the text come
 * from the data accessors (`fixef`, `coefTable`, `varCorr`, `ranef`).
 */
import { deparseFormula } from "../formula/deparse-formula.ts";
import type { GlmFit } from "../glm/fit-glm.ts";
import { defaultLink } from "../glm/make-family.ts";
import type { LmFit } from "../lm/fit-lm.ts";
import type { LmmFit } from "../lmm/fit-lmm.ts";
import type { GlmmFit } from "../glmm/fit-glmm.ts";
import { glmmSummaryText } from "./glmm-summary-text.ts";
import { OptionError } from "../errors.ts";
import { type DdfMethod, fixedEffectTests } from "../inference/fixed-effect-tests.ts";
import { expandDoubleBars } from "./expand-double-bars.ts";
import { formatGlmSummary } from "./glm-summary.ts";
import { formatLmSummary } from "./lm-summary.ts";
import { formatLmmSummary } from "./lmm-summary.ts";
import { residualQuantiles } from "./quantile.ts";
import { formatCoef, formatRanef } from "./ranef-table.ts";

function named(names: readonly string[], values: ArrayLike<number>): Record<string, number | null> {
  const out: Record<string, number | null> = Object.create(null);
  names.forEach((n, i) => {
    out[n] = Number.isNaN(values[i]) ? null : values[i];
  });
  return out;
}

function record(names: readonly string[], values: ArrayLike<number>): Record<string, number> {
  const out: Record<string, number> = Object.create(null);
  names.forEach((n, i) => {
    out[n] = values[i];
  });
  return out;
}

export interface SummaryOptions {
  /**
   * For a mixed model: add denominator degrees of freedom and p-values to the fixed-effects table
   * as lmerTest's `summary(m, ddf = ...)` does ("satterthwaite" or "kenward-roger"); "none" or
   * absent prints lme4's table.
   */
  readonly ddf?: DdfMethod | "none";
}

const DDF_TITLE = { satterthwaite: "Satterthwaite", "kenward-roger": "Kenward-Roger" } as const;

/**
 * R's `print(summary(m))` for an `lm` or `glm` fit, or lme4's (lmerTest's with `ddf`) for an
 * `lmer` fit, or lme4's for a `glmer` fit.
 */
export function printSummary(fit: LmFit | GlmFit | LmmFit | GlmmFit, opts: SummaryOptions = {}): string {
  const ddf = opts.ddf ?? "none";
  if (fit.kind === "glm") {
    if (ddf !== "none")
      throw new OptionError("ddf applies to mixed models", "a glm summary has Wald z (or t) tests");
    return glmSummaryText(fit);
  }
  if (fit.kind === "glmm") {
    if (ddf !== "none")
      throw new OptionError("ddf applies to linear mixed models", "a GLMM summary has z tests");
    return glmmSummaryText(fit);
  }
  if (fit.kind === "lm") {
    if (ddf !== "none")
      throw new OptionError("ddf applies to mixed models", "an lm summary already has exact t-tests");
    return lmSummaryText(fit);
  }
  return lmmSummaryText(fit, ddf);
}

function lmSummaryText(fit: LmFit): string {
  return formatLmSummary({
    formula: deparseFormula(fit.formula),
    dataName: fit.dataName,
    weighted: fit.weights !== undefined,
    beta: named(fit.xnames, fit.beta),
    // NaN stays NaN (R prints NaN for an estimable coefficient with no residual df; NA marks aliasing)
    se: record(fit.xnames, fit.se),
    t: record(fit.xnames, fit.t),
    p: record(fit.xnames, fit.p),
    sigma: fit.sigma,
    df_residual: fit.dfResidual,
    r_squared: fit.rSquared,
    adj_r_squared: fit.adjRSquared,
    // R leaves the F line out only for an intercept-only model (no fstatistic); NaN prints as NaN
    fstatistic: fit.fstatistic.numdf > 0 ? fit.fstatistic : null,
    f_pvalue: fit.fpvalue,
    residuals: fit.weights ? fit.residuals.map((r, i) => r * Math.sqrt(fit.weights![i])) : fit.residuals,
  });
}

function glmSummaryText(fit: GlmFit): string {
  return formatGlmSummary({
    formula: fit.formula,
    dataName: fit.dataName,
    family: fit.family,
    link: fit.link,
    defaultLink: defaultLink(fit.family) === fit.link,
    weights: fit.weightsColumn,
    offset: fit.offsetColumn,
    beta: named(fit.xnames, fit.beta),
    se: record(fit.xnames, fit.se),
    statistic: record(fit.xnames, fit.statistic),
    p: record(fit.xnames, fit.p),
    statisticName: fit.statisticName,
    dispersion: fit.dispersion,
    null_deviance: fit.nullDeviance,
    deviance: fit.deviance,
    df_null: fit.dfNull,
    df_residual: fit.dfResidual,
    aic: fit.aic,
    iter: fit.iter,
    deviance_residuals: fit.residuals.deviance,
    n_dropped: fit.nDropped,
  });
}

function lmmSummaryText(fit: LmmFit, ddf: DdfMethod | "none"): string {
  const boundary = fit.warnings.filter((w) => w.code === "boundary_fit").map((w) => w.message);
  const tests = ddf === "none" ? null : fixedEffectTests(fit, { ddf }).rows;
  return formatLmmSummary({
    REML: fit.REML,
    ddfMethod: ddf === "none" ? undefined : DDF_TITLE[ddf],
    coef_table: tests && {
      terms: tests.map((r) => r.name),
      columns: ["Estimate", "Std. Error", "df", "t value", "Pr(>|t|)"],
      values: tests.map((r) => [r.estimate, r.stdError, r.df, r.tValue, r.pValue]),
    },
    formula: expandDoubleBars(deparseFormula(fit.formula)),
    dataName: fit.dataName,
    weights: fit.weightsColumn,
    nobs: fit.nobs,
    ngroups: fit.ngroups,
    varcorr: { groups: fit.varcorr.groups, residual: fit.varcorr.residual },
    beta: named(fit.xnames, fit.beta),
    se: named(fit.xnames, fit.se),
    vcov_beta: fit.vcov,
    REMLcrit: fit.REMLcrit,
    AIC: fit.AIC,
    BIC: fit.BIC,
    logLik: fit.logLik,
    deviance: fit.REML ? null : fit.deviance,
    df_residual: fit.dfResidual,
    scaled_residuals_quantiles: residualQuantiles(fit.scaledResiduals),
    optinfo:
      boundary.length > 0 || !fit.optinfo.converged
        ? {
            optimizer: fit.optinfo.optimizer,
            conv_opt: fit.optinfo.converged ? 0 : 1,
            message: fit.optinfo.message,
            lme4_messages: boundary,
          }
        : null,
    fitMsgs:
      fit.droppedColumns.length > 0
        ? [
            `fixed-effect model matrix is rank deficient so dropping ${fit.droppedColumns.length} column${
              fit.droppedColumns.length === 1 ? "" : "s"
            } / coefficient${fit.droppedColumns.length === 1 ? "" : "s"}`,
          ]
        : undefined,
  });
}

/** Conditional modes per grouping factor, as `print(ranef(m))`. */
export function printRanef(fit: LmmFit | GlmmFit): string {
  return formatRanef(fit.ranef);
}

/** Per-level coefficients (fixed + random), as `print(coef(m))`. */
export function printCoef(fit: LmmFit | GlmmFit): string {
  return formatCoef(fit.coef);
}
