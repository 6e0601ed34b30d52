/**
 * Likelihood-ratio tests between nested models, as lme4's `anova(m0, m1, ...)`: REML fits are
 * refitted by maximum likelihood first (unless `refit: false`), the rows are ordered by the number
 * of parameters, and each row after the first is tested against the row before it with
 * χ² = 2·Δlog-likelihood on Δnpar degrees of freedom.
 */
import { SpecError, type Warning } from "../errors.ts";
import type { LmFit } from "../lm/fit-lm.ts";
import type { LmmFit } from "../lmm/fit-lmm.ts";
import type { GlmmFit } from "../glmm/fit-glmm.ts";
import { pchisq } from "../special/distributions.ts";
import { quote } from "../util/quote.ts";

/** One model of the comparison, in the units lme4 prints. */
export interface AnovaRow {
  /** The model's label (`m0`, `m1`, ... in input order unless named). */
  readonly name: string;
  readonly formula: string;
  /** Number of parameters: fixed effects, variance parameters and σ. */
  readonly npar: number;
  readonly AIC: number;
  readonly BIC: number;
  readonly logLik: number;
  /** −2·logLik (of the REML criterion when REML fits are compared without refitting). */
  readonly deviance: number;
  /** Likelihood-ratio statistic against the previous row; null on the first row. */
  readonly Chisq: number | null;
  readonly Df: number | null;
  /** Upper-tail χ² probability; null on the first row. */
  readonly p: number | null;
}

export interface AnovaTable {
  /** True when REML fits were refitted by ML before the comparison (lme4's message). */
  readonly refitML: boolean;
  readonly dataName: string;
  /** Rows ordered by npar (ties keep the input order), as lme4 orders them. */
  readonly rows: readonly AnovaRow[];
  /** lme4's messages, e.g. "refitting model(s) with ML (instead of REML)". */
  readonly messages: readonly string[];
  readonly warnings: readonly Warning[];
}

export interface AnovaOptions {
  /**
   * Refit REML fits by ML first (default true, as lme4). With false, REML criteria are compared,
   * which is valid only when every model is a REML fit with the same fixed effects.
   */
  readonly refit?: boolean;
  /** Row labels, one per model; default `m0`, `m1`, ... in the order given. */
  readonly names?: readonly string[];
}

type Fit = LmFit | LmmFit | GlmmFit;

const REFIT_MESSAGE = "refitting model(s) with ML (instead of REML)";

function responseOf(f: Fit): Float64Array {
  const y = new Float64Array(f.fitted.length);
  for (let i = 0; i < y.length; i++) y[i] = f.fitted[i] + f.residuals[i];
  return y;
}

function checkComparable(fits: readonly Fit[], names: readonly string[]): void {
  const n0 = fits[0].nobs;
  for (let i = 1; i < fits.length; i++) {
    if (fits[i].nobs !== n0) {
      throw new SpecError(
        "E_SPEC_NOT_COMPARABLE",
        `models were not all fitted to the same size of dataset: ${quote(names[0])} used ${n0} observations, ${quote(names[i])} ${fits[i].nobs}`,
        "fit every model to the same rows (remove the rows with missing values in any model's variables first)",
      );
    }
  }
  const y0 = responseOf(fits[0]);
  const tol = (a: number) => 1e-8 * Math.max(1, Math.abs(a));
  for (let i = 1; i < fits.length; i++) {
    const y = responseOf(fits[i]);
    for (let t = 0; t < y.length; t++) {
      if (!(Math.abs(y[t] - y0[t]) <= tol(y0[t]))) {
        throw new SpecError(
          "E_SPEC_NOT_COMPARABLE",
          `models ${quote(names[0])} and ${quote(names[i])} have different responses (first difference at observation ${t + 1})`,
          "a likelihood-ratio test compares models of the same response on the same data",
        );
      }
    }
  }
}

/**
 * lme4's `anova(m0, m1, ...)` for linear mixed models (and linear models among them), or for
 * GLMMs of the same response (no refit: they are maximum-likelihood fits).
 */
export function anova(fits: readonly Fit[], opts: AnovaOptions = {}): AnovaTable {
  if (fits.length < 2) {
    throw new SpecError(
      "E_SPEC_NOT_COMPARABLE",
      `anova needs at least two models, got ${fits.length}`,
      "give the smaller and the larger model",
    );
  }
  const names = opts.names ?? fits.map((_, i) => `m${i}`);
  if (names.length !== fits.length) {
    throw new SpecError(
      "E_SPEC_NOT_COMPARABLE",
      `${names.length} names for ${fits.length} models`,
      "give one name per model",
    );
  }
  checkComparable(fits, names);
  const refit = opts.refit ?? true;
  const anyREML = fits.some((f) => f.kind === "lmm" && f.REML);
  const warnings: Warning[] = [];
  let used: Fit[] = fits.slice();
  if (refit) {
    used = fits.map((f) => (f.kind === "lmm" && f.REML ? f.refitML() : f));
  } else if (anyREML) {
    const allREML = fits.every((f) => f.kind === "lmm" && f.REML);
    const x0 = fits[0].kind === "lmm" ? fits[0].xnames.join("\u0000") : "";
    const sameX = fits.every((f) => f.kind === "lmm" && f.xnames.join("\u0000") === x0);
    if (!allREML || !sameX) {
      throw new SpecError(
        "E_SPEC_NOT_COMPARABLE",
        allREML
          ? "REML criteria of models with different fixed effects are not comparable"
          : "REML and ML criteria cannot be compared with each other",
        "compare with refitting by ML (the default), or give models that differ only in their random effects",
      );
    }
  }
  for (const f of used) for (const w of f.warnings) warnings.push(w);
  const order = used.map((_, i) => i).sort((a, b) => used[a].df - used[b].df || a - b);
  const rows: AnovaRow[] = [];
  order.forEach((i, k) => {
    const f = used[i];
    let chisq: number | null = null;
    let df: number | null = null;
    let p: number | null = null;
    if (k > 0) {
      const prev = used[order[k - 1]];
      chisq = 2 * Math.max(0, f.logLik - prev.logLik);
      df = f.df - prev.df;
      p = df > 0 ? pchisq(chisq, df, false) : chisq > 0 ? 0 : 1;
    }
    rows.push({
      name: names[i],
      formula: f.formula,
      npar: f.df,
      AIC: f.AIC,
      BIC: f.BIC,
      logLik: f.logLik,
      deviance: -2 * f.logLik,
      Chisq: chisq,
      Df: df,
      p,
    });
  });
  return Object.freeze({
    refitML: refit && anyREML,
    dataName: fits[0].dataName,
    rows,
    messages: refit && anyREML ? [REFIT_MESSAGE] : [],
    warnings,
  });
}

/** The CONTRACT's JSON of a comparison: `{refit_ML, rows: [{formula, npar, AIC, BIC, logLik, deviance, Chisq, Df, p}]}`. */
export function anovaToJSON(table: AnovaTable): Record<string, unknown> {
  return {
    refit_ML: table.refitML,
    data: table.dataName,
    rows: table.rows.map((r) => ({
      name: r.name,
      formula: r.formula,
      npar: r.npar,
      AIC: r.AIC,
      BIC: r.BIC,
      logLik: r.logLik,
      deviance: r.deviance,
      Chisq: r.Chisq,
      Df: r.Df,
      p: r.p,
    })),
    messages: table.messages,
    warnings: table.warnings.map((w) => ({ code: w.code, message: w.message })),
  };
}
