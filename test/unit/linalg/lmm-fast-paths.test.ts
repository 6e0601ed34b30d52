/**
 * The objective-only evaluation with the structure-exploiting fast paths (left-looking plan in a
 * fill-reducing order of a dense diagonal block, grouped downdate) gives the same criterion as the
 * plain factorisation.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { createLmm, type FastPaths, type LmmModel } from "../../../src/lmm/lmm-model.ts";
import type { LmmProblem, ReTerm } from "../../../src/lmm/lmm-problem.ts";
import { criterionFromL, evaluate, updateL } from "../../../src/lmm/update-l.ts";
import { expectClose } from "../../helpers/expect-close.ts";
import { rng } from "../lmm/synthetic-problems.ts";

/** The same model with the fast paths but JS kernels only (no WebAssembly). */
function jsOnly(model: LmmModel): LmmModel {
  const k = model.terms.length;
  const fast: FastPaths = { ...model.fast, wasm: null, kernel: new Array(k).fill(null) };
  return { ...model, fast };
}

/** The same model without any fast path (natural order, scattered downdates, JS kernels). */
function plain(model: LmmModel): LmmModel {
  const k = model.terms.length;
  const fast: FastPaths = {
    ...jsOnly(model).fast,
    plans: new Array(k).fill(null),
    grouped: new Array(k).fill(null),
  };
  return { ...model, fast };
}

function check(model: LmmModel, thetas: number[][]): void {
  const ref = plain(model);
  const js = jsOnly(model);
  for (const theta of thetas)
    for (const reml of [false, true]) {
      const fast = evaluate(model, theta, reml);
      assert.ok(fast.ok);
      assert.ok(updateL(ref, theta));
      const want = criterionFromL(ref, reml);
      expectClose(fast.value, want, { rtol: 1e-12, label: `θ = ${theta}, REML ${reml}` });
      const slow = evaluate(js, theta, reml);
      expectClose(slow.value, want, { rtol: 1e-12, label: `JS kernels, θ = ${theta}, REML ${reml}` });
      // the canonical updateL of the model itself (grouped downdate, natural order) agrees too
      assert.ok(updateL(model, theta));
      expectClose(criterionFromL(model, reml), want, { rtol: 1e-12, label: `canonical θ = ${theta}` });
    }
}

/**
 * Subjects × items where both belong to one of `nc` clusters and 99.5% of a subject's observations
 * are on items of its own cluster (as students and lecturers in departments): the item block is
 * sparse after a fill-reducing order. Optional third scalar term with 9 random levels, optional
 * random slope (S = 2) on the item term.
 */
function clustered(
  nsubj: number,
  nitem: number,
  per: number,
  opts: { third?: boolean; slope?: boolean },
): LmmProblem {
  const r = rng(nsubj + nitem);
  const nc = 8;
  const n = nsubj * per;
  const subj = new Int32Array(n);
  const item = new Int32Array(n);
  const third = new Int32Array(n);
  const X = new Float64Array(2 * n);
  const y = new Float64Array(n);
  const S = opts.slope ? 2 : 1;
  const zi = new Float64Array(S * n);
  for (let s = 0; s < nsubj; s++)
    for (let k = 0; k < per; k++) {
      const t = s * per + k;
      const c = r() < 0.995 ? s % nc : Math.floor(r() * nc);
      subj[t] = s;
      item[t] = c + nc * Math.floor(r() * Math.floor(nitem / nc));
      third[t] = Math.floor(r() * 9);
      X[t] = 1;
      X[n + t] = r() - 0.5;
      zi[t * S] = 1;
      if (S === 2) zi[t * S + 1] = X[n + t];
      y[t] = X[n + t] + Math.sin(s) + Math.cos(item[t]) + 0.3 * third[t] + r();
    }
  const lv = (m: number): string[] => Array.from({ length: m }, (_, i) => `${i}`);
  const ones = new Float64Array(n).fill(1);
  const reterms: ReTerm[] = [
    { name: "subj", factor: "subj", levels: lv(nsubj), refs: subj, cnames: ["(Intercept)"], z: ones },
    {
      name: "item",
      factor: "item",
      levels: lv(nitem),
      refs: item,
      cnames: S === 2 ? ["(Intercept)", "x"] : ["(Intercept)"],
      z: zi,
    },
  ];
  if (opts.third)
    reterms.push({ name: "g3", factor: "g3", levels: lv(9), refs: third, cnames: ["(Intercept)"], z: ones });
  return { y, X, xnames: ["(Intercept)", "x"], reterms };
}

