/**
 * `condVar(fit)`: the conditional covariances of the random effects given the data (at θ̂, β̂),
 * as lme4's `attr(ranef(m, condVar = TRUE)[[factor]], "postVar")`, per grouping factor and level.
 *
 * For random-effects term i and level l they are σ² λᵢ Eₗᵀ (L Lᵀ)⁻¹ Eₗ λᵢᵀ, where L is the
 * Cholesky factor of Λᵀ Zᵀ W Z Λ + I and Eₗ selects the level's columns: the diagonal blocks of
 * the inverse, computed exactly from the blocked factor when the model is fitted (`fitLmm`). For a
 * GLMM (`fitGlmm`, σ = 1) W holds the PIRLS working weights at the optimum, as lme4's `condVar`.
 */
import { SpecError } from "../errors.ts";
import type { GlmmFit } from "../glmm/fit-glmm.ts";
import type { LmmFit } from "../lmm/fit-lmm.ts";
import { fitInternals, modelFor } from "../lmm/fit-internals.ts";
import { condVarByInputTerm, SELECTED_INVERSION_MAX_ORDER } from "../lmm/selected-cond-var.ts";

type Matrices = readonly (readonly (readonly number[])[])[];

/** The conditional covariance of one random-effects term on a factor. */
export interface CondVarBlock {
  /** The term's columns (names), a consecutive run of the factor's `terms`. */
  readonly terms: readonly string[];
  /** Index of `terms[0]` in the factor's `terms`. */
  readonly offset: number;
  /** `condVar[l]`: the S×S conditional covariance at level `l` (S = `terms.length`). */
  readonly condVar: readonly (readonly (readonly number[])[])[];
}

/** One grouping factor: modes, conditional standard deviations and covariance blocks. */
export interface CondVarFactor {
  readonly levels: readonly string[];
  readonly terms: readonly string[];
  /** `values[l][s]`: the conditional mode of `terms[s]` at `levels[l]` (as `ranef`). */
  readonly values: readonly (readonly number[])[];
  /** `condSD[l][s]`: the square root of the conditional variance of `values[l][s]`. */
  readonly condSD: readonly (readonly number[])[];
  /**
   * One block per random-effects term on the factor: one for `(1 + Days | Subject)` (2×2 per
   * level), two for `(1 + Days || Subject)` (1×1 each), as lme4's `postVar` (an array, or a list of
   * arrays). Covariances between different terms on one factor are not reported (as lme4).
   */
  readonly blocks: readonly CondVarBlock[];
}

/**
 * Grouping factor → its conditional modes, conditional SDs and per-level conditional covariance
 * blocks. `fitLmm` computes them with the fit for most models; for models with very many random
 * effects (InstEval's crossed students × lecturers) they are computed here, on the first call, by
 * selected inversion of the factor (cached per fit). Throws `SpecError` (`E_SPEC_UNSUPPORTED`) when
 * even that is out of reach: more than 6,000 random effects outside the largest term.
 */
export function condVar(fit: LmmFit | GlmmFit): Readonly<Record<string, CondVarFactor>> {
  const perTerm = termMatrices(fit);
  const out: Record<string, CondVarFactor> = Object.create(null);
  for (const [factor, r] of Object.entries(fit.ranef)) {
    let offset = 0;
    const blocks: CondVarBlock[] = [];
    const condSD: number[][] = r.levels.map(() => []);
    fit.ranefTerms.forEach((t, i) => {
      if (t.factor !== factor) return;
      const m = perTerm[i];
      blocks.push({ terms: t.terms, offset, condVar: m });
      offset += t.terms.length;
      m.forEach((v, l) => {
        for (let a = 0; a < v.length; a++) condSD[l].push(Math.sqrt(v[a][a]));
      });
    });
    out[factor] = { levels: r.levels, terms: r.terms, values: r.values, condSD: r.condSD ?? condSD, blocks };
  }
  return out;
}

const cache = new WeakMap<object, Matrices[]>();

/** Per input term: the fit's own condVar, or the on-demand selected inversion. */
function termMatrices(fit: LmmFit | GlmmFit): Matrices[] {
  if (fit.ranefTerms.every((t) => t.condVar !== null)) return fit.ranefTerms.map((t) => t.condVar!);
  const hit = cache.get(fit);
  if (hit) return hit;
  // a GLMM's are computed with the fit (at the working weights of the optimum) or not at all
  const internals = fit.kind === "glmm" ? undefined : fitInternals(fit);
  const model = internals ? modelFor(internals) : undefined;
  const computed = model ? condVarByInputTerm(model, fit.theta, fit.sigma) : null;
  if (computed === null) {
    throw new SpecError(
      "E_SPEC_UNSUPPORTED",
      `the conditional variances of the random effects were not computed for this model (${Object.entries(
        fit.ngroups,
      )
        .map(([f, n]) => `${f}: ${n} levels`)
        .join(
          ", ",
        )}): more than ${SELECTED_INVERSION_MAX_ORDER} random effects outside the largest term, or a fit not made by fitLmm`,
      "use the conditional modes alone (ranef), or a model with fewer random effects",
    );
  }
  cache.set(fit, computed);
  return computed;
}
