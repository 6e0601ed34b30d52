/**
 * `formatLmmSummary()` / `formatGlmmSummary()`: the text of lme4's (1.1-31) `print(summary(m))`
 * for `lmerMod` and `glmerMod` fits, from plain numbers named as in the reference fit JSON.
 */
import { abbreviate } from "./abbreviate.ts";
import { catFill, strwrap } from "./cat-fill.ts";
import { roundR } from "./exact-decimal.ts";
import { formatNumber, formatNumbers, type MaybeNumber, zapsmall } from "./format-number.ts";
import type { VarCorrInput } from "./format-var-corr.ts";
import { formatVarCorrTable } from "./format-var-corr.ts";
import type { NamedNumbers } from "./lm-summary.ts";
import { printCoefmat } from "./print-coefmat.ts";
import { printMatrix } from "./print-matrix.ts";
import { printNamedVector } from "./print-named-vector.ts";

/** Coefficient table as `coef_table` in the reference fit JSON (columns named as R names them). */
export interface CoefTableInput {
  readonly terms: readonly string[];
  readonly columns: readonly string[];
  readonly values: readonly (readonly MaybeNumber[])[];
}

/** Optimizer report (`optinfo` of the reference fit JSON); drives the lines after the fixed effects. */
export interface OptinfoInput {
  readonly optimizer: string;
  /** Optimizer return code; anything but 0 is printed with `message`. */
  readonly conv_opt: number;
  readonly message?: string | null;
  /** lme4's convergence-check messages, e.g. `boundary (singular) fit: see help('isSingular')`. */
  readonly lme4_messages?: readonly string[];
  readonly optimizer_warnings?: readonly string[];
}

/** Fields shared by LMM and GLMM summaries (names from the reference fit JSON unless noted). */
export interface MerModSummaryBase {
  /** The formula as lme4 deparses it (`||` already expanded, see `expandDoubleBars`). */
  readonly formula: string;
  /** The data argument as written in the call, e.g. `sleepstudy`. */
  readonly dataName: string;
  /** Prior-weights / offset arguments as written in the call, if any. */
  readonly weights?: string;
  readonly offset?: string;
  readonly nobs: number;
  /** Levels per grouping factor, in lme4's order. */
  readonly ngroups: Readonly<Record<string, number>>;
  readonly varcorr: VarCorrInput;
  readonly beta: NamedNumbers;
  readonly se: NamedNumbers;
  /** Covariance of the fixed effects (for "Correlation of Fixed Effects:"). */
  readonly vcov_beta?: readonly (readonly number[])[] | null;
  /** Coefficient table; default built from beta and se (t value = beta / se). */
  readonly coef_table?: CoefTableInput | null;
  /** Header numbers: `{REML}` or `{AIC, BIC, logLik, deviance, "df.resid"}`; default from the fields below. */
  readonly summary_AICtab?: Readonly<Record<string, number>> | null;
  readonly REMLcrit?: number | null;
  readonly AIC?: number;
  readonly BIC?: number;
  readonly logLik?: number;
  readonly deviance?: number | null;
  readonly df_residual?: number;
  /** Min, Q1, median, Q3, max of the scaled (Pearson) residuals. */
  readonly scaled_residuals_quantiles: readonly number[];
  readonly optinfo?: OptinfoInput | null;
  /** lme4's `fitMsgs` (e.g. the rank-deficiency note), printed under "fit warnings:". */
  readonly fitMsgs?: readonly string[];
  /** Name used in the p > 12 note, R's `deparse(substitute(x))`; default `summary(m)`. */
  readonly objectName?: string;
  /** Force (true) or suppress (false) the correlation table; default: shown when p <= 12. */
  readonly correlation?: boolean;
  /** Significant digits; lme4's default `max(3, getOption("digits") - 3)` = 4. */
  readonly digits?: number;
}

export interface LmmSummaryInput extends MerModSummaryBase {
  readonly REML: boolean;
  /**
   * lmerTest's summary: the name of the df method ("Satterthwaite", "Kenward-Roger") for the title
   * ("... t-tests use Satterthwaite's method [lmerModLmerTest]"); `coef_table` then carries the df
   * and p-value columns.
   */
  readonly ddfMethod?: string;
}

