/**
 * Fill-reducing order + left-looking planned Cholesky of D − Σ V Vᵀ and the grouped downdate,
 * each against a naive reference on seeded random matrices. The sparse phase in WebAssembly
 * (plans whose arrays live in a WasmDense instance) against the JS one, bit for bit.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { type BlockSparse, toDense } from "../../../src/linalg/block-types.ts";
import { choleskyInPlace } from "../../../src/linalg/dense-cholesky.ts";
import { applyGroupedDowndate, buildGroupedDowndate } from "../../../src/linalg/grouped-downdate.ts";
import { addEdge, bitGraph, levelOrdering, minimumDegreeOrder } from "../../../src/linalg/min-degree.ts";
import {
  buildLeftLookingPlan,
  factorLeftLooking,
  type LeftLookingPlan,
  leftLookingPlanInWasm,
  leftLookingWasmBytes,
} from "../../../src/linalg/left-looking-plan.ts";
import { createWasmDense, type WasmDense } from "../../../src/linalg/wasm-dense.ts";
import { naiveCholesky, rng, sparseSpd } from "../../helpers/dense-reference.ts";
import { expectClose } from "../../helpers/expect-close.ts";

test("minimumDegreeOrder is a permutation and eliminates a star's leaves first", () => {
  const g = bitGraph(40);
  for (let v = 1; v < 40; v++) addEdge(g, 0, v);
  const { order, cost } = minimumDegreeOrder(g);
  assert.deepEqual(
    [...order].sort((a, b) => a - b),
    Array.from({ length: 40 }, (_, i) => i),
  );
  assert.notEqual(order[0], 0); // the hub (degree 39) is not eliminated first
  assert.ok(cost < 40 * 4, `cost ${cost}: a star ordered leaves-first has no fill`);
});

/**
 * Column-sparse V (nl row blocks of size S, `ncols` column blocks of width Sc, `nnz` row blocks
 * per column block) with seeded values.
 */
function randomSparse(
  nl: number,
  S: number,
  ncols: number,
  Sc: number,
  nnz: number,
  seed: number,
): BlockSparse {
  const r = rng(seed);
  const colptr = new Int32Array(ncols + 1);
  const rows: number[] = [];
  for (let c = 0; c < ncols; c++) {
    const set = new Set<number>();
    while (set.size < Math.min(nnz, nl)) set.add(Math.floor(r() * nl));
    rows.push(...[...set].sort((a, b) => a - b));
    colptr[c + 1] = rows.length;
  }
  const data = Float64Array.from({ length: rows.length * S * Sc }, () => r() - 0.5);
  return { kind: "sparse", Sr: S, Sc, nrb: nl, ncb: ncols, colptr, rowblk: Int32Array.from(rows), data };
}

/** D − Σ V Vᵀ densely (full symmetric n×n), with D block diagonal and dominant enough to be SPD. */
function schur(
  nl: number,
  S: number,
  V: readonly BlockSparse[],
  seed: number,
): { M: Float64Array; D: Float64Array } {
  const n = nl * S;
  const M = new Float64Array(n * n);
  for (const b of V) {
    const full = toDense(b).data; // n × (ncb·Sc)
    const cols = b.ncb * b.Sc;
    for (let c = 0; c < cols; c++)
      for (let i = 0; i < n; i++) {
        const vi = full[c * n + i];
        if (vi === 0) continue;
        for (let j = 0; j < n; j++) M[j * n + i] -= vi * full[c * n + j];
      }
  }
  let rowMax = 0;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += Math.abs(M[j * n + i]);
    rowMax = Math.max(rowMax, s);
  }
  const r = rng(seed);
  const SS = S * S;
  const D = new Float64Array(nl * SS);
  for (let l = 0; l < nl; l++)
    for (let c = 0; c < S; c++)
      for (let q = c; q < S; q++) {
        const v = q === c ? rowMax + S + 1 + r() : r() - 0.5;
        D[l * SS + c * S + q] = v;
        M[(l * S + c) * n + l * S + q] += v;
        if (q !== c) M[(l * S + q) * n + l * S + c] += v;
      }
  return { M, D };
}

function lowerOf(M: Float64Array, n: number): number[] {
  const out: number[] = [];
  for (let j = 0; j < n; j++) for (let i = j; i < n; i++) out.push(M[j * n + i]);
  return out;
}

// the last column: does the plan keep some leading columns sparse (else all go to the dense kernel)
const CONFIGS = [
  [70, 1, 200, 1, 3, 1, 1],
  [130, 1, 300, 1, 3, 1, 1],
  [257, 1, 400, 1, 4, 2, 1],
  [300, 1, 150, 1, 40, 1, 0],
  [90, 2, 150, 1, 2, 1, 1],
  [80, 2, 120, 2, 3, 2, 1],
] as const;

