/**
 * Evaluate a formula variable (column, function of columns, I(...) arithmetic, factor(), poly())
 * against a data source, over all rows. Errors point at the user's token.
 *
 * Missing values (NaN) pass through every function, and the model frame drops their rows. A value
 * a function cannot take (log of 0 or of a negative number, sqrt of a negative number, division by
 * zero, overflow, scale() of a constant) is different: R gives NaN or ±Inf with a warning and
 * then drops or refuses the rows; here it is an `E_DATA_DOMAIN` error naming the expression, the
 * number of rows and the first one, so that no row disappears for a reason the user never sees.
 */
import type { Column, DataSource, FactorColumn } from "../data/column.ts";
import { FormulaError } from "../errors.ts";
import { deparse, formatNumber } from "../formula/deparse.ts";
import type { Span, VarExpr, Variable } from "../formula/model-formula.ts";
import { didYouMean } from "../util/did-you-mean.ts";
import { scaleColumn } from "../util/stats.ts";
import type { EvaluatedVariable, FactorVariable } from "./evaluated-variable.ts";
import type { DataTransform, TransformState } from "./data-transforms.ts";
import { orthogonalPolynomial, predictOrthogonalPolynomial } from "./poly.ts";
import { quote, quoteList } from "../util/quote.ts";
import { maxAbsFinite, pow2Exponent, scaleByPow2 } from "../linalg/pow2-scale.ts";

/** One-argument math functions (a `Map`: user names never reach `Object.prototype`). */
const UNARY_MATH: ReadonlyMap<string, (x: number) => number> = new Map([
  ["log", Math.log],
  ["log2", Math.log2],
  ["log10", Math.log10],
  ["exp", Math.exp],
  ["sqrt", Math.sqrt],
  ["abs", Math.abs],
]);

/** What R does with such values, said in every domain error (R's NaN rows would be dropped silently). */
const NAN_NOTE =
  "R gives NaN there, with a warning, and then drops those rows as if they were missing; mixedmodels refuses instead";
const INF_NOTE = "R gives ±Inf there and then stops with 'NA/NaN/Inf in ...'; mixedmodels refuses too";

/** Rows where every input is present (not NaN) but the output is NaN or infinite. */
function badRows(out: Float64Array, inputs: readonly Float64Array[]): { count: number; first: number } {
  let count = 0;
  let first = -1;
  for (let i = 0; i < out.length; i++) {
    if (Number.isFinite(out[i])) continue;
    let present = true;
    for (const a of inputs) if (Number.isNaN(a[i])) present = false;
    if (!present) continue;
    if (first < 0) first = i;
    count++;
  }
  return { count, first };
}

function rowsText(count: number): string {
  return `${count} row${count === 1 ? "" : "s"}`;
}

