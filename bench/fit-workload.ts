/**
 * Times one fit workload in this process, the way `04_timings.R` timed lme4: data in memory, one
 * warm-up call (timed; then more calls until V8 has optimised the hot code: ≥ 2 s, and on until
 * the per-call time of 0.25 s blocks stops falling, at most 8 s; for large fits: a warm-up on
 * sleepstudy only), then `reps` timed blocks of `k`
 * full `fitLmm` calls each (k chosen so a block lasts about 0.5 s; 1 for large fits), and the time
 * of one objective evaluation at the optimum (`createLmm` + `objective`, repeated for ≥ 0.3 s).
 * Peak RSS is this process's `maxRSS` (read after the timed fits), so run.ts starts one child
 * process per workload:
 *
 *   node --expose-gc --import tsx bench/fit-workload.ts <workload-id> [--quick]
 *
 * prints one JSON line (`FitMeasurement`) on stdout; progress goes to stderr.
 */
import type { DataSource } from "../src/data/column.ts";
import { buildDesign } from "../src/design/design.ts";
import { parseFormula } from "../src/formula/parse-formula.ts";
import { type LmmFit, fitLmm } from "../src/lmm/fit-lmm.ts";
import { createLmm } from "../src/lmm/lmm-model.ts";
import { objective } from "../src/lmm/update-l.ts";
import { readData } from "../src/node/read-data.ts";
import { callsPerRep, median, minimum } from "./bench-stats.ts";
import { crossedData, crossedDesign } from "./crossed-data.ts";
import { type FitWorkload, workloadById } from "./workloads.ts";

export interface FitMeasurement {
  readonly id: string;
  readonly reps: number;
  readonly calls_per_rep: number;
  /** Wall seconds per fitting call, one per repetition. */
  readonly times_s: number[];
  readonly cpu_median_s: number;
  /** Warm-up call (first fit in this process); null for large fits (warmed up on sleepstudy). */
  readonly first_call_s: number | null;
  readonly feval: number;
  readonly objective: number;
  readonly objective_eval_s: number;
  readonly objective_eval_calls: number;
  /** Seconds to load or generate the data (not part of the fit time). */
  readonly data_s: number;
  /** Peak RSS after loading the data, before any fit. */
  readonly rss_before_fit_MB: number;
  /** Peak RSS after the timed fits (data, warm-up and fits; not the objective timing). */
  readonly peak_rss_MB: number;
  /** Peak RSS at the end, including the second model built to time one objective evaluation. */
  readonly rss_after_objective_eval_MB: number;
}

const gc = (globalThis as { gc?: () => void }).gc;
const seconds = (t0: number): number => (performance.now() - t0) / 1000;
const peakRssMB = (): number => process.resourceUsage().maxRSS / 1024; // KiB → MiB
const log = (msg: string): void => {
  process.stderr.write(`    ${msg}\n`);
};

async function loadData(dataset: string): Promise<DataSource> {
  if (dataset.startsWith("crossed:")) return crossedData(crossedDesign(Number(dataset.slice(8))));
  return readData(dataset);
}

/** Mean seconds of one objective evaluation at θ̂ (≥ 3 calls and ≥ 0.3 s, at most 5000 calls). */
function timeObjective(w: FitWorkload, data: DataSource, fit: LmmFit): { s: number; calls: number } {
  const d = buildDesign(parseFormula(w.formula), data);
  const model = createLmm({ y: d.y, X: d.X, xnames: d.xnames, reterms: d.reterms });
  const value = objective(model, fit.theta, w.REML);
  if (Math.abs(value - fit.objective) > 1e-8 * Math.abs(fit.objective)) {
    log(`warning: objective at θ̂ is ${value}, the fit reported ${fit.objective}`);
  }
  let calls = 0;
  const t0 = performance.now();
  do {
    objective(model, fit.theta, w.REML);
    calls++;
  } while ((calls < 3 || seconds(t0) < 0.3) && calls < 5000);
  return { s: seconds(t0) / calls, calls };
}

