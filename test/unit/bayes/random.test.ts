import assert from "node:assert/strict";
import { test } from "node:test";
import { OUTPUT_STREAM, RandomStream, SAMPLER_STREAM } from "../../../src/bayes/random.ts";
import { isMixedError } from "../../../src/errors.ts";

// Statistical checks use 5-sigma bounds: each fails for a correct generator with probability
// < 6e-7 (and, being seeded, either always or never).

test("a stream is a pure function of (seed, chain, stream) and resumes exactly from its state", () => {
  const a = RandomStream.forChain(42, 3);
  const b = RandomStream.forChain(42, 3, SAMPLER_STREAM);
  for (let i = 0; i < 100; i++) assert.equal(a.uniform(), b.uniform());
  a.normal(); // leaves a spare normal pending
  const saved = JSON.parse(JSON.stringify(a.state()));
  assert.notEqual(saved.spareNormal, null);
  const c = RandomStream.fromState(saved);
  for (let i = 0; i < 51; i++) assert.equal(c.normal(), a.normal());
  for (let i = 0; i < 10; i++) assert.equal(c.uniform(), a.uniform());
});

test("chains, streams and seeds give different sequences (large seeds included)", () => {
  const first = (r: RandomStream) => [r.uniform(), r.uniform(), r.uniform()].join();
  const seen = new Set([
    first(RandomStream.forChain(1, 0)),
    first(RandomStream.forChain(1, 1)),
    first(RandomStream.forChain(1, 0, OUTPUT_STREAM)),
    first(RandomStream.forChain(2, 0)),
    first(RandomStream.forChain(2 ** 40 + 1, 0)),
    first(RandomStream.forChain(-1, 0)),
  ]);
  assert.equal(seen.size, 6);
});

test("uniform: [0, 1), multiples of 2^-53, mean 1/2, streams uncorrelated", () => {
  const n = 100000;
  const a = RandomStream.forChain(7, 0);
  const b = RandomStream.forChain(7, 1);
  let s = 0;
  let sab = 0;
  for (let i = 0; i < n; i++) {
    const u = a.uniform();
    const v = b.uniform();
    assert.ok(u >= 0 && u < 1);
    assert.ok(Number.isInteger(u * 2 ** 53));
    s += u;
    sab += (u - 0.5) * (v - 0.5);
  }
  assert.ok(Math.abs(s / n - 0.5) < 5 * Math.sqrt(1 / 12 / n));
  // correlation of two streams: sd of the mean product is (1/12)/√n
  assert.ok(Math.abs(sab / n) < (5 * (1 / 12)) / Math.sqrt(n));
});

test("normal: mean 0, variance 1, P(|z| < 1.96) = 0.95, P(z < −1) = Φ(−1)", () => {
  const n = 200000;
  const r = RandomStream.forChain(11, 0);
  let s = 0;
  let s2 = 0;
  let inner = 0;
  let below = 0;
  for (let i = 0; i < n; i++) {
    const z = r.normal();
    s += z;
    s2 += z * z;
    if (Math.abs(z) < 1.959963984540054) inner++;
    if (z < -1) below++;
  }
  assert.ok(Math.abs(s / n) < 5 / Math.sqrt(n));
  assert.ok(Math.abs(s2 / n - 1) < 5 * Math.sqrt(2 / n));
  assert.ok(Math.abs(inner / n - 0.95) < 5 * Math.sqrt((0.95 * 0.05) / n));
  const p = 0.15865525393145707;
  assert.ok(Math.abs(below / n - p) < 5 * Math.sqrt((p * (1 - p)) / n));
});

test("bad seeds, chains and states are refused with E_OPTION_INVALID", () => {
  for (const f of [
    () => RandomStream.forChain(1.5, 0),
    () => RandomStream.forChain(2 ** 60, 0),
    () => RandomStream.forChain(1, -1),
    () => RandomStream.forChain(1, 0, 9),
    () => RandomStream.fromState({ words: [1, 2], spareNormal: null }),
  ]) {
    assert.throws(f, (e) => isMixedError(e) && e.code === "E_OPTION_INVALID");
  }
});