/** Multiply by 2^-k (exact) so that the largest finite |value| is near 1; NaN stays NaN. */
function powerOfTwoScaled(x: Float64Array): Float64Array {
  const k = pow2Exponent(maxAbsFinite(x));
  if (k === 0) return x;
  const out = x.slice();
  scaleByPow2(out, -k);
  return out;
}

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
    readonly state: TransformState | undefined,
  ) {}

  /** The fitted data's transform of call `e` when replaying (new data), else null. */
  private replayed(e: VarExpr, kind: DataTransform["kind"]): DataTransform | null {
    if (this.state?.mode !== "replay") return null;
    const t = this.state.transforms.get(deparse(e));
    if (!t || t.kind !== kind) {
      throw new FormulaError(
        "E_SPEC_UNSUPPORTED",
        `${deparse(e)} depends on the fitted data, whose transformation was not recorded`,
        this.formula,
        e.span,
        "refit the model with this version of mixedmodels",
      );
    }
    return t;
  }

  private record(e: VarExpr, t: DataTransform): void {
    if (this.state?.mode === "record")
      (this.state.transforms as Map<string, DataTransform>).set(deparse(e), t);
  }

  /** `value` is the offending result: NaN or ±Inf decide what R would have done, or a note of its own. */
  private domainError(e: VarExpr, msg: string, value: number | string, hint: string): FormulaError {
    const note = typeof value === "string" ? value : Number.isNaN(value) ? NAN_NOTE : INF_NOTE;
    return new FormulaError("E_DATA_DOMAIN", `${msg} (${note})`, this.formula, e.span, hint);
  }

  /** A numeric column, refusing factors and infinite values. */
  private numericColumn(e: Extract<VarExpr, { kind: "column" }>, context: string): Float64Array {
    const col = requireColumn(this.data, e.name, this.formula, e.span);
    if (col.kind === "factor") {
      throw new FormulaError(
        "E_FORMULA_FACTOR_IN_FUNCTION",
        `column ${quote(e.name)} is a factor and cannot be used inside ${context}`,
        this.formula,
        e.span,
        "use a numeric column, or as.numeric(...) if you really want the level codes",
      );
    }
    const v = col.values;
    for (let i = 0; i < v.length; i++) {
      if (v[i] === Number.POSITIVE_INFINITY || v[i] === Number.NEGATIVE_INFINITY) {
        throw new FormulaError(
          "E_DATA_NON_FINITE",
          `column ${quote(e.name)} has an infinite value (row ${i + 1})`,
          this.formula,
          e.span,
          "remove or recode infinite values before fitting",
        );
      }
    }
    return v;
  }

  /** A numeric vector, refusing factors (which cannot enter arithmetic or math functions). */
  numeric(e: VarExpr, context: string): Float64Array {
    const n = this.data.nrow;
    switch (e.kind) {
      case "number":
        if (!Number.isFinite(e.value)) {
          throw new FormulaError(
            "E_FORMULA_BAD_ARGUMENT",
            `the number '${this.formula.slice(e.span[0], e.span[1])}' is too large for a double (at most 1.8e308)`,
            this.formula,
            e.span,
            "write a smaller number",
          );
        }
        return new Float64Array(n).fill(e.value);
      case "column":
        return this.numericColumn(e, context);
      case "unary": {
        const a = this.numeric(e.arg, context);
        return e.op === "-" ? a.map((v) => -v) : a;
      }
      case "binary": {
        const a = this.numeric(e.left, context);
        const b = this.numeric(e.right, context);
        const out = new Float64Array(n);
        for (let i = 0; i < n; i++) out[i] = arith(e.op, a[i], b[i]);
        this.checkArith(e, a, b, out);
        return out;
      }
      case "call":
        return this.numericCall(e, context);
    }
  }

  /** Finite operands whose result is NaN or ±Inf: division by zero, a bad power, or overflow. */
  private checkArith(
    e: Extract<VarExpr, { kind: "binary" }>,
    a: Float64Array,
    b: Float64Array,
    out: Float64Array,
  ): void {
    const bad = badRows(out, [a, b]);
    if (bad.count === 0) return;
    const i = bad.first;
    const [l, r] = [deparse(e.left), deparse(e.right)];
    const value = (side: VarExpr, name: string, v: number) =>
      isConstant(side) ? [] : [`${name} = ${formatNumber(v)}`];
    const values = [...value(e.left, l, a[i]), ...value(e.right, r, b[i])];
    const at = `(first: row ${i + 1}${values.length > 0 ? `, where ${values.join(" and ")}` : ""})`;
    const what = deparse(e);
    const fail = (msg: string, hint: string): never => {
      throw this.domainError(e, `${what} ${msg} in ${rowsText(bad.count)} ${at}`, out[i], hint);
    };
    if (e.op === "/" && b[i] === 0) {
      if (isConstant(e.right)) fail("divides by the constant 0", "remove the division by 0");
      fail("divides by zero", `make sure ${r} is never 0, or remove those rows from the data first`);
    }
    if (e.op === "^" && a[i] < 0 && !Number.isInteger(b[i])) {
      fail(
        "raises a negative number to a fractional power",
        `shift ${l} so that it is positive, or use a whole-number power`,
      );
    }
    if (e.op === "^" && a[i] === 0 && b[i] < 0) {
      fail(
        "raises 0 to a negative power",
        `shift ${l} so that it is never 0, or remove those rows from the data first`,
      );
    }
    fail(
      "overflows (its magnitude exceeds 1.8e308)",
      "rescale the variables (e.g. divide by a power of ten) before combining them",
    );
  }

  private numericCall(e: Extract<VarExpr, { kind: "call" }>, context: string): Float64Array {
    const f = UNARY_MATH.get(e.fn);
    if (f) {
      const a = this.numeric(e.args[0], `${e.fn}()`);
      const out = a.map(f);
      this.checkMath(e, a, out);
      return out;
    }
    switch (e.fn) {
      case "I":
      case "offset":
        return this.numeric(e.args[0], `${e.fn}()`);
      case "scale":
        return this.scale(e);
      case "as.numeric": {
        const arg = e.args[0];
        if (arg.kind === "column") {
          const col = requireColumn(this.data, arg.name, this.formula, arg.span);
          if (col.kind === "factor") return Float64Array.from(col.codes, (c) => (c < 0 ? Number.NaN : c + 1));
          return this.numericColumn(arg, "as.numeric()");
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

  /** log of a value ≤ 0, sqrt of a negative value, exp overflowing. */
  private checkMath(e: Extract<VarExpr, { kind: "call" }>, a: Float64Array, out: Float64Array): void {
    const bad = badRows(out, [a]);
    if (bad.count === 0) return;
    const argExpr = e.args[0];
    const arg = deparse(argExpr);
    const what = deparse(e);
    const i = bad.first;
    let min = Number.POSITIVE_INFINITY;
    for (const v of a) if (v < min) min = v;
    const at = `(first: row ${i + 1}, where ${arg} = ${formatNumber(a[i])})`;
    const have = `${rowsText(bad.count)} ${bad.count === 1 ? "has" : "have"}`;
    const column = argExpr.kind === "column";
    if (e.fn === "exp") {
      throw this.domainError(
        e,
        `${what} overflows (exceeds 1.8e308) in ${rowsText(bad.count)} ${at}`,
        out[i],
        column
          ? `rescale the variable, e.g. exp(${arg} / 100), or use ${arg} itself`
          : "rescale the variable, or use it without exp()",
      );
    }
    const strict = e.fn !== "sqrt";
    const shift = column ? `, e.g. ${e.fn}(${arg} + ${shiftFor(min, strict)})` : "";
    throw this.domainError(
      e,
      strict
        ? `${what} is not defined for values ≤ 0: ${have} ${arg} ≤ 0 ${at}`
        : `${what} is not defined for negative values: ${have} ${arg} < 0 ${at}`,
      out[i],
      `shift the variable so that every value is ${strict ? "positive" : "zero or more"}${shift}, or remove those rows from the data first`,
    );
  }

  /** R's scale(): centred, divided by the standard deviation; refuses a constant variable. */
  private scale(e: Extract<VarExpr, { kind: "call" }>): Float64Array {
    const a = this.numeric(e.args[0], "scale()");
    const old = this.replayed(e, "scale");
    if (old?.kind === "scale") {
      // the fitted data's centre and scale (R's makepredictcall), in the same power-of-two units
      const x = a.slice();
      scaleByPow2(x, -old.pow2);
      for (let i = 0; i < x.length; i++) x[i] = (x[i] - old.center) / old.scale;
      return x;
    }
    // Scaling by a power of two first changes no bit of the result, but keeps the sum of
    // squares from overflowing (values near 1e200) or underflowing (values near 1e-200).
    const pow2 = pow2Exponent(maxAbsFinite(a));
    const s = scaleColumn(powerOfTwoScaled(a));
    let present = 0;
    for (const v of a) if (!Number.isNaN(v)) present++;
    if (present > 0 && !(s.scale > 0 && Number.isFinite(s.scale))) {
      const arg = deparse(e.args[0]);
      const value = a.find((v) => !Number.isNaN(v))!;
      throw this.domainError(
        e,
        present === 1
          ? `${deparse(e)} is not defined: ${arg} has a single non-missing value, so it has no standard deviation`
          : `${deparse(e)} is not defined: ${arg} is constant (every non-missing value is ${formatNumber(value)}), so its standard deviation is 0`,
        "R gives NaN in every row and then finds no complete rows; mixedmodels refuses with the reason",
        "a constant variable carries no information beyond the intercept; remove the term",
      );
    }
    this.record(e, { kind: "scale", pow2, center: s.center, scale: s.scale });
    return s.values;
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
    if (e.kind === "call" && e.fn === "poly") return this.poly(v, e);
    return { kind: "numeric", label: v.label, values: this.numeric(e, v.label) };
  }

  private poly(v: Variable, e: Extract<VarExpr, { kind: "call" }>): EvaluatedVariable {
    const x = this.numeric(e.args[0], "poly()");
    const degreeArg = e.args[1];
    const degree = degreeArg && degreeArg.kind === "number" ? degreeArg.value : 1;
    const n = x.length;
    const colnames = Array.from({ length: degree }, (_, j) => String(j + 1));
    const old = this.replayed(e, "poly");
    if (old?.kind === "poly") {
      // the fitted data's recurrence coefficients (R's predict(poly(x, d), newx)); NaN stays NaN
      const xs = x.slice();
      scaleByPow2(xs, -old.pow2);
      const values = predictOrthogonalPolynomial(xs, old.coefs);
      return { kind: "matrix", label: v.label, ncol: degree, values, colnames };
    }
    const rows: number[] = [];
    for (let i = 0; i < n; i++) if (!Number.isNaN(x[i])) rows.push(i);
    // Orthogonal polynomials do not change when x is multiplied by a power of two (not a bit of
    // them), and the scaled x keeps the sums of powers from overflowing or underflowing.
    const present = Float64Array.from(rows, (i) => x[i]);
    const pow2 = pow2Exponent(maxAbsFinite(present));
    const xs = powerOfTwoScaled(present);
    const distinct = new Set(xs).size;
    if (degree >= distinct) {
      throw new FormulaError(
        "E_FORMULA_BAD_ARGUMENT",
        `'degree' ${degree} must be less than the number of unique points (${distinct}) in ${v.label}`,
        this.formula,
        e.span,
        distinct <= 1
          ? `${deparse(e.args[0])} is constant; remove the term`
          : `use a degree of at most ${distinct - 1}`,
      );
    }
    const p = orthogonalPolynomial(xs, degree);
    if (!p.values.every(Number.isFinite)) {
      throw this.domainError(
        e,
        `${v.label} cannot be computed: the values of ${deparse(e.args[0])} span too wide a range for polynomials of degree ${degree}`,
        Number.POSITIVE_INFINITY,
        "transform the variable first (e.g. log), or lower the degree",
      );
    }
    const values = new Float64Array(n * degree).fill(Number.NaN);
    for (let j = 0; j < degree; j++)
      rows.forEach((r, k) => {
        values[j * n + r] = p.values[j * xs.length + k];
      });
    this.record(e, { kind: "poly", pow2, coefs: p.coefs });
    return { kind: "matrix", label: v.label, ncol: degree, values, colnames };
  }
}

/** An expression without columns (a number, -1, 2^3). */
function isConstant(e: VarExpr): boolean {
  switch (e.kind) {
    case "number":
      return true;
    case "column":
      return false;
    case "unary":
      return isConstant(e.arg);
    case "binary":
      return isConstant(e.left) && isConstant(e.right);
    case "call":
      return e.args.every(isConstant);
  }
}

/** A round shift c (1, 10, 100, …) with x + c > 0 (or ≥ 0) for every x ≥ min, for hints. */
function shiftFor(min: number, strict: boolean): string {
  const need = -min;
  if (!(need > 0)) return "1";
  let c = 1;
  while (c < need || (strict && c === need)) c *= 10;
  return formatNumber(c);
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

/**
 * Evaluate one formula variable over all rows of `data`. With a `state`, the data-dependent calls
 * (`scale`, `poly`) record what they learned from the data, or replay the fitted data's.
 */
export function evaluateVariable(
  v: Variable,
  data: DataSource,
  formula: string,
  state?: TransformState,
): EvaluatedVariable {
  return new Evaluator(data, formula, state).variable(v);
}

/** Evaluate a numeric expression (response, offset) over all rows of `data`. */
export function evaluateNumeric(
  e: VarExpr,
  data: DataSource,
  formula: string,
  context: string,
  state?: TransformState,
): Float64Array {
  return new Evaluator(data, formula, state).numeric(e, context);
}
