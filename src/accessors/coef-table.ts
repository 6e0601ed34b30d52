/**
 * `coefTable(fit)`: the coefficient table of R's `coef(summary(m))` as rows of data, one per
 * estimable coefficient (aliased `lm` coefficients are left out, as R leaves them out).
 */
import type { LmFit } from "../lm/fit-lm.ts";
import type { LmmFit } from "../lmm/fit-lmm.ts";

export interface CoefRow {
  /** Coefficient (model-matrix column) name, e.g. `(Intercept)`, `Days`. */
  readonly name: string;
  readonly estimate: number;
  readonly stdError: number;
  /** estimate / stdError. */
  readonly tValue: number;
  /** Two-sided p-value on the residual degrees of freedom (`lm`); null for mixed models, as lme4. */
  readonly pValue: number | null;
}

export function coefTable(fit: LmFit | LmmFit): CoefRow[] {
  if (fit.kind === "lmm") {
    return fit.xnames.map((name, i) => ({
      name,
      estimate: fit.beta[i],
      stdError: fit.se[i],
      tValue: fit.beta[i] / fit.se[i],
      pValue: null,
    }));
  }
  return fit.estimable.map((i) => ({
    name: fit.xnames[i],
    estimate: fit.beta[i],
    stdError: fit.se[i],
    tValue: fit.t[i],
    pValue: fit.p[i],
  }));
}
