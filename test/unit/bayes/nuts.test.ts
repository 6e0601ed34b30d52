/**
 * Sampler tests on targets with known moments. Each chain is seeded, so every test either always
 * passes or always fails; the stated false-failure probabilities are those of a correct sampler
 * over random seeds (z-tests at |z| < 4.5: 6.8e-6 each, Bonferroni over the values tested).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { mcseMean, mcseSd } from "../../../src/bayes/diagnostics.ts";
import { DiagMetric } from "../../../src/bayes/metric.ts";
import { NutsSampler } from "../../../src/bayes/nuts.ts";
import { RandomStream } from "../../../src/bayes/random.ts";
import { type ChainResult, runChain } from "../../../src/bayes/run-chain.ts";
import { summariseDraws } from "../../../src/bayes/summarise-draws.ts";
import { isMixedError } from "../../../src/errors.ts";
import {
  ar1Covariance,
  funnel,
  gaussianDense,
  gaussianDiag,
  logExponential,
  modelOf,
} from "../../helpers/bayes-targets.ts";

const Z = 4.5;

/** Draws of output k of every chain. */
function column(rs: readonly ChainResult[], k: number): Float64Array[] {
  return rs.map((r) => r.outputs.subarray(k * r.draws, (k + 1) * r.draws));
}

/** z of the mean of g(draws) against its expectation, with our own MCSE. */
function zMean(x: Float64Array[], expected: number, g: (v: number) => number = (v) => v): number {
  const y = x.map((c) => Float64Array.from(c, g));
  let s = 0;
  let n = 0;
  for (const c of y) {
    for (const v of c) s += v;
    n += c.length;
  }
  return (s / n - expected) / mcseMean(y);
}

function chains(
  model: Parameters<typeof runChain>[0],
  n: number,
  opts: Partial<Parameters<typeof runChain>[1]> = {},
) {
  return Array.from({ length: n }, (_, c) =>
    runChain(model, { seed: 20260604, chain: c, warmup: 1000, draws: 1000, ...opts }),
  );
}

test("standard normal in 100 dimensions: means and second moments within 4.5 MCSE, sane adaptation", () => {
  // false-failure probability: 200 z-tests → 1.4e-3; the other bounds are far from typical values
  const model = gaussianDiag(new Array(100).fill(1));
  const rs = chains(model, 2);
  for (let k = 0; k < 100; k++) {
    const x = column(rs, k);
    const z1 = zMean(x, 0);
    const z2 = zMean(x, 1, (v) => v * v);
    assert.ok(Math.abs(z1) < Z && Math.abs(z2) < Z, `q[${k + 1}]: z(mean) ${z1}, z(E q²) ${z2}`);
  }
  const s = summariseDraws(
    model.outputNames,
    rs.map((r) => r.outputs),
    1000,
  );
  assert.ok(Math.max(...s.map((v) => v.rhat)) < 1.02);
  assert.ok(Math.min(...s.map((v) => v.ess_bulk)) > 500);
  for (const r of rs) {
    const m = r.summary;
    assert.ok(m.stepSize > 0.3 && m.stepSize < 0.8, `step size ${m.stepSize}`);
    assert.ok(m.meanTreeDepth >= 2 && m.meanTreeDepth <= 5, `tree depth ${m.meanTreeDepth}`);
    assert.equal(m.divergences, 0);
    assert.equal(m.maxTreedepthHits, 0);
    assert.ok(m.meanAcceptStat > 0.7 && m.meanAcceptStat < 0.97, `accept ${m.meanAcceptStat}`);
    assert.ok(m.ebfmi > 0.5, `E-BFMI ${m.ebfmi}`);
    assert.ok(Array.from(m.inverseMetric).every((v) => v > 0.7 && v < 1.4));
    // stats columns are filled and consistent with the summary
    assert.equal(r.stats.treeDepth.length, 1000);
    let leap = 0;
    for (let i = 0; i < 1000; i++) {
      leap += r.stats.nLeapfrog[i];
      assert.equal(r.stats.stepSize[i], m.stepSize, "the step size is fixed after warm-up");
      assert.ok(r.stats.nLeapfrog[i] <= 2 ** r.stats.treeDepth[i] + 2 ** (r.stats.treeDepth[i] + 1));
    }
    assert.equal(leap, m.leapfrogSampling);
    assert.ok(m.gradientEvaluations > m.leapfrogSampling + m.leapfrogWarmup);
  }
});