/** Seeded sources V (`nblocks` blocks), D, the Schur complement M and the level order. */
function problem(config: (typeof CONFIGS)[number]): {
  n: number;
  S: number;
  V: BlockSparse[];
  M: Float64Array;
  D: Float64Array;
  order: Int32Array;
} {
  const [nl, S, ncols, Sc, nnz, nblocks] = config;
  const V = Array.from({ length: nblocks }, (_, b) => randomSparse(nl, S, ncols, Sc, nnz, nl + ncols + b));
  const { M, D } = schur(nl, S, V, nl);
  const n = nl * S;
  const lev = levelOrdering(V, nl) ?? Int32Array.from({ length: nl }, (_, i) => i);
  const order = new Int32Array(n);
  for (let l = 0; l < nl; l++) for (let s = 0; s < S; s++) order[l * S + s] = lev[l] * S + s;
  return { n, S, V, M, D, order };
}

for (const config of CONFIGS) {
  const [nl, S, , , nnz, nblocks, sparse] = config;
  test(`left-looking Cholesky of P (D − Σ V Vᵀ) Pᵀ matches the naive factor (${nl} levels, S = ${S}, ${nblocks} block(s), ${nnz} nnz/col)`, () => {
    const { n, V, M, D, order } = problem(config);
    const plan = buildLeftLookingPlan(n, S, order, V);
    assert.equal(plan.nsparse > 0, sparse === 1, `${plan.nsparse} sparse columns`);
    // reference: permute densely, factor naively
    const P = new Float64Array(n * n);
    for (let j = 0; j < n; j++) for (let i = j; i < n; i++) P[j * n + i] = M[order[j] * n + order[i]];
    const ref = naiveCholesky(P, n);
    const work = new Float64Array(n * n).fill(Number.NaN); // every entry is (re)written
    assert.equal(factorLeftLooking(plan, D, work), -1);
    expectClose(lowerOf(work, n), lowerOf(ref, n), { atol: 1e-12, label: "factor" });
    // the plan is reusable: new values on the same pattern
    for (const b of V) for (let x = 0; x < b.data.length; x++) b.data[x] *= 0.5;
    const again = schur(nl, S, V, nl + 1);
    for (let j = 0; j < n; j++) for (let i = j; i < n; i++) P[j * n + i] = again.M[order[j] * n + order[i]];
    assert.equal(factorLeftLooking(plan, again.D, work), -1);
    expectClose(lowerOf(work, n), lowerOf(naiveCholesky(P, n), n), { atol: 1e-12, label: "refactor" });
    // log-determinant is invariant under the permutation
    const natural = Float64Array.from(again.M);
    assert.equal(choleskyInPlace(natural, n), -1);
    let ld0 = 0;
    let ld1 = 0;
    for (let s = 0; s < n; s++) {
      ld0 += Math.log(natural[s * n + s]);
      ld1 += Math.log(work[s * n + s]);
    }
    expectClose(ld1, ld0, { rtol: 1e-13, atol: 1e-12, label: "log det" });
  });
}

test("left-looking Cholesky reports the failing pivot", () => {
  const nl = 5;
  const V = [randomSparse(nl, 1, 3, 1, 1, 2)];
  const D = Float64Array.from({ length: nl }, (_, l) => (l === 3 ? -1 : 10));
  const order = Int32Array.from({ length: nl }, (_, i) => i);
  const plan = buildLeftLookingPlan(nl, 1, order, V);
  const failed = factorLeftLooking(plan, D, new Float64Array(nl * nl));
  assert.equal(failed, 3);
  const w = createWasmDense(nl * nl, leftLookingWasmBytes(plan));
  assert.ok(w, "Node 20 has WebAssembly SIMD");
  assert.equal(factorLeftLooking(leftLookingPlanInWasm(plan, w), D, w.alloc(nl * nl), w), 3);
});

/** A wasm instance holding two n×n work arrays and a copy of `plan`, sized exactly. */
function inWasm(plan: LeftLookingPlan): {
  w: WasmDense;
  wplan: LeftLookingPlan;
  a: Float64Array;
  b: Float64Array;
} {
  const { n } = plan;
  const w = createWasmDense(2 * n * n, leftLookingWasmBytes(plan));
  assert.ok(w, "Node 20 has WebAssembly SIMD");
  const a = w.alloc(n * n);
  const b = w.alloc(n * n);
  const wplan = buildLeftLookingPlan(n, plan.S, plan.order, plan.sources, w);
  assert.throws(() => w.allocInt32(1), RangeError, "leftLookingWasmBytes is the exact size");
  return { w, wplan, a, b };
}

function assertSameBits(got: Float64Array, want: Float64Array, label: string): void {
  assert.equal(got.length, want.length);
  for (let p = 0; p < want.length; p++)
    if (!Object.is(got[p], want[p])) assert.fail(`${label}: entry ${p}: ${got[p]} vs ${want[p]}`);
}

