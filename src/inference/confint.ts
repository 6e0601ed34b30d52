/**
 * Confidence intervals for every parameter of an LMM or a GLMM, as lme4's `confint(m, method,
 * level, oldNames = FALSE)`: "wald" (fixed effects only, β ± z·SE with lme4's standard errors — for a
 * GLMM those of the Hessian over (θ, β); the variance parameters' rows are NaN, as lme4 gives NA),
 * "profile" (likelihood profiles, `profile.ts`; a GLMM's: `glmm-profile.ts`) and "boot" (parametric
 * bootstrap, percentile intervals).
 */
import { OptionError } from "../errors.ts";
import type { LmmFit } from "../lmm/fit-lmm.ts";
import { qnorm } from "../special/quantiles.ts";
import { bootConfint, bootstrap } from "./bootstrap.ts";
import type { GlmmFit } from "../glmm/fit-glmm.ts";
import { requireLmm } from "../lmm/require-lmm.ts";
import type { ConfintResult } from "./confint-result.ts";
import { profileConfint } from "./profile.ts";
import { varParams } from "./var-params.ts";

export interface ConfintOptions {
  /** "profile" (default, as lme4), "wald", or "boot" (parametric bootstrap, percentile intervals). */
  readonly method?: "wald" | "profile" | "boot";
  /** Confidence level, default 0.95. */
  readonly level?: number;
  /** Bootstrap replicates (method "boot"), default 500 as lme4. */
  readonly nsim?: number;
  /** Seed of the bootstrap (method "boot"), default 1. */
  readonly seed?: number;
  /** Progress of the bootstrap: (done, total). */
  readonly onProgress?: (done: number, total: number) => void;
}

/**
 * lme4's `confint(m)`: intervals for the standard deviations, correlations, σ (not for a GLMM) and
 * fixed effects, of a linear or generalized linear mixed model.
 */
export function confint(fit: LmmFit | GlmmFit, opts: ConfintOptions = {}): ConfintResult {
  if (fit.kind !== "glmm")
    requireLmm(
      fit,
      "confint",
      "for lm and glm fits use their coefficient tables (coefTable) and standard errors",
    );
  const level = opts.level ?? 0.95;
  if (!(level > 0 && level < 1)) throw new OptionError(`level must be between 0 and 1, got ${level}`);
  const method = opts.method ?? "profile";
  if (method === "profile") return profileConfint(fit, level);
  if (method === "boot")
    return bootConfint(
      fit,
      bootstrap(fit, opts.nsim ?? 500, { seed: opts.seed, onProgress: opts.onProgress }),
      level,
    );
  if (method !== "wald")
    throw new OptionError(
      `unknown confint method ${JSON.stringify(method)}`,
      'use "profile", "wald" or "boot"',
    );
  const z = qnorm(0.5 + level / 2);
  const vps = varParams(fit);
  return {
    method,
    level,
    parameters: [...vps.map((v) => v.name), ...fit.xnames],
    lower: [...vps.map(() => Number.NaN), ...fit.beta.map((b, j) => b - z * fit.se[j])],
    upper: [...vps.map(() => Number.NaN), ...fit.beta.map((b, j) => b + z * fit.se[j])],
  };
}

/** `mixed confint --json`: `{method, level, parameters, lower, upper}` with null for undefined ends. */
export function confintToJSON(c: ConfintResult): Record<string, unknown> {
  const num = (v: number) => (Number.isFinite(v) ? v : null);
  return {
    method: c.method,
    level: c.level,
    parameters: c.parameters,
    lower: c.lower.map(num),
    upper: c.upper.map(num),
  };
}
