/**
 * Kenward–Roger tests of fixed effects (pbkrtest / lmerTest `ddf = "Kenward-Roger"`): not
 * implemented yet; the functions refuse with a typed error.
 */
import { SpecError } from "../errors.ts";
import type { LmmFit } from "../lmm/fit-lmm.ts";
import type { CoefTest, ContrastFTest } from "./satterthwaite.ts";

function notYet(): never {
  throw new SpecError(
    "E_SPEC_UNSUPPORTED",
    "Kenward-Roger degrees of freedom are not implemented yet",
    "use ddf satterthwaite",
  );
}

/** t-tests of every fixed effect with the Kenward–Roger adjusted covariance and df. */
export function kenwardRogerTests(_fit: LmmFit): CoefTest[] {
  return notYet();
}

/** F-test of Lβ = 0 with the Kenward–Roger adjusted covariance, scaling and df. */
export function kenwardRogerFTest(_fit: LmmFit, _rows: readonly Float64Array[]): ContrastFTest {
  return notYet();
}
