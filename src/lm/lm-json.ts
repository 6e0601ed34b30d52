/**
 * The JSON object of an `lm` fit, with the field names of the reference `coffee_lm.json`
 * (CONTRACT.md). NaN (aliased coefficients) becomes null through JSON.stringify. `vcov_beta`
 * (estimable coefficients only) is null above {@link VCOV_JSON_LIMIT} estimable coefficients.
 */
import type { LmFit } from "./fit-lm.ts";

/** `{name: value}` with non-finite values as null. */
export function named(names: readonly string[], values: ArrayLike<number>): Record<string, number | null> {
  const out: Record<string, number | null> = Object.create(null);
  names.forEach((n, i) => {
    out[n] = Number.isFinite(values[i]) ? values[i] : null;
  });
  return out;
}

/** Largest number of estimable coefficients whose covariance matrix goes into the JSON. */
export const VCOV_JSON_LIMIT = 1000;

/** The covariance of the estimable coefficients, or null above {@link VCOV_JSON_LIMIT} of them. */
export function estimableVcov(fit: {
  readonly estimable: readonly number[];
  readonly vcov: readonly (readonly number[])[];
}): number[][] | null {
  const est = fit.estimable;
  if (est.length > VCOV_JSON_LIMIT) return null;
  const full = fit.vcov;
  return est.map((i) => est.map((j) => full[i][j]));
}

export function lmToJSON(fit: LmFit): Record<string, unknown> {
  const vcov = estimableVcov(fit);
  return {
    formula: fit.formula,
    model_class: "lm",
    family: "gaussian",
    link: "identity",
    REML: null,
    nobs: fit.nobs,
    beta: named(fit.xnames, fit.beta),
    se: named(fit.xnames, fit.se),
    t: named(fit.xnames, fit.t),
    p: named(fit.xnames, fit.p),
    vcov_beta: vcov,
    sigma: fit.sigma,
    df_residual: fit.dfResidual,
    r_squared: fit.rSquared,
    adj_r_squared: fit.adjRSquared,
    fstatistic: Number.isFinite(fit.fstatistic.value) ? { ...fit.fstatistic } : null,
    fstatistic_p: Number.isFinite(fit.fpvalue) ? fit.fpvalue : null,
    logLik: fit.logLik,
    df: fit.df,
    AIC: fit.AIC,
    BIC: fit.BIC,
    deviance: fit.deviance,
    fitted_first10: Array.from(fit.fitted.subarray(0, 10)),
    residuals_first10: Array.from(fit.residuals.subarray(0, 10)),
    warnings: fit.warnings.map((w) => ({ code: w.code, message: w.message })),
  };
}
