/**
 * lme4's `print(summary(m))` for a `glmer` fit, from a `GlmmFit`: family/link line, AIC/BIC/
 * logLik/deviance/df.resid, scaled (Pearson) residuals, random effects, fixed effects with z and p.
 */
import { deparseFormula } from "../formula/deparse-formula.ts";
import type { GlmmFit } from "../glmm/fit-glmm.ts";
import { pnorm } from "../special/distributions.ts";
import { expandDoubleBars } from "./expand-double-bars.ts";
import { formatGlmmSummary } from "./lmm-summary.ts";
import { residualQuantiles } from "./quantile.ts";

function record(names: readonly string[], values: ArrayLike<number>): Record<string, number> {
  const out: Record<string, number> = Object.create(null);
  names.forEach((n, i) => {
    out[n] = values[i];
  });
  return out;
}

export function glmmSummaryText(fit: GlmmFit): string {
  const boundary = fit.warnings.filter((w) => w.code === "boundary_fit").map((w) => w.message);
  const values = fit.xnames.map((_, j) => {
    const z = fit.beta[j] / fit.se[j];
    return [fit.beta[j], fit.se[j], z, 2 * pnorm(-Math.abs(z))];
  });
  return formatGlmmSummary({
    family: fit.family,
    link: fit.link,
    nAGQ: fit.nAGQ,
    extendedAgq: fit.quadrature?.mode === "extended" ? fit.quadrature : undefined,
    formula: expandDoubleBars(deparseFormula(fit.formula)),
    dataName: fit.dataName,
    weights: fit.weightsColumn,
    nobs: fit.nobs,
    ngroups: fit.ngroups,
    varcorr: { groups: fit.varcorr.groups, residual: null },
    beta: record(fit.xnames, fit.beta),
    se: record(fit.xnames, fit.se),
    vcov_beta: fit.vcov,
    coef_table: { terms: fit.xnames, columns: ["Estimate", "Std. Error", "z value", "Pr(>|z|)"], values },
    AIC: fit.AIC,
    BIC: fit.BIC,
    logLik: fit.logLik,
    deviance: fit.deviance,
    df_residual: fit.dfResidual,
    scaled_residuals_quantiles: residualQuantiles(fit.pearsonResiduals),
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
