/**
 * The JSON object of a GLM fit. It follows the `lm` object (`fits/coffee_lm.json`: beta, se, p,
 * vcov_beta, sigma, df_residual, logLik, df, AIC, BIC, deviance) with R's test column name: `z`
 * for binomial/Poisson (dispersion fixed at 1), `t` when the dispersion is estimated (Gaussian);
 * `r_squared`, `adj_r_squared` and `fstatistic` are null (not defined for a GLM). GLM fields added:
 * family, link, deviance (residual deviance, R's `deviance(fit)`), null_deviance, df_null,
 * dispersion, iter, converged, pearson_chisq, overdispersion_ratio. `sigma` = √dispersion.
 */
import { estimableVcov, named } from "../lm/lm-json.ts";
import type { GlmFit } from "./fit-glm.ts";

const finite = (v: number) => (Number.isFinite(v) ? v : null);

export function glmToJSON(fit: GlmFit): Record<string, unknown> {
  const vcov = estimableVcov(fit);
  return {
    formula: fit.formula,
    model_class: "glm",
    family: fit.family,
    link: fit.link,
    REML: null,
    nobs: fit.nobs,
    beta: named(fit.xnames, fit.beta),
    se: named(fit.xnames, fit.se),
    [fit.statisticName]: named(fit.xnames, fit.statistic),
    p: named(fit.xnames, fit.p),
    vcov_beta: vcov,
    sigma: finite(Math.sqrt(fit.dispersion)),
    dispersion: finite(fit.dispersion),
    df_residual: fit.dfResidual,
    df_null: fit.dfNull,
    r_squared: null,
    adj_r_squared: null,
    fstatistic: null,
    logLik: finite(fit.logLik),
    df: fit.df,
    AIC: finite(fit.AIC),
    BIC: finite(fit.BIC),
    deviance: fit.deviance,
    deviance_kind: "residual deviance (stats::deviance.glm)",
    null_deviance: fit.nullDeviance,
    iter: fit.iter,
    converged: fit.converged,
    pearson_chisq: fit.pearsonChisq,
    overdispersion_ratio: finite(fit.overdispersionRatio),
    fitted_first10: Array.from(fit.fitted.subarray(0, 10)),
    residuals_first10: Array.from(fit.residuals.deviance.subarray(0, 10)),
    warnings: fit.warnings.map((w) => ({ code: w.code, message: w.message })),
  };
}
