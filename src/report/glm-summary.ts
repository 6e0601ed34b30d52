/**
 * `formatGlmSummary()`: the text of R's `print(summary(glm(...)))` (stats 4.2.2, the R this
 * project's references come from), from plain numbers: the call (deparsed with R's line
 * breaks), the "Deviance Residuals" five-number summary (all residuals when df ≤ 5; R ≥ 4.3 no
 * longer prints this block), the coefficient table with z (or t) values, the dispersion line,
 * null and residual deviance with their df, AIC, and the number of Fisher scoring iterations.
 */
import type { Node } from "../formula/ast.ts";
import { parseAst } from "../formula/parser.ts";
import { coefficientsBlock } from "./coefficients-block.ts";
import { type CallArg, deparseCall } from "./deparse-call.ts";
import { formatNumber, formatNumbers, zapsmall } from "./format-number.ts";
import type { NamedNumbers } from "./lm-summary.ts";
import { printNamedVector } from "./print-named-vector.ts";
import { residualQuantiles } from "./quantile.ts";

export interface GlmSummaryInput {
  /** The formula as written (deparsed as R does). */
  readonly formula: string;
  /** The data argument of the call, e.g. `cbpp`. */
  readonly dataName: string;
  readonly family: string;
  readonly link: string;
  /** True when `link` is the family's default (the call then shows `family = binomial`). */
  readonly defaultLink: boolean;
  /** Name of the prior-weights column, if any. */
  readonly weights?: string;
  /** Name of an `offset =` column, if any. */
  readonly offset?: string;
  /** Estimates by coefficient name in model-matrix order; null or NaN marks an aliased column. */
  readonly beta: NamedNumbers;
  readonly se: NamedNumbers;
  /** z (or t) values. */
  readonly statistic: NamedNumbers;
  readonly p: NamedNumbers;
  /** "z" when the dispersion is fixed at 1, "t" when estimated. */
  readonly statisticName: "z" | "t";
  readonly dispersion: number;
  readonly null_deviance: number;
  readonly deviance: number;
  readonly df_null: number;
  readonly df_residual: number;
  /** R's `fit$aic`. */
  readonly aic: number;
  readonly iter: number;
  /** Signed deviance residuals of every row (R's `residuals(fit, "deviance")`). */
  readonly deviance_residuals: ArrayLike<number>;
  /** Rows dropped for missing values. */
  readonly n_dropped?: number;
  /** Significant digits; R's default 4. */
  readonly digits?: number;
}

function familyArg(input: GlmSummaryInput): CallArg {
  if (input.defaultLink) return { name: "family", value: { kind: "text", text: input.family } };
  return {
    name: "family",
    value: {
      kind: "call",
      fn: input.family,
      args: [{ name: "link", value: { kind: "text", text: JSON.stringify(input.link) } }],
    },
  };
}

/** The `Call:` lines of `summary(glm)` for this fit. */
export function glmCallLines(input: GlmSummaryInput): string[] {
  const ast = parseAst(input.formula);
  const tilde: Node = {
    kind: "binary",
    op: "~",
    opSpan: ast.tilde,
    left: ast.lhs,
    right: ast.rhs,
    span: [0, input.formula.length],
  };
  const args: CallArg[] = [
    { name: "formula", value: { kind: "node", node: tilde } },
    familyArg(input),
    { name: "data", value: { kind: "text", text: input.dataName } },
  ];
  if (input.weights) args.push({ name: "weights", value: { kind: "text", text: input.weights } });
  if (input.offset) args.push({ name: "offset", value: { kind: "text", text: input.offset } });
  return deparseCall({ kind: "call", fn: "glm", args });
}

/** The exact text R 4.2 prints for `summary(glm(...))`, ending in a blank line. */
export function formatGlmSummary(input: GlmSummaryInput): string {
  const digits = input.digits ?? 4;
  let out = `\nCall:\n${glmCallLines(input).join("\n")}\n\n`;
  out += "Deviance Residuals: \n";
  const res = Array.from(input.deviance_residuals);
  if (input.df_residual > 5) {
    const q = zapsmall(residualQuantiles(res), digits + 1);
    out += printNamedVector(formatNumbers(q, digits), ["Min", "1Q", "Median", "3Q", "Max"], 80, 2);
  } else {
    const r = zapsmall(res, digits + 1);
    out += printNamedVector(
      formatNumbers(r, digits),
      r.map((_, i) => String(i + 1)),
      80,
      2,
    );
  }
  out += coefficientsBlock(input.beta, input.se, input.statistic, input.p, input.statisticName, digits);
  out += `\n(Dispersion parameter for ${input.family} family taken to be ${formatNumber(input.dispersion)})\n\n`;
  const dev = formatNumbers([input.null_deviance, input.deviance], Math.max(5, digits + 1));
  const dfs = [String(input.df_null), String(input.df_residual)];
  const dw = Math.max(dfs[0].length, dfs[1].length);
  out += `    Null deviance: ${dev[0]}  on ${dfs[0].padStart(dw)}  degrees of freedom\n`;
  out += `Residual deviance: ${dev[1]}  on ${dfs[1].padStart(dw)}  degrees of freedom\n`;
  if (input.n_dropped)
    out += `  (${input.n_dropped} ${input.n_dropped === 1 ? "observation" : "observations"} deleted due to missingness)\n`;
  out += `AIC: ${formatNumber(input.aic, Math.max(4, digits + 1))}\n\n`;
  out += `Number of Fisher Scoring iterations: ${input.iter}\n\n`;
  return out;
}
