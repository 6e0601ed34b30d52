/**
 * What a GLM fit keeps out of its public type for predictions on new data: the parsed formula and
 * the model frame's variables (factor levels and contrasts as fitted) and the centre/scale and
 * polynomial coefficients of its `scale()` / `poly()` calls.
 */
import type { DataTransform } from "../design/data-transforms.ts";
import type { EvaluatedVariable } from "../design/evaluated-variable.ts";
import type { ModelFormula } from "../formula/model-formula.ts";

export interface GlmInternals {
  readonly formula: ModelFormula;
  readonly variables: ReadonlyMap<string, EvaluatedVariable>;
  /** What `scale()` and `poly()` learned from the fitted data (replayed on new data). */
  readonly transforms: ReadonlyMap<string, DataTransform>;
  /** n × p model matrix of the fitted rows (column-major). */
  readonly X: Float64Array;
}

const registry = new WeakMap<object, GlmInternals>();

export function registerGlmInternals(fit: object, internals: GlmInternals): void {
  registry.set(fit, internals);
}

/** The internals of a fit made by `fitGlm` (undefined otherwise). */
export function glmInternals(fit: object): GlmInternals | undefined {
  return registry.get(fit);
}