test("fill-reducing order of a dense block: objective unchanged (three crossed scalar terms)", () => {
  const model = createLmm(clustered(1500, 160, 6, { third: true }));
  assert.equal(model.L[1][1].kind, "dense");
  assert.ok(model.fast.plans[1], "a left-looking plan (fill-reducing order) is used for the 160-level block");
  assert.ok(model.fast.wasm && model.fast.kernel[1], "the 160-level block uses the WebAssembly kernels");
  check(model, [
    [1, 1, 1],
    [0.3, 2.5, 0.7],
    [0.5, 0, 1.2],
  ]);
});

test("fill-reducing order with a vector-valued second term", () => {
  const model = createLmm(clustered(1500, 96, 6, { slope: true }));
  assert.ok(
    model.fast.plans[1],
    "a left-looking plan (fill-reducing order) is used for the 96-level, S = 2 block",
  );
  check(model, [
    [1, 1, 0, 1],
    [0.4, 1.3, -0.6, 0.8],
  ]);
});

/** Balanced crossed design: every subject sees `per` distinct items (optional random slope per subject). */
function balanced(nsubj: number, nitem: number, per: number, seed: number, slope = false): LmmProblem {
  const r = rng(seed);
  const n = nsubj * per;
  const subj = new Int32Array(n);
  const item = new Int32Array(n);
  const X = new Float64Array(2 * n);
  const y = new Float64Array(n);
  const perm = Int32Array.from({ length: nitem }, (_, i) => i);
  for (let s = 0; s < nsubj; s++) {
    for (let k = 0; k < per; k++) {
      const j = k + Math.floor(r() * (nitem - k));
      [perm[k], perm[j]] = [perm[j], perm[k]];
      const t = s * per + k;
      subj[t] = s;
      item[t] = perm[k];
      X[t] = 1;
      X[n + t] = r() - 0.5;
      y[t] = X[n + t] + Math.sin(s) + Math.cos(perm[k]) + r();
    }
  }
  const ones = new Float64Array(n).fill(1);
  const lv = (m: number): string[] => Array.from({ length: m }, (_, i) => `${i}`);
  const zs = new Float64Array(2 * n);
  for (let t = 0; t < n; t++) {
    zs[2 * t] = 1;
    zs[2 * t + 1] = X[n + t];
  }
  const subjTerm: ReTerm = slope
    ? { name: "subj", factor: "subj", levels: lv(nsubj), refs: subj, cnames: ["(Intercept)", "x"], z: zs }
    : { name: "subj", factor: "subj", levels: lv(nsubj), refs: subj, cnames: ["(Intercept)"], z: ones };
  return {
    y,
    X,
    xnames: ["(Intercept)", "x"],
    reterms: [
      subjTerm,
      { name: "item", factor: "item", levels: lv(nitem), refs: item, cnames: ["(Intercept)"], z: ones },
    ],
  };
}

test("grouped downdate (balanced crossed design): objective unchanged", () => {
  const model = createLmm(balanced(3000, 300, 20, 5));
  assert.equal(model.L[1][0].kind, "sparse");
  assert.ok(model.fast.grouped[1], "one group: every subject has 20 observations");
  check(model, [
    [1, 1],
    [0.2, 3],
    [2, 0],
  ]);
});

test("natural-order plan (no fill-reducing order, no grouping: random slope per subject)", () => {
  const model = createLmm(balanced(1500, 200, 20, 11, true));
  assert.equal(model.fast.grouped[1], null, "a vector-valued first term has no grouped downdate");
  assert.ok(model.fast.plans[1], "the 200-level dense block gets a plan in its natural order");
  assert.deepEqual(
    Array.from(model.fast.plans[1].plan.order),
    Array.from({ length: 200 }, (_, i) => i),
  );
  check(model, [
    [1, 0, 1, 1],
    [0.6, -0.3, 0.4, 1.7],
  ]);
});

test("after evaluate, updateL restores the canonical factor", () => {
  const problem = clustered(1500, 160, 6, { third: true });
  const a = createLmm(problem);
  const b = createLmm(problem);
  const theta = [0.3, 2.5, 0.7];
  evaluate(a, theta, true);
  assert.ok(updateL(a, theta));
  assert.ok(updateL(b, theta));
  for (let i = 0; i < a.L.length; i++)
    for (let j = 0; j <= i; j++) assert.deepEqual(a.L[i][j].data, b.L[i][j].data, `L[${i}][${j}]`);
});
