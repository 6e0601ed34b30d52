/**
 * `condVar(fit)`: the conditional covariances of the random effects given the data (at θ̂, β̂),
 * as lme4's `attr(ranef(m, condVar = TRUE)[[factor]], "postVar")`, per grouping factor and level.
 *
 * For random-effects term i and level l they are σ² λᵢ Eₗᵀ (L Lᵀ)⁻¹ Eₗ λᵢᵀ, where L is the
 * Cholesky factor of Λᵀ Zᵀ W Z Λ + I and Eₗ selects the level's columns: the diagonal blocks of
 * the inverse, computed exactly from the blocked factor when the model is fitted (`fitLmm`).
 */
import { SpecError } from "../errors.ts";
import type { LmmFit } from "../lmm/fit-lmm.ts";

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
 * blocks. Throws `SpecError` (`E_SPEC_UNSUPPORTED`) when the fit did not compute them (models whose
 * random effects are too many for the dense per-level solves, e.g. InstEval's crossed factors).
 */
export function condVar(fit: LmmFit): Readonly<Record<string, CondVarFactor>> {
  const out: Record<string, CondVarFactor> = Object.create(null);
  for (const [factor, r] of Object.entries(fit.ranef)) {
    const same = fit.ranefTerms.filter((t) => t.factor === factor);
    if (!r.condSD || same.some((t) => t.condVar === null)) {
      throw new SpecError(
        "E_SPEC_UNSUPPORTED",
        `the conditional variances of the random effects of '${factor}' were not computed for this model (${fit.ngroups[factor]} levels; too many random effects in all for the per-level solves)`,
        "use the conditional modes alone (ranef), or a model with fewer random effects",
      );
    }
    let offset = 0;
    const blocks: CondVarBlock[] = same.map((t) => {
      const b = { terms: t.terms, offset, condVar: t.condVar! };
      offset += t.terms.length;
      return b;
    });
    out[factor] = { levels: r.levels, terms: r.terms, values: r.values, condSD: r.condSD, blocks };
  }
  return out;
}
