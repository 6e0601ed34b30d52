/** Blocked dense Cholesky and triangular solves: reconstruction L·Lᵀ = A, solves, pivot failure. */
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  backSolveTransposed,
  choleskyInPlace,
  forwardSolve,
  rightSolveLowerTransposed,
} from "../../../src/linalg/dense-cholesky.ts";
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
    const back = new Float64Array(rows * n);
    for (let c = 0; c < n; c++)
      for (let s = 0; s <= c; s++)
        for (let r = 0; r < rows; r++) back[c * rows + r] += Y[s * rows + r] * L[s * n + c];
    expectClose(back, X, { atol: 1e-9, label: "X L⁻ᵀ Lᵀ" });
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
