/**
 * The variance parameters of a mixed model under lme4's `confint(..., oldNames = FALSE)` names:
 * `sd_(Intercept)|Subject`, `cor_Days.(Intercept)|Subject`, `sigma`.
 */
import type { GlmmFit } from "../glmm/fit-glmm.ts";
import type { LmmFit } from "../lmm/fit-lmm.ts";
import { psdCholesky } from "../linalg/psd-cholesky.ts";

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

/**
 * θ (input order) from the variance parameters `phi` in `varParams` order (standard deviations and
 * correlations per term, then σ for an LMM): per term the lower Cholesky factor of Σ/σ², zero
 * columns allowed (a standard deviation at 0); null when a term's Σ is not positive semidefinite.
 */
export function thetaOfVarParams(fit: LmmFit | GlmmFit, phi: ArrayLike<number>): Float64Array | null {
  const sigma = fit.kind === "glmm" ? 1 : phi[phi.length - 1];
  const theta: number[] = [];
  let o = 0;
  for (const g of fit.varcorr.groups) {
    const S = g.terms.length;
    const sd = new Float64Array(S);
    const R = new Float64Array(S * S);
    for (let c = 0; c < S; c++)
      for (let r = c; r < S; r++, o++) {
        if (r === c) sd[r] = phi[o];
        else {
          R[r * S + c] = phi[o];
          R[c * S + r] = phi[o];
        }
      }
    for (let i = 0; i < S; i++) R[i * S + i] = 1;
    const A = new Float64Array(S * S);
    for (let j = 0; j < S; j++)
      for (let i = j; i < S; i++) A[i * S + j] = (sd[i] * sd[j] * R[i * S + j]) / (sigma * sigma);
    const { L, psd } = psdCholesky(A, S);
    if (!psd) return null;
    for (let c = 0; c < S; c++) for (let r = c; r < S; r++) theta.push(L[r * S + c]);
  }
  return Float64Array.from(theta);
}
