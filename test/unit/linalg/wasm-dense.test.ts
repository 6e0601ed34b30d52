/**
 * The WebAssembly SIMD kernels (src/linalg/wasm-dense.ts) against the JS ones in dense-cholesky.ts:
 * the trailing update (against its definition, and through choleskyInPlace's pending update),
 * X ← X·L⁻ᵀ, the untouched upper triangle, exact-zero panels, and the committed binary being what
 * scripts/build-wasm.mjs builds now. (The sparse left-looking phase, `leftLooking`, is tested
 * against the JS one in left-looking-plan.test.ts; here only its argument checks.)
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { test } from "node:test";
import type { BlockSparse } from "../../../src/linalg/block-types.ts";
import { choleskyInPlace, rightSolveLowerTransposed } from "../../../src/linalg/dense-cholesky.ts";
import { buildLeftLookingPlan, leftLookingWasmBytes } from "../../../src/linalg/left-looking-plan.ts";
import { createWasmDense, type WasmDense } from "../../../src/linalg/wasm-dense.ts";

const REL = 1e-13;
const NMAX = 260;

/** Seeded LCG (Numerical Recipes constants), uniform on [-0.5, 0.5). */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296 - 0.5;
  };
}

let shared: { w: WasmDense; a: Float64Array; b: Float64Array; x: Float64Array } | undefined;
function wasm(): { w: WasmDense; a: Float64Array; b: Float64Array; x: Float64Array } {
  if (shared) return shared;
  const w = createWasmDense(2 * NMAX * NMAX + 32 * NMAX);
  assert.ok(w, "Node 20 has WebAssembly SIMD");
  shared = { w, a: w.alloc(NMAX * NMAX), b: w.alloc(NMAX * NMAX), x: w.alloc(32 * NMAX) };
  return shared;
}

type Zeros = "none" | "columns" | "blocks" | "sparse";

/**
 * Fills of the upper triangle: NaN (would spread into the lower one if read) and a finite
 * sentinel (a write there, even one that keeps a NaN a NaN, changes it).
 */
const UPPER = [Number.NaN, 1234.5] as const;

/**
 * n×n column-major, random lower triangle, `upper` above the diagonal. Panel columns [k0, k1) get
 * exact zeros by `zeros`: whole columns, runs of rows, or most entries.
 */
function randomMatrix(
  n: number,
  k0: number,
  k1: number,
  zeros: Zeros,
  seed: number,
  upper: number,
): Float64Array {
  const r = lcg(seed);
  const a = new Float64Array(n * n);
  for (let j = 0; j < n; j++)
    for (let i = 0; i < n; i++) a[j * n + i] = i < j ? upper : r() + (i === j ? 2 : 0);
  for (let t = k0; t < k1; t++) {
    const col = t * n;
    if (zeros === "columns" && r() < 0.4) for (let i = t; i < n; i++) a[col + i] = 0;
    if (zeros === "blocks") {
      const lo = k1 + Math.floor((r() + 0.5) * (n - k1));
      const hi = Math.min(n, lo + 1 + Math.floor((r() + 0.5) * 12));
      for (let i = lo; i < hi; i++) a[col + i] = 0;
    }
    if (zeros === "sparse") for (let i = t; i < n; i++) if (r() < 0.85) a[col + i] = r() < 0 ? -0 : 0;
  }
  if (zeros === "sparse") for (let i = k1; i < n; i += 3) for (let t = k0; t < k1; t++) a[t * n + i] = 0;
  return a;
}

/** The definition, with the magnitude |a[i,j]| + Σ|a[i,t]·a[j,t]| of every updated entry. */
function referenceUpdate(a: Float64Array, n: number, k0: number, k1: number): Float64Array {
  const mag = new Float64Array(n * n);
  for (let j = k1; j < n; j++)
    for (let i = j; i < n; i++) {
      let s = 0;
      let m = Math.abs(a[j * n + i]);
      for (let t = k0; t < k1; t++) {
        s += a[t * n + i] * a[t * n + j];
        m += Math.abs(a[t * n + i] * a[t * n + j]);
      }
      a[j * n + i] -= s;
      mag[j * n + i] = m;
    }
  return mag;
}

