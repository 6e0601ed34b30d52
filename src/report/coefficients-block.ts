/**
 * The "Coefficients:" block of R's `print.summary.lm` and `print.summary.glm`: the heading (with
 * the count of coefficients not defined because of singularities) and the `printCoefmat` table,
 * aliased rows printed as NA; "No Coefficients" for an empty model.
 */
import type { MaybeNumber } from "./format-number.ts";
import { printCoefmat } from "./print-coefmat.ts";

type NamedNumbers = Readonly<Record<string, MaybeNumber>>;

export const isAliased = (v: MaybeNumber) => v === null || v === undefined || Number.isNaN(v);

/** `statistic`: the test column's values; `statName` "t" or "z" (R's `t value` / `Pr(>|t|)`). */
export function coefficientsBlock(
  beta: NamedNumbers,
  se: NamedNumbers,
  statistic: NamedNumbers,
  p: NamedNumbers,
  statName: string,
  digits: number,
): string {
  const names = Object.keys(beta);
  if (names.length === 0) return "\nNo Coefficients\n";
  const nsingular = names.filter((n) => isAliased(beta[n])).length;
  const head =
    nsingular > 0
      ? `\nCoefficients: (${nsingular} not defined because of singularities)\n`
      : "\nCoefficients:\n";
  const rows = names.map((n) =>
    isAliased(beta[n]) ? [null, null, null, null] : [beta[n], se[n], statistic[n], p[n]],
  );
  return (
    head +
    printCoefmat(rows, names, ["Estimate", "Std. Error", `${statName} value`, `Pr(>|${statName}|)`], {
      digits,
    })
  );
}
