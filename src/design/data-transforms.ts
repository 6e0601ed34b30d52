/**
 * What the data-dependent functions of a formula learned from the fitted data, so that new data
 * go through the same transformation (R's `makepredictcall`, which rewrites `scale(x)` into
 * `scale(x, center = m, scale = s)` and `poly(x, 2)` into `poly(x, 2, coefs = …)` in the terms'
 * `predvars`): the centre and scale of each `scale()`, the recurrence coefficients of each
 * `poly()`. Keyed by the deparsed call (`scale(Days)`, `poly(Days, 2)`), so a call nested inside
 * another expression (`I(scale(x)^2)`) is found too.
 *
 * Both functions work on x multiplied by an exact power of two 2^-pow2 (see evaluate-variable.ts),
 * so the recorded centre, scale and coefficients are in those units and `pow2` is kept with them.
 */
import type { PolyCoefs } from "./poly.ts";

export type DataTransform =
  | { readonly kind: "scale"; readonly pow2: number; readonly center: number; readonly scale: number }
  | { readonly kind: "poly"; readonly pow2: number; readonly coefs: PolyCoefs };

/**
 * Transforms recorded while evaluating the fitted data (`record`), or replayed on new data
 * (`replay`: every data-dependent call must find its entry).
 */
export interface TransformState {
  readonly mode: "record" | "replay";
  readonly transforms: Map<string, DataTransform> | ReadonlyMap<string, DataTransform>;
}

/** A fresh state that records the transforms of the fitted data. */
export function recordTransforms(): TransformState & { readonly transforms: Map<string, DataTransform> } {
  return { mode: "record", transforms: new Map() };
}
