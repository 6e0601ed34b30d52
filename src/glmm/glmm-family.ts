/**
 * The GLMM's view of a GLM family (`src/glm`): scalar link and variance functions, deviance
 * residuals, the saturated log-likelihood and the starting means, bound to the response's binomial
 * trials (R's `n` in `family$aic`).
 */
import type { Family } from "../glm/family.ts";
import type { GlmmFamily } from "./glmm-problem.ts";

/** Adapt `family` for PIRLS; `trials` = R's binomial `n` per row (ones for other responses). */
export function glmmFamily(family: Family, trials: Float64Array): GlmmFamily {
  const link = family.link;
  return {
    family: family.name,
    link: link.name,
    linkfun: (mu) => link.linkfun(mu),
    linkinv: (eta) => link.linkinv(eta),
    muEta: (eta) => link.muEta(eta),
    variance: (mu) => family.variance(mu),
    devResid: (y, mu, wt) => family.devResid(y, mu, wt),
    saturatedMinus2LogLik: (y, wt) => family.aic(y, trials, y, wt, 0),
    muStart: (y, wt) => {
      const out = new Float64Array(y.length);
      family.initializeInto(y, wt, out);
      return out;
    },
  };
}
