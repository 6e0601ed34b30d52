/**
 * Confidence intervals for every parameter of an LMM, as lme4's `confint(m, method, level,
 * oldNames = FALSE)`: "wald" (fixed effects only, β ± z·SE; the variance parameters' rows are NaN,
 * as lme4 gives NA) and "profile" (likelihood profiles, `profile.ts`).
 */
import { OptionError } from "../errors.ts";
import type { LmmFit } from "../lmm/fit-lmm.ts";
import { qnorm } from "../special/quantiles.ts";
import { bootConfint, bootstrap } from "./bootstrap.ts";
import { type ConfintResult, profileConfint, varParams } from "./profile.ts";

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

/** lme4's `confint(m)`: intervals for the standard deviations, correlations, σ and fixed effects. */
export function confint(fit: LmmFit, opts: ConfintOptions = {}): ConfintResult {
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
