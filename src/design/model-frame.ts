/**
 * The model frame: every variable of a formula evaluated on the data, rows with a missing value
 * in any of them dropped (R's `na.omit`, reported as a `rows_dropped` warning), grouping factors
 * resolved, unused factor levels dropped (as lme4's `drop.unused.levels = TRUE`).
 */
import type { DataSource, FactorColumn } from "../data/column.ts";
import { DataError, FormulaError, type Warning } from "../errors.ts";
import { deparse } from "../formula/deparse.ts";
import type { ModelFormula, Span, VarExpr } from "../formula/model-formula.ts";
import {
  dropUnusedLevels,
  type EvaluatedVariable,
  type FactorVariable,
  isMissingAt,
  subsetVariable,
} from "./evaluated-variable.ts";
import { type DataTransform, recordTransforms } from "./data-transforms.ts";
import { evaluateNumeric, evaluateVariable, formatLevel, requireColumn } from "./evaluate-variable.ts";
import { didYouMean } from "../util/did-you-mean.ts";
import { quote, quoteList } from "../util/quote.ts";
import { describeNonNumeric, numericLookingFactor } from "./numeric-looking-factor.ts";

/** Response distributions a model frame can be built for. */
export type ModelFamily = "gaussian" | "binomial" | "poisson";

export interface ModelFrameOptions {
  /** Column of prior weights (lme4's `weights =`). */
  readonly weights?: string;
  /**
   * The response distribution (default "gaussian"). Only a binomial model may have a two-column
   * `cbind(successes, failures)` response or a factor response (first level = failure, every
   * other level = success, as R's binomial family); other models take one numeric column.
   */
  readonly family?: ModelFamily;
}

export interface ModelFrame {
  readonly formula: ModelFormula;
  readonly dataName: string;
  /** Rows used. */
  readonly n: number;
  /** Index of each used row in the original data. */
  readonly rows: Int32Array;
  /**
   * Response; for `cbind(a, b)` the first column (successes); for a binomial factor response
   * 0 (first level) / 1 (any other level).
   */
  readonly y: Float64Array;
  /** Second column of a `cbind(a, b)` response (failures), else undefined. */
  readonly y2: Float64Array | undefined;
  readonly variables: ReadonlyMap<string, EvaluatedVariable>;
  /** Grouping columns (by column name) as factors over the used rows. */
  readonly groups: ReadonlyMap<string, FactorVariable>;
  readonly weights: Float64Array | undefined;
  readonly offset: Float64Array | undefined;
  /** What `scale()` and `poly()` learned from the data, for new data (data-transforms.ts). */
  readonly transforms: ReadonlyMap<string, DataTransform>;
  readonly warnings: readonly Warning[];
}

function checkFinite(values: Float64Array, what: string, formula: string, span: Span | undefined): void {
  let all = true;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === Number.POSITIVE_INFINITY || v === Number.NEGATIVE_INFINITY) {
      const msg = `${what} has an infinite value (row ${i + 1})`;
      const hint = "remove or recode infinite values before fitting";
      if (span) throw new FormulaError("E_DATA_NON_FINITE", msg, formula, span, hint);
      throw new DataError("E_DATA_NON_FINITE", msg, hint);
    }
    if (!Number.isNaN(v)) all = false;
  }
  if (all && values.length > 0) {
    const msg = `${what} has no non-missing values`;
    if (span) throw new FormulaError("E_DATA_ALL_MISSING", msg, formula, span);
    throw new DataError("E_DATA_ALL_MISSING", msg);
  }
}