function checkUpdate(
  got: Float64Array,
  want: Float64Array,
  mag: Float64Array,
  n: number,
  upper: number,
  label: string,
): void {
  for (let j = 0; j < n; j++)
    for (let i = 0; i < n; i++) {
      const p = j * n + i;
      if (i < j) {
        assert.ok(Object.is(got[p], upper), `${label}: upper (${i},${j}) written: ${got[p]}`);
        continue;
      }
      const d = Math.abs(got[p] - want[p]);
      assert.ok(d <= REL * mag[p], `${label}: (${i},${j}) ${got[p]} vs ${want[p]} (Δ ${d}, mag ${mag[p]})`);
    }
}

const seen = new Set<string>();
const cases: [n: number, k0: number, k1: number][] = [];
const addCase = (n: number, k0: number, k1: number): void => {
  if (seen.has(`${n},${k0},${k1}`)) return;
  seen.add(`${n},${k0},${k1}`);
  cases.push([n, k0, k1]);
};
for (const n of [1, 2, 3, 4, 5, 6, 7, 8, 9, 13, 31, 64, 65, 67, 130, 203]) {
  for (const w of [1, 3, 4, 5, 64, 100]) {
    for (const k0 of [0, 1, Math.floor(n / 3)]) {
      const k1 = Math.min(n, k0 + w);
      if (k1 > k0) addCase(n, k0, k1);
    }
    if (n > w) addCase(n, n - 1 - w, n - 1); // k1 = n − 1: one trailing column
    if (n >= w) addCase(n, n - w, n); // nothing to update
  }
}

test(`trailingUpdate matches its definition (${cases.length} shapes × 4 zero patterns), upper untouched`, () => {
  const { w, a } = wasm();
  let seed = 1;
  for (const [n, k0, k1] of cases)
    for (const zeros of ["none", "columns", "blocks", "sparse"] as const) {
      const upper = UPPER[seed & 1];
      const want = randomMatrix(n, k0, k1, zeros, seed++, upper);
      const view = a.subarray(0, n * n);
      view.set(want);
      const mag = referenceUpdate(want, n, k0, k1);
      w.trailingUpdate(view, n, k0, k1);
      checkUpdate(view, want, mag, n, upper, `n=${n} k0=${k0} k1=${k1} ${zeros}`);
    }
});

test("trailingUpdate leaves the panel and earlier columns bit-identical", () => {
  const { w, a } = wasm();
  const n = 157;
  const before = randomMatrix(n, 20, 84, "blocks", 77, Number.NaN);
  const view = a.subarray(0, n * n);
  view.set(before);
  w.trailingUpdate(view, n, 20, 84);
  for (let p = 0; p < 84 * n; p++) assert.ok(Object.is(view[p], before[p]), `entry ${p} changed`);
});

/**
 * The state of a blocked factorisation with columns [0, k1) factorised and the updates from
 * [k0, k1) still pending: the trailing block is S + P Pᵀ with S SPD and P = a[k1.., k0..k1).
 */
function pendingState(
  n: number,
  k0: number,
  k1: number,
  zeros: Zeros,
  seed: number,
  upper: number,
): Float64Array {
  const a = randomMatrix(n, k0, k1, zeros, seed, upper);
  const r = lcg(seed + 1000);
  for (let j = k1; j < n; j++)
    for (let i = j; i < n; i++) {
      let s = 0.1 * r() + (i === j ? n : 0);
      for (let t = k0; t < k1; t++) s += a[t * n + i] * a[t * n + j];
      a[j * n + i] = s;
    }
  return a;
}

