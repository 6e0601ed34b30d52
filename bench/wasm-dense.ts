/**
 * Micro-benchmark of the WebAssembly SIMD dense kernels (src/linalg/wasm-dense.ts) against the JS
 * ones (src/linalg/dense-cholesky.ts): a full blocked Cholesky of a random SPD n×n matrix (n = 750,
 * 1128) by `choleskyInPlace` with the JS kernels and with the wasm trailing update (the engine's
 * path: panels of KERNEL_PANEL columns), and X ← X·L⁻ᵀ for rows = 16, n = 1128. Medians; each case
 * is warmed up ≥ 1 s first (V8 tiers up late on a 2-core machine).
 *
 *   node --import tsx bench/wasm-dense.ts [--quick]
 */
import {
  choleskyInPlace,
  KERNEL_PANEL,
  rightSolveLowerTransposed,
  type TrailingKernel,
} from "../src/linalg/dense-cholesky.ts";
import { createWasmDense, type WasmDense } from "../src/linalg/wasm-dense.ts";
import { seededRng } from "./seeded-rng.ts";

const quick = process.argv.includes("--quick");
const reps = quick ? 5 : 15;
const NB = KERNEL_PANEL;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Warm `f` up for ≥ `warmMs`, then the median of `reps` timed runs (ms). */
function bench(f: () => void, warmMs = 1000): number {
  const t0 = performance.now();
  while (performance.now() - t0 < warmMs) f();
  const out: number[] = [];
  for (let r = 0; r < reps; r++) {
    const t = performance.now();
    f();
    out.push(performance.now() - t);
  }
  return median(out);
}

/** B Bᵀ + n I for a random n×16 B (lower triangle; column-major). */
function spd(n: number, seed: number): Float64Array {
  const r = seededRng(seed);
  const k = 16;
  const B = Float64Array.from({ length: n * k }, () => r.uniform() - 0.5);
  const A = new Float64Array(n * n);
  for (let j = 0; j < n; j++)
    for (let i = j; i < n; i++) {
      let s = 0;
      for (let x = 0; x < k; x++) s += B[x * n + i] * B[x * n + j];
      A[j * n + i] = s + (i === j ? n : 0);
    }
  return A;
}

/** The wasm kernel, timed: adds the time spent in it to `timer.update`. */
function timed(w: WasmDense, timer: { update: number }): TrailingKernel {
  return {
    trailingUpdate(a: Float64Array, n: number, k0: number, k1: number): void {
      const t = performance.now();
      w.trailingUpdate(a, n, k0, k1);
      timer.update += performance.now() - t;
    },
  };
}

/** Multiply-adds of all trailing updates of a blocked Cholesky of order n. */
function updateMadds(n: number): number {
  let s = 0;
  for (let k0 = 0; k0 < n; k0 += NB) {
    const k1 = Math.min(n, k0 + NB);
    const m = n - k1;
    s += ((k1 - k0) * m * (m + 1)) / 2;
  }
  return s;
}

const gmadd = (madds: number, ms: number): string => (madds / ms / 1e6).toFixed(2);

console.log(`node ${process.version}; medians of ${reps} runs after ≥ 1 s warm-up each`);
const sizes = [750, 1128];
const nmax = Math.max(...sizes);
const w = createWasmDense(nmax * nmax + 16 * nmax + nmax * nmax);
if (!w) throw new Error("no WebAssembly SIMD here");
const wa = w.alloc(nmax * nmax);
const wl = w.alloc(nmax * nmax);
const wx = w.alloc(16 * nmax);

console.log(
  `\nblocked Cholesky: total ms (JS: panels of 64; wasm: panels of ${NB}); the wasm trailing update's ms and G multiply-adds/s`,
);
for (const n of sizes) {
  const A = spd(n, n);
  const js = new Float64Array(n * n);
  const a = wa.subarray(0, n * n);
  const jsMs = bench(() => {
    js.set(A);
    if (choleskyInPlace(js, n) >= 0) throw new Error("not SPD");
  });
  const timer = { update: 0 };
  const wasmMs = bench(() => {
    a.set(A);
    if (choleskyInPlace(a, n, 0, 0, timed(w, timer)) >= 0) throw new Error("not SPD");
  });
  // time split measured on separate runs after the warm-up
  timer.update = 0;
  const panelRuns = reps;
  const t0 = performance.now();
  for (let r = 0; r < panelRuns; r++) {
    a.set(A);
    choleskyInPlace(a, n, 0, 0, timed(w, timer));
  }
  const perRun = (performance.now() - t0) / panelRuns;
  const updMs = timer.update / panelRuns;
  const otherMs = perRun - updMs; // panels and the copy of A
  let maxDiff = 0;
  for (let j = 0; j < n; j++)
    for (let i = j; i < n; i++) maxDiff = Math.max(maxDiff, Math.abs(js[j * n + i] - a[j * n + i]));
  const madds = updateMadds(n);
  console.log(
    `  n = ${n}: JS ${jsMs.toFixed(1)} ms, wasm ${wasmMs.toFixed(1)} ms (×${(jsMs / wasmMs).toFixed(2)}); ` +
      `wasm trailing update ${updMs.toFixed(1)} ms (${gmadd(madds, updMs)} G/s), JS panels + copy ` +
      `${otherMs.toFixed(1)} ms; max |ΔL| ${maxDiff.toExponential(1)}`,
  );
}

console.log(
  "\nX ← X·L⁻ᵀ, rows = 16, n = 1128 (L dense; then L with 70% exact zeros in its first 800 columns)",
);
{
  const n = 1128;
  const rows = 16;
  const r = seededRng(7);
  const L = spd(n, 3);
  choleskyInPlace(L, n);
  const Ls = Float64Array.from(L);
  for (let j = 0; j < 800; j++) for (let i = j + 1; i < n; i++) if (r.uniform() < 0.7) Ls[j * n + i] = 0;
  const X0 = Float64Array.from({ length: rows * n }, () => r.uniform() - 0.5);
  const X = new Float64Array(rows * n);
  const x = wx.subarray(0, rows * n);
  const l = wl.subarray(0, n * n);
  const madds = (rows * n * (n - 1)) / 2;
  for (const [name, M] of [
    ["dense", L],
    ["sparse", Ls],
  ] as const) {
    l.set(M);
    const jsMs = bench(() => {
      X.set(X0);
      rightSolveLowerTransposed(M, n, X, rows);
    });
    const wasmMs = bench(() => {
      x.set(X0);
      w.rightSolveLowerTransposed(l, n, x, rows);
    });
    let maxDiff = 0;
    for (let p = 0; p < rows * n; p++) maxDiff = Math.max(maxDiff, Math.abs(X[p] - x[p]));
    console.log(
      `  ${name}: JS ${jsMs.toFixed(2)} ms (${gmadd(madds, jsMs)} G/s), wasm ${wasmMs.toFixed(2)} ms ` +
        `(${gmadd(madds, wasmMs)} G/s), ×${(jsMs / wasmMs).toFixed(2)}; max |ΔX| ${maxDiff.toExponential(1)}`,
    );
  }
}
