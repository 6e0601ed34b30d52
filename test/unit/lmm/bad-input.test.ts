/**
 * Bad input to a linear mixed model gives a typed error or a clear warning, never a crash or a
 * silent NaN; and formula errors that need the data point at the user's token.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { ColumnTable } from "../../../src/data/column-table.ts";
import type { Column } from "../../../src/data/column.ts";
import { FormulaError, MixedError } from "../../../src/errors.ts";
import { fitLmm } from "../../../src/lmm/fit-lmm.ts";
import { loadBundled } from "../../helpers/load-bundled.ts";

function num(name: string, values: number[]): Column {
  return { kind: "numeric", name, values: Float64Array.from(values), integer: false };
}
function fac(name: string, codes: number[], levels: string[]): Column {
  return { kind: "factor", name, codes: Int32Array.from(codes), levels, ordered: false, contrasts: null };
}

function expectCode(fn: () => unknown, code: string, span?: [number, number]): MixedError {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof MixedError, `expected a MixedError, got ${e}`);
    assert.equal(e.code, code, e.message);
    if (span) {
      assert.ok(e instanceof FormulaError);
      assert.deepEqual(e.span, span);
    }
    return e;
  }
  assert.fail(`expected ${code}`);
}

const sleep = loadBundled("sleepstudy");

test("a grouping factor with one level", () => {
  const n = 10;
  const data = new ColumnTable("one", [
    num(
      "y",
      Array.from({ length: n }, (_, i) => i * 1.3 + (i % 3)),
    ),
    fac("g", new Array(n).fill(0), ["a"]),
  ]);
  const e = expectCode(() => fitLmm("y ~ 1 + (1 | g)", data), "E_SPEC_TOO_FEW_LEVELS");
  assert.match(e.message, /'g' has only 1 level/);
});

test("more random effects than observations", () => {
  const n = 12;
  const data = new ColumnTable("many", [
    num(
      "y",
      Array.from({ length: n }, (_, i) => Math.sin(i) * 3),
    ),
    num(
      "x",
      Array.from({ length: n }, (_, i) => i),
    ),
    fac(
      "g",
      Array.from({ length: n }, (_, i) => i % 6),
      ["a", "b", "c", "d", "e", "f"],
    ),
  ]);
  expectCode(() => fitLmm("y ~ x + (1 + x | g)", data), "E_SPEC_TOO_MANY_RANDOM_EFFECTS");
  const unique = new ColumnTable("unique", [
    num(
      "y",
      Array.from({ length: n }, (_, i) => Math.sin(i) * 3),
    ),
    fac(
      "g",
      Array.from({ length: n }, (_, i) => i),
      Array.from({ length: n }, (_, i) => `l${i}`),
    ),
  ]);
  expectCode(() => fitLmm("y ~ 1 + (1 | g)", unique), "E_SPEC_TOO_MANY_RANDOM_EFFECTS");
});

test("a constant response", () => {
  const data = new ColumnTable("const", [
    num("y", new Array(20).fill(3)),
    fac(
      "g",
      Array.from({ length: 20 }, (_, i) => i % 4),
      ["a", "b", "c", "d"],
    ),
  ]);
  const e = expectCode(() => fitLmm("y ~ 1 + (1 | g)", data), "E_SPEC_CONSTANT_RESPONSE");
  assert.match(e.message, /'y' is constant/);
});

test("a random slope on a variable that does not vary within groups: warning, finite fit", () => {
  const n = 60;
  const g = Array.from({ length: n }, (_, i) => i % 6);
  const data = new ColumnTable("between", [
    num(
      "y",
      Array.from({ length: n }, (_, i) => Math.sin(i * 1.7) * 2 + (i % 6)),
    ),
    num(
      "w",
      g.map((l) => l * 0.5),
    ),
    fac("g", g, ["a", "b", "c", "d", "e", "f"]),
  ]);
  const fit = fitLmm("y ~ w + (1 + w | g)", data);
  assert.ok(fit.warnings.some((x) => x.code === "constant_within_groups" && /'w'/.test(x.message)));
  assert.ok(
    Number.isFinite(fit.objective) && fit.beta.every(Number.isFinite) && fit.se.every(Number.isFinite),
  );
});

test("no random-effects term", () => {
  expectCode(() => fitLmm("Reaction ~ Days", sleep), "E_SPEC_NO_RANDOM_EFFECTS");
});

// Formula errors that need the data: code and span of the offending token.
const formulaCases: [string, string, [number, number]][] = [
  ["Reaction ~ Dayz + (Dayz | Subject)", "E_FORMULA_UNKNOWN_COLUMN", [11, 15]],
  ["Reaction ~ Days + (Days | Subjct)", "E_FORMULA_UNKNOWN_COLUMN", [26, 32]],
  ["Reaction ~ log(Subject) + (1 | Subject)", "E_FORMULA_FACTOR_IN_FUNCTION", [15, 22]],
  ["Reaction ~ I(Subject^2) + (1 | Subject)", "E_FORMULA_FACTOR_IN_FUNCTION", [13, 20]],
  ["Subject ~ Days + (1 | Days)", "E_FORMULA_FACTOR_RESPONSE", [0, 7]],
  ["Reaction ~ Days + (1 | Reaction)", "E_FORMULA_NUMERIC_GROUPING", [23, 31]],
];
for (const [formula, code, span] of formulaCases) {
  test(`formula error ${code}: ${formula}`, () => {
    expectCode(() => fitLmm(formula, sleep), code, span);
  });
}

test("the did-you-mean hint names the closest column", () => {
  const e = expectCode(() => fitLmm("Reaction ~ Dayz + (Dayz | Subject)", sleep), "E_FORMULA_UNKNOWN_COLUMN");
  assert.match(e.message, /column 'Dayz' is not in the data \(did you mean 'Days'\?\)/);
});
