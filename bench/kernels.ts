/**
 * Kernel and per-evaluation timings for the LMM engine (issue 3 "Speed"): GFLOPS of the dense
 * Cholesky, per-evaluation time of the InstEval models (objective-only and canonical updateL), and
 * the 10⁶-row crossed fit. Medians over repetitions (the machine is shared).
 *
 *   node --import tsx bench/kernels.ts [--quick] [--no-crossed]
 */
import { readFileSync } from "node:fs";
import { choleskyInPlace } from "../src/linalg/dense-cholesky.ts";
import { fitModel } from "../src/lmm/fit-lmm-problem.ts";
import { createLmm } from "../src/lmm/lmm-model.ts";
import type { LmmProblem } from "../src/lmm/lmm-problem.ts";
import { evaluate, updateL } from "../src/lmm/update-l.ts";
import { buildReferenceProblem, loadRef } from "../test/unit/lmm/reference-problem.ts";

const args = new Set(process.argv.slice(2));
const quick = args.has("--quick");
const reps = quick ? 3 : 7;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function time(f: () => void, n: number): number[] {
  const out: number[] = [];
  for (let r = 0; r < n; r++) {
    const t0 = performance.now();
    f();
    out.push(performance.now() - t0);
  }
  return out;
}

function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
}

function spd(n: number, seed: number): Float64Array {
  const r = rng(seed);
  const k = 16;
  const B = Float64Array.from({ length: n * k }, () => r() - 0.5);
  const A = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    for (let i = j; i < n; i++) {
      let s = 0;
      for (let x = 0; x < k; x++) s += B[x * n + i] * B[x * n + j];
      A[j * n + i] = s + (i === j ? n : 0);
    }
  }
  return A;
}

console.log(`node ${process.version}; medians of ${reps} repetitions`);
console.log("\ndense Cholesky (JS blocked)");
for (const n of [500, 1128, 2000]) {
  const A = spd(n, n);
  const w = new Float64Array(n * n);
  const ms = median(
    time(() => {
      w.set(A);
      if (choleskyInPlace(w, n) >= 0) throw new Error("not SPD");
    }, reps),
  );
  console.log(`  n = ${n}: ${ms.toFixed(1)} ms, ${((n * n * n) / 3 / ms / 1e6).toFixed(2)} GFLOPS`);
}

console.log("\nInstEval per evaluation (at lme4's optimum)");
for (const id of ["insteval_dept_ml", "insteval_service_reml"]) {
  const ref = loadRef(id);
  const t0 = performance.now();
  const model = createLmm(buildReferenceProblem(ref));
  const build = performance.now() - t0;
  const th = ref.optinfo.par;
  evaluate(model, th, ref.REML);
  const fastMs = median(time(() => evaluate(model, th, ref.REML), reps * 2));
  const canonMs = median(time(() => updateL(model, th), reps));
  console.log(
    `  ${id}: build ${build.toFixed(0)} ms (incl. CSV), evaluate ${fastMs.toFixed(1)} ms, canonical updateL ${canonMs.toFixed(1)} ms`,
  );
}

console.log("\nInstEval fits");
for (const id of ["insteval_dept_ml", "insteval_dept_reml", "insteval_service_ml", "insteval_service_reml"]) {
  const ref = loadRef(id);
  const problem = buildReferenceProblem(ref);
  const fits: number[] = [];
  let feval = 0;
  let obj = 0;
  for (let r = 0; r < (quick ? 1 : 3); r++) {
    const t0 = performance.now();
    const res = fitModel(createLmm(problem), { REML: ref.REML });
    fits.push(performance.now() - t0);
    feval = res.optinfo.feval;
    obj = res.objective;
  }
  const rel = (obj - ref.objective) / Math.abs(ref.objective);
  console.log(
    `  ${id}: median ${(median(fits) / 1000).toFixed(2)} s, min ${(Math.min(...fits) / 1000).toFixed(2)} s, feval ${feval} (lme4 ${ref.optinfo.feval}), objective rel. diff ${rel.toExponential(1)}`,
  );
}

/** The design of the reference 04_timings.R "scale A" workload, generated with our own RNG. */
export function crossedProblem(n: number, seed: number): LmmProblem {
  const r = rng(seed);
  const gauss = (): number => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
  const per = 100;
  const nsubj = n / per;
  const nitem = Math.round(Math.sqrt(n));
  const subj = new Int32Array(n);
  const item = new Int32Array(n);
  const X = new Float64Array(2 * n);
  const y = new Float64Array(n);
  const perm = Int32Array.from({ length: nitem }, (_, i) => i);
  const u0 = Float64Array.from({ length: nsubj }, gauss);
  const w = Float64Array.from({ length: nitem }, () => 0.7 * gauss());
  for (let s = 0; s < nsubj; s++) {
    for (let k = 0; k < per; k++) {
      const j = k + Math.floor(r() * (nitem - k));
      const t = perm[k];
      perm[k] = perm[j];
      perm[j] = t;
    }
    for (let k = 0; k < per; k++) {
      const t = s * per + k;
      subj[t] = s;
      item[t] = perm[k];
      X[t] = 1;
      X[n + t] = gauss();
      y[t] = 1 + 0.5 * X[n + t] + u0[s] + w[item[t]] + gauss();
    }
  }
  const ones = new Float64Array(n).fill(1);
  const names = (m: number): string[] => Array.from({ length: m }, (_, i) => `${i + 1}`);
  return {
    y,
    X,
    xnames: ["(Intercept)", "x"],
    reterms: [
      { name: "subj", factor: "subj", levels: names(nsubj), refs: subj, cnames: ["(Intercept)"], z: ones },
      { name: "item", factor: "item", levels: names(nitem), refs: item, cnames: ["(Intercept)"], z: ones },
    ],
  };
}

if (!args.has("--no-crossed")) {
  console.log("\ncrossed y ~ 1 + x + (1|subj) + (1|item), 10⁶ rows, 10,000 × 1,000, REML");
  const problem = crossedProblem(1e6, 4248);
  const fits: number[] = [];
  const evals: number[] = [];
  let feval = 0;
  for (let r = 0; r < (quick ? 1 : 3); r++) {
    const t0 = performance.now();
    const model = createLmm(problem);
    const res = fitModel(model, { REML: true });
    fits.push(performance.now() - t0);
    feval = res.optinfo.feval;
    evals.push(median(time(() => evaluate(model, res.theta, true), 3)));
  }
  const rss = Number(readFileSync("/proc/self/status", "utf8").match(/VmHWM:\s+(\d+)/)?.[1] ?? 0) / 1024;
  console.log(
    `  fit (createLmm + optimise) median ${(median(fits) / 1000).toFixed(2)} s, feval ${feval}, evaluate ${median(evals).toFixed(1)} ms, peak RSS ${rss.toFixed(0)} MB`,
  );
}
