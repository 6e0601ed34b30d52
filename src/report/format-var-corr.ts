/**
 * lme4's `formatVC()` table of variance components ("Groups Name Variance Std.Dev. Corr") and
 * `print(VarCorr(m))`.
 */
import { roundR } from "./exact-decimal.ts";
import { formatNumbers } from "./format-number.ts";
import { printMatrix } from "./print-matrix.ts";

/** One random-effects term, as `varcorr.groups[]` in the reference fit JSON. */
export interface VarCorrGroupInput {
  /** VarCorr name (`Subject`, `Subject.1` for a `||` term, `cask:batch`). */
  readonly name: string;
  /** Column names of the term (`(Intercept)`, `Days`). */
  readonly terms: readonly string[];
  /** Standard deviations, one per term (variances are printed as their squares, as lme4 does). */
  readonly stddev: readonly number[];
  /** Correlation matrix (terms × terms); omitted for a single term. */
  readonly correlation?: readonly (readonly (number | null)[])[] | null;
}

/** `varcorr` of the reference fit JSON: terms plus the residual (null without a scale, as for GLMMs). */
export interface VarCorrInput {
  readonly groups: readonly VarCorrGroupInput[];
  readonly residual?: { readonly stddev: number } | null;
}

export type VarCorrComponent = "Variance" | "Std.Dev.";

export interface VarCorrTableOptions {
  /** Significant digits (lme4's summary passes 4, `print(VarCorr(m))` uses 5). */
  readonly digits?: number;
  /** Columns to show, default both, as `summary()`. */
  readonly comp?: readonly VarCorrComponent[];
}

/** The character table `formatVC()` builds: header and cells (row names are all empty). */
export function varCorrTable(
  vc: VarCorrInput,
  opts: VarCorrTableOptions = {},
): { colNames: string[]; cells: string[][] } {
  const digits = opts.digits ?? 4;
  const comp = opts.comp ?? ["Variance", "Std.Dev."];
  const sds: number[] = [];
  const rows: string[][] = [];
  for (const g of vc.groups) {
    g.terms.forEach((term, k) => {
      rows.push([k === 0 ? g.name : "", term]);
      sds.push(g.stddev[k]);
    });
  }
  if (vc.residual) {
    rows.push(["Residual", ""]);
    sds.push(vc.residual.stddev);
  }
  const colNames = ["Groups", "Name"];
  for (const c of comp) {
    colNames.push(c);
    const f = formatNumbers(c === "Variance" ? sds.map((s) => s * s) : sds, digits);
    for (let i = 0; i < f.length; i++) rows[i].push(f[i]);
  }
  const maxlen = Math.max(...vc.groups.map((g) => g.terms.length));
  if (maxlen > 1) {
    const dig = Math.max(2, digits - 2);
    let r = 0;
    for (const g of vc.groups) {
      const n = g.terms.length;
      const corr = g.correlation ?? identity(n);
      const flat: (number | null)[] = [];
      for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) flat.push(corr[i][j]);
      const f = formatNumbers(
        flat.map((v) => (v === null ? null : roundR(v, dig))),
        7,
        dig,
      );
      for (let i = 0; i < n; i++, r++)
        for (let j = 0; j < maxlen - 1; j++) rows[r].push(j < i ? f[j * n + i] : "");
    }
    for (; r < rows.length; r++) for (let j = 0; j < maxlen - 1; j++) rows[r].push("");
    colNames.push("Corr", ...new Array<string>(Math.max(0, maxlen - 2)).fill(""));
  }
  return { colNames, cells: rows };
}

function identity(n: number): number[][] {
  return Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
}

/** The random-effects table as lme4's `summary()` prints it under "Random effects:". */
export function formatVarCorrTable(vc: VarCorrInput, opts: VarCorrTableOptions = {}): string {
  const { colNames, cells } = varCorrTable(vc, opts);
  return printMatrix(
    cells,
    cells.map(() => ""),
    colNames,
  );
}

/** `print(VarCorr(m))`: standard deviations with 5 significant digits and correlations with 3 decimals. */
export function formatVarCorr(vc: VarCorrInput, opts: VarCorrTableOptions = {}): string {
  return formatVarCorrTable(vc, { digits: opts.digits ?? 5, comp: opts.comp ?? ["Std.Dev."] });
}
