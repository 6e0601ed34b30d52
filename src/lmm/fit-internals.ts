/**
 * What a fitted model keeps out of its public type for the computations that follow a fit
 * (likelihood-ratio refits, Satterthwaite and Kenward–Roger degrees of freedom, profiles): the
 * design, the engine's model, and the response it was fitted to. Fits made by `refit` share one
 * engine model (the factorisation structure), so `modelFor` reinstalls the fit's own response
 * before handing the model out; callers then factor L at the θ they need (`updateL`).
 */
import type { Design } from "../design/design.ts";
import { installResponse } from "./fit-lmm-problem.ts";
import type { LmmModel } from "./lmm-model.ts";

export interface FitInternals {
  readonly design: Design;
  readonly model: LmmModel;
  /** The response this fit was fitted to (kept by reference, never modified). */
  readonly y: Float64Array;
}

const registry = new WeakMap<object, FitInternals>();

export function registerFitInternals(fit: object, internals: FitInternals): void {
  registry.set(fit, internals);
}

/** The internals of a fit made by `fitLmm` (undefined for an object that is not one). */
export function fitInternals(fit: object): FitInternals | undefined {
  return registry.get(fit);
}

/** The engine model of `fit`, holding the fit's own response (L is not factored at any particular θ). */
export function modelFor(internals: FitInternals): LmmModel {
  const { model, y } = internals;
  if (model.problem.y !== y) installResponse(model, y);
  return model;
}
