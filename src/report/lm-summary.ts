/**
 * `formatLmSummary()`: the text of R's `print(summary(lm(...)))` (stats 4.2), from plain numbers.
 */
import { coefficientsBlock, isAliased } from "./coefficients-block.ts";
import { signifR } from "./exact-decimal.ts";
import { formatC, formatNumber, formatNumbers, type MaybeNumber, zapsmall } from "./format-number.ts";
import { formatPval } from "./format-pval.ts";
import { printNamedVector } from "./print-named-vector.ts";
import { residualQuantiles } from "./quantile.ts";

/** Named numbers in coefficient order (JSON objects keep insertion order); null/NaN = aliased. */
export type NamedNumbers = Readonly<Record<string, MaybeNumber>>;

/**
 * What `formatLmSummary` needs: the fields of the reference `fits/coffee_lm.json` plus the call
 * text pieces and the residuals (or their five quantiles).
 */
export interface LmSummaryInput {
  /** The formula as R deparses it, e.g. `y ~ x`. */
  readonly formula: string;
  /** The data argument as written in the call, e.g. `coffee`. */
  readonly dataName: string;
  /** The whole call line; default `lm(formula = <formula>, data = <dataName>[, weights = <weights>])`. */
  readonly call?: string;
  /** Name of the prior-weights column, if any (goes into the default call). */
  readonly weights?: string;
  /** True when the prior weights are not all equal: the heading reads "Weighted Residuals:". */
  readonly weighted?: boolean;
  /** Estimates by coefficient name, in model-matrix order; null or NaN marks an aliased column. */
  readonly beta: NamedNumbers;
  readonly se: NamedNumbers;
  readonly t: NamedNumbers;
  readonly p: NamedNumbers;
  readonly sigma: number;
  readonly df_residual: number;
  readonly r_squared: number;
  readonly adj_r_squared: number;
  /** Overall F test; null/absent for a model with only an intercept (no R² / F lines then). */
  readonly fstatistic?: { readonly value: number; readonly numdf: number; readonly dendf: number } | null;
  /** P-value of the F statistic (`pf(value, numdf, dendf, lower.tail = FALSE)`); needed with `fstatistic`. */
  readonly f_pvalue?: number;
  /** The five residual quantiles (min, Q1, median, Q3, max), as `quantile(residuals)` ... */
  readonly residual_quantiles?: readonly number[];
  /** ... or the residuals themselves (required when df_residual <= 5, where R prints them all). */
  readonly residuals?: ArrayLike<number>;
  /** Rows dropped for missing values: adds "  (n observations deleted due to missingness)". */
  readonly n_dropped?: number;
  /** Significant digits; R's default `max(3, getOption("digits") - 3)` = 4. */
  readonly digits?: number;
}

/** The exact text R prints for `summary(lm(...))`, ending in a blank line. */
export function formatLmSummary(input: LmSummaryInput): string {
  const digits = input.digits ?? 4;
  const call =
    input.call ??
    `lm(formula = ${input.formula}, data = ${input.dataName}${input.weights ? `, weights = ${input.weights}` : ""})`;
  let out = `\nCall:\n${call}\n\n`;
  out += `${input.weighted ? "Weighted " : ""}Residuals:\n`;
  const names = Object.keys(input.beta);
  const rank = names.filter((n) => !isAliased(input.beta[n])).length;
  const rdf = input.df_residual;
  if (rdf > 5) {
    const q = input.residual_quantiles ?? (input.residuals ? residualQuantiles(input.residuals) : undefined);
    if (q?.length !== 5)
      throw new TypeError("formatLmSummary: residual_quantiles (5 values) or residuals required");
    const rq = zapsmall(q, digits + 1);
    out += printNamedVector(formatNumbers(rq, digits), ["Min", "1Q", "Median", "3Q", "Max"]);
  } else if (rdf > 0) {
    if (!input.residuals) throw new TypeError("formatLmSummary: residuals required when df_residual <= 5");
    const r = Array.from(input.residuals);
    out += printNamedVector(
      formatNumbers(r, digits),
      r.map((_, i) => String(i + 1)),
    );
  } else {
    out += `ALL ${rank} residuals are 0: no residual degrees of freedom!\n`;
  }
  out += coefficientsBlock(input.beta, input.se, input.t, input.p, "t", digits);
  out += `\nResidual standard error: ${formatNumber(signifR(input.sigma, digits))} on ${rdf} degrees of freedom\n`;
  if (input.n_dropped)
    out += `  (${input.n_dropped} ${input.n_dropped === 1 ? "observation" : "observations"} deleted due to missingness)\n`;
  const f = input.fstatistic;
  if (f) {
    if (input.f_pvalue === undefined)
      throw new TypeError("formatLmSummary: f_pvalue required with fstatistic");
    out += `Multiple R-squared:  ${formatC(input.r_squared, digits)},\tAdjusted R-squared:  ${formatC(input.adj_r_squared, digits)} `;
    out += `\nF-statistic: ${formatC(f.value, digits)} on ${formatNumber(f.numdf)} and ${formatNumber(f.dendf)} DF,  p-value: ${formatPval([input.f_pvalue], digits)[0]}\n`;
  }
  return `${out}\n`;
}
