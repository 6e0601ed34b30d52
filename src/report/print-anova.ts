/**
 * The text lme4's `anova(m0, m1, ...)` prints: a heading naming the data and the models, then R's
 * `print.anova()` of the table (5 significant digits; npar, AIC, BIC, logLik and deviance
 * zapped, the χ² column rounded to 4 decimals, the p-values by `format.pval` with 4 digits and
 * their significance stars, blanks for the first row's tests).
 */
import { deparseFormula } from "../formula/deparse-formula.ts";
import type { AnovaTable } from "../inference/anova.ts";
import { roundR } from "./exact-decimal.ts";
import { formatNumbers, type MaybeNumber, zapsmall } from "./format-number.ts";
import { expandDoubleBars } from "./expand-double-bars.ts";
import { formatPval, signifLegendLines, significanceStars } from "./format-pval.ts";
import { printMatrix } from "./print-matrix.ts";

const DIGITS = 5;
const DIG_TST = 4;

function zapColumn(xs: readonly number[]): string[] {
  return formatNumbers(zapsmall(xs, DIGITS), DIGITS);
}

/** Print an `anova()` comparison as lme4 does (without the "refitting" message, which R sends to stderr). */
export function printAnova(table: AnovaTable): string {
  const rows = table.rows;
  const names = rows.map((r) => r.name);
  let out = `Data: ${table.dataName}\nModels:\n`;
  // the formulas as lme4 deparses them (`||` expanded)
  for (const r of rows) out += `${r.name}: ${expandDoubleBars(deparseFormula(r.formula))}\n`;
  const zapCols = [
    rows.map((r) => r.npar),
    rows.map((r) => r.AIC),
    rows.map((r) => r.BIC),
    rows.map((r) => r.logLik),
    rows.map((r) => r.deviance),
  ].map(zapColumn);
  const present = (v: number | null): v is number => v !== null && !Number.isNaN(v);
  const chisq = rows.map((r) => r.Chisq);
  const chisqText = formatNumbers(
    chisq.map((v) => (present(v) ? roundR(v, DIG_TST) : null)) as MaybeNumber[],
    DIGITS,
  );
  const dfText = formatNumbers(rows.map((r) => r.Df) as MaybeNumber[], DIGITS);
  const pv = rows.map((r) => r.p);
  const okP = pv.map((v, i) => (present(v) ? i : -1)).filter((i) => i >= 0);
  const pText = formatPval(
    okP.map((i) => pv[i]),
    DIG_TST,
  );
  const cells = rows.map((r, i) => [
    zapCols[0][i],
    zapCols[1][i],
    zapCols[2][i],
    zapCols[3][i],
    zapCols[4][i],
    present(r.Chisq) ? chisqText[i] : "",
    present(r.Df) ? dfText[i] : "",
    "",
  ]);
  okP.forEach((i, k) => {
    cells[i][7] = pText[k];
  });
  const colNames = ["npar", "AIC", "BIC", "logLik", "deviance", "Chisq", "Df", "Pr(>Chisq)"];
  const stars = okP.some((i) => (pv[i] as number) < 0.1);
  if (stars) {
    const s = pv.map((v) => (present(v) ? significanceStars(v) : ""));
    const w = Math.max(...s.map((x) => x.length));
    cells.forEach((row, i) => {
      row.push(s[i].padEnd(w));
    });
    colNames.push("");
  }
  out += printMatrix(cells, names, colNames, { right: true });
  if (stars) out += signifLegendLines();
  return out;
}