export interface GlmmSummaryInput extends MerModSummaryBase {
  readonly family: string;
  readonly link: string;
  /** Adaptive Gauss–Hermite points; 1 = Laplace. */
  readonly nAGQ: number;
  /**
   * The extended quadrature (beyond lme4): blocks of linked random effects, the largest one's
   * dimension and grid. Adds "extended" to the title and a line saying what was integrated.
   */
  readonly extendedAgq?: {
    readonly blocks: number;
    readonly maxDimension: number;
    readonly gridPoints: number;
  };
}

const WIDTH = 80;

/** The exact text lme4 prints for `summary(lmer(...))`. */
export function formatLmmSummary(input: LmmSummaryInput): string {
  let title = `Linear mixed model fit by ${input.REML ? "REML" : "maximum likelihood "}`;
  if (input.ddfMethod) title += `. t-tests use ${input.ddfMethod}'s method`;
  const aictab = input.summary_AICtab ?? defaultAicTab(input, input.REML);
  const cls = input.ddfMethod ? "lmerModLmerTest" : "lmerMod";
  return merModSummary(input, title, cls, null, aictab, "t value", null);
}

/** The exact text lme4 prints for `summary(glmer(...))`. */
export function formatGlmmSummary(input: GlmmSummaryInput): string {
  const ext = input.extendedAgq;
  const approx =
    input.nAGQ === 1
      ? "(Laplace Approximation)"
      : `(Adaptive Gauss-Hermite Quadrature, nAGQ = ${input.nAGQ}${ext ? ", extended" : ""})`;
  const title = `Generalized linear mixed model fit by maximum likelihood ${approx}`;
  let family = catFill([" Family:", input.family, ` ( ${input.link} )`]);
  if (ext)
    family += ` Quadrature: ${ext.blocks} block${ext.blocks === 1 ? "" : "s"} of linked random effects, largest ${ext.maxDimension} (${input.nAGQ}^${ext.maxDimension} = ${ext.gridPoints} points)\n`;
  const aictab = input.summary_AICtab ?? defaultAicTab(input, false);
  return merModSummary(input, title, "glmerMod", family, aictab, "z value", "Pr(>|z|)");
}

function defaultAicTab(x: MerModSummaryBase, reml: boolean): Record<string, number> {
  if (reml) return { REML: x.REMLcrit ?? Number.NaN };
  const num = (v: number | null | undefined) => v ?? Number.NaN;
  return {
    AIC: num(x.AIC),
    BIC: num(x.BIC),
    logLik: num(x.logLik),
    deviance: num(x.deviance),
    "df.resid": num(x.df_residual),
  };
}

function merModSummary(
  x: MerModSummaryBase,
  title: string,
  cls: string,
  familyLine: string | null,
  aictab: Readonly<Record<string, number>>,
  testName: string,
  pName: string | null,
): string {
  const digits = x.digits ?? 4;
  let out = methodTitle(title, cls);
  if (familyLine) out += familyLine;
  out += catFill(["Formula:", x.formula]);
  out += catFill(["   Data:", x.dataName]);
  if (x.weights) out += catFill(["Weights:", x.weights]);
  if (x.offset) out += catFill([" Offset:", x.offset]);
  out += "\n";
  out += aicTable(aictab);
  out += "\n";
  out += "Scaled residuals: \n";
  out += printNamedVector(formatNumbers(zapsmall(x.scaled_residuals_quantiles, digits + 1), digits), [
    "Min",
    "1Q",
    "Median",
    "3Q",
    "Max",
  ]);
  out += "\n";
  out += "Random effects:\n";
  out += formatVarCorrTable(x.varcorr, { digits });
  const groups = Object.entries(x.ngroups)
    .map(([g, n]) => `${g}, ${n}`)
    .join("; ");
  out += catFill([`Number of obs: ${x.nobs}, groups: `, groups]);

  const table = x.coef_table ?? defaultCoefTable(x, testName, pName);
  const p = table.terms.length;
  let note = "";
  if (p > 0) {
    out += "\nFixed effects:\n";
    out += printCoefmat(table.values, table.terms, table.columns, { digits });
    const corMax = 12;
    const hasCor = !!x.vcov_beta;
    const show = x.correlation ?? (hasCor && p <= corMax);
    if (x.correlation === undefined && !show && p > corMax) {
      let nam = x.objectName ?? "summary(m)";
      if (nam.length >= 32) nam = "....";
      note =
        `\nCorrelation matrix not shown by default, as p = ${p} > ${corMax}.\n` +
        `Use print(${nam}, correlation=TRUE)  or\n    vcov(${nam})        if you need it\n`;
    }
    if (show && x.vcov_beta && p > 1) out += correlationOfFixedEffects(x.vcov_beta, table.terms);
  }
  if (x.fitMsgs?.some((m) => m.length > 0)) out += `fit warnings:\n${x.fitMsgs.join("\n")}\n`;
  out += convergenceLines(x.optinfo);
  // lme4 writes the p > 12 note with message() (stderr); the reference text appends it at the end.
  return out + note;
}