test("wasm trailingUpdate + choleskyInPlace(from k1) equals choleskyInPlace's own pending update", () => {
  const { w, a } = wasm();
  let seed = 5;
  for (const [n, k0, k1] of [
    [9, 0, 3],
    [40, 7, 8],
    [70, 0, 64],
    [129, 30, 94],
    [203, 10, 150],
    [203, 100, 202],
  ] as const)
    for (const zeros of ["none", "sparse"] as const) {
      const upper = UPPER[seed & 1];
      const js = pendingState(n, k0, k1, zeros, seed++, upper);
      const view = a.subarray(0, n * n);
      view.set(js);
      assert.equal(choleskyInPlace(js, n, k1, k0), -1);
      w.trailingUpdate(view, n, k0, k1);
      assert.equal(choleskyInPlace(view, n, k1), -1);
      let scale = 0;
      for (let j = 0; j < n; j++)
        for (let i = j; i < n; i++) scale = Math.max(scale, Math.abs(js[j * n + i]));
      for (let j = 0; j < n; j++)
        for (let i = 0; i < n; i++) {
          const p = j * n + i;
          if (i < j) assert.ok(Object.is(view[p], upper), `n=${n}: upper (${i},${j}) written`);
          else
            assert.ok(
              Math.abs(view[p] - js[p]) <= REL * scale,
              `n=${n} k0=${k0} k1=${k1} ${zeros}: L(${i},${j}) ${view[p]} vs ${js[p]}`,
            );
        }
    }
});

/** Lower n×n with a dominant diagonal, many exact zeros (whole columns, runs), NaN above. */
function randomLower(n: number, seed: number): Float64Array {
  const r = lcg(seed);
  const L = new Float64Array(n * n).fill(Number.NaN);
  for (let j = 0; j < n; j++) {
    const kind = r();
    for (let i = j; i < n; i++) {
      let v = i === j ? 1.5 + r() : r() / Math.sqrt(n);
      if (i > j && (kind < -0.3 || (kind < 0.1 && r() < 0.7) || (i >= j + 5 && i < j + 11))) v = 0;
      L[j * n + i] = v;
    }
  }
  return L;
}

test("rightSolveLowerTransposed matches the JS solve (rows 1, 2, 3, 4, 5, 16, 29)", () => {
  const { w, b, x } = wasm();
  let seed = 11;
  for (const n of [1, 2, 3, 4, 5, 7, 8, 9, 63, 130, 203])
    for (const rows of [1, 2, 3, 4, 5, 16, 29]) {
      const L = randomLower(n, seed++);
      const r = lcg(seed++);
      const want = Float64Array.from({ length: rows * n }, r);
      const Lw = b.subarray(0, n * n);
      const Xw = x.subarray(0, rows * n);
      Lw.set(L);
      Xw.set(want);
      rightSolveLowerTransposed(L, n, want, rows);
      w.rightSolveLowerTransposed(Lw, n, Xw, rows);
      let scale = 0;
      for (const v of want) scale = Math.max(scale, Math.abs(v));
      for (let p = 0; p < rows * n; p++)
        assert.ok(
          Math.abs(Xw[p] - want[p]) <= REL * scale,
          `n=${n} rows=${rows}: X[${p % rows},${Math.floor(p / rows)}] ${Xw[p]} vs ${want[p]}`,
        );
      for (let p = 0; p < n * n; p++) assert.ok(Object.is(Lw[p], L[p]), `n=${n}: L changed`);
    }
});

test("alloc hands out disjoint views, refuses too much; kernels refuse foreign arrays", () => {
  const w = createWasmDense(100);
  assert.ok(w);
  const u = w.alloc(60);
  const v = w.alloc(40);
  assert.equal(u.buffer, v.buffer);
  assert.equal(u.byteOffset + 60 * 8, v.byteOffset);
  assert.throws(() => w.alloc(1), RangeError);
  assert.throws(() => w.trailingUpdate(new Float64Array(16), 4, 0, 2), TypeError);
  assert.throws(() => w.trailingUpdate(u, 9, 0, 2), RangeError);
  assert.throws(() => w.rightSolveLowerTransposed(u, 6, new Float64Array(12), 2), TypeError);
  assert.throws(() => createWasmDense(-1), RangeError);
});

test("allocInt32 shares the space of alloc on 8-byte boundaries; extraBytes adds room", () => {
  const w = createWasmDense(4, 28); // 32 + 32 bytes
  assert.ok(w);
  const i = w.allocInt32(3);
  const d = w.alloc(2);
  assert.equal(i.buffer, d.buffer);
  assert.equal(d.byteOffset, i.byteOffset + 16);
  assert.equal(d.byteOffset % 8, 0);
  const j = w.allocInt32(5);
  assert.equal(j.byteOffset, d.byteOffset + 16);
  assert.equal(w.alloc(1).byteOffset, j.byteOffset + 24);
  assert.throws(() => w.allocInt32(1), RangeError);
  assert.equal(w.alloc(0).length, 0);
  assert.throws(() => w.allocInt32(-1), RangeError);
  assert.throws(() => createWasmDense(4, -1), RangeError);
  assert.throws(() => createWasmDense(4, 0.5), RangeError);
});

