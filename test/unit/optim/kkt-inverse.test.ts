import assert from "node:assert/strict";
import { test } from "node:test";
import { invertKkt, updateKkt } from "../../../src/optim/kkt-inverse.ts";

/** Deterministic pseudo-random numbers in [-1, 1) (LCG, seed fixed). */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 31 - 1;
  };
}

function kkt(xpt: Float64Array, m: number, n: number): Float64Array {
  const N = m + n + 1;
  const w = new Float64Array(N * N);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < m; j++) {
      let d = 0;
      for (let p = 0; p < n; p++) d += xpt[i * n + p] * xpt[j * n + p];
      w[i * N + j] = 0.5 * d * d;
    }
    w[i * N + m] = w[m * N + i] = 1;
    for (let p = 0; p < n; p++) w[i * N + m + 1 + p] = w[(m + 1 + p) * N + i] = xpt[i * n + p];
  }
  return w;
}

function maxIdentityError(w: Float64Array, h: Float64Array, N: number): number {
  let err = 0;
  for (let i = 0; i < N; i++) {
    for (let j = 0; j < N; j++) {
      let s = 0;
      for (let k = 0; k < N; k++) s += w[i * N + k] * h[k * N + j];
      err = Math.max(err, Math.abs(s - (i === j ? 1 : 0)));
    }
  }
  return err;
}

test("invertKkt gives W⁻¹ for random points (n = 3, m = 7)", () => {
  const n = 3;
  const m = 7;
  const N = m + n + 1;
  const rnd = lcg(42);
  const xpt = Float64Array.from({ length: m * n }, () => 0.3 * rnd());
  const h = new Float64Array(N * N);
  assert.equal(invertKkt(xpt, m, n, h, new Float64Array(N * N)), true);
  assert.ok(maxIdentityError(kkt(xpt, m, n), h, N) < 1e-9);
});

test("updateKkt (Powell's formula) matches a direct inversion after replacing a point", () => {
  const n = 4;
  const m = 9;
  const N = m + n + 1;
  const rnd = lcg(7);
  const xpt = Float64Array.from({ length: m * n }, () => rnd());
  const h = new Float64Array(N * N);
  const work = new Float64Array(N * N);
  assert.ok(invertKkt(xpt, m, n, h, work));
  for (const t of [0, 4, 8]) {
    const x = Float64Array.from({ length: n }, () => rnd());
    // w = (½(y_jᵀx)², 1, x); beta = ½‖x‖⁴ − wᵀHw
    const w = new Float64Array(N);
    for (let j = 0; j < m; j++) {
      let d = 0;
      for (let p = 0; p < n; p++) d += xpt[j * n + p] * x[p];
      w[j] = 0.5 * d * d;
    }
    w[m] = 1;
    for (let p = 0; p < n; p++) w[m + 1 + p] = x[p];
    const hw = new Float64Array(N);
    let whw = 0;
    for (let i = 0; i < N; i++) {
      for (let j = 0; j < N; j++) hw[i] += h[i * N + j] * w[j];
      whw += w[i] * hw[i];
    }
    let xx = 0;
    for (let p = 0; p < n; p++) xx += x[p] * x[p];
    const sigma = updateKkt(h, N, t, hw, 0.5 * xx * xx - whw, new Float64Array(2 * N));
    assert.ok(sigma > 0);
    xpt.set(x, t * n);
    const direct = new Float64Array(N * N);
    assert.ok(invertKkt(xpt, m, n, direct, work));
    let err = 0;
    let scale = 0;
    for (let i = 0; i < N * N; i++) {
      err = Math.max(err, Math.abs(h[i] - direct[i]));
      scale = Math.max(scale, Math.abs(direct[i]));
    }
    assert.ok(err <= 1e-8 * scale, `t = ${t}: error ${err} vs scale ${scale}`);
  }
});

test("invertKkt reports a singular system (repeated point)", () => {
  const n = 2;
  const m = 4;
  const N = m + n + 1;
  const xpt = Float64Array.from([0, 0, 1, 0, 0, 1, 1, 0]);
  assert.equal(invertKkt(xpt, m, n, new Float64Array(N * N), new Float64Array(N * N)), false);
});
