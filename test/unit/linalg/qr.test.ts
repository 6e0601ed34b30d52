/**
 * Householder QR with R's limited pivoting, against R's `qr(X, tol = 1e-7)` and friends
 * (fixtures from scripts/fixtures/numerics.R), plus invariants that need no reference.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  qrCoef,
  qrDecompose,
  qrFitted,
  qrQty,
  qrQy,
  qrR,
  qrResiduals,
  qrUnscaledCovariance,
} from "../../../src/linalg/qr.ts";
import { assertClose, loadNumerics } from "./numerics-fixture.ts";

interface QrCase {
  name: string;
  n: number;
  p: number;
  X: number[];
  y: number[];
  qr: number[];
  qraux: number[];
  rank: number;
  pivot: number[];
  coef: number[];
  qty: number[];
  qy: number[];
  fitted: number[];
  residuals: number[];
  unscaled: number[];
}

const { cases } = loadNumerics<{ cases: QrCase[] }>("qr");

for (const c of cases) {
  test(`qr ${c.name}: rank, pivot and factor match R`, () => {
    const d = qrDecompose(c.X, c.n, c.p, 1e-7);
    assert.equal(d.rank, c.rank);
    assert.deepEqual(Array.from(d.pivot), c.pivot);
    // Only the determined part is compared: all of the first `rank` columns, and rows < rank of
    // the aliased columns (their remainder is rounding noise in R and here alike).
    const scale = Math.max(...c.X.map(Math.abs));
    const pick = (m: ArrayLike<number>) =>
      Array.from(m).filter((_v, idx) => Math.floor(idx / c.n) < c.rank || idx % c.n < c.rank);
    assertClose(pick(d.qr), pick(c.qr), { rtol: 1e-12, atol: 1e-13 * scale, label: "qr" });
    // qraux of the last row (j = n − 1, never reflected) is a downdated norm in R, recomputed here.
    assertClose(d.qraux.subarray(0, c.rank), c.qraux.slice(0, c.rank), { rtol: 1e-12, label: "qraux" });
  });

  test(`qr ${c.name}: coef, Qᵀy, Qy, fitted, residuals and (RᵀR)⁻¹ match R`, () => {
    const d = qrDecompose(c.X, c.n, c.p);
    const ynorm = Math.hypot(...c.y);
    assertClose(qrCoef(d, c.y), c.coef, { rtol: 1e-10, label: "coef" });
    assertClose(d.coef(c.y), c.coef, { rtol: 1e-10, label: "coef (method)" });
    assertClose(qrQty(d, c.y), c.qty, { rtol: 1e-12, atol: 1e-13 * ynorm, label: "qty" });
    assertClose(d.effects(c.y), c.qty, { rtol: 1e-12, atol: 1e-13 * ynorm, label: "effects" });
    assertClose(qrQy(d, c.y), c.qy, { rtol: 1e-12, atol: 1e-13 * ynorm, label: "qy" });
    assertClose(qrFitted(d, c.y), c.fitted, { rtol: 1e-12, atol: 1e-13 * ynorm, label: "fitted" });
    assertClose(qrResiduals(d, c.y), c.residuals, { rtol: 1e-12, atol: 1e-13 * ynorm, label: "residuals" });
    assertClose(qrUnscaledCovariance(d), c.unscaled, { rtol: 1e-10, label: "unscaled" });
  });

  test(`qr ${c.name}: X·P = Q·R for the kept columns, Q orthogonal`, () => {
    const d = qrDecompose(c.X, c.n, c.p);
    const R = qrR(d);
    const k = d.rank;
    for (let j = 0; j < k; j++) {
      const col = new Float64Array(c.n);
      for (let i = 0; i <= j; i++) col[i] = R[j * k + i];
      const orig = d.pivot[j];
      const scale = Math.hypot(...c.X.slice(orig * c.n, (orig + 1) * c.n));
      assertClose(d.qy(col), c.X.slice(orig * c.n, (orig + 1) * c.n), {
        rtol: 0,
        atol: 1e-14 * scale,
        label: `column ${orig}`,
      });
    }
    const q = d.qty(c.y);
    assertClose(Math.hypot(...q), Math.hypot(...c.y), { rtol: 1e-14, label: "|Qᵀy|" });
  });
}

test("qr: x3 = x1 + x2 in the middle is moved last, other columns keep their order", () => {
  const c = cases.find((k) => k.name === "x3_is_x1_plus_x2")!;
  const d = qrDecompose(c.X, c.n, c.p);
  assert.equal(d.rank, 4);
  assert.deepEqual(Array.from(d.pivot), [0, 1, 2, 4, 3]);
  assert.ok(Number.isNaN(d.coef(c.y)[3]));
});

/** Seeded linear congruential generator (Numerical Recipes constants), uniform on (-1, 1). */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s / 2 ** 32) * 2 - 1;
  };
}

