/**
 * The engine model behind each `LmmFit` (held weakly), for quantities computed on demand from the
 * factor L after the fit, such as the conditional variances of a model too large to compute them
 * eagerly. Not part of the public API.
 */
import type { LmmModel } from "./lmm-model.ts";

const models = new WeakMap<object, LmmModel>();

/** Remember the model a fit came from. */
export function registerFitModel(fit: object, model: LmmModel): void {
  models.set(fit, model);
}

/** The model a fit came from, if it was made by `fitLmm` (in this JavaScript realm). */
export function fitModelOf(fit: object): LmmModel | undefined {
  return models.get(fit);
}