/** lme4's `.prt.methTit`: "<title> ['<class>']", or the title wrapped at the console width. */
function methodTitle(title: string, cls: string): string {
  if (title.length + 5 + cls.length > WIDTH) {
    return catFill([...strwrap(title, WIDTH - 2, 0, 2), " [", cls, "]"], "");
  }
  return `${title} ['${cls}']\n`;
}

/** lme4's `.prt.aictab`: the REML criterion line, or the AIC/BIC/logLik/deviance/df.resid table. */
function aicTable(tab: Readonly<Record<string, number>>): string {
  const names = Object.keys(tab);
  const t4 = names.map((n) => roundR(tab[n], 1));
  if (names.length === 1 && names[0] === "REML") {
    return catFill(["REML criterion at convergence:", formatNumber(t4[0])]);
  }
  const f = formatNumbers(t4);
  const k = names.indexOf("df.resid");
  if (k >= 0) f[k] = formatNumber(t4[k]);
  return printNamedVector(f, names);
}

function defaultCoefTable(x: MerModSummaryBase, testName: string, pName: string | null): CoefTableInput {
  if (pName) throw new TypeError("formatGlmmSummary: coef_table (with p-values) is required");
  const terms = Object.keys(x.beta);
  const values = terms.map((n) => {
    const b = x.beta[n];
    const s = x.se[n];
    const t = b === null || b === undefined || s === null || s === undefined ? null : b / s;
    return [b, s, t];
  });
  return { terms, columns: ["Estimate", "Std. Error", testName], values };
}

/** "Correlation of Fixed Effects:" with 3 decimals, abbreviated names, lower triangle. */
function correlationOfFixedEffects(vcov: readonly (readonly number[])[], names: readonly string[]): string {
  const p = names.length;
  const is = vcov.map((row, i) => Math.sqrt(1 / row[i]));
  const flat: number[] = [];
  for (let j = 0; j < p; j++)
    for (let i = 0; i < p; i++) flat.push(roundR(i === j ? 1 : is[i] * vcov[i][j] * is[j], 3));
  const f = formatNumbers(flat, 7, 3);
  const rowNames = abbreviate(names, 11);
  const colNames = abbreviate(names, 6);
  const cells: string[][] = [];
  for (let i = 1; i < p; i++) {
    const row: string[] = [];
    for (let j = 0; j < p - 1; j++) row.push(j < i ? f[j * p + i] : "");
    cells.push(row);
  }
  return `\nCorrelation of Fixed Effects:\n${printMatrix(cells, rowNames.slice(1), colNames.slice(0, p - 1))}`;
}

/** lme4's `.prt.warn`: optimizer code and convergence messages, when there is anything to say. */
function convergenceLines(opt: OptinfoInput | null | undefined): string {
  if (!opt) return "";
  const cc = opt.conv_opt;
  const msgs = opt.lme4_messages ?? [];
  const warns = opt.optimizer_warnings ?? [];
  if (!(cc > 0 || msgs.length > 0 || warns.length > 0)) return "";
  const m = cc === 0 ? "(OK)" : opt.message ? `(${opt.message})` : "";
  const conv = `optimizer (${opt.optimizer}) convergence code: ${cc} ${m}`;
  // cat(conv, msgs, warnings, sep = "\n") then cat("\n"): the lines, a newline, and one more.
  return `${[conv, ...msgs, ...warns].join("\n")}\n\n`;
}
