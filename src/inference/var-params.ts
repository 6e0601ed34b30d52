/**
 * The variance parameters of a mixed model under lme4's `confint(..., oldNames = FALSE)` names:
 * `sd_(Intercept)|Subject`, `cor_Days.(Intercept)|Subject`, `sigma`.
 */
import type { GlmmFit } from "../glmm/fit-glmm.ts";
import type { LmmFit } from "../lmm/fit-lmm.ts";

export interface VarParam {
  readonly name: string;
  readonly kind: "sd" | "cor" | "sigma";
}

/**
 * The variance parameters in lme4's order: per term the lower triangle of Σ by columns, then σ
 * (not for a GLMM: binomial and Poisson have no dispersion parameter).
 */
export function varParams(fit: LmmFit | GlmmFit): VarParam[] {
  const out: VarParam[] = [];
  for (const g of fit.varcorr.groups) {
    const S = g.terms.length;
    for (let c = 0; c < S; c++)
      for (let r = c; r < S; r++)
        out.push(
          r === c
            ? { name: `sd_${g.terms[r]}|${g.factor}`, kind: "sd" }
            : { name: `cor_${g.terms[r]}.${g.terms[c]}|${g.factor}`, kind: "cor" },
        );
  }
  if (fit.kind !== "glmm") out.push({ name: "sigma", kind: "sigma" });
  return out;
}
