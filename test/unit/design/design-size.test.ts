/**
 * Size checks before building matrices: a fixed-effects X or a random-effects block beyond the
 * byte budget is refused with E_DATA_TOO_LARGE (saying the size, the term and what to do) instead
 * of being allocated.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { ColumnTable } from "../../../src/data/column-table.ts";
import { buildDesign } from "../../../src/design/design.ts";
import { formatBytes, planModelMatrix } from "../../../src/design/model-matrix.ts";
import { MixedError } from "../../../src/errors.ts";
import { parseFormula } from "../../../src/formula/parse-formula.ts";
import { fitLmm } from "../../../src/lmm/fit-lmm.ts";
import { rng } from "../../helpers/dense-reference.ts";

function data(n: number, levels: number): ColumnTable {
  const r = rng(2);
  const codes = (k: number) => Int32Array.from({ length: n }, (_, i) => (i < k ? i : Math.floor(r() * k)));
  const factor = (name: string, k: number) => ({
    kind: "factor" as const,
    name,
    codes: codes(k),
    levels: Array.from({ length: k }, (_, l) => `${name}${l}`),
    ordered: false,
    contrasts: null,
  });
  return new ColumnTable("d", [
    { kind: "numeric", name: "y", values: Float64Array.from({ length: n }, () => r()), integer: false },
    factor("g", levels),
    factor("h", 20),
  ]);
}

const tooLarge = (pattern: RegExp) => (e: unknown) =>
  e instanceof MixedError && e.code === "E_DATA_TOO_LARGE" && pattern.test(e.message);

test("a fixed-effects matrix over the budget is refused, naming the term and the size", () => {
  const d = data(2000, 300);
  assert.throws(
    () => buildDesign(parseFormula("y ~ g + (1 | h)"), d, { maxBytes: 1e6 }),
    tooLarge(/fixed-effects model matrix .*MB .*2000 rows × 300 columns.*term 'g' alone has 299 columns/),
  );
  // Within budget it builds.
  assert.equal(buildDesign(parseFormula("y ~ g + (1 | h)"), d, { maxBytes: 1e8 }).p, 300);
});

test("a random-effects term over the budget is refused before its columns are built", () => {
  const d = data(2000, 300);
  assert.throws(
    () => buildDesign(parseFormula("y ~ 1 + (g | h)"), d, { maxBytes: 1e6 }),
    tooLarge(/random-effects matrix of \(g \| h\)/),
  );
});

test("the plan knows p without building X; indicator columns are marked", () => {
  const d = data(50, 10);
  const f = parseFormula("y ~ g");
  const frame = buildDesign(f, d).frame;
  const plan = planModelMatrix(f.fixed, frame.variables, frame.n);
  assert.equal(plan.p, 10);
  assert.equal(plan.columns[0].indicator, undefined);
  assert.deepEqual(
    plan.columns.slice(1).map((c) => c.indicator?.level),
    [1, 2, 3, 4, 5, 6, 7, 8, 9],
  );
  assert.equal(formatBytes(1.6e9), "1.60 GB");
});

test("fitLmm passes its maxBytes to the design", () => {
  const d = data(2000, 300);
  assert.throws(
    () => fitLmm("y ~ g + (1 | h)", d, { maxBytes: 1e6 }),
    tooLarge(/term 'g' alone has 299 columns/),
  );
});
