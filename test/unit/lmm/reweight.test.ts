/**
 * reweightLmm refills every block of A in place for new weights (and a new response): the model then
 * equals one built from scratch with those weights, bit for bit, and nothing derived from A's values
 * (the grouped downdate) is left stale.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { Block } from "../../../src/linalg/block-types.ts";
import {
  createLmm,
  type FastPaths,
  type LmmModel,
  restoreRefill,
  reweightLmm,
  snapshotRefill,
} from "../../../src/lmm/lmm-model.ts";
import type { LmmProblem, ReTerm } from "../../../src/lmm/lmm-problem.ts";
import { criterionFromL, evaluate, logDets, updateL } from "../../../src/lmm/update-l.ts";
import { fixefFromL, sphericalModes } from "../../../src/lmm/lmm-estimates.ts";
import { fitModel } from "../../../src/lmm/fit-lmm-problem.ts";
import { expectClose } from "../../helpers/expect-close.ts";
import { rng, syntheticProblem } from "./synthetic-problems.ts";

function sameBlocks(a: Block[][], b: Block[][]): void {
  assert.equal(a.length, b.length);
  for (let i = 0; i < a.length; i++)
    for (let j = 0; j <= i; j++) assert.deepEqual(a[i][j].data, b[i][j].data, `A[${i}][${j}]`);
}

function sameModel(m: LmmModel, fresh: LmmModel): void {
  sameBlocks(m.A, fresh.A);
  assert.equal(m.sumLogWeights, fresh.sumLogWeights);
  assert.equal(m.sigmaFactor, fresh.sigmaFactor);
  assert.deepEqual(m.thetaFactor, fresh.thetaFactor);
  assert.deepEqual(m.Xy, fresh.Xy);
  assert.deepEqual(m.response, fresh.response);
}

function randomWeights(n: number, seed: number, spread = 3): Float64Array {
  const r = rng(seed);
  return Float64Array.from({ length: n }, () => 0.2 + spread * r());
}

test("reweightLmm: weights and response refilled equal a fresh build (crossed, nested, vector terms)", () => {
  const specs = [
    [
      { nl: 40, S: 2 },
      { nl: 7, S: 1 },
    ],
    [
      { nl: 30, S: 1 },
      { nl: 12, S: 1 },
      { nl: 5, S: 1 },
    ],
    [
      { nl: 24, S: 1, nestedIn: 1 },
      { nl: 6, S: 1 },
    ],
  ];
  specs.forEach((sp, i) => {
    const prob = syntheticProblem(10 + i, 300, 3, sp);
    const w = randomWeights(prob.y.length, 20 + i);
    const r = rng(30 + i);
    const y2 = Float64Array.from(prob.y, (v) => v + r() - 0.5);
    const model = createLmm(prob);
    reweightLmm(model, w, y2);
    const fresh = createLmm({ ...prob, y: y2, weights: w });
    sameModel(model, fresh);
    const theta = Array.from({ length: model.ntheta }, (_, t) => 0.3 + 0.1 * t);
    for (const reml of [false, true]) {
      const a = evaluate(model, theta, reml);
      const b = evaluate(fresh, theta, reml);
      assert.equal(a.value, b.value, `objective, REML ${reml}`);
    }
    // back to unweighted: equals the original build
    reweightLmm(model, null, prob.y);
    sameModel(model, createLmm(prob));
    assert.equal(model.sqrtw, null);
    // the whole fit agrees
    reweightLmm(model, w, y2);
    const f1 = fitModel(model, { REML: false });
    const f2 = fitModel(createLmm({ ...prob, y: y2, weights: w }), { REML: false });
    assert.equal(f1.objective, f2.objective);
    assert.deepEqual(f1.beta, f2.beta);
  });
});

test("reweightLmm never aliases or writes the caller's arrays", () => {
  const prob = syntheticProblem(3, 200, 2, [{ nl: 20, S: 2 }]);
  const z0 = Float64Array.from(prob.reterms[0].z);
  const X0 = Float64Array.from(prob.X);
  const model = createLmm(prob);
  const w = randomWeights(200, 4);
  reweightLmm(model, w, prob.y);
  assert.deepEqual(prob.reterms[0].z, z0, "z untouched");
  assert.deepEqual(prob.X, X0, "X untouched");
  assert.notEqual(model.terms[0].wtz, prob.reterms[0].z);
  assert.notEqual(model.problem.weights, w);
  const before = evaluate(model, [0.5, 0.1, 0.4], false).value;
  w.fill(7); // the caller reuses its array
  assert.equal(evaluate(model, [0.5, 0.1, 0.4], false).value, before);
  // a second reweight reuses the model's own z buffer, not the caller's
  const own = model.terms[0].wtz;
  reweightLmm(model, randomWeights(200, 5), prob.y);
  assert.equal(model.terms[0].wtz, own);
  assert.deepEqual(prob.reterms[0].z, z0);
});

/** Balanced crossed design: every subject sees `per` items (the grouped downdate applies). */
function balanced(nsubj: number, nitem: number, per: number, seed: number): LmmProblem {
  const r = rng(seed);
  const n = nsubj * per;
  const subj = new Int32Array(n);
  const item = new Int32Array(n);
  const X = new Float64Array(2 * n);
  const y = new Float64Array(n);
  for (let s = 0; s < nsubj; s++)
    for (let k = 0; k < per; k++) {
      const t = s * per + k;
      subj[t] = s;
      item[t] = (s * 7 + k * 13) % nitem;
      X[t] = 1;
      X[n + t] = r() - 0.5;
      y[t] = X[n + t] + Math.sin(s) + Math.cos(item[t]) + r();
    }
  const ones = new Float64Array(n).fill(1);
  const lv = (m: number): string[] => Array.from({ length: m }, (_, i) => `${i}`);
  const term = (name: string, nl: number, refs: Int32Array): ReTerm => ({
    name,
    factor: name,
    levels: lv(nl),
    refs,
    cnames: ["(Intercept)"],
    z: ones,
  });
  return {
    y,
    X,
    xnames: ["(Intercept)", "x"],
    reterms: [term("subj", nsubj, subj), term("item", nitem, item)],
  };
}

