/**
 * Blocked dense Cholesky and triangular solves: reconstruction L·Lᵀ = A, solves, pivot failure,
 * continuation from (start, pending), exact zeros skipped by X·L⁻ᵀ.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  backSolveTransposed,
  choleskyInPlace,
  forwardSolve,
  rightSolveLowerTransposed,
} from "../../../src/linalg/dense-cholesky.ts";
import {
  naiveCholesky,
  rng as uniform,
  sparseSpd,
  timesLowerTransposed,
} from "../../helpers/dense-reference.ts";
import { expectClose } from "../../helpers/expect-close.ts";

function rng(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 16807) % 2147483647;
    return s / 2147483647 - 0.5;
  };
}

function spd(n: number, seed: number): Float64Array {
  const r = rng(seed);
  const k = n + 3;
  const B = Float64Array.from({ length: n * k }, r);
  const A = new Float64Array(n * n);
  for (let j = 0; j < n; j++)
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let x = 0; x < k; x++) s += B[x * n + i] * B[x * n + j];
      A[j * n + i] = s + (i === j ? 0.1 : 0);
    }
  return A;
}

for (const n of [1, 2, 5, 63, 64, 65, 130, 200]) {
  test(`choleskyInPlace reconstructs A (n = ${n})`, () => {
    const A = spd(n, n + 11);
    const L = Float64Array.from(A);
    assert.equal(choleskyInPlace(L, n), -1);
    const LLt = new Float64Array(n * n);
    for (let j = 0; j < n; j++)
      for (let i = j; i < n; i++) {
        let s = 0;
        for (let x = 0; x <= j; x++) s += L[x * n + i] * L[x * n + j];
        LLt[j * n + i] = s;
        LLt[i * n + j] = s;
      }
    expectClose(LLt, A, { atol: 1e-11 * n, label: "L·Lᵀ" });
    // solves: L Lᵀ x = b
    const xTrue = Float64Array.from({ length: n }, (_, i) => Math.sin(i + 1));
    const b = new Float64Array(n);
    for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) b[i] += A[j * n + i] * xTrue[j];
    forwardSolve(L, n, b);
    backSolveTransposed(L, n, b);
    expectClose(b, xTrue, { atol: 1e-7, label: "solve" });
    // X L⁻ᵀ
    const rows = 3;
    const X = Float64Array.from({ length: rows * n }, rng(5));
    const Y = Float64Array.from(X);
    rightSolveLowerTransposed(L, n, Y, rows);
    expectClose(timesLowerTransposed(Y, L, n, rows), X, { atol: 1e-9, label: "X L⁻ᵀ Lᵀ" });
  });
}

test("choleskyInPlace reports the first non-positive pivot", () => {
  const n = 70;
  const A = spd(n, 3);
  // make the leading 68×68 fine and column 68 dependent: A[68,68] tiny negative Schur complement
  for (let i = 0; i < n; i++) {
    A[68 * n + i] = A[67 * n + i];
    A[i * n + 68] = A[i * n + 67];
  }
  A[68 * n + 68] = A[67 * n + 67] - 1e-3;
  assert.equal(choleskyInPlace(A, n), 68);
});

test("choleskyInPlace continues a factorisation from (start, pending)", () => {
  const n = 150;
  const { A } = sparseSpd(n, 600, 20, 3);
  const ref = naiveCholesky(A, n);
  for (const [start, pending] of [
    [1, 0],
    [40, 37],
    [64, 64],
    [149, 100],
  ]) {
    const a = Float64Array.from(A);
    // factor columns [0, start) right-looking; columns in [pending, start) update only (v, start)
    for (let v = 0; v < start; v++) {
      const s = Math.sqrt(a[v * n + v]);
      a[v * n + v] = s;
      for (let i = v + 1; i < n; i++) a[v * n + i] /= s;
      const end = v < pending ? n : start;
      for (let c = v + 1; c < end; c++)
        for (let i = c; i < n; i++) a[c * n + i] -= a[v * n + i] * a[v * n + c];
    }
    assert.equal(choleskyInPlace(a, n, start, pending), -1);
    for (let j = 0; j < n; j++)
      for (let i = j; i < n; i++)
        assert.ok(Math.abs(a[j * n + i] - ref[j * n + i]) < 1e-11, `(${start},${pending}) L[${i},${j}]`);
  }
});

test("rightSolveLowerTransposed skips exact zeros and matches X L⁻ᵀ", () => {
  const n = 97;
  const { A } = sparseSpd(n, 120, 3, 9);
  const L = naiveCholesky(A, n);
  const rows = 5;
  const r = uniform(4);
  const X = Float64Array.from({ length: rows * n }, () => r() - 0.5);
  const Y = Float64Array.from(X);
  rightSolveLowerTransposed(L, n, Y, rows);
  expectClose(timesLowerTransposed(Y, L, n, rows), X, { atol: 1e-12, label: "Y Lᵀ" });
});
