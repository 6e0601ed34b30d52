import assert from "node:assert/strict";
import { test } from "node:test";
import {
  autocovariance,
  DIRECT_LAGS,
  LazyMeanAutocovariance,
  meanAutocovariance,
} from "../../../src/bayes/autocovariance.ts";
import { RandomStream } from "../../../src/bayes/random.ts";
import { sortFloat64, sortFloat64WithIndex } from "../../../src/bayes/sort-float64.ts";

function direct(x: Float64Array): Float64Array {
  const n = x.length;
  const m = x.reduce((a, b) => a + b, 0) / n;
  return Float64Array.from({ length: n }, (_, t) => {
    let s = 0;
    for (let i = 0; i + t < n; i++) s += (x[i] - m) * (x[i + t] - m);
    return s / n;
  });
}

test("FFT autocovariance, the paired mean over chains and the lazy one equal the direct sums", () => {
  const rng = RandomStream.forChain(3, 0);
  for (const [n, chains] of [
    [300, 3],
    [257, 4],
    [40, 2],
  ]) {
    const xs = Array.from({ length: chains }, () => {
      const a = new Float64Array(n);
      let y = 5;
      for (let i = 0; i < n; i++) a[i] = y = 0.8 * y + rng.normal();
      return a;
    });
    const ref = new Float64Array(n);
    for (const x of xs) {
      const d = direct(x);
      const f = autocovariance(x);
      for (let t = 0; t < n; t++) {
        assert.ok(Math.abs(f[t] - d[t]) < 1e-12 * d[0]);
        ref[t] += d[t] / chains;
      }
    }
    const mean = meanAutocovariance(xs);
    const lazy = new LazyMeanAutocovariance(xs);
    for (let t = 0; t < n; t++) assert.ok(Math.abs(mean[t] - ref[t]) < 1e-12 * ref[0], `n ${n} lag ${t}`);
    // lazily: direct lags first, then (from DIRECT_LAGS) the FFT
    for (let t = 0; t < n; t++) assert.ok(Math.abs(lazy.at(t) - ref[t]) < 1e-12 * ref[0]);
    assert.ok(n < DIRECT_LAGS || lazy.at(DIRECT_LAGS) !== 0);
  }
});

test("sortFloat64 sorts with NaN last; the indexed variant carries the positions", () => {
  const rng = RandomStream.forChain(4, 0);
  for (const n of [0, 1, 5, 17, 1000]) {
    const a = Float64Array.from({ length: n }, (_, i) =>
      i % 7 === 3 ? Number.NaN : Math.round(rng.normal() * 5) + 0,
    );
    const want = Array.from(a)
      .filter((v) => !Number.isNaN(v))
      .sort((p, q) => p - q);
    const nan = a.length - want.length;
    const s = sortFloat64(a.slice());
    assert.deepEqual(Array.from(s.subarray(0, want.length)), want);
    assert.ok(Array.from(s.subarray(want.length)).every(Number.isNaN));
    const b = a.slice();
    const idx = Int32Array.from({ length: n }, (_, i) => i);
    assert.equal(sortFloat64WithIndex(b, idx), n - nan);
    for (let k = 0; k < n; k++) assert.ok(Object.is(b[k], a[idx[k]]));
    assert.deepEqual(Array.from(b.subarray(0, want.length)), want);
  }
});
