/**
 * Evaluate a formula variable (column, function of columns, I(...) arithmetic, factor(), poly())
 * against a data source, over all rows. Errors point at the user's token.
 */
import type { Column, DataSource, FactorColumn } from "../data/column.ts";
import { FormulaError } from "../errors.ts";
import type { Span, VarExpr, Variable } from "../formula/model-formula.ts";
import { didYouMean } from "../util/did-you-mean.ts";
import { scaleColumn } from "../util/stats.ts";
import type { EvaluatedVariable, FactorVariable } from "./evaluated-variable.ts";
import { orthogonalPolynomial } from "./poly.ts";
import { quote, quoteList } from "../util/quote.ts";

const UNARY_MATH: Record<string, (x: number) => number> = {
  log: Math.log,
  log2: Math.log2,
  log10: Math.log10,
  exp: Math.exp,
  sqrt: Math.sqrt,
  abs: Math.abs,
};

/** Look up a column, or throw E_FORMULA_UNKNOWN_COLUMN pointing at `span`. */
export function requireColumn(data: DataSource, name: string, formula: string, span: Span): Column {
  const col = data.column(name);
  if (col) return col;
  const guess = didYouMean(name, data.names);
  throw new FormulaError(
    "E_FORMULA_UNKNOWN_COLUMN",
    `column ${quote(name)} is not in the data${guess ? ` (did you mean ${quote(guess)}?)` : ""}`,
    formula,
    span,
    `the data ${quote(data.name)} has columns: ${quoteList(data.names)}`,
  );
}

function factorFromColumn(col: FactorColumn, label: string): FactorVariable {
  return {
    kind: "factor",
    label,
    codes: col.codes,
    levels: col.levels,
    ordered: col.ordered,
    contrasts: col.contrasts,
  };
}

/** R's `as.character()` of a double (15 significant digits). */
export function formatLevel(x: number): string {
  if (Number.isInteger(x) && Math.abs(x) < 1e15) return String(x);
  const s = String(Number(x.toPrecision(15)));
  return s.replace(/e([+-])(\d)$/, "e$10$2");
}

/** `factor(x)` of a numeric vector: levels are the sorted distinct values. */
function factorOfNumeric(values: Float64Array, label: string): FactorVariable {
  const distinct = Array.from(new Set(Array.from(values).filter((v) => !Number.isNaN(v)))).sort(
    (a, b) => a - b,
  );
  const index = new Map<number, number>();
  distinct.forEach((v, i) => {
    index.set(v, i);
  });
  const codes = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) codes[i] = Number.isNaN(values[i]) ? -1 : index.get(values[i])!;
  return { kind: "factor", label, codes, levels: distinct.map(formatLevel), ordered: false, contrasts: null };
}

class Evaluator {
  constructor(
    readonly data: DataSource,
    readonly formula: string,
  ) {}

  /** A numeric vector, refusing factors (which cannot enter arithmetic or math functions). */
  numeric(e: VarExpr, context: string): Float64Array {
    const n = this.data.nrow;
    switch (e.kind) {
      case "number":
        return new Float64Array(n).fill(e.value);
      case "column": {
        const col = requireColumn(this.data, e.name, this.formula, e.span);
        if (col.kind === "factor") {
          throw new FormulaError(
            "E_FORMULA_FACTOR_IN_FUNCTION",
            `column '${e.name}' is a factor and cannot be used inside ${context}`,
            this.formula,
            e.span,
            "use a numeric column, or as.numeric(...) if you really want the level codes",
          );
        }
        return col.values;
      }
      case "unary": {
        const a = this.numeric(e.arg, context);
        return e.op === "-" ? a.map((v) => -v) : a;
      }
      case "binary": {
        const a = this.numeric(e.left, context);
        const b = this.numeric(e.right, context);
        const out = new Float64Array(n);
        for (let i = 0; i < n; i++) out[i] = arith(e.op, a[i], b[i]);
        return out;
      }
      case "call":
        return this.numericCall(e, context);
    }
  }