function plain(model: LmmModel): LmmModel {
  const k = model.terms.length;
  const fast: FastPaths = {
    ...model.fast,
    wasm: null,
    kernel: new Array(k).fill(null),
    plans: new Array(k).fill(null),
    grouped: new Array(k).fill(null),
  };
  return { ...model, fast };
}

test("reweightLmm rebuilds the grouped downdate from the new values (or drops it)", () => {
  const prob = balanced(3000, 300, 20, 7);
  const n = prob.y.length;
  const model = createLmm(prob);
  assert.ok(model.fast.grouped[1], "balanced: grouped downdate built");
  const theta = [0.8, 0.6];
  // weights constant within subject, two values: still two groups, rebuilt from the new A
  const w2 = Float64Array.from({ length: n }, (_, t) => 1 + (Math.floor(t / 20) % 2));
  reweightLmm(model, w2);
  assert.ok(model.fast.grouped[1], "two groups: rebuilt");
  assert.ok(updateL(model, theta));
  const got = criterionFromL(model, false);
  const ref = plain(model);
  assert.ok(updateL(ref, theta));
  expectClose(got, criterionFromL(ref, false), { rtol: 1e-12, label: "grouped, reweighted" });
  const fresh = createLmm({ ...prob, weights: w2 });
  assert.ok(updateL(fresh, theta));
  expectClose(got, criterionFromL(fresh, false), { rtol: 1e-12, label: "vs fresh" });
  // random weights: too many groups, the grouped downdate is dropped (not left stale)
  const w3 = randomWeights(n, 9);
  reweightLmm(model, w3);
  assert.equal(model.fast.grouped[1], null);
  assert.ok(updateL(model, theta));
  const fresh3 = createLmm({ ...prob, weights: w3 });
  assert.ok(updateL(fresh3, theta));
  expectClose(criterionFromL(model, false), criterionFromL(fresh3, false), {
    rtol: 1e-12,
    label: "random w",
  });
});

test("conditional modes from the permuted (planned) factor equal the canonical ones", () => {
  const prob = balanced(1500, 200, 12, 3);
  const n = prob.y.length;
  const model = createLmm(prob, { reweighted: true });
  assert.equal(model.fast.grouped[1], null, "reweighted models skip the grouped downdate");
  assert.ok(model.fast.plans[1], "the dense block is planned");
  reweightLmm(model, randomWeights(n, 12));
  const theta = [0.7, 0.4];
  assert.ok(updateL(model, theta, true));
  assert.deepEqual(model.permuted, [1]);
  const beta = fixefFromL(model);
  const fast = sphericalModes(model, beta);
  assert.ok(updateL(model, theta));
  assert.deepEqual(model.permuted, []);
  const beta2 = fixefFromL(model);
  const canon = sphericalModes(model, beta2);
  expectClose(Array.from(beta), Array.from(beta2), { atol: 1e-10, label: "beta" });
  for (let j = 0; j < canon.length; j++)
    expectClose(Array.from(fast[j]), Array.from(canon[j]), { atol: 1e-10, label: `u block ${j}` });
});

