/**
 * Per-level tables as R prints `ranef(m)` and `coef(m)`: one data frame per grouping factor,
 * rows = factor levels in R's level order, columns = terms.
 */
import { formatDataFrame } from "./format-data-frame.ts";
import type { MaybeNumber } from "./format-number.ts";

/** `ranef.<factor>` of the reference fit JSON (condVar / condSD present when computed). */
export interface RanefTableInput {
  readonly levels: readonly string[];
  readonly terms: readonly string[];
  /** levels × terms */
  readonly values: readonly (readonly MaybeNumber[])[];
  readonly condVar?: unknown;
  readonly condSD?: unknown;
}

/** `coef.<factor>` of the reference fit JSON. */
export interface CoefLevelTableInput {
  readonly levels: readonly string[];
  readonly columns: readonly string[];
  /** levels × columns */
  readonly values: readonly (readonly MaybeNumber[])[];
}

/** The data frame of conditional modes for one grouping factor, as `print(ranef(m)$f)`. */
export function formatRanefTable(t: RanefTableInput, digits = 7): string {
  return formatDataFrame(t.values, t.levels, t.terms, { digits });
}

/** The data frame of per-level coefficients for one grouping factor, as `print(coef(m)$f)`. */
export function formatCoefTable(t: CoefLevelTableInput, digits = 7): string {
  return formatDataFrame(t.values, t.levels, t.columns, { digits });
}

const RESERVED = new Set(
  "if else repeat while function for next break TRUE FALSE NULL Inf NaN NA NA_integer_ NA_real_ NA_character_ NA_complex_ in".split(
    " ",
  ),
);

/** How R prints a list element tag: `$name`, or `` $`name` `` for non-syntactic names. */
export function listTag(name: string): string {
  const syntactic = /^((\.[A-Za-z._]|[A-Za-z])[A-Za-z0-9._]*|\.)$/.test(name) && !RESERVED.has(name);
  return syntactic ? `$${name}` : `$\`${name}\``;
}

/**
 * `print(ranef(m))`: every factor's table under its `$name` tag, a blank line after each, and
 * lme4's "with conditional variances for “f” " line when conditional variances were computed.
 */
export function formatRanef(ranef: Readonly<Record<string, RanefTableInput>>, digits = 7): string {
  let out = "";
  const withVar: string[] = [];
  for (const [name, t] of Object.entries(ranef)) {
    out += `${listTag(name)}\n${formatRanefTable(t, digits)}\n`;
    if (t.condVar !== undefined || t.condSD !== undefined) withVar.push(`\u201c${name}\u201d`);
  }
  if (withVar.length > 0) out += `with conditional variances for ${withVar.join(" ")} \n`;
  return out;
}

/** `print(coef(m))` without R's trailing `attr(,"class")` lines: each factor's table under its tag. */
export function formatCoef(coef: Readonly<Record<string, CoefLevelTableInput>>, digits = 7): string {
  let out = "";
  for (const [name, t] of Object.entries(coef)) out += `${listTag(name)}\n${formatCoefTable(t, digits)}\n`;
  return out;
}
