/**
 * R's `printCoefmat()` with its default column roles: estimate and standard-error columns share
 * one rounding (enough decimals for the smallest of them to show `digits` significant digits),
 * the test-statistic column is rounded to `dig.tst` decimals, a last column named "Pr(..." or
 * "p-v..." holds p-values (`format.pval`) and earns significance stars and their legend.
 */
import { formatNumbers, type MaybeNumber } from "./format-number.ts";
import { roundR } from "./exact-decimal.ts";
import { DOUBLE_EPS, formatPval, signifLegendLines, significanceStars } from "./format-pval.ts";
import { printMatrix } from "./print-matrix.ts";

export interface CoefmatOptions {
  /** Significant digits (`summary.lm` and lme4 pass 4). */
  readonly digits?: number;
  /** Print stars and the legend when there are p-values (`show.signif.stars`, default true). */
  readonly signifStars?: boolean;
  /** `eps.Pvalue`, default `.Machine$double.eps`. */
  readonly epsPvalue?: number;
  /** How NA entries print, default "NA". */
  readonly naPrint?: string;
}

const isNA = (v: MaybeNumber) => v === null || v === undefined;

/**
 * The text `printCoefmat(x)` prints. `values[row][col]` may hold null (NA) or NaN. The columns are
 * estimate-like columns, then one test statistic, then optionally the p-value column.
 */
export function printCoefmat(
  values: readonly (readonly MaybeNumber[])[],
  rowNames: readonly string[],
  colNames: readonly string[],
  opts: CoefmatOptions = {},
): string {
  const digits = opts.digits ?? 4;
  const eps = opts.epsPvalue ?? DOUBLE_EPS;
  const naPrint = opts.naPrint ?? "NA";
  const nr = rowNames.length;
  const nc = colNames.length;
  const last = colNames[nc - 1] ?? "";
  const hasP = nc >= 4 && (last.startsWith("Pr(") || last.startsWith("p-v"));
  const k = nc - (hasP ? 1 : 0) - 1;
  const tst = k; // zero-based index of the test column
  const digTst = Math.max(1, Math.min(5, digits - 1));
  const col = (j: number) => values.map((row) => row[j]);
  const Cf: string[][] = values.map(() => new Array<string>(nc).fill(""));
  const setCol = (js: number[], strings: string[]) => {
    // strings are in column-major order over rows × js
    js.forEach((j, a) => {
      for (let i = 0; i < nr; i++) Cf[i][j] = strings[a * nr + i];
    });
  };

  const cs = Array.from({ length: k }, (_, j) => j);
  if (cs.length > 0) {
    const all = cs.flatMap(col);
    const acs = all.filter((v): v is number => !isNA(v) && Number.isFinite(v as number)).map(Math.abs);
    if (acs.length > 0) {
      const nz = acs.filter((v) => v !== 0);
      const lo = nz.length ? Math.min(...nz) : 0;
      const hi = nz.length ? Math.max(...nz) : 0;
      const digmin = nz.length ? [1 + Math.floor(Math.log10(lo)), 1 + Math.floor(Math.log10(hi))] : [1];
      const dec = Math.max(1, ...digmin.map((d) => digits - d));
      setCol(cs, formatNumbers(roundAll(all, dec), digits));
    }
  }
  if (tst < nc) setCol([tst], formatNumbers(roundAll(col(tst), digTst), digits));
  for (let j = tst + 1; j < nc - (hasP ? 1 : 0); j++) setCol([j], formatNumbers(col(j), digits));

  // Entries whose rounding turned a non-zero into zero (or vice versa) are shown with digits - 1.
  const fix: [number, number][] = [];
  for (let i = 0; i < nr; i++)
    for (let j = 0; j < nc - (hasP ? 1 : 0); j++) {
      if (j === tst) continue;
      const v = values[i][j];
      if (isNA(v) || Number.isNaN(v)) continue;
      const shown = Number.parseFloat(Cf[i][j]);
      if ((v === 0) !== (shown === 0)) fix.push([i, j]);
    }
  if (fix.length > 0) {
    const f = formatNumbers(
      fix.map(([i, j]) => values[i][j]),
      Math.max(1, digits - 1),
    );
    fix.forEach(([i, j], a) => {
      Cf[i][j] = f[a];
    });
  }
  for (let i = 0; i < nr; i++)
    for (let j = 0; j < nc; j++) {
      const v = values[i][j];
      if (isNA(v)) Cf[i][j] = naPrint;
      else if (Number.isNaN(v)) Cf[i][j] = "NaN";
    }

  let names = colNames.slice();
  let stars = false;
  if (hasP) {
    const pv = col(nc - 1);
    const okRows = pv.map((_, i) => i).filter((i) => !isNA(pv[i]) && !Number.isNaN(pv[i]));
    if (okRows.length > 0) {
      const f = formatPval(
        okRows.map((i) => pv[i]),
        digTst,
        eps,
      );
      okRows.forEach((i, a) => {
        Cf[i][nc - 1] = f[a];
      });
      stars = (opts.signifStars ?? true) && okRows.some((i) => (pv[i] as number) < 0.1);
      if (stars) {
        const s = pv.map(significanceStars);
        const w = Math.max(...s.map((x) => x.length));
        for (let i = 0; i < nr; i++) Cf[i].push(s[i].padEnd(w));
        names = [...names, ""];
      }
    }
  }
  let out = printMatrix(Cf, rowNames, names, { right: true });
  if (stars) out += signifLegendLines();
  return out;
}

function roundAll(xs: readonly MaybeNumber[], d: number): MaybeNumber[] {
  return xs.map((v) => (isNA(v) ? v : roundR(v as number, d)));
}
