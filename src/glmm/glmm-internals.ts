/**
 * What a GLMM fit keeps out of its public type for the inference that follows it (profiles,
 * parametric bootstrap, restoring a saved fit): the engine input (`GlmmProblem`, with the family
 * bound to the response's trials) and the fit's quadrature options. The design and engine model
 * are in `fitInternals` as for an LMM.
 */
import type { AgqMode } from "./fit-glmm-problem.ts";
import type { GlmmProblem } from "./glmm-problem.ts";

export interface GlmmInternals {
  readonly problem: GlmmProblem;
  readonly nAGQ: number;
  /** The quadrature rule asked for with nAGQ > 1 (`agq`). */
  readonly agq: AgqMode;
  /** The binomial trials per row (R's `n`: ones for a 0/1 or Poisson response). */
  readonly trials: Float64Array;
  /** The family and link as asked for (`makeFamily` names). */
  readonly familyName: string;
  readonly linkName: string;
}

const registry = new WeakMap<object, GlmmInternals>();

export function registerGlmmInternals(fit: object, internals: GlmmInternals): void {
  registry.set(fit, internals);
}

/** The internals of a fit made by `fitGlmm` (undefined otherwise). */
export function glmmInternals(fit: object): GlmmInternals | undefined {
  return registry.get(fit);
}
