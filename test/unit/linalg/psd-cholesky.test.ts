/** psdCholesky: L·Lᵀ = A for positive (semi)definite A, zero columns for zero variances, and a flag for indefinite A. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { psdCholesky } from "../../../src/linalg/psd-cholesky.ts";

function product(L: Float64Array, S: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < S; i++)
    for (let j = 0; j < S; j++) {
      let s = 0;
      for (let k = 0; k < S; k++) s += L[i * S + k] * L[j * S + k];
      out.push(s);
    }
  return out;
}

test("a positive definite matrix is reproduced", () => {
  const A = [4, 2, 0.6, 2, 5, 1.5, 0.6, 1.5, 3];
  const { L, psd } = psdCholesky(A, 3);
  assert.equal(psd, true);
  for (const [i, v] of product(L, 3).entries())
    assert.ok(Math.abs(v - A[i]) < 1e-14, `${i}: ${v} vs ${A[i]}`);
  assert.equal(L[1], 0); // lower triangular
});

test("a variance at 0 gives a zero column; a rank-one matrix is reproduced", () => {
  const zero = psdCholesky([0, 0, 0, 9], 2);
  assert.equal(zero.psd, true);
  assert.deepEqual(Array.from(zero.L), [0, 0, 0, 3]);
  // perfectly correlated: [1 2; 2 4] = (1, 2)(1, 2)ᵀ
  const one = psdCholesky([1, 2, 2, 4], 2);
  assert.equal(one.psd, true);
  for (const [i, v] of product(one.L, 2).entries()) assert.ok(Math.abs(v - [1, 2, 2, 4][i]) < 1e-14);
});

test("an indefinite matrix is flagged", () => {
  assert.equal(psdCholesky([1, 2, 2, 1], 2).psd, false);
  // a zero variance with a non-zero covariance
  assert.equal(psdCholesky([0, 1, 1, 1], 2).psd, false);
});
