/**
 * lme4's message for aliased fixed-effect columns ("fixed-effect model matrix is rank deficient so
 * dropping 1 column / coefficient"), naming the columns: at most 20 of them, escaped, so that a
 * factor with thousands of aliased levels still gives a one-paragraph warning.
 */
import type { Warning } from "../errors.ts";
import { escapeText } from "../util/quote.ts";

const MAX_NAMED = 20;

export function rankDeficientWarning(names: readonly string[]): Warning {
  const k = names.length;
  const s = k === 1 ? "" : "s";
  const shown = names.slice(0, MAX_NAMED).map((n) => escapeText(n, 60));
  const list = k > MAX_NAMED ? `${shown.join(", ")}, … (${k} in all)` : shown.join(", ");
  return {
    code: "rank_deficient",
    message: `fixed-effect model matrix is rank deficient so dropping ${k} column${s} / coefficient${s}: ${list}`,
  };
}
