/**
 * A value outside a function's domain is an E_DATA_DOMAIN error naming the expression, the number
 * of rows and the first one (not "missing values", not a silently dropped row); missing values
 * still pass through and are dropped with a warning; scale() and poly() of very large or very
 * small values give the same columns as of moderate ones.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { ColumnTable } from "../../../src/data/column-table.ts";
import type { Column } from "../../../src/data/column.ts";
import { buildDesign } from "../../../src/design/design.ts";
import { FormulaError } from "../../../src/errors.ts";
import { parseFormula } from "../../../src/formula/parse-formula.ts";
import { fitLm } from "../../../src/lm/fit-lm.ts";
import { fitLmm } from "../../../src/lmm/fit-lmm.ts";

const n = 20;
function num(name: string, f: (i: number) => number): Column {
  return { kind: "numeric", name, values: Float64Array.from({ length: n }, (_, i) => f(i)), integer: false };
}
const data = new ColumnTable("d", [
  num("y", (i) => Math.cos(i) * 2 + i),
  num("x", (i) => i - 3), // -3 .. 16: three negative rows, a zero at row 4
  num("c", () => 5),
  num("one", (i) => (i === 0 ? 7 : Number.NaN)),
  num("big", (i) => (i + 1) * 1e200),
  num("tiny", (i) => (i + 1) * 1e-200),
  num("mid", (i) => i + 1),
  num("withNa", (i) => (i === 5 ? Number.NaN : i + 1)),
  num("inf", (i) => (i === 2 ? Number.POSITIVE_INFINITY : i)),
  {
    kind: "factor",
    name: "g",
    codes: Int32Array.from({ length: n }, (_, i) => i % 4),
    levels: ["a", "b", "c", "d"],
    ordered: false,
    contrasts: null,
  },
]);

function domain(formula: string, expr: string, mention: RegExp[]): void {
  for (const fit of [() => fitLmm(`${formula} + (1 | g)`, data), () => fitLm(parseFormula(formula), data)]) {
    assert.throws(fit, (e: unknown) => {
      assert.ok(e instanceof FormulaError, String(e));
      assert.equal(e.code, "E_DATA_DOMAIN", e.message);
      assert.equal(e.formula.slice(e.span[0], e.span[1]), expr, "span");
      assert.doesNotMatch(e.message, /missing values/);
      assert.match(e.message, /mixedmodels refuses/);
      for (const m of mention) assert.match(e.message, m);
      return true;
    });
  }
}

test("log of negative values and of zero", () => {
  domain("y ~ log(x)", "log(x)", [
    /log\(x\) is not defined for values ≤ 0: 4 rows have x ≤ 0/,
    /first: row 1, where x = -3/,
    /R gives NaN there, with a warning, and then drops those rows/,
    /e\.g\. log\(x \+ 10\)/,
  ]);
  domain("y ~ log2(x + 3)", "log2(x + 3)", [
    /1 row has x \+ 3 ≤ 0 \(first: row 1, where x \+ 3 = 0\)/,
    /±Inf/,
  ]);
  domain("log(x - 1) ~ mid", "log(x - 1)", [/5 rows have x - 1 ≤ 0/, /row 1, where x - 1 = -4/]);
  domain("y ~ offset(log10(x)) + mid", "log10(x)", [/4 rows/]);
});

test("sqrt of negative values", () => {
  domain("y ~ sqrt(x)", "sqrt(x)", [/not defined for negative values: 3 rows have x < 0/, /sqrt\(x \+ 10\)/]);
});

test("exp overflowing", () => {
  domain("y ~ exp(x * 100)", "exp(x * 100)", [/overflows/, /9 rows/, /first: row 12, where x \* 100 = 800/]);
});

test("division by zero, bad powers and overflow in arithmetic", () => {
  domain("y ~ I(mid / 0)", "mid / 0", [/divides by the constant 0 in 20 rows/]);
  domain("y ~ I(mid / (x + 3))", "mid / (x + 3)", [/divides by zero in 1 row/, /\(x \+ 3\) = 0/]);
  domain("y ~ I(x^0.5)", "x^0.5", [/negative number to a fractional power in 3 rows/]);
  domain("y ~ I(x^-1)", "x^-1", [/raises 0 to a negative power in 1 row \(first: row 4, where x = 0\)/]);
  domain("y ~ I(big * big)", "big * big", [/overflows/]);
});

test("scale of a constant, or of a single value", () => {
  domain("y ~ scale(c)", "scale(c)", [/c is constant \(every non-missing value is 5\)/]);
  assert.throws(() => fitLm(parseFormula("y ~ scale(one)"), data), {
    code: "E_DATA_DOMAIN",
    message: /single non-missing value/,
  });
});

test("a number too large for a double, and infinite values met inside a function", () => {
  assert.throws(() => fitLm(parseFormula("y ~ I(x * 1e400)"), data), {
    code: "E_FORMULA_BAD_ARGUMENT",
    message: /'1e400' is too large/,
  });
  assert.throws(() => fitLm(parseFormula("y ~ exp(-inf)"), data), {
    code: "E_DATA_NON_FINITE",
    message: /column 'inf' has an infinite value \(row 3\)/,
  });
});

test("missing values are still missing: dropped with a warning, not a domain error", () => {
  const fit = fitLm(parseFormula("y ~ log(withNa)"), data);
  assert.equal(fit.nobs, n - 1);
  assert.deepEqual(
    fit.warnings.map((w) => w.code),
    ["rows_dropped"],
  );
});

test("scale() and poly() of huge and tiny values equal those of moderate values", () => {
  const cols = (f: string) => {
    const d = buildDesign(parseFormula(f), data);
    return Array.from(d.X.subarray(d.n));
  };
  for (const fn of ["scale(@)", "poly(@, 3)"]) {
    const want = cols(`y ~ ${fn.replace("@", "mid")}`);
    for (const v of ["big", "tiny"]) {
      const got = cols(`y ~ ${fn.replace("@", v)}`);
      assert.ok(got.every(Number.isFinite), `${fn} of ${v}`);
      for (let i = 0; i < want.length; i++) assert.ok(Math.abs(got[i] - want[i]) < 1e-12, `${fn} of ${v}`);
    }
  }
});