for (const config of CONFIGS) {
  const [nl, S, , , nnz, nblocks] = config;
  test(`wasm sparse phase gives the JS factor bit for bit, reused with new values (${nl} levels, S = ${S}, ${nblocks} block(s), ${nnz} nnz/col)`, () => {
    const { n, V, D, order } = problem(config);
    const plan = buildLeftLookingPlan(n, S, order, V);
    const { w, wplan, a, b } = inWasm(plan);
    assert.equal(wplan.wasm, w);
    assert.equal(wplan.srcRow.buffer, a.buffer, "the plan's arrays live in the instance");
    assert.equal(wplan.nsparse, plan.nsparse);
    const js = new Float64Array(n * n);
    const r = rng(nl + 7);
    for (let round = 0; round < 3; round++) {
      // new values on the same pattern (and a fresh D)
      if (round > 0) for (const blk of V) for (let x = 0; x < blk.data.length; x++) blk.data[x] *= 0.4 + r();
      const Dr = round === 0 ? D : schur(nl, S, V, nl + round).D;
      a.fill(Number.NaN);
      b.fill(Number.NaN);
      js.fill(Number.NaN);
      assert.equal(factorLeftLooking(plan, Dr, a, w), -1); // JS sparse phase, wasm dense kernel
      assert.equal(factorLeftLooking(wplan, Dr, b, w), -1); // both in wasm
      assertSameBits(b, a, `round ${round}: wasm vs JS sparse phase`);
      assertSameBits(wplan.pivVal, plan.pivVal, `round ${round}: pivVal`);
      // the JS path also runs on a plan in wasm memory (another kernel, or none)
      assert.equal(factorLeftLooking(plan, Dr, js), -1);
      assert.equal(factorLeftLooking(wplan, Dr, b), -1);
      assertSameBits(b, js, `round ${round}: JS path on the wasm plan`);
    }
    // a plan in another instance's memory runs its sparse phase in JS with this kernel
    const other = inWasm(plan);
    assert.equal(factorLeftLooking(other.wplan, D, a, w), -1);
  });

  test(`wasm sparse phase reports the failing pivot like the JS one (${nl} levels, S = ${S}, ${nblocks} block(s))`, () => {
    const { n, V, D, order } = problem(config);
    const plan = buildLeftLookingPlan(n, S, order, V);
    const { w, wplan, a, b } = inWasm(plan);
    const SS = S * S;
    const cols = [0, Math.floor(plan.nsparse / 2), plan.nsparse - 1, plan.nsparse, n - 1].filter(
      (c, i, all) => c >= 0 && c < n && all.indexOf(c) === i,
    );
    for (const jj of cols)
      for (const bad of [-1e6, Number.NaN]) {
        // the diagonal entry of D at permuted column jj
        const c = order[jj];
        const Dbad = Float64Array.from(D);
        Dbad[Math.floor(c / S) * SS + (c % S) * (S + 1)] = bad;
        // the earlier columns do not read that entry, so column jj is the first to fail
        assert.equal(factorLeftLooking(plan, Dbad, a, w), jj, `JS: column ${jj}, D = ${bad}`);
        assert.equal(factorLeftLooking(wplan, Dbad, b, w), jj, `wasm: column ${jj}, D = ${bad}`);
        if (jj < plan.nsparse) assertSameBits(wplan.pivVal, plan.pivVal, `column ${jj}: pivVal`);
      }
  });
}

test("grouped downdate equals the scattered sparse downdate", () => {
  const n = 60;
  const ncols = 3000;
  const { B } = sparseSpd(n, ncols, 12, 17);
  const r = rng(23);
  const d = Float64Array.from({ length: ncols }, () => [3, 5, 8][Math.floor(r() * 3)]);
  const gd = buildGroupedDowndate(B, d);
  assert.ok(gd, "3 groups of 3000 columns: grouping pays");
  const l0 = 0.7;
  const lj = 1.3;
  const C1 = new Float64Array(n * n).fill(2);
  const C2 = Float64Array.from(C1);
  applyGroupedDowndate(C1, gd, (l0 * lj) ** 2, l0 * l0);
  for (let c = 0; c < ncols; c++) {
    const f = (l0 * lj) / Math.sqrt(1 + l0 * l0 * d[c]);
    for (let a = B.colptr[c]; a < B.colptr[c + 1]; a++)
      for (let b = B.colptr[c]; b <= a; b++)
        C2[B.rowblk[b] * n + B.rowblk[a]] -= B.data[a] * f * B.data[b] * f;
  }
  const low = (M: Float64Array): number[] => {
    const out: number[] = [];
    for (let j = 0; j < n; j++) for (let i = j; i < n; i++) out.push(M[j * n + i]);
    return out;
  };
  expectClose(low(C1), low(C2), { atol: 1e-11, label: "downdate" });
  assert.equal(
    buildGroupedDowndate(
      B,
      Float64Array.from({ length: ncols }, (_, i) => i),
    ),
    null,
  );
});
