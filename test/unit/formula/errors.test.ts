/**
 * Malformed or invalid formulas: each must throw a FormulaError with the expected code and the
 * span of the offending token. A span is written as the offending text (its first occurrence, or
 * [text, n] for the n-th, 0-based) or as explicit [start, end) numbers.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { type ErrorCode, FormulaError } from "../../../src/errors.ts";
import { parseFormula } from "../../../src/formula/parse-formula.ts";

type Where = string | [string, number] | [number, number];
type Case = [formula: string, code: ErrorCode, where: Where];

const cases: Case[] = [
  // parentheses and quotes
  ["y ~ (x + z", "E_FORMULA_UNBALANCED", "("],
  ["y ~ x + z)", "E_FORMULA_UNBALANCED", ")"],
  ["y ~ log(x", "E_FORMULA_UNBALANCED", "("],
  ["y ~ ((1 | g)", "E_FORMULA_UNBALANCED", "("],
  ["y ~ (x + (1 | g)) + z)", "E_FORMULA_UNBALANCED", [")", 2]],
  ["y ~ `my col", "E_FORMULA_UNBALANCED", "`my col"],
  ["y ~ ``", "E_FORMULA_SYNTAX", "``"],
  ["y ~ ()", "E_FORMULA_UNEXPECTED_TOKEN", "()"],
  // the tilde
  ["y + x", "E_FORMULA_NO_TILDE", [0, 5]],
  ["", "E_FORMULA_SYNTAX", [0, 0]],
  ["y ~ x ~ z", "E_FORMULA_SYNTAX", ["~", 1]],
  ["y ~ ~ x", "E_FORMULA_SYNTAX", ["~", 1]],
  ["~ x", "E_FORMULA_NO_RESPONSE", "~"],
  ["y ~", "E_FORMULA_EMPTY_RHS", "~"],
  ["y ~   ", "E_FORMULA_EMPTY_RHS", "~"],
  ["y ~ (a ~ b)", "E_FORMULA_UNEXPECTED_TOKEN", ["~", 1]],
  // operators and operands
  ["y ~ +", "E_FORMULA_UNEXPECTED_END", "+"],
  ["y ~ x +", "E_FORMULA_UNEXPECTED_END", "+"],
  ["y ~ x + * z", "E_FORMULA_UNEXPECTED_TOKEN", "*"],
  ["y ~ (x + ) + z", "E_FORMULA_UNEXPECTED_TOKEN", "+"],
  ["y ~ x z", "E_FORMULA_UNEXPECTED_TOKEN", "z"],
  ["y ~ 2x", "E_FORMULA_UNEXPECTED_TOKEN", "x"],
  ["y ~ x, z", "E_FORMULA_UNEXPECTED_TOKEN", ","],
  ["y ~ poly(x,, 2)", "E_FORMULA_UNEXPECTED_TOKEN", [",", 1]],
  ["y ~ poly(x, )", "E_FORMULA_UNEXPECTED_TOKEN", ","],
  ["y ~ log(x)(z)", "E_FORMULA_UNEXPECTED_TOKEN", ["(", 1]],
  ["y ~ x $ z", "E_FORMULA_SYNTAX", "$"],
  ["y ~ x == z", "E_FORMULA_SYNTAX", "="],
  ['y ~ "x"', "E_FORMULA_SYNTAX", '"'],
  ["y ~ _x", "E_FORMULA_SYNTAX", "_"],
  ["y ~ x %o% z", "E_FORMULA_SYNTAX", "%o%"],
  ["y ~ .", "E_FORMULA_SYNTAX", "."],
  ["y ~ TRUE", "E_FORMULA_SYNTAX", "TRUE"],
  // numbers as terms
  ["y ~ 2", "E_FORMULA_SYNTAX", "2"],
  ["y ~ x + 2.5", "E_FORMULA_SYNTAX", "2.5"],
  ["y ~ x*1", "E_FORMULA_SYNTAX", "1"],
  ["y ~ -a:b", "E_FORMULA_SYNTAX", "-"],
  // powers
  ["y ~ (a + b)^x", "E_FORMULA_BAD_POWER", ["x", 0]],
  ["y ~ (a + b)^1.5", "E_FORMULA_BAD_POWER", "1.5"],
  ["y ~ (a+b)^1", "E_FORMULA_BAD_POWER", "1"],
  ["y ~ (a+b)^-2", "E_FORMULA_BAD_POWER", "-2"],
  ["y ~ (a+b+c+d+e+f+g+h+i+j+k+l+m)^13", "E_FORMULA_SYNTAX", "(a+b+c+d+e+f+g+h+i+j+k+l+m)^13"],
  // random terms
  ["y ~ ( | g)", "E_FORMULA_EMPTY_RANDOM_TERM", "|"],
  ["y ~ (x | )", "E_FORMULA_EMPTY_RANDOM_TERM", "|"],
  ["y ~ (x || )", "E_FORMULA_EMPTY_RANDOM_TERM", "||"],
  ["y ~ (|| g)", "E_FORMULA_EMPTY_RANDOM_TERM", "||"],
  ["y ~ (0 | g)", "E_FORMULA_EMPTY_RANDOM_TERM", "0"],
  ["y ~ (-1 || g)", "E_FORMULA_EMPTY_RANDOM_TERM", "-1"],
  ["y ~ x | g", "E_FORMULA_BAR_OUTSIDE_PARENS", "|"],
  ["y ~ x + 1 | g", "E_FORMULA_BAR_OUTSIDE_PARENS", "|"],
  ["y ~ x + (1 | g) || h", "E_FORMULA_BAR_OUTSIDE_PARENS", "||"],
  ["y ~ (1 | g1 | g2)", "E_FORMULA_NESTED_BAR", ["|", 1]],
  ["y ~ (1 | g1 || g2)", "E_FORMULA_NESTED_BAR", "||"],
  ["y ~ (1 | (x | g))", "E_FORMULA_NESTED_BAR", ["|", 1]],
  ["y ~ ((1 | g) | h)", "E_FORMULA_NESTED_BAR", ["|", 1]],
  ["y ~ (x + (1 | g) | h)", "E_FORMULA_NESTED_BAR", ["|", 1]],
  ["y ~ x * (1 | g)", "E_FORMULA_SYNTAX", "|"],
  ["y ~ x - (1 | g)", "E_FORMULA_SYNTAX", "|"],
  ["y ~ (1 | g + h)", "E_FORMULA_BAD_GROUPING", "+"],
  ["y ~ (1 | log(g))", "E_FORMULA_BAD_GROUPING", "log(g)"],
  ["y ~ (1 | (g))", "E_FORMULA_BAD_GROUPING", "(g)"],
  ["y ~ (1 | 2)", "E_FORMULA_BAD_GROUPING", "2"],
  ["y ~ (1 | g) + (1 | g)", "E_FORMULA_DUPLICATE_TERM", ["(1 | g)", 1]],
  ["y ~ (1 + x || g) + (1 | g)", "E_FORMULA_DUPLICATE_TERM", "(1 | g)"],
  ["y ~ (1 | a/b) + (1 | a)", "E_FORMULA_DUPLICATE_TERM", "(1 | a)"],
  ["(1 | g) ~ x", "E_FORMULA_RANDOM_IN_RESPONSE", "|"],
  ["y | g ~ x", "E_FORMULA_RANDOM_IN_RESPONSE", "|"],
  // functions
  ["y ~ lg(x)", "E_FORMULA_UNKNOWN_FUNCTION", "lg"],
  ["y ~ x + sin(z)", "E_FORMULA_UNKNOWN_FUNCTION", "sin"],
  ["y ~ (1 + Log(x) | g)", "E_FORMULA_UNKNOWN_FUNCTION", "Log"],
  ["y ~ I(lgo(x)^2)", "E_FORMULA_UNKNOWN_FUNCTION", "lgo"],
  ["y ~ poly(x)", "E_FORMULA_BAD_ARGUMENT", "poly(x)"],
  ["y ~ poly(x, 0)", "E_FORMULA_BAD_ARGUMENT", "0"],
  ["y ~ poly(x, 1.5)", "E_FORMULA_BAD_ARGUMENT", "1.5"],
  ["y ~ poly(x, k)", "E_FORMULA_BAD_ARGUMENT", "k"],
  ["y ~ log(x, 2)", "E_FORMULA_BAD_ARGUMENT", "2"],
  ["y ~ log()", "E_FORMULA_BAD_ARGUMENT", "log()"],
  ["cbind(a) ~ x", "E_FORMULA_BAD_ARGUMENT", "cbind(a)"],
  ["cbind(a, b, c) ~ x", "E_FORMULA_BAD_ARGUMENT", ["c", 1]],
  ["y ~ cbind(a, b)", "E_FORMULA_MISPLACED_FUNCTION", "cbind"],
  ["log(cbind(a, b)) ~ x", "E_FORMULA_MISPLACED_FUNCTION", "cbind"],
  ["y ~ (offset(x) | g)", "E_FORMULA_MISPLACED_FUNCTION", "offset"],
  ["y ~ x + offset(z):w", "E_FORMULA_MISPLACED_FUNCTION", "offset"],
  ["offset(y) ~ x", "E_FORMULA_MISPLACED_FUNCTION", "offset"],
  ["y ~ I(factor(x))", "E_FORMULA_MISPLACED_FUNCTION", "factor"],
  ["y ~ log(poly(x, 2))", "E_FORMULA_MISPLACED_FUNCTION", "poly"],
  ["y ~ I(a:b)", "E_FORMULA_UNEXPECTED_TOKEN", ":"],
  ["y ~ log(x | g)", "E_FORMULA_UNEXPECTED_TOKEN", "|"],
  ["a:b ~ x", "E_FORMULA_UNEXPECTED_TOKEN", ":"],
  // the response among the terms
  ["y ~ y + x", "E_FORMULA_SYNTAX", ["y", 1]],
];

function expectedSpan(text: string, where: Where): [number, number] {
  if (typeof where === "string") where = [where, 0];
  if (typeof where[0] === "number") return where as [number, number];
  const [sub, nth] = where as [string, number];
  let i = -1;
  for (let k = 0; k <= nth; k++) {
    i = text.indexOf(sub, i + 1);
    if (i < 0) throw new Error(`test bug: '${sub}' #${nth} not in '${text}'`);
  }
  return [i, i + sub.length];
}

test("there are at least 40 invalid formulas", () => {
  assert.ok(cases.length >= 40, `${cases.length} cases`);
});

for (const [text, code, where] of cases) {
  test(`${JSON.stringify(text)} fails with ${code}`, () => {
    const span = expectedSpan(text, where);
    let caught: unknown;
    try {
      parseFormula(text);
    } catch (e) {
      caught = e;
    }
    assert.ok(caught instanceof FormulaError, `expected a FormulaError, got ${String(caught)}`);
    assert.equal(caught.code, code, caught.message);
    assert.deepEqual(
      caught.span,
      span,
      `span of ${JSON.stringify(text.slice(span[0], span[1]))}: ${caught.message}`,
    );
    assert.equal(caught.formula, text);
    assert.ok(caught.message.length > 10);
  });
}

test("the caret points at the offending token", () => {
  try {
    parseFormula("Reaction ~ Days + lg(Days) + (Days | Subject)");
    assert.fail("no error");
  } catch (e) {
    assert.ok(e instanceof FormulaError);
    assert.match(e.message, /unknown function 'lg' \(did you mean 'log'\?\)/);
    assert.equal(e.caret(""), "Reaction ~ Days + lg(Days) + (Days | Subject)\n                  ^^");
  }
});

test("accepted although unusual: what R accepts stays accepted", () => {
  for (const text of [
    "y ~ x + x",
    "y ~ x + 1 + 0",
    "y ~ 0",
    "y ~ x^2",
    "y ~ (1 || g)",
    "y ~ x - z",
    "y ~ ((x))",
  ]) {
    assert.doesNotThrow(() => parseFormula(text), text);
  }
});
