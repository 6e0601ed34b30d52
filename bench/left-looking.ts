/**
 * Micro-benchmark of factorLeftLooking (src/linalg/left-looking-plan.ts) on the InstEval plan the
 * engine builds for y ~ 1 + (1 | s) + (1 | d) + (1 | dept) (L[1][1], n = 1128 lecturers, the
 * students' block as the source): the sparse phase in JS vs in WebAssembly, the dense phase in the
 * wasm SIMD kernel in both. Whole factorisation, and phase by phase (run one after the other, each
 * timed): gather (source values), fill (JS: zero work + D), sparse (JS: the left-looking loop;
 * wasm: zero + D + the loop, per block), dense (choleskyInPlace from nsparse). Medians of ≥ 15
 * runs after ≥ 1 s warm-up; the two factors are compared bit for bit.
 *
 *   node --import tsx bench/left-looking.ts [--quick]
 */
import { buildDesign } from "../src/design/design.ts";
import { parseFormula } from "../src/formula/parse-formula.ts";
import { choleskyInPlace } from "../src/linalg/dense-cholesky.ts";
import {
  buildLeftLookingPlan,
  factorLeftLooking,
  type LeftLookingPlan,
  leftLookingPhases,
  leftLookingWasmBytes,
} from "../src/linalg/left-looking-plan.ts";
import { createWasmDense } from "../src/linalg/wasm-dense.ts";
import { createLmm } from "../src/lmm/lmm-model.ts";
import { objective } from "../src/lmm/update-l.ts";
import { readData } from "../src/node/read-data.ts";

const quick = process.argv.includes("--quick");
const reps = quick ? 7 : 31;
const warmMs = quick ? 300 : 1000;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * The cases run interleaved (one run of each in turn, so drifts of the machine hit all alike):
 * ≥ warmMs of warm-up, then `reps` rounds; each run returns its phase times (ms). Medians.
 */
function bench(cases: (() => number[])[]): number[][] {
  const t0 = performance.now();
  while (performance.now() - t0 < warmMs) for (const f of cases) f();
  const runs: number[][][] = cases.map(() => []);
  for (let r = 0; r < reps; r++) for (let c = 0; c < cases.length; c++) runs[c].push(cases[c]());
  return runs.map((rs) => rs[0].map((_, i) => median(rs.map((x) => x[i]))));
}

/** Nominal multiply-adds of the batched updates (triples) and of the in-block updates. */
function updates(plan: LeftLookingPlan): { src: number; piv: number; own: number } {
  const count = (triples: Int32Array): number => {
    let s = 0;
    for (let t = 0; t < triples.length; t += 3)
      for (let q = triples[t]; q < triples[t + 1]; q++) s += triples[t + 2] - q;
    return s;
  };
  const own = count(plan.tgtPivBatch);
  return { src: count(plan.srcBatch), piv: count(plan.pivBatch), own };
}

const data = await readData("InstEval");
const d = buildDesign(parseFormula("y ~ 1 + (1 | s) + (1 | d) + (1 | dept)"), data);
const m = createLmm({ y: d.y, X: d.X, xnames: d.xnames, reterms: d.reterms });
objective(m, [0.5, 0.5, 0.5], false); // fills the plan's source blocks (L[1][0]) with values
const planned = m.fast.plans[1];
if (!planned) throw new Error("no left-looking plan for L[1][1]");
const { plan, diag } = planned;
const { n, nsparse } = plan;
const D = diag.data;

const w = createWasmDense(n * n, leftLookingWasmBytes(plan));
if (!w) throw new Error("no WebAssembly SIMD here");
const work = w.alloc(n * n);
const tb = performance.now();
const wplan = buildLeftLookingPlan(plan.n, plan.S, plan.order, plan.sources, w);
const buildMs = performance.now() - tb;