test("light refill: the random-effects blocks and weights equal a fresh build's; restoreRefill brings a refill back bit for bit", () => {
  for (const [i, sp] of [
    [
      { nl: 30, S: 1 },
      { nl: 12, S: 1 },
    ],
    [
      { nl: 20, S: 2 },
      { nl: 6, S: 1 },
    ],
  ].entries()) {
    const prob = syntheticProblem(40 + i, 250, 3, sp);
    const n = prob.y.length;
    const model = createLmm({ ...prob, weights: randomWeights(n, 50 + i) }, { reweighted: true });
    const k = model.terms.length;
    // in the dead zone (c = 1) and far outside it (c = 4^k, the θ and σ factors change)
    for (const scale of [1, 1e7]) {
      const w = randomWeights(n, 60 + i).map((v) => v * scale);
      reweightLmm(model, w, prob.y, { light: true });
      assert.ok(Number.isNaN(model.sumLogWeights), "light: no Σ log w");
      const fresh = createLmm({ ...prob, weights: w });
      for (let a = 0; a < k; a++)
        for (let b = 0; b <= a; b++)
          assert.deepEqual(model.A[a][b].data, fresh.A[a][b].data, `A[${a}][${b}]`);
      assert.deepEqual(model.sqrtw, fresh.sqrtw);
      assert.equal(model.sigmaFactor, fresh.sigmaFactor);
      assert.deepEqual(model.thetaFactor, fresh.thetaFactor);
      assert.deepEqual(model.problem.weights, w);
      assert.notEqual(model.problem.weights, w, "the model's own copy");
    }
    const r = rng(70 + i);
    const y1 = Float64Array.from(prob.y, (v) => v + r());
    const w1 = randomWeights(n, 80 + i);
    reweightLmm(model, w1, y1, { light: true });
    const theta = Array.from({ length: model.ntheta }, (_, t) => 0.5 + 0.1 * t);
    assert.ok(updateL(model, theta));
    const before = {
      ld: logDets(model),
      beta: fixefFromL(model),
      u: sphericalModes(model, fixefFromL(model)),
    };
    const blocks = model.A.map((row) => row.map((b) => Float64Array.from(b.data)));
    const Xy = Float64Array.from(model.Xy);
    const snap = snapshotRefill(model);
    // another refill (weights outside the dead zone), then back
    reweightLmm(
      model,
      w1.map((v) => v * 1e-9),
      y1.map((v) => v * 3),
      { light: true },
    );
    restoreRefill(model, snap);
    assert.ok(Number.isNaN(model.theta[0]), "L is stale after a restore");
    model.A.forEach((row, a) => {
      row.forEach((b, c) => {
        assert.deepEqual(b.data, blocks[a][c], `A[${a}][${c}]`);
      });
    });
    assert.deepEqual(model.Xy, Xy);
    assert.deepEqual(model.problem.weights, w1);
    assert.ok(updateL(model, theta));
    assert.deepEqual(logDets(model), before.ld);
    assert.deepEqual(fixefFromL(model), before.beta);
    assert.deepEqual(sphericalModes(model, fixefFromL(model)), before.u);
    // a snapshot into the arrays of an earlier one
    assert.equal(snapshotRefill(model, snap).Xy, snap.Xy);
  }
});

test("modesOnly: a light refill and updateL without the [X y] block give the same log|L_ZZ|² and modes, bit for bit", () => {
  const prob = syntheticProblem(90, 300, 3, [
    { nl: 30, S: 1 },
    { nl: 12, S: 2 },
  ]);
  const n = prob.y.length;
  const full = createLmm({ ...prob, weights: randomWeights(n, 91) }, { reweighted: true });
  const part = createLmm({ ...prob, weights: randomWeights(n, 91) }, { reweighted: true });
  const beta = Float64Array.from([0.3, -0.2, 0.1]);
  const theta = Array.from({ length: full.ntheta }, (_, t) => 0.6 - 0.1 * t);
  for (const seed of [92, 93, 94]) {
    const w = randomWeights(n, seed);
    const r = rng(seed);
    const y = Float64Array.from(prob.y, (v) => v + r());
    reweightLmm(full, w, y, { light: true });
    reweightLmm(part, w, y, { light: true, modesOnly: true });
    for (const objectiveOnly of [false, true]) {
      assert.ok(updateL(full, theta, objectiveOnly));
      assert.ok(updateL(part, theta, objectiveOnly, true));
      assert.equal(logDets(part).ldL2, logDets(full).ldL2);
      assert.deepEqual(sphericalModes(part, beta), sphericalModes(full, beta));
    }
  }
});
