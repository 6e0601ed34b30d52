/**
 * `fixef(fit)`: the fixed-effect estimates by coefficient name, as lme4's `fixef(m)` (and R's
 * `coef(lm)` for an ordinary linear model, where aliased coefficients are NaN).
 */
import type { LmFit } from "../lm/fit-lm.ts";
import type { LmmFit } from "../lmm/fit-lmm.ts";

/** Coefficient name → estimate, in model-matrix column order. */
export function fixef(fit: LmFit | LmmFit): Record<string, number> {
  const names = fit.xnames;
  // fromEntries defines own properties, so a name such as "__proto__" stays an ordinary key.
  return Object.fromEntries(names.map((n: string, i: number) => [n, fit.beta[i]]));
}
