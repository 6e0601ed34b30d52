/** R's poly(x, degree) and predict(poly) against R 4.2.2 (fixtures from scripts/fixtures/numerics.R). */
import assert from "node:assert/strict";
import { test } from "node:test";
import { orthogonalPolynomial, predictOrthogonalPolynomial } from "../../../src/design/poly.ts";
import { assertClose, loadNumerics } from "../linalg/numerics-fixture.ts";

interface PolyCase {
  name: string;
  x: number[];
  degree: number;
  values: number[];
  colnames: string[];
  alpha: number[];
  norm2: number[];
  newx: number[];
  predicted: number[];
}
const { cases } = loadNumerics<{ cases: PolyCase[] }>("poly");

for (const c of cases) {
  test(`poly ${c.name} matches R (values, coefs, predict)`, () => {
    const p = orthogonalPolynomial(c.x, c.degree);
    assert.equal(p.degree, c.degree);
    assert.deepEqual(p.colnames, c.colnames);
    assertClose(p.values, c.values, { rtol: 0, atol: 1e-14, label: "values" });
    assertClose(p.coefs.alpha, c.alpha, { rtol: 1e-13, label: "alpha" });
    assertClose(p.coefs.norm2, c.norm2, { rtol: 1e-12, label: "norm2" });
    assertClose(predictOrthogonalPolynomial(c.newx, p.coefs), c.predicted, {
      rtol: 1e-12,
      atol: 1e-13,
      label: "predict",
    });
    // predicting at the original x gives the original columns back
    assertClose(predictOrthogonalPolynomial(c.x, p.coefs), p.values, { rtol: 0, atol: 1e-12, label: "self" });
  });
}

test("poly: columns are orthonormal and orthogonal to the constant", () => {
  const x = Array.from({ length: 50 }, (_, i) => Math.exp(i / 10));
  const p = orthogonalPolynomial(x, 5);
  const n = x.length;
  for (let a = 0; a < 5; a++) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += p.values[a * n + i];
    assertClose(sum, 0, { rtol: 0, atol: 1e-13, label: `sum ${a}` });
    for (let b = 0; b <= a; b++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += p.values[a * n + i] * p.values[b * n + i];
      assertClose(s, a === b ? 1 : 0, { rtol: 0, atol: 1e-13, label: `<${a}, ${b}>` });
    }
  }
});

test("poly: degree must be positive and below the number of distinct points", () => {
  assert.throws(() => orthogonalPolynomial([1, 2, 2, 3], 3), { code: "E_OPTION_INVALID" });
  assert.throws(() => orthogonalPolynomial([1, 2, 3], 0), { code: "E_OPTION_INVALID" });
});
