/**
 * R's `print.anova()`: the table of an `anova` object. Columns take R's roles by name: a last column
 * named "P(..." or "Pr(..." holds p-values (`format.pval` with 4 digits, significance stars and their
 * legend); "F", "Cp", "Chisq" and "* value" columns are test statistics (rounded to 4 decimals, then
 * 5 significant digits); columns ending in "Df" are printed as they are; every other column is
 * zapped (`zapsmall`) and printed with 5 significant digits. Missing entries print as blanks.
 */
import { roundR } from "./exact-decimal.ts";
import { formatNumbers, type MaybeNumber, zapsmall } from "./format-number.ts";
import { formatPval, signifLegendLines, significanceStars } from "./format-pval.ts";
import { printMatrix } from "./print-matrix.ts";

const DIGITS = 5;
const DIG_TST = 4;

const present = (v: MaybeNumber): v is number => v !== null && v !== undefined && !Number.isNaN(v);

/** Print `values[row][col]` as R prints an anova table with these row and column names. */
export function printAnovaMatrix(
  values: readonly (readonly MaybeNumber[])[],
  rowNames: readonly string[],
  colNames: readonly string[],
): string {
  const nr = rowNames.length;
  const nc = colNames.length;
  // R labels the rows of an empty table by a 4-wide column (the width of "[0,]")
  if (nr === 0) return `${" ".repeat(4)}${colNames.map((n) => ` ${n}`).join("")}\n`;
  const hasP = /^(P|Pr)\(/.test(colNames[nc - 1] ?? "");
  const col = (j: number) => values.map((r) => r[j]);
  const cells: string[][] = values.map(() => new Array<string>(nc).fill(""));
  const isTest = (name: string) => name.slice(1, 7) === " value" || ["F", "Cp", "Chisq"].includes(name);
  for (let j = 0; j < nc - (hasP ? 1 : 0); j++) {
    const name = colNames[j];
    const xs = col(j);
    let text: string[];
    if (isTest(name)) {
      text = formatNumbers(
        xs.map((v) => (present(v) ? roundR(v, DIG_TST) : null)),
        DIGITS,
      );
    } else if (/Df$/.test(name)) {
      text = formatNumbers(xs, DIGITS);
    } else {
      const idx = xs.map((v, i) => (present(v) ? i : -1)).filter((i) => i >= 0);
      const z = zapsmall(
        idx.map((i) => xs[i] as number),
        DIGITS,
      );
      const zx: MaybeNumber[] = xs.map(() => null);
      idx.forEach((i, k) => {
        zx[i] = z[k];
      });
      text = formatNumbers(zx, DIGITS);
      // an entry the rounding turned into zero (or from zero) is shown with 4 digits, as printCoefmat
      idx.forEach((i) => {
        const shown = Number.parseFloat(text[i]);
        if ((xs[i] === 0) !== (shown === 0)) text[i] = formatNumbers([xs[i]], DIGITS - 1)[0];
      });
    }
    for (let i = 0; i < nr; i++) cells[i][j] = present(xs[i]) ? text[i] : "";
  }
  const names = colNames.slice();
  let stars = false;
  if (hasP) {
    const pv = col(nc - 1);
    const ok = pv.map((v, i) => (present(v) ? i : -1)).filter((i) => i >= 0);
    const f = formatPval(
      ok.map((i) => pv[i]),
      DIG_TST,
    );
    ok.forEach((i, k) => {
      cells[i][nc - 1] = f[k];
    });
    stars = ok.some((i) => (pv[i] as number) < 0.1);
    if (stars) {
      const s = pv.map((v) => (present(v) ? significanceStars(v) : ""));
      const w = Math.max(...s.map((x) => x.length));
      cells.forEach((row, i) => {
        row.push(s[i].padEnd(w));
      });
      names.push("");
    }
  }
  let out = printMatrix(cells, rowNames, names, { right: true });
  if (stars) out += signifLegendLines();
  return out;
}
