/**
 * The GLMM's view of a GLM family (`src/glm`): scalar link and variance functions, deviance
 * residuals, the saturated log-likelihood and the starting means, bound to the response's binomial
 * trials (R's `n` in `family$aic`).
 */
import type { Family } from "../glm/family.ts";
import type { Link } from "../glm/link.ts";
import type { GlmmFamily } from "./glmm-problem.ts";

/**
 * The adapter as a class: PIRLS's per-row calls then reach the same methods in every fit (one
 * target per call site, which the engine can inline) rather than fresh closures per fit.
 */
class FamilyAdapter implements GlmmFamily {
  readonly family: string;
  readonly link: string;
  private readonly fam: Family;
  private readonly lk: Link;
  private readonly trials: Float64Array;

  constructor(family: Family, trials: Float64Array) {
    this.fam = family;
    this.lk = family.link;
    this.family = family.name;
    this.link = family.link.name;
    this.trials = trials;
  }

  linkfun(mu: number): number {
    return this.lk.linkfun(mu);
  }
  linkinv(eta: number): number {
    return this.lk.linkinv(eta);
  }
  muEta(eta: number): number {
    return this.lk.muEta(eta);
  }
  variance(mu: number): number {
    return this.fam.variance(mu);
  }
  devResid(y: number, mu: number, wt: number): number {
    return this.fam.devResid(y, mu, wt);
  }
  saturatedMinus2LogLik(y: Float64Array, wt: Float64Array): number {
    return this.fam.aic(y, this.trials, y, wt, 0);
  }
  muStart(y: Float64Array, wt: Float64Array): Float64Array {
    const out = new Float64Array(y.length);
    this.fam.initializeInto(y, wt, out);
    return out;
  }
}

/** Adapt `family` for PIRLS; `trials` = R's binomial `n` per row (ones for other responses). */
export function glmmFamily(family: Family, trials: Float64Array): GlmmFamily {
  return new FamilyAdapter(family, trials);
}