test("qr: random full-rank and rank-deficient matrices reconstruct X·P = Q·R", () => {
  const rand = lcg(20240607);
  for (let trial = 0; trial < 40; trial++) {
    const n = 3 + Math.floor(((rand() + 1) / 2) * 30);
    const p = 1 + Math.floor(((rand() + 1) / 2) * Math.min(n, 8));
    const X = new Float64Array(n * p);
    for (let i = 0; i < X.length; i++) X[i] = rand() * 10 ** Math.floor(rand() * 3);
    // make one column a combination of two earlier ones in half of the trials
    const deficient = p >= 3 && trial % 2 === 0;
    if (deficient) for (let i = 0; i < n; i++) X[2 * n + i] = 2 * X[i] - 0.5 * X[n + i];
    const d = qrDecompose(X, n, p);
    assert.equal(d.rank, deficient ? p - 1 : p, `trial ${trial}`);
    if (deficient) assert.equal(d.pivot[p - 1], 2);
    const kept = Array.from(d.pivot.subarray(0, d.rank));
    assert.deepEqual(
      kept,
      [...kept].sort((a, b) => a - b),
      "kept columns stay in order",
    );
    const R = qrR(d);
    const k = d.rank;
    for (let j = 0; j < k; j++) {
      const col = new Float64Array(n);
      for (let i = 0; i <= j; i++) col[i] = R[j * k + i];
      const o = d.pivot[j];
      const xj = X.subarray(o * n, (o + 1) * n);
      assertClose(d.qy(col), xj, {
        rtol: 0,
        atol: 1e-13 * Math.hypot(...xj),
        label: `trial ${trial} col ${o}`,
      });
    }
    // residuals are orthogonal to every column of X
    const y = Float64Array.from({ length: n }, () => rand());
    const r = d.residuals(y);
    for (let j = 0; j < p; j++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += r[i] * X[j * n + i];
      assert.ok(Math.abs(s) < 1e-12 * Math.hypot(...X.subarray(j * n, (j + 1) * n)) * Math.hypot(...y));
    }
  }
});

test("qr: the input is not modified; non-finite input and bad dimensions throw typed errors", () => {
  const X = Float64Array.from([1, 2, 3, 4, 5, 7]);
  const copy = X.slice();
  qrDecompose(X, 3, 2);
  assert.deepEqual(X, copy);
  assert.throws(() => qrDecompose([1, Number.NaN, 3, 4], 2, 2), { code: "E_NUMERIC_NON_FINITE" });
  assert.throws(() => qrDecompose([1, 2, 3], 2, 2), { code: "E_OPTION_INVALID" });
});

test("qr: all-zero matrix has rank 0", () => {
  const d = qrDecompose(new Float64Array(6), 3, 2);
  assert.equal(d.rank, 0);
  assert.deepEqual(Array.from(d.coef([1, 2, 3])), [Number.NaN, Number.NaN]);
  assert.deepEqual(Array.from(d.residuals([1, 2, 3])), [1, 2, 3]);
});

test("qr: columns at extreme scales (1e-170, 1e170) are not mistaken for zero or overflow", () => {
  const n = 4;
  const base = [1, 2, 3, 5, 1, -1, 2, 0.5];
  for (const s of [1e-170, 1e170]) {
    const X = base.map((v, i) => (i >= n ? v * s : v));
    const d = qrDecompose(X, n, 2);
    assert.equal(d.rank, 2, `scale ${s}`);
    assert.deepEqual(Array.from(d.pivot), [0, 1]);
    const coef = d.coef([1, 0, 2, 1]);
    const ref = qrDecompose(base, n, 2).coef([1, 0, 2, 1]);
    assertClose(coef[0], ref[0], { rtol: 1e-13 });
    assertClose(coef[1] * s, ref[1], { rtol: 1e-13 });
  }
});