const u = updates(plan);
console.log(
  `node ${process.version}; InstEval L[1][1]: n = ${n}, nsparse = ${nsparse}, B = ${plan.B}; ` +
    `updates: sources ${(u.src / 1e6).toFixed(2)} M, factor-column batches ${(u.piv / 1e6).toFixed(2)} M, ` +
    `in-block ${(u.own / 1e6).toFixed(2)} M; wasm plan arrays ${(leftLookingWasmBytes(plan) / 1e6).toFixed(2)} MB ` +
    `(plan built in ${buildMs.toFixed(0)} ms); medians of ${reps} runs after ≥ ${warmMs} ms warm-up`,
);

// the two factors, bit for bit
const ref = new Float64Array(n * n);
if (factorLeftLooking(plan, D, work, w) !== -1) throw new Error("JS path failed");
ref.set(work);
work.fill(Number.NaN);
if (factorLeftLooking(wplan, D, work, w) !== -1) throw new Error("wasm path failed");
let differ = 0;
let maxRel = 0;
for (let j = 0; j < n; j++)
  for (let i = j; i < n; i++) {
    const a = ref[j * n + i];
    const b = work[j * n + i];
    if (!Object.is(a, b)) differ++;
    maxRel = Math.max(maxRel, Math.abs(a - b) / Math.max(Math.abs(a), 1e-300));
  }
console.log(`factor entries that differ (lower triangle): ${differ}, max rel ${maxRel.toExponential(1)}`);

const dense = (): void => {
  if (nsparse < n && choleskyInPlace(work, n, nsparse, nsparse, w) !== -1) throw new Error("dense failed");
};
const [[jsTotal], [wasmTotal], js, wa] = bench([
  () => {
    const t = performance.now();
    factorLeftLooking(plan, D, work, w);
    return [performance.now() - t];
  },
  () => {
    const t = performance.now();
    factorLeftLooking(wplan, D, work, w);
    return [performance.now() - t];
  },
  () => {
    const t0 = performance.now();
    leftLookingPhases.gather(plan);
    const t1 = performance.now();
    leftLookingPhases.fillDiag(plan, D, work);
    const t2 = performance.now();
    if (leftLookingPhases.sparse(plan, work) !== -1) throw new Error("sparse failed");
    const t3 = performance.now();
    dense();
    const t4 = performance.now();
    return [t1 - t0, t2 - t1, t3 - t2, t4 - t3];
  },
  () => {
    const t0 = performance.now();
    leftLookingPhases.gather(wplan);
    const t1 = performance.now();
    if (leftLookingPhases.sparseWasm(wplan, D, work) !== -1) throw new Error("sparse failed");
    const t2 = performance.now();
    dense();
    const t3 = performance.now();
    return [t1 - t0, t2 - t1, t3 - t2];
  },
]);

const f = (x: number): string => x.toFixed(2).padStart(6);
console.log("\nms           gather    fill  sparse   dense   total (whole factorLeftLooking)");
console.log(`JS sparse   ${f(js[0])}  ${f(js[1])}  ${f(js[2])}  ${f(js[3])}  ${f(jsTotal)}`);
console.log(`wasm sparse ${f(wa[0])}       –  ${f(wa[1])}  ${f(wa[2])}  ${f(wasmTotal)}`);
const nsUpd = (ms: number): string => ((ms * 1e6) / (u.src + u.piv + u.own)).toFixed(2);
console.log(
  `\nfill + sparse: JS ${(js[1] + js[2]).toFixed(2)} ms, wasm ${wa[1].toFixed(2)} ms ` +
    `(×${((js[1] + js[2]) / wa[1]).toFixed(2)}); sparse alone ×${(js[2] / wa[1]).toFixed(2)} ` +
    `(JS ${nsUpd(js[2])} ns, wasm ${nsUpd(wa[1])} ns per update incl. zero + D); ` +
    `whole factorisation ×${(jsTotal / wasmTotal).toFixed(2)}`,
);