test("leftLooking refuses arrays outside the instance and too-short ones", () => {
  const nl = 40;
  // 30 columns with two rows each, c and c + 9 (mod nl), sorted
  const rowblk = new Int32Array(60);
  for (let c = 0; c < 30; c++) {
    const a = c % nl;
    const b = (c + 9) % nl;
    rowblk[2 * c] = Math.min(a, b);
    rowblk[2 * c + 1] = Math.max(a, b);
  }
  const V: BlockSparse = {
    kind: "sparse",
    Sr: 1,
    Sc: 1,
    nrb: nl,
    ncb: 30,
    colptr: Int32Array.from({ length: 31 }, (_, c) => 2 * c),
    rowblk,
    data: Float64Array.from({ length: 60 }, (_, x) => 0.1 * (x % 5) - 0.2),
  };
  const js = buildLeftLookingPlan(
    nl,
    1,
    Int32Array.from({ length: nl }, (_, i) => i),
    [V],
  );
  const w = createWasmDense(2 * nl * nl, leftLookingWasmBytes(js));
  assert.ok(w);
  const work = w.alloc(nl * nl);
  const plan = buildLeftLookingPlan(nl, 1, js.order, [V], w);
  plan.diagVal.fill(10);
  assert.equal(w.leftLooking(work, plan), -1);
  assert.throws(() => w.leftLooking(new Float64Array(nl * nl), plan), TypeError);
  assert.throws(() => w.leftLooking(w.alloc(nl * nl - 1), plan), RangeError);
  assert.throws(() => w.leftLooking(work, js), TypeError);
  assert.throws(() => w.leftLooking(work, { ...plan, pivRow: js.pivRow }), TypeError);
  assert.throws(() => w.leftLooking(work, { ...plan, srcBatch: plan.srcBatch.subarray(1) }), RangeError);
  assert.throws(() => w.leftLooking(work, { ...plan, tgtPivPtr: plan.tgtPivPtr.subarray(1) }), RangeError);
  assert.throws(() => w.leftLooking(work, { ...plan, nsparse: nl + 1 }), RangeError);
  const other = createWasmDense(nl * nl);
  assert.ok(other);
  assert.throws(() => other.leftLooking(other.alloc(nl * nl), plan), TypeError);
});

test("createWasmDense is null without WebAssembly, or when the module does not compile (no SIMD)", () => {
  const url = new URL("../../../src/linalg/wasm-dense.ts", import.meta.url).href;
  for (const stub of [
    "delete globalThis.WebAssembly;",
    "globalThis.WebAssembly = { ...WebAssembly, Module: class { constructor() { throw new WebAssembly.CompileError('simd'); } } };",
  ]) {
    // import first (tsx itself uses WebAssembly), then take it away: the module is compiled lazily
    const code = `const { createWasmDense } = await import(${JSON.stringify(url)}); ${stub} console.log(String(createWasmDense(16)));`;
    const r = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", code], {
      encoding: "utf8",
    });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), "null", stub);
  }
});

test("the committed src/linalg/wasm-kernels-binary.ts is what scripts/build-wasm.mjs builds", () => {
  const root = fileURLToPath(new URL("../../../", import.meta.url));
  const r = spawnSync(process.execPath, ["scripts/build-wasm.mjs", "--stdout"], {
    cwd: root,
    encoding: "utf8",
  });
  assert.equal(r.status, 0, r.stderr);
  const committed = readFileSync(`${root}src/linalg/wasm-kernels-binary.ts`, "utf8");
  assert.ok(
    r.stdout === committed,
    "src/linalg/wasm-kernels-binary.ts is stale: run `npm run build:wasm` (assembly/dense-kernels.ts changed)",
  );
  const size = committed.match(/\((\d+) bytes/);
  assert.ok(size && Number(size[1]) < 4096, "module under 4 KB (Chrome's synchronous-compile limit)");
});