/** A grouping column as a factor; integer-valued numeric columns are converted as lme4 does. */
export function groupingFactor(data: DataSource, name: string, formula: string, span: Span): FactorVariable {
  const col = requireColumn(data, name, formula, span);
  if (col.kind === "factor") {
    const f = col as FactorColumn;
    return { kind: "factor", label: name, codes: f.codes, levels: f.levels, ordered: false, contrasts: null };
  }
  const values = col.values;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isNaN(v) && !Number.isInteger(v)) {
      throw new FormulaError(
        "E_FORMULA_NUMERIC_GROUPING",
        `grouping variable ${quote(name)} is numeric with non-integer values (row ${i + 1}: ${v})`,
        formula,
        span,
        "a grouping factor needs discrete levels; group by a factor or an integer id column",
      );
    }
  }
  // codes by one Map lookup per run of equal values (ids usually come in runs), no per-row closures
  const index = new Map<number, number>();
  const firstCodes = new Int32Array(values.length);
  let last = Number.NaN;
  let lastCode = -1;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v !== last) {
      if (Number.isNaN(v)) lastCode = -1;
      else {
        let c = index.get(v);
        if (c === undefined) {
          c = index.size;
          index.set(v, c);
        }
        lastCode = c;
      }
      last = v;
    }
    firstCodes[i] = lastCode;
  }
  // renumber from order of appearance to sorted order (R's factor() of numbers)
  const distinct = Array.from(index.keys()).sort((a, b) => a - b);
  const rank = new Int32Array(distinct.length);
  distinct.forEach((v, r) => {
    rank[index.get(v)!] = r;
  });
  const codes = firstCodes;
  for (let i = 0; i < codes.length; i++) if (codes[i] >= 0) codes[i] = rank[codes[i]];
  return {
    kind: "factor",
    label: name,
    codes,
    levels: distinct.map(formatLevel),
    ordered: false,
    contrasts: null,
  };
}

function responseExpr(f: ModelFormula, family: ModelFamily): { first: VarExpr; second: VarExpr | undefined } {
  const r = f.response;
  if (r.kind === "call" && r.fn === "cbind") {
    if (family !== "binomial") {
      const [a, b] = r.args.map((e) =>
        e.kind === "binary" || e.kind === "unary" ? `(${deparse(e)})` : deparse(e),
      );
      throw new FormulaError(
        "E_SPEC_UNSUPPORTED",
        `a two-column cbind() response needs family = binomial; ${family === "gaussian" ? "Gaussian" : family} models take one response column`,
        f.text,
        r.span,
        `fit it with family binomial (--family binomial); for a Gaussian model of the proportion write I(${a} / (${a} + ${b})) ~ ...`,
      );
    }
    return { first: r.args[0], second: r.args[1] };
  }
  return { first: r, second: undefined };
}

