/** Central differences with Richardson extrapolation: exact (to rounding) for polynomials up to degree 4's error terms. */
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  centralGradient,
  centralHessian,
  richardson,
  richardsonGradient,
  richardsonHessian,
} from "../../../src/util/central-differences.ts";

// f(x, y) = x⁴ + x²y + 3y³: ∇f = (4x³ + 2xy, x² + 9y²), ∇²f = [12x² + 2y, 2x; 2x, 18y]
const f = (v: Float64Array): number => v[0] ** 4 + v[0] ** 2 * v[1] + 3 * v[1] ** 3;
const x0 = [0.7, -1.3];
const h = [1e-3, 1e-3];
const grad = [4 * 0.7 ** 3 + 2 * 0.7 * -1.3, 0.49 + 9 * 1.69];
const hess = [12 * 0.49 - 2.6, 1.4, 1.4, 18 * -1.3];

test("Richardson's extrapolation removes the h² error of central differences", () => {
  const g1 = centralGradient(f, x0, h, 1);
  const g = richardsonGradient(f, x0, h);
  for (let i = 0; i < 2; i++) {
    assert.ok(Math.abs(g[i] - grad[i]) < 1e-8, `g${i}: ${g[i]} vs ${grad[i]}`);
    assert.ok(Math.abs(g[i] - grad[i]) <= Math.abs(g1[i] - grad[i]));
  }
  const H = richardsonHessian(f, x0, h);
  for (let i = 0; i < 4; i++) assert.ok(Math.abs(H[i] - hess[i]) < 1e-5, `H${i}: ${H[i]} vs ${hess[i]}`);
  assert.equal(H[1], H[2]);
  assert.deepEqual(Array.from(richardson([1, 2], [2, 2])), [7 / 3, 2]);
  assert.equal(centralHessian(f, x0, h, 0.5).length, 4);
});