/**
 * Warm up until V8's optimising compiler has caught up: on this 2-core machine a small fit runs
 * 2-3× slower for the first second (the profiler shows TurboFan compiling on a second thread),
 * so a short warm-up measures the compiler, not the fit.
 */
function warmUp(run: () => unknown, quick: boolean): void {
  const minS = quick ? 0.5 : 2;
  const maxS = quick ? 2 : 8;
  const t0 = performance.now();
  let best = Number.POSITIVE_INFINITY;
  let stale = 0;
  while (seconds(t0) < maxS) {
    const tb = performance.now();
    let calls = 0;
    while (seconds(tb) < 0.25) {
      run();
      calls++;
    }
    const perCall = seconds(tb) / calls;
    if (perCall < 0.97 * best) stale = 0;
    else stale++;
    best = Math.min(best, perCall);
    if (seconds(t0) >= minS && stale >= 2) break;
  }
}

export async function measureFit(w: FitWorkload, quick: boolean): Promise<FitMeasurement> {
  const reps = w.large ? (quick ? 1 : 2) : quick ? 3 : 7;
  const t0 = performance.now();
  const data = await loadData(w.dataset);
  const dataSeconds = seconds(t0);
  const rssBefore = peakRssMB();
  log(`${w.id}: data ${dataSeconds.toFixed(2)} s (${data.nrow} rows)`);
  const run = (): LmmFit => fitLmm(w.formula, data, { REML: w.REML });
  let first: number | null = null;
  let k = 1;
  if (w.large) {
    fitLmm("Reaction ~ 1 + Days + (1 + Days | Subject)", await readData("sleepstudy"), { REML: true });
  } else {
    let t = performance.now();
    run();
    first = seconds(t);
    // V8 optimises hot code after many calls: keep warming up for a while, then calibrate k
    warmUp(run, quick);
    t = performance.now();
    run();
    k = callsPerRep(seconds(t), quick ? 0.2 : 0.5);
  }
  const times: number[] = [];
  const cpu: number[] = [];
  let fit: LmmFit | undefined;
  for (let r = 0; r < reps; r++) {
    fit = undefined; // let the previous result be collected: the peak RSS is that of one fit
    // Only before large fits: a forced full GC also throws away V8's optimised code and type
    // feedback, so the next ~100 small fits ran 2× slower (measured: sleepstudy 1.7 → 0.85 ms).
    if (w.large) gc?.();
    const c0 = process.cpuUsage();
    const t = performance.now();
    for (let j = 0; j < k; j++) fit = run();
    times.push(seconds(t) / k);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1e6 / k);
    if (w.large) log(`${w.id}: rep ${r + 1}/${reps} ${times[r].toFixed(2)} s, feval ${fit?.optinfo.feval}`);
  }
  if (!fit) throw new Error("no repetition ran");
  const rssAfterFits = peakRssMB();
  const ev = timeObjective(w, data, fit);
  log(
    `${w.id}: median ${median(times).toPrecision(3)} s, min ${minimum(times).toPrecision(3)} s, k ${k}, ` +
      `one evaluation ${ev.s.toPrecision(3)} s`,
  );
  return {
    id: w.id,
    reps,
    calls_per_rep: k,
    times_s: times,
    cpu_median_s: median(cpu),
    first_call_s: first,
    feval: fit.optinfo.feval,
    objective: fit.objective,
    objective_eval_s: ev.s,
    objective_eval_calls: ev.calls,
    data_s: dataSeconds,
    rss_before_fit_MB: rssBefore,
    peak_rss_MB: rssAfterFits,
    rss_after_objective_eval_MB: peakRssMB(),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const w = workloadById(process.argv[2] ?? "");
  if (w.kind !== "fit") throw new Error(`'${w.id}' is not a fit workload`);
  const m = await measureFit(w, process.argv.includes("--quick"));
  process.stdout.write(`${JSON.stringify(m)}\n`);
}