/** Evaluate all variables of `formula` on `data` and drop incomplete rows. */
export function buildModelFrame(
  formula: ModelFormula,
  data: DataSource,
  opts: ModelFrameOptions = {},
): ModelFrame {
  const text = formula.text;
  const N = data.nrow;
  const { first, second } = responseExpr(formula, opts.family ?? "gaussian");
  // Every referenced column must exist: report the first unknown one at its span.
  for (const [name, span] of formula.columns) requireColumn(data, name, text, span);

  let factorY: Float64Array | undefined;
  if (first.kind === "column") {
    const col = requireColumn(data, first.name, text, first.span);
    if (col.kind === "factor" && opts.family === "binomial" && !numericLookingFactor(col)) {
      // R's binomial family: the first level is failure (0), every other level success (1).
      const codes = (col as FactorColumn).codes;
      factorY = Float64Array.from(codes, (c) => (c < 0 ? Number.NaN : c === 0 ? 0 : 1));
    } else if (col.kind === "factor") {
      const typo = numericLookingFactor(col);
      throw new FormulaError(
        "E_FORMULA_FACTOR_RESPONSE",
        `the response ${quote(first.name)} is a factor, not numeric${typo ? `: ${describeNonNumeric(typo)}` : ""}`,
        text,
        first.span,
        typo
          ? "correct or blank out that value (empty and NA are missing), or give a schema that declares the column numeric"
          : "fit a numeric response, or a binomial model (family binomial) of a two-level factor",
      );
    }
  }
  const yAll = factorY ?? evaluateNumeric(first, data, text, "the response");
  checkFinite(yAll, `the response ${quote(formula.responseLabel)}`, text, first.span);
  const y2All = second ? evaluateNumeric(second, data, text, "the response") : undefined;

  const vars = new Map<string, EvaluatedVariable>();
  const state = recordTransforms();
  const numericLooking: Warning[] = [];
  for (const [label, v] of formula.variables) {
    if (label === formula.responseLabel) continue;
    if (v.expr === formula.response) continue;
    const ev = evaluateVariable(v, data, text, state);
    if (ev.kind === "numeric") checkFinite(ev.values, quote(label), text, v.span);
    else if (v.expr.kind === "column") {
      const col = data.column(v.expr.name);
      const typo = col?.kind === "factor" ? numericLookingFactor(col) : null;
      if (col && typo)
        numericLooking.push({
          code: "numeric_looking_factor",
          message:
            `column ${quote(col.name)} enters the model as a factor although its other values are numbers: ` +
            `${describeNonNumeric(typo)}; if the column is numeric, correct that value (empty and NA are missing) ` +
            "or give a schema that declares it numeric",
        });
    }
    vars.set(label, ev);
  }
  const groupsAll = new Map<string, FactorVariable>();
  for (const rt of formula.random) {
    rt.group.forEach((g) => {
      if (!groupsAll.has(g)) groupsAll.set(g, groupingFactor(data, g, text, rt.groupSpan));
    });
  }
  let weightsAll: Float64Array | undefined;
  if (opts.weights !== undefined) {
    const col = data.column(opts.weights);
    const wq = quote(opts.weights);
    if (!col) {
      const guess = didYouMean(opts.weights, data.names);
      throw new DataError(
        "E_DATA_UNKNOWN_COLUMN",
        `weights column ${wq} is not in the data${guess ? ` (did you mean ${quote(guess)}?)` : ""}`,
        `the data ${quote(data.name)} has columns: ${quoteList(data.names)}`,
      );
    }
    if (col.kind !== "numeric")
      throw new DataError("E_DATA_NON_NUMERIC", `weights column ${wq} is not numeric`);
    checkFinite(col.values, `weights column ${wq}`, text, undefined);
    for (const w of col.values) {
      if (w < 0) throw new DataError("E_DATA_NON_FINITE", `weights column ${wq} has negative values`);
    }
    weightsAll = col.values;
  }
  let offsetAll: Float64Array | undefined;
  for (const off of formula.offsets) {
    const o = evaluateNumeric(off, data, text, "offset()", state);
    if (!offsetAll) offsetAll = o.slice();
    else for (let i = 0; i < N; i++) offsetAll[i] += o[i];
  }

  // Complete cases.
  const keep: number[] = [];
  for (let i = 0; i < N; i++) {
    if (Number.isNaN(yAll[i])) continue;
    if (y2All && Number.isNaN(y2All[i])) continue;
    if (weightsAll && Number.isNaN(weightsAll[i])) continue;
    if (offsetAll && Number.isNaN(offsetAll[i])) continue;
    let ok = true;
    for (const v of vars.values()) {
      if (isMissingAt(v, N, i)) {
        ok = false;
        break;
      }
    }
    if (ok) for (const g of groupsAll.values()) if (g.codes[i] < 0) ok = false;
    if (ok) keep.push(i);
  }
  if (keep.length === 0) {
    throw new DataError(
      "E_DATA_NO_COMPLETE_ROWS",
      `no row of ${quote(data.name)} has values for every variable of the formula`,
      "check the columns for missing values (empty, NA, NaN)",
    );
  }
  const rows = Int32Array.from(keep);
  const warnings: Warning[] = [...numericLooking];
  if (keep.length < N) {
    const d = N - keep.length;
    warnings.push({
      code: "rows_dropped",
      message: `${d} row${d === 1 ? "" : "s"} with missing values dropped (${keep.length} of ${N} used)`,
    });
  }
  const subset = (x: Float64Array | undefined) => (x ? Float64Array.from(rows, (r) => x[r]) : undefined);
  const variables = new Map<string, EvaluatedVariable>();
  for (const [label, v] of vars) {
    let s = subsetVariable(v, N, rows);
    if (s.kind === "factor") s = dropUnusedLevels(s);
    variables.set(label, s);
  }
  const groups = new Map<string, FactorVariable>();
  for (const [name, g] of groupsAll)
    groups.set(name, dropUnusedLevels(subsetVariable(g, N, rows) as FactorVariable));
  return {
    formula,
    dataName: data.name,
    n: rows.length,
    rows,
    y: subset(yAll)!,
    y2: subset(y2All),
    variables,
    groups,
    weights: subset(weightsAll),
    offset: subset(offsetAll),
    transforms: state.transforms,
    warnings,
  };
}
