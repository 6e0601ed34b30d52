/** R's deparse rules for labels; expected strings are R 4.2 output (`deparse()`, `as.character()`). */
import assert from "node:assert/strict";
import { test } from "node:test";
import { deparse, formatNumber, quoteName } from "../../../src/formula/deparse.ts";
import type { VarExpr } from "../../../src/formula/model-formula.ts";

test("numbers print with 15 significant digits, fixed unless scientific is narrower", () => {
  const cases: [number, string][] = [
    [2, "2"],
    [0.1, "0.1"],
    [1.5, "1.5"],
    [100000, "1e+05"],
    [10000, "10000"],
    [0.0001, "1e-04"],
    [0.001, "0.001"],
    [1.5e10, "1.5e+10"],
    [123456789012, "123456789012"],
    [Math.PI, "3.14159265358979"],
    [1 / 3, "0.333333333333333"],
    [1e-20, "1e-20"],
    [1e100, "1e+100"],
    [-2.5, "-2.5"],
    [0, "0"],
    [Number.POSITIVE_INFINITY, "Inf"],
    [Number.NaN, "NaN"],
  ];
  for (const [x, s] of cases) assert.equal(formatNumber(x), s, `formatNumber(${x})`);
});

test("names are back-quoted unless syntactic", () => {
  assert.equal(quoteName("Days"), "Days");
  assert.equal(quoteName("as.numeric"), "as.numeric");
  assert.equal(quoteName(".x"), ".x");
  assert.equal(quoteName("log_x2"), "log_x2");
  assert.equal(quoteName("my col"), "`my col`");
  assert.equal(quoteName("2x"), "`2x`");
  assert.equal(quoteName(".2x"), "`.2x`");
  assert.equal(quoteName("_x"), "`_x`");
  assert.equal(quoteName("TRUE"), "`TRUE`");
  assert.equal(quoteName("if"), "`if`");
});

const sp = [0, 0] as const;
const col = (name: string): VarExpr => ({ kind: "column", name, span: sp });
const num = (value: number): VarExpr => ({ kind: "number", value, span: sp });
const bin = (op: "+" | "-" | "*" | "/" | "^", left: VarExpr, right: VarExpr): VarExpr => ({
  kind: "binary",
  op,
  left,
  right,
  span: sp,
});

test("operators: spaces around + - *, none around / and ^", () => {
  assert.equal(deparse(bin("+", col("x"), num(1))), "x + 1");
  assert.equal(deparse(bin("-", col("x"), num(1))), "x - 1");
  assert.equal(deparse(bin("*", col("x"), num(2))), "x * 2");
  assert.equal(deparse(bin("/", col("x"), num(2))), "x/2");
  assert.equal(deparse(bin("^", col("x"), num(2))), "x^2");
  assert.equal(
    deparse({
      kind: "call",
      fn: "poly",
      args: [col("x"), { kind: "number", value: 2, integer: true, span: sp }],
      span: sp,
    }),
    "poly(x, 2L)",
  );
});

test("trees built without parentheses get the ones R's deparse adds", () => {
  assert.equal(deparse(bin("*", bin("+", col("a"), col("b")), col("c"))), "(a + b) * c");
  assert.equal(deparse(bin("-", col("a"), bin("-", col("b"), col("c")))), "a - (b - c)");
  assert.equal(deparse(bin("^", bin("^", col("a"), num(2)), num(3))), "(a^2)^3");
  assert.equal(deparse(bin("^", col("a"), bin("^", num(2), num(3)))), "a^2^3");
  assert.equal(deparse(bin("^", col("x"), { kind: "unary", op: "-", arg: num(1), span: sp })), "x^-1");
  assert.equal(deparse({ kind: "unary", op: "-", arg: bin("+", col("a"), col("b")), span: sp }), "-(a + b)");
});

test("written parentheses are kept, and not doubled", () => {
  assert.equal(deparse({ kind: "column", name: "x", span: sp, parens: 2 }), "((x))");
  const sum: VarExpr = { kind: "binary", op: "+", left: col("x"), right: num(1), span: sp, parens: 1 };
  assert.equal(deparse(bin("^", sum, num(2))), "(x + 1)^2");
});
