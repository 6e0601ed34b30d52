/**
 * `varianceDecomposition(fit)`: the share of variance per component of a linear mixed model (the
 * fixed effects' var(Xβ), each random-effects term's mean z_iᵀ Σ z_i, the residual σ²), the ICC per
 * grouping factor and Nakagawa & Schielzeth's marginal and conditional R² with Johnson's (2014)
 * random-slope extension, as `performance::r2_nakagawa` computes them (formulas in
 * src/lmm/decompose-variance.ts; Nakagawa, Johnson & Schielzeth 2017).
 */
import { SpecError } from "../errors.ts";
import {
  decomposeVariance,
  decompositionTerms,
  type VarianceDecomposition,
} from "../lmm/decompose-variance.ts";
import { fitInternals } from "../lmm/fit-internals.ts";
import type { LmmFit } from "../lmm/fit-lmm.ts";
import { requireLmm } from "../lmm/require-lmm.ts";

export type { VarianceComponent, VarianceDecomposition } from "../lmm/decompose-variance.ts";

export function varianceDecomposition(fit: LmmFit): VarianceDecomposition {
  requireLmm(
    fit,
    "varianceDecomposition",
    "a GLMM has no residual variance on the response scale; read its random-effect variances from fit.varcorr (latent-scale R² is not built)",
  );
  const internals = fitInternals(fit);
  if (!internals) {
    throw new SpecError(
      "E_SPEC_UNSUPPORTED",
      "this fit was not made by fitLmm, so its design is not available",
      "fit the model with fitLmm",
    );
  }
  const { design } = internals;
  return decomposeVariance({
    n: design.n,
    X: design.X,
    beta: fit.beta,
    terms: decompositionTerms(design.reterms, fit.varcorr.groups),
    sigma: fit.sigma,
  });
}