  private numericCall(e: Extract<VarExpr, { kind: "call" }>, context: string): Float64Array {
    const f = UNARY_MATH[e.fn];
    if (f) {
      const a = this.numeric(e.args[0], `${e.fn}()`);
      return a.map(f);
    }
    switch (e.fn) {
      case "I":
      case "offset":
        return this.numeric(e.args[0], `${e.fn}()`);
      case "scale": {
        const a = this.numeric(e.args[0], "scale()");
        return scaleColumn(a).values;
      }
      case "as.numeric": {
        const arg = e.args[0];
        if (arg.kind === "column") {
          const col = requireColumn(this.data, arg.name, this.formula, arg.span);
          if (col.kind === "factor") return Float64Array.from(col.codes, (c) => (c < 0 ? Number.NaN : c + 1));
          return col.values;
        }
        return this.numeric(arg, "as.numeric()");
      }
      default:
        throw new FormulaError(
          "E_FORMULA_BAD_ARGUMENT",
          `${e.fn}() cannot be used inside ${context}`,
          this.formula,
          e.span,
          "only arithmetic and log, log2, log10, exp, sqrt, abs, scale, as.numeric are allowed here",
        );
    }
  }

  variable(v: Variable): EvaluatedVariable {
    const e = v.expr;
    if (e.kind === "column") {
      const col = requireColumn(this.data, e.name, this.formula, e.span);
      if (col.kind === "factor") return factorFromColumn(col, v.label);
      return { kind: "numeric", label: v.label, values: col.values };
    }
    if (e.kind === "call" && e.fn === "factor") {
      const arg = e.args[0];
      if (arg.kind === "column") {
        const col = requireColumn(this.data, arg.name, this.formula, arg.span);
        if (col.kind === "factor")
          return { ...factorFromColumn(col, v.label), ordered: false, contrasts: null };
      }
      return factorOfNumeric(this.numeric(arg, "factor()"), v.label);
    }
    if (e.kind === "call" && e.fn === "poly") {
      const x = this.numeric(e.args[0], "poly()");
      const degreeArg = e.args[1];
      const degree = degreeArg && degreeArg.kind === "number" ? degreeArg.value : 1;
      const n = x.length;
      const rows: number[] = [];
      for (let i = 0; i < n; i++) if (!Number.isNaN(x[i])) rows.push(i);
      const xs = Float64Array.from(rows, (i) => x[i]);
      const distinct = new Set(xs).size;
      if (degree >= distinct) {
        throw new FormulaError(
          "E_FORMULA_BAD_ARGUMENT",
          `'degree' ${degree} must be less than the number of unique points (${distinct}) in ${v.label}`,
          this.formula,
          e.span,
        );
      }
      const p = orthogonalPolynomial(xs, degree);
      const values = new Float64Array(n * degree).fill(Number.NaN);
      for (let j = 0; j < degree; j++)
        rows.forEach((r, k) => {
          values[j * n + r] = p.values[j * xs.length + k];
        });
      return {
        kind: "matrix",
        label: v.label,
        ncol: degree,
        values,
        colnames: Array.from({ length: degree }, (_, j) => String(j + 1)),
      };
    }
    return { kind: "numeric", label: v.label, values: this.numeric(e, v.label) };
  }
}

function arith(op: "+" | "-" | "*" | "/" | "^", a: number, b: number): number {
  switch (op) {
    case "+":
      return a + b;
    case "-":
      return a - b;
    case "*":
      return a * b;
    case "/":
      return a / b;
    case "^":
      return a ** b;
  }
}

/** Evaluate one formula variable over all rows of `data`. */
export function evaluateVariable(v: Variable, data: DataSource, formula: string): EvaluatedVariable {
  return new Evaluator(data, formula).variable(v);
}

/** Evaluate a numeric expression (response, offset) over all rows of `data`. */
export function evaluateNumeric(
  e: VarExpr,
  data: DataSource,
  formula: string,
  context: string,
): Float64Array {
  return new Evaluator(data, formula).numeric(e, context);
}
