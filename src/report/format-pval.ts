/**
 * P-values and significance stars as R prints them: `format.pval()`, `symnum()` with the usual
 * cut points, and the "Signif. codes" legend.
 */
import { formatNumbers, type MaybeNumber } from "./format-number.ts";

/** R's `.Machine$double.eps`, the default `eps` of `format.pval()` and `printCoefmat()`. */
export const DOUBLE_EPS = 2.220446049250313e-16;

/**
 * R's `format.pval(pv, digits, eps)`: values below `eps` become "<eps" (e.g. "<2e-16" or
 * "< 2.2e-16"); the others are formatted as one vector per notation (fixed when the exponent is
 * >= -3, or -4 with digits > 1; scientific otherwise), each group sharing its layout.
 * Missing values become "NA". Results are not padded to a common width.
 */
export function formatPval(pv: readonly MaybeNumber[], digits = 5, eps = DOUBLE_EPS): string[] {
  const out: string[] = new Array(pv.length).fill("NA");
  const idx = pv
    .map((_, i) => i)
    .filter((i) => pv[i] !== null && pv[i] !== undefined && !Number.isNaN(pv[i]));
  const is0 = (i: number) => (pv[i] as number) < eps;
  const notSmall = idx.filter((i) => !is0(i));
  const small = idx.filter(is0);
  const rr: string[] = [];
  if (notSmall.length > 0) {
    const expo = (v: number) => Math.floor(Math.log10(v > 0 ? v : 1e-50));
    const fix = notSmall.filter((i) => {
      const e = expo(pv[i] as number);
      return e >= -3 || (e === -4 && digits > 1);
    });
    const sci = notSmall.filter((i) => !fix.includes(i));
    for (const group of [fix, sci]) {
      if (group.length === 0) continue;
      const f = formatNumbers(
        group.map((i) => pv[i] as number),
        digits,
      );
      group.forEach((i, k) => {
        out[i] = f[k];
        rr.push(f[k]);
      });
    }
  }
  if (small.length > 0) {
    let d = Math.max(1, digits - 2);
    let sep: string;
    if (notSmall.length > 0) {
      const nc = Math.max(...rr.map((s) => s.length));
      if (d > 1 && d + 6 > nc) d = Math.max(1, nc - 7);
      sep = d === 1 && nc <= 6 ? "" : " ";
    } else sep = d === 1 ? "" : " ";
    const e = formatNumbers([eps], d)[0];
    for (const i of small) out[i] = `<${sep}${e}`;
  }
  return out;
}

/** Significance stars for a p-value: (0, 0.001] "***", (0.001, 0.01] "**", (0.01, 0.05] "*", (0.05, 0.1] ".", else " ". */
export function significanceStars(p: MaybeNumber): string {
  if (p === null || p === undefined || Number.isNaN(p)) return "";
  if (p <= 0.001) return "***";
  if (p <= 0.01) return "**";
  if (p <= 0.05) return "*";
  if (p <= 0.1) return ".";
  return " ";
}

/** The legend `printCoefmat()` prints under a table with stars (R's UTF-8 quotes). */
export const SIGNIF_LEGEND =
  "0 \u2018***\u2019 0.001 \u2018**\u2019 0.01 \u2018*\u2019 0.05 \u2018.\u2019 0.1 \u2018 \u2019 1";

/** The two legend lines, each ending in "\n". */
export function signifLegendLines(): string {
  return `---\nSignif. codes:  ${SIGNIF_LEGEND}\n`;
}
