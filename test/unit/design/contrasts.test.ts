/** Contrast matrices against R 4.2.2 (fixtures from scripts/fixtures/numerics.R). */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { ContrastName } from "../../../src/data/column.ts";
import { contrastMatrix, polyContrastNames } from "../../../src/design/contrasts.ts";
import { assertClose, loadNumerics } from "../linalg/numerics-fixture.ts";

interface ContrastCase {
  kind: ContrastName;
  levels: string[];
  nrow: number;
  ncol: number;
  colnames: string[];
  matrix: number[];
}
const { cases } = loadNumerics<{ cases: ContrastCase[] }>("contrasts");

for (const c of cases) {
  test(`${c.kind}(${c.levels.length}) matches R`, () => {
    const m = contrastMatrix(c.kind, c.levels);
    assert.equal(m.nrow, c.nrow);
    assert.equal(m.ncol, c.ncol);
    // R leaves contr.sum/contr.helmert unnamed; model.matrix then numbers the columns 1..k-1.
    const expectedNames = c.colnames.length
      ? c.colnames
      : Array.from({ length: c.ncol }, (_, j) => String(j + 1));
    assert.deepEqual(m.colnames, expectedNames);
    // R's own contr.poly(12) is off by up to 3.3e-14 (checked against exact rational arithmetic;
    // ours is within 1.7e-16 there), hence the looser bound for large k.
    if (c.kind === "contr.poly")
      assertClose(m.matrix, c.matrix, { rtol: 0, atol: c.nrow <= 6 ? 1e-15 : 5e-14 });
    else assert.deepEqual(Array.from(m.matrix), c.matrix);
  });
}

test("contr.poly(6) (cake temperature): R's values and orthonormal columns", () => {
  const m = contrastMatrix("contr.poly", ["175", "185", "195", "205", "215", "225"]);
  assert.deepEqual(m.colnames, [".L", ".Q", ".C", "^4", "^5"]);
  // closed forms: linear = (2i − 7)/√70, quadratic = (5, −1, −4, −4, −1, 5)/√84
  for (let i = 0; i < 6; i++) {
    assertClose(m.matrix[i], (2 * (i + 1) - 7) / Math.sqrt(70), { rtol: 0, atol: 1e-15 });
    assertClose(m.matrix[6 + i], [5, -1, -4, -4, -1, 5][i] / Math.sqrt(84), { rtol: 0, atol: 1e-15 });
  }
  for (let a = 0; a < 5; a++) {
    for (let b = 0; b < 5; b++) {
      let s = 0;
      for (let i = 0; i < 6; i++) s += m.matrix[a * 6 + i] * m.matrix[b * 6 + i];
      assertClose(s, a === b ? 1 : 0, { rtol: 0, atol: 1e-15, label: `<${a}, ${b}>` });
    }
  }
});

test("polynomial contrast names and one-level factors", () => {
  assert.deepEqual(polyContrastNames(6), [".L", ".Q", ".C", "^4", "^5", "^6"]);
  assert.throws(() => contrastMatrix("contr.treatment", ["only"]), { code: "E_DATA_ONE_LEVEL" });
});
