import assert from "node:assert/strict";
import { test } from "node:test";
import { deparseFormula } from "../../../src/formula/deparse-formula.ts";

// Expected strings are R 4.2's deparse() of the same formulas.
const cases: [string, string][] = [
  ["Yield~1+(1|Batch)", "Yield ~ 1 + (1 | Batch)"],
  ["Reaction ~ 1 + Days + (1 + Days || Subject)", "Reaction ~ 1 + Days + (1 + Days || Subject)"],
  ["strength ~ 1 + (1|batch/cask)", "strength ~ 1 + (1 | batch/cask)"],
  [
    "angle ~ recipe*temperature + (1|recipe:replicate)",
    "angle ~ recipe * temperature + (1 | recipe:replicate)",
  ],
  ["y ~ log(x)+I(x^2)+poly(x,2) - 1", "y ~ log(x) + I(x^2) + poly(x, 2) - 1"],
  ["cbind(a,b-a) ~ p + (1|h)", "cbind(a, b - a) ~ p + (1 | h)"],
  ["y ~ (a+b+c)^2 + a %in% b", "y ~ (a + b + c)^2 + a %in% b"],
  ["y ~ `my col` + x", "y ~ `my col` + x"],
];
for (const [input, expected] of cases) {
  test(`deparseFormula(${input})`, () => assert.equal(deparseFormula(input), expected));
}