test("ill-scaled Gaussian (sd 0.01 … 100): the diagonal metric adapts to the variances", () => {
  // false-failure probability: 20 z-tests → 1.4e-4; metric within −30 % / +40 % of the variance
  // (its relative error is about √(2/ESS) ≈ 0.06 for the last 500-iteration window)
  const sds = Array.from({ length: 10 }, (_, i) => 10 ** (-2 + (4 * i) / 9));
  const model = gaussianDiag(sds);
  const rs = chains(model, 2);
  for (let k = 0; k < 10; k++) {
    const x = column(rs, k);
    assert.ok(Math.abs(zMean(x, 0)) < Z);
    assert.ok(Math.abs(zMean(x, sds[k] ** 2, (v) => v * v)) < Z);
  }
  for (const r of rs) {
    r.summary.inverseMetric.forEach((m, i) => {
      const ratio = m / sds[i] ** 2;
      assert.ok(ratio > 0.7 && ratio < 1.4, `metric/variance ${ratio} at ${i}`);
    });
    assert.ok(r.summary.stepSize > 0.4, `${r.summary.stepSize}`);
    assert.ok(r.summary.meanTreeDepth < 4);
  }
});

test("correlated Gaussian (AR(1) ρ = 0.9): the dense metric learns the covariance and needs shorter trees", () => {
  // false-failure probability: 20 z-tests → 1.4e-4; entries of the metric within 0.3 of Σ (SE ≈ 0.07)
  const d = 10;
  const cov = ar1Covariance(new Array(d).fill(1), 0.9);
  const model = gaussianDense(cov, d);
  const dense = chains(model, 1, { metric: "dense" });
  const diag = chains(model, 1);
  for (const rs of [dense, diag]) {
    for (let k = 0; k < d; k++) assert.ok(Math.abs(zMean(column(rs, k), 0)) < Z);
  }
  const inv = dense[0].summary.inverseMetric;
  assert.equal(inv.length, d * d);
  for (let i = 0; i < d * d; i++)
    assert.ok(Math.abs(inv[i] - cov[i]) < 0.3, `entry ${i}: ${inv[i]} vs ${cov[i]}`);
  assert.equal(dense[0].summary.metric, "dense");
  assert.ok(dense[0].summary.meanTreeDepth + 0.5 < diag[0].summary.meanTreeDepth);
  assert.ok(dense[0].summary.stepSize > 2 * diag[0].summary.stepSize);
});

test("a skewed target (log of an Exponential(1)): mean, sd and tail quantiles within 4.5 MCSE", () => {
  // x = exp(v) ~ Exponential(1): E x = 1, sd x = 1, q5 = −log 0.95, q95 = −log 0.05;
  // E v = −γ. False-failure probability: 5 z-tests → 3.4e-5.
  const model = logExponential();
  const rs = chains(model, 4);
  const [x, v] = summariseDraws(
    model.outputNames,
    rs.map((r) => r.outputs),
    1000,
  );
  const zx = (x.mean - 1) / x.mcse_mean;
  const zsd = (x.sd - 1) / x.mcse_sd;
  const z5 = (x.q5 + Math.log(0.95)) / x.mcse_q5;
  const z95 = (x.q95 + Math.log(0.05)) / x.mcse_q95;
  const zv = (v.mean + 0.5772156649015329) / v.mcse_mean;
  for (const z of [zx, zsd, z5, z95, zv]) assert.ok(Math.abs(z) < Z, `${[zx, zsd, z5, z95, zv]}`);
  assert.ok(x.rhat < 1.01);
  assert.equal(mcseSd(column(rs, 0)), x.mcse_sd);
});

