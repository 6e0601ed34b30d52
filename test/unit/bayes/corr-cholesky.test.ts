/**
 * The correlation-Cholesky transform against the density it must imply: for K = 3 and 4, the
 * forward value (log-Jacobian of w → L plus LKJ(η) on L) must equal (η − 1)·log det Ω plus
 * log |det ∂Ω/∂w| (the LKJ density of the correlation matrix Ω = LLᵀ on the K(K−1)/2 free
 * entries, with the Jacobian of w → Ω computed by finite differences) up to a constant; and the
 * rows of L have unit norm.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { corrCholeskyForward } from "../../../src/bayes/corr-cholesky.ts";
import { rng } from "../../helpers/dense-reference.ts";

function omegaEntries(w: Float64Array, K: number): Float64Array {
  const L = new Float64Array(K * K);
  corrCholeskyForward(w, 0, K, 1, L);
  const out: number[] = [];
  for (let i = 1; i < K; i++)
    for (let j = 0; j < i; j++) {
      let s = 0;
      for (let k = 0; k < K; k++) s += L[i * K + k] * L[j * K + k];
      out.push(s);
    }
  return Float64Array.from(out);
}

function logAbsDet(A: number[][]): number {
  const n = A.length;
  const M = A.map((r) => [...r]);
  let ld = 0;
  for (let c = 0; c < n; c++) {
    let piv = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(M[r][c]) > Math.abs(M[piv][c])) piv = r;
    [M[c], M[piv]] = [M[piv], M[c]];
    ld += Math.log(Math.abs(M[c][c]));
    for (let r = c + 1; r < n; r++) {
      const f = M[r][c] / M[c][c];
      for (let k = c; k < n; k++) M[r][k] -= f * M[c][k];
    }
  }
  return ld;
}

function logDetOmega(w: Float64Array, K: number): number {
  const L = new Float64Array(K * K);
  corrCholeskyForward(w, 0, K, 1, L);
  let s = 0;
  for (let i = 0; i < K; i++) s += 2 * Math.log(L[i * K + i]);
  return s;
}

for (const K of [3, 4]) {
  for (const eta of [1, 2.5]) {
    test(`K = ${K}, eta = ${eta}: Jacobian + LKJ on L = LKJ on Omega + log|dOmega/dw| + const`, () => {
      const d = (K * (K - 1)) / 2;
      const u = rng(17 + K);
      const diffs: number[] = [];
      for (let rep = 0; rep < 5; rep++) {
        const w = Float64Array.from({ length: d }, () => 2 * u() - 1);
        const L = new Float64Array(K * K);
        const f = corrCholeskyForward(w, 0, K, eta, L);
        for (let i = 0; i < K; i++) {
          let s = 0;
          for (let k = 0; k <= i; k++) s += L[i * K + k] ** 2;
          assert.ok(Math.abs(s - 1) < 1e-14);
        }
        const J: number[][] = [];
        const h = 1e-6;
        for (let r = 0; r < d; r++) J.push(new Array(d).fill(0));
        for (let c = 0; c < d; c++) {
          const wp = Float64Array.from(w);
          const wm = Float64Array.from(w);
          wp[c] += h;
          wm[c] -= h;
          const op = omegaEntries(wp, K);
          const om = omegaEntries(wm, K);
          for (let r = 0; r < d; r++) J[r][c] = (op[r] - om[r]) / (2 * h);
        }
        diffs.push(f - ((eta - 1) * logDetOmega(w, K) + logAbsDet(J)));
      }
      for (const x of diffs) assert.ok(Math.abs(x - diffs[0]) < 1e-7, `${diffs}`);
    });
  }
}
