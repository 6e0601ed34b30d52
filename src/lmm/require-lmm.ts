/**
 * The run-time guard of the functions that apply to linear mixed models only (their TypeScript
 * type says `LmmFit`, but JavaScript callers and `as` casts can pass anything): a GLMM, an lm or a
 * glm fit is refused with `E_SPEC_NOT_LMM`, naming what to use instead.
 */
import { SpecError } from "../errors.ts";

/** Throw `E_SPEC_NOT_LMM` unless `fit` was made by `fitLmm` (or `restoreLmm`). */
export function requireLmm(fit: unknown, fn: string, instead: string): void {
  const kind = typeof fit === "object" && fit !== null ? (fit as { kind?: unknown }).kind : undefined;
  if (kind === "lmm") return;
  const what =
    kind === "glmm"
      ? `a generalized linear mixed model (${String((fit as { family?: unknown }).family)} family, fitGlmm)`
      : kind === "glm"
        ? "a generalized linear model (fitGlm)"
        : kind === "lm"
          ? "a linear model without random effects (fitLm)"
          : "something that is not a fit made by fitLmm";
  throw new SpecError(
    "E_SPEC_NOT_LMM",
    `${fn}() applies to linear mixed models (fitLmm), but got ${what}`,
    instead,
  );
}