test("Neal's funnel: divergences and a low E-BFMI are reported", () => {
  // Over seeds about 1 chain in 4 of this funnel shows no divergence after warm-up, so all four
  // chains without one has probability ≈ 0.4 %; E-BFMI stayed below 0.25 in every chain tried.
  const rs = chains(funnel(9), 4, { warmup: 500, draws: 500 });
  const div = rs.reduce((a, r) => a + r.summary.divergences, 0);
  assert.ok(div > 0, "no divergences in the funnel");
  for (const r of rs) {
    assert.ok(r.summary.ebfmi < 0.3, `E-BFMI ${r.summary.ebfmi}`);
    assert.ok(r.summary.divergencesWarmup > 0);
    let flagged = 0;
    for (let i = 0; i < r.draws; i++) flagged += r.stats.divergent[i];
    assert.equal(flagged, r.summary.divergences);
  }
});

test("in the funnel's neck a large step diverges at once and the chain stays where it was", () => {
  const model = funnel(9);
  const nuts = new NutsSampler(model, new DiagMetric(model.dim), RandomStream.forChain(5, 0));
  const q0 = Float64Array.from([-8, 0.001, -0.002, 0.001, 0, 0.001, -0.001, 0.002, 0, 0.001]);
  const lp0 = nuts.setPosition(q0);
  nuts.stepSize = 0.5; // the x's have sd exp(−4) ≈ 0.018 there: leapfrog is unstable
  for (let rep = 0; rep < 5; rep++) {
    nuts.transition();
    assert.equal(nuts.divergent, true);
    assert.ok(nuts.treeDepth <= 2, `depth ${nuts.treeDepth}`);
    assert.ok(nuts.acceptStat < 0.1);
  }
  // a divergent first subtree is never used: the chain has not moved
  if (nuts.treeDepth === 0) assert.deepEqual(Array.from(nuts.q), Array.from(q0));
  assert.ok(Number.isFinite(nuts.lp) && nuts.lp >= lp0 - 1e3);
  assert.ok(Array.from(nuts.q).every(Number.isFinite));
});

test("a log density of −∞ (outside the support) counts as divergent, never as a sample", () => {
  // half-normal on q > 0 written without a transform: leaving the support is a divergence
  const model = modelOf(1, (q, g) => {
    if (q[0] <= 0) return Number.NEGATIVE_INFINITY;
    g[0] = -q[0];
    return -0.5 * q[0] * q[0];
  });
  const r = runChain(model, { seed: 3, chain: 0, warmup: 300, draws: 500, init: [1] });
  for (let i = 0; i < r.draws; i++) assert.ok(r.outputs[i] > 0);
  assert.ok(r.summary.divergences + r.summary.divergencesWarmup > 0);
});

test("maximum tree depth: trees stop there and the hits are counted", () => {
  const model = gaussianDiag(new Array(50).fill(1));
  const r = runChain(model, { seed: 9, chain: 0, warmup: 200, draws: 200, maxTreedepth: 1, stepSize: 0.01 });
  let hits = 0;
  for (let i = 0; i < r.draws; i++) {
    assert.ok(r.stats.treeDepth[i] <= 1);
    assert.ok(r.stats.nLeapfrog[i] <= 1);
    if (r.stats.treeDepth[i] === 1) hits++;
  }
  assert.equal(r.summary.maxTreedepthHits, hits);
  assert.ok(hits > 0);
});

test("a chain is reproducible from (seed, chain) and chains differ; progress is reported", () => {
  const model = logExponential();
  let calls = 0;
  let last = 0;
  const a = runChain(model, {
    seed: 77,
    chain: 1,
    warmup: 150,
    draws: 100,
    onProgress: (done, total) => {
      calls++;
      last = done;
      assert.equal(total, 250);
    },
  });
  const b = runChain(model, { seed: 77, chain: 1, warmup: 150, draws: 100 });
  const c = runChain(model, { seed: 77, chain: 2, warmup: 150, draws: 100 });
  assert.deepEqual(a.outputs, b.outputs);
  assert.deepEqual(a.unconstrained, b.unconstrained);
  assert.deepEqual(a.stats, b.stats);
  assert.notDeepEqual(a.outputs, c.outputs);
  assert.equal(calls, 250);
  assert.equal(last, 250);
  assert.equal(a.warnings.length, 0);
});

