import assert from "node:assert/strict";
import { test } from "node:test";
import { adaptationWindows } from "../../../src/bayes/adaptation.ts";
import { runChain } from "../../../src/bayes/run-chain.ts";
import { StepSizeAdaptation } from "../../../src/bayes/step-size-adaptation.ts";
import { WelfordCovariance, WelfordVariance } from "../../../src/bayes/welford.ts";
import { gaussianDiag } from "../../helpers/bayes-targets.ts";

test("Stan's windows for 1000 warm-up iterations", () => {
  const s = adaptationWindows(1000);
  assert.deepEqual(s.windows, [
    [75, 100],
    [100, 150],
    [150, 250],
    [250, 450],
    [450, 950],
  ]);
  assert.equal(s.warning, null);
});

test("windows: 150 is just enough; a window is stretched when the next would not fit", () => {
  assert.deepEqual(adaptationWindows(150).windows, [[75, 100]]);
  assert.equal(adaptationWindows(150).warning, null);
  // 400: the third window (100 long, ending at 250) would be followed by one ending at 450 > 350,
  // so it is stretched to end at 400 − 50
  assert.deepEqual(adaptationWindows(400).windows, [
    [75, 100],
    [100, 150],
    [150, 350],
  ]);
  assert.deepEqual(adaptationWindows(2000).windows.at(-1), [850, 1950]);
});

test("short warm-up: Stan's 15% / 75% / 10% fallback, or no metric below 20, with warmup_short", () => {
  const s = adaptationWindows(100);
  assert.equal(s.initBuffer, 15);
  assert.equal(s.termBuffer, 10);
  assert.equal(s.baseWindow, 75);
  assert.deepEqual(s.windows, [[15, 90]]);
  assert.equal(s.warning?.code, "warmup_short");
  assert.match(s.warning!.message, /15% \/ 75% \/ 10%/);
  const t = adaptationWindows(10);
  assert.deepEqual(t.windows, []);
  assert.equal(t.warning?.code, "warmup_short");
  assert.match(t.warning!.message, /only the step size/);
  assert.equal(adaptationWindows(0).warning, null);
  const r = runChain(gaussianDiag([1, 1]), { seed: 1, chain: 0, warmup: 100, draws: 10 });
  assert.deepEqual(
    r.warnings.map((w) => w.code),
    ["warmup_short"],
  );
});

test("dual averaging: first updates by hand", () => {
  const a = new StepSizeAdaptation({ delta: 0.8 });
  a.mu = Math.log(10 * 0.5);
  a.restart();
  // m = 1: Hbar = (1 − 1/11)·0 + (0.8 − 0.3)/11; x = mu − √1/0.05 · Hbar; xbar = x (weight 1)
  const hbar1 = 0.5 / 11;
  const x1 = Math.log(5) - hbar1 / 0.05;
  assert.ok(Math.abs(a.learn(0.3) - Math.exp(x1)) < 1e-15);
  assert.ok(Math.abs(a.complete() - Math.exp(x1)) < 1e-15);
  // m = 2 with accept_stat capped at 1
  const hbar2 = (1 - 1 / 12) * hbar1 + (0.8 - 1) / 12;
  const x2 = Math.log(5) - (Math.sqrt(2) * hbar2) / 0.05;
  const w = 2 ** -0.75;
  assert.ok(Math.abs(a.learn(1.7) - Math.exp(x2)) < 1e-14);
  assert.ok(Math.abs(a.complete() - Math.exp((1 - w) * x1 + w * x2)) < 1e-14);
});

test("Welford variance and covariance equal the two-pass estimates", () => {
  const rows = [
    [1, 2, 0.5],
    [3, -1, 0.25],
    [2, 0, 4],
    [-1, 5, 1],
  ];
  const v = new WelfordVariance(3);
  const c = new WelfordCovariance(3);
  for (const r of rows) {
    v.add(r);
    c.add(r);
  }
  const mean = [0, 1, 2].map((j) => rows.reduce((s, r) => s + r[j], 0) / 4);
  const cov = (i: number, j: number) => rows.reduce((s, r) => s + (r[i] - mean[i]) * (r[j] - mean[j]), 0) / 3;
  const var3 = new Float64Array(3);
  v.variance(var3);
  const cov9 = new Float64Array(9);
  c.covariance(cov9);
  for (let i = 0; i < 3; i++) {
    assert.ok(Math.abs(var3[i] - cov(i, i)) < 1e-14);
    for (let j = 0; j < 3; j++) assert.ok(Math.abs(cov9[i * 3 + j] - cov(i, j)) < 1e-14);
  }
  v.restart();
  assert.equal(v.count, 0);
});
