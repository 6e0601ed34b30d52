/**
 * `ranef(fit)`: the conditional modes of the random effects per grouping factor, as lme4's
 * `ranef(m)` (terms sharing a factor merged column-wise).
 */
import type { GlmmFit } from "../glmm/fit-glmm.ts";
import type { LmmFit } from "../lmm/fit-lmm.ts";
import type { RanefFactor } from "../lmm/lmm-result.ts";

/**
 * Grouping factor → `{levels, terms, values, condSD, condVar}`; `values[l][s]` is the mode of term
 * `terms[s]` at level `levels[l]`. Conditional variances are null when they were not computed.
 */
export function ranef(fit: LmmFit | GlmmFit): Readonly<Record<string, RanefFactor>> {
  return fit.ranef;
}