test("the output stream is separate: constrain's normals do not change the sampler's path", () => {
  const base = gaussianDiag([1, 2]);
  const noisy = { ...base, outputNames: ["a", "b", "noise"] };
  noisy.constrain = (q: Float64Array, out: Float64Array, normal: () => number) => {
    out[0] = q[0];
    out[1] = q[1];
    out[2] = normal();
  };
  const a = runChain(base, { seed: 5, chain: 0, warmup: 100, draws: 100 });
  const b = runChain(noisy, { seed: 5, chain: 0, warmup: 100, draws: 100 });
  assert.deepEqual(a.unconstrained, b.unconstrained);
  const z = b.outputs.subarray(200, 300);
  assert.ok(new Set(z).size === 100);
});

test("bad options, an unusable start and an improper posterior are typed errors", () => {
  const model = gaussianDiag([1]);
  const bad = (o: object) => () => runChain(model, { seed: 1, chain: 0, ...o });
  for (const o of [
    { warmup: -1 },
    { draws: 1.5 },
    { adaptDelta: 1 },
    { maxTreedepth: 0 },
    { metric: "full" },
    { stepSize: 0 },
    { init: [1, 2] },
    { inverseMetric: [0] },
    { seed: 0.5 },
  ]) {
    assert.throws(bad(o), (e) => isMixedError(e) && e.code === "E_OPTION_INVALID", JSON.stringify(o));
  }
  const nowhere = modelOf(2, () => Number.NEGATIVE_INFINITY);
  assert.throws(
    () => runChain(nowhere, { seed: 1, chain: 0 }),
    (e) => isMixedError(e) && e.code === "E_NUMERIC_NON_FINITE" && /100 attempts/.test(e.message),
  );
  assert.throws(
    () => runChain(model, { seed: 1, chain: 0, init: [Number.NaN] }),
    (e) => isMixedError(e) && e.code === "E_NUMERIC_NON_FINITE",
  );
  const flat = modelOf(2, (_q, g) => {
    g.fill(0);
    return 0;
  });
  assert.throws(
    () => runChain(flat, { seed: 1, chain: 0 }),
    (e) => isMixedError(e) && e.code === "E_NUMERIC_OVERFLOW" && /improper/.test(e.message),
  );
});

test("init and an initial inverse metric are used as given; warm-up 0 keeps them", () => {
  const model = gaussianDiag([1, 1]);
  const r = runChain(model, {
    seed: 1,
    chain: 0,
    warmup: 0,
    draws: 50,
    init: [0.5, -0.5],
    inverseMetric: [2, 3],
    stepSize: 0.3,
  });
  assert.deepEqual(Array.from(r.initialPoint), [0.5, -0.5]);
  assert.deepEqual(Array.from(r.summary.inverseMetric), [2, 3]);
  assert.equal(r.warmupStats.lp.length, 0);
  assert.ok(r.summary.stepSize > 0);
  assert.equal(r.warnings.length, 0);
});

test("gradient-based metric adaptation (nutpie's diagonal) recovers a Gaussian's variances exactly", () => {
  // for N(0, diag σ²) the gradient is −q/σ², so √(var q / var grad) = σ² for any window; the last
  // window (450–950) has n = 500 draws, regularised as Stan's: (n/(n+5)) σ² + 1e-3 · 5/(n+5)
  const sds = Array.from({ length: 6 }, (_, i) => 10 ** (-1 + (3 * i) / 5));
  const model = gaussianDiag(sds);
  const [r] = chains(model, 1, { metricAdaptation: "gradient" });
  r.summary.inverseMetric.forEach((m, i) => {
    const want = (500 / 505) * sds[i] ** 2 + 1e-3 * (5 / 505);
    assert.ok(Math.abs(m / want - 1) < 1e-9, `${i}: ${m} vs ${want}`);
  });
  for (let k = 0; k < sds.length; k++) assert.ok(Math.abs(zMean(column([r], k), 0)) < Z);
  assert.throws(
    () => runChain(model, { seed: 1, chain: 0, metric: "dense", metricAdaptation: "gradient" }),
    (e) => isMixedError(e) && e.code === "E_OPTION_INVALID",
  );
});
