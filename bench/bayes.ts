/**
 * The Bayesian bench (issue 9, "Speed"): for coffee `y ~ x + (x | group)` and sleepstudy
 * `Reaction ~ Days + (Days | Subject)`, both methods (`collapsed`, `nuts-full`), 4 chains x
 * (1000 warm-up + 1000 draws) as Stan's reference runs:
 *
 * - wall seconds of the whole 4-chain run with the chains in worker threads (`fitBayesParallel`,
 *   what `mixed sample` does; worker start-up and model set-up included),
 * - the same chains run one after the other in this thread: CPU seconds of warm-up and sampling
 *   per chain, summed (Stan 2.21 times each chain with `clock()`, CPU time too; CPU time also keeps
 *   the figures meaningful on a machine shared with other jobs),
 * - ESS_bulk of the slowest parameter (all variables, random effects included, as the reference's
 *   `efficiency`) per second of sampling, per second of warm-up + sampling, and per 1000 gradient
 *   evaluations (leapfrog steps, machine-independent),
 *
 * next to Stan's figures for the same posterior on this machine. Targets: the whole 4-chain coffee
 * run under 2 s; `collapsed` at least Stan's best parameterisation per second excluding compile, and
 * at least 10x it including compile; `nuts-full` (non-centred) at least Stan's non-centred program.
 *
 *   node --import tsx bench/bayes.ts [--quick] [--out FILE]
 *
 * (run by `npm run bench` after the other workloads; results in bench/results/bayes.json).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { BayesFit } from "../src/bayes/bayes-fit.ts";
import { finishBayesRun, prepareBayesRun, runChainOfRun } from "../src/bayes/fit-bayes.ts";
import type { ChainResult } from "../src/bayes/run-chain.ts";
import { fitBayesParallel } from "../src/node/fit-bayes-parallel.ts";
import { readData } from "../src/node/read-data.ts";
import { loadAverage1, machineInfo } from "./machine-info.ts";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/**
 * Stan's figures, copied from the team's Stan reference runs (rstan 2.21.7 / Stan 2.21, 4 chains x
 * (1000 warm-up + 1000 draws), this machine; `efficiency`, `timing` of `<id>.json` and
 * `compile_times.json` of the suite described in test/reference/README.md, "bayes/").
 * ess: ESS_bulk of the slowest parameter; seconds are chain-seconds summed over the 4 chains.
 */
interface StanFigures {
  readonly program: string;
  readonly ess: number;
  readonly warmupS: number;
  readonly samplingS: number;
  readonly compileS: number;
  readonly essPerSSampling: number;
  readonly essPerSTotal: number;
  readonly essPerSInclCompile: number;
  readonly essPer1000Grad: number;
}

const STAN: Readonly<Record<string, StanFigures>> = {
  coffee_centred: {
    program: "centred",
    ess: 103.5,
    warmupS: 25.391,
    samplingS: 83.191,
    compileS: 41.929,
    essPerSSampling: 1.2441,
    essPerSTotal: 0.95316,
    essPerSInclCompile: 0.68763,
    essPer1000Grad: 0.14664,
  },
  coffee_noncentred: {
    program: "non-centred",
    ess: 116.41,
    warmupS: 43.171,
    samplingS: 44.896,
    compileS: 39.721,
    essPerSSampling: 2.593,
    essPerSTotal: 1.3219,
    essPerSInclCompile: 0.911,
    essPer1000Grad: 0.20151,
  },
  coffee_hcentred: {
    program: "hier. centred",
    ess: 4419.2,
    warmupS: 7.7729,
    samplingS: 5.6136,
    compileS: 40.444,
    essPerSSampling: 787.24,
    essPerSTotal: 330.13,
    essPerSInclCompile: 82.095,
    essPer1000Grad: 73.654,
  },
  coffee_marginal: {
    program: "marginal",
    ess: 3369.6,
    warmupS: 9.0077,
    samplingS: 7.1966,
    compileS: 53.569,
    essPerSSampling: 468.22,
    essPerSTotal: 207.94,
    essPerSInclCompile: 48.293,
    essPer1000Grad: 141.67,
  },
  sleepstudy_noncentred: {
    program: "non-centred",
    ess: 1235.1,
    warmupS: 4.9027,
    samplingS: 2.8067,
    compileS: 39.721,
    essPerSSampling: 440.05,
    essPerSTotal: 160.21,
    essPerSInclCompile: 26.04,
    essPer1000Grad: 6.7109,
  },
  sleepstudy_marginal: {
    program: "marginal",
    ess: 3497.6,
    warmupS: 3.1016,
    samplingS: 1.463,
    compileS: 53.569,
    essPerSSampling: 2390.6,
    essPerSTotal: 766.24,
    essPerSInclCompile: 60.165,
    essPer1000Grad: 134.69,
  },
};

interface Workload {
  readonly id: string;
  readonly dataset: string;
  readonly formula: string;
  readonly method: "collapsed" | "nuts-full";
  /** Stan's program for the same parameterisation, and Stan's best for this posterior. */
  readonly stanSame: string;
  readonly stanBest: string;
}

const COFFEE = "y ~ x + (x | group)";
const SLEEP = "Reaction ~ Days + (Days | Subject)";
const WORKLOADS: readonly Workload[] = [
  {
    id: "coffee collapsed",
    dataset: "coffee",
    formula: COFFEE,
    method: "collapsed",
    stanSame: "coffee_marginal",
    stanBest: "coffee_hcentred",
  },
  {
    id: "coffee nuts-full",
    dataset: "coffee",
    formula: COFFEE,
    method: "nuts-full",
    stanSame: "coffee_noncentred",
    stanBest: "coffee_hcentred",
  },
  {
    id: "sleepstudy collapsed",
    dataset: "sleepstudy",
    formula: SLEEP,
    method: "collapsed",
    stanSame: "sleepstudy_marginal",
    stanBest: "sleepstudy_marginal",
  },
  {
    id: "sleepstudy nuts-full",
    dataset: "sleepstudy",
    formula: SLEEP,
    method: "nuts-full",
    stanSame: "sleepstudy_noncentred",
    stanBest: "sleepstudy_marginal",
  },
];

interface Row {
  readonly id: string;
  readonly parameterisation: string;
  readonly wall_s_parallel: number;
  readonly cpu_s_parallel: number;
  /** Wall-clock chain-seconds (performance.now() per chain, summed). */
  readonly warmup_s: number;
  readonly sampling_s: number;
  /** CPU chain-seconds (process.cpuUsage() per chain, split by the wall-clock proportion). */
  readonly cpu_warmup_s: number;
  readonly cpu_sampling_s: number;
  readonly slowest: string;
  readonly ess_bulk_slowest: number;
  readonly ess_per_s_sampling: number;
  readonly ess_per_s_total: number;
  /** ESS per second of warm-up + sampling + Stan's compile time for the same program (what a Stan user waits). */
  readonly ess_per_s_total_incl_stan_compile: number;
  readonly ess_per_1000_grad: number;
  readonly divergences: number;
  readonly max_rhat: number;
  readonly stan_same: string;
  readonly stan_same_ess_per_s_sampling: number;
  readonly stan_same_ess_per_1000_grad: number;
  readonly stan_best: string;
  readonly stan_best_ess_per_s_sampling: number;
  readonly stan_best_ess_per_s_incl_compile: number;
  readonly checks: readonly {
    readonly target: string;
    readonly ours: number;
    readonly goal: number;
    readonly pass: boolean;
  }[];
}

function slowest(fit: BayesFit): { variable: string; ess: number } {
  let best = { variable: "", ess: Number.POSITIVE_INFINITY };
  for (const r of fit.summary) if (r.ess_bulk < best.ess) best = { variable: r.variable, ess: r.ess_bulk };
  return best;
}

const cpuSeconds = (since: NodeJS.CpuUsage): number => {
  const c = process.cpuUsage(since);
  return (c.user + c.system) / 1e6;
};

async function measure(w: Workload, quick: boolean): Promise<Row> {
  const data = await readData(w.dataset);
  const opts = { method: w.method, chains: 4, warmup: 1000, draws: quick ? 250 : 1000, seed: 20261204 };
  // the whole run as `mixed sample` does it (worker threads, summaries included): wall and CPU
  // seconds (all threads of this process)
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await fitBayesParallel(w.formula, data, opts);
  const wall = (performance.now() - t0) / 1000;
  const cpuParallel = cpuSeconds(c0);
  // the same chains one after the other in this thread: CPU seconds per chain (Stan 2.21 reports
  // clock() seconds too), split into warm-up and sampling in the proportion of the chain's own
  // wall-clock split
  const t1 = performance.now();
  const run = prepareBayesRun(w.formula, data, opts);
  const chains: ChainResult[] = [];
  let cpuWarmup = 0;
  let cpuSampling = 0;
  for (let c = 1; c <= opts.chains; c++) {
    const cc = process.cpuUsage();
    const r = runChainOfRun(run, c);
    const cpu = cpuSeconds(cc);
    const share = r.summary.warmupSeconds / (r.summary.warmupSeconds + r.summary.samplingSeconds);
    cpuWarmup += cpu * share;
    cpuSampling += cpu * (1 - share);
    chains.push(r);
  }
  const fit = finishBayesRun(run, chains, t1);
  const slow = slowest(fit);
  const grads = fit.diagnostics.reduce((a, d) => a + d.nLeapfrogSampling, 0);
  const same = STAN[w.stanSame];
  const best = STAN[w.stanBest];
  const perSampling = slow.ess / cpuSampling;
  const perTotal = slow.ess / (cpuWarmup + cpuSampling);
  const checks: { target: string; ours: number; goal: number; pass: boolean }[] = [];
  const check = (target: string, ours: number, goal: number) =>
    checks.push({ target, ours, goal, pass: ours >= goal });
  if (w.method === "collapsed") {
    check(`ESS/s sampling >= Stan's best (${w.stanBest}, excl. compile)`, perSampling, best.essPerSSampling);
    check(`ESS/s total >= 10x Stan's best incl. compile`, perTotal, 10 * best.essPerSInclCompile);
  } else {
    check(`ESS/s sampling >= Stan's ${same.program} (excl. compile)`, perSampling, same.essPerSSampling);
  }
  // the "whole 4-chain coffee run under 2 s" is the default run (collapsed); nuts-full's
  // wall time is in the table for information
  if (w.dataset === "coffee" && w.method === "collapsed") {
    checks.push({ target: "whole 4-chain run < 2 s (wall)", ours: wall, goal: 2, pass: wall < 2 });
  }
  return {
    id: w.id,
    parameterisation: fit.parameterisation ?? "collapsed",
    wall_s_parallel: wall,
    cpu_s_parallel: cpuParallel,
    warmup_s: fit.timing.warmup_s,
    sampling_s: fit.timing.sampling_s,
    cpu_warmup_s: cpuWarmup,
    cpu_sampling_s: cpuSampling,
    slowest: slow.variable,
    ess_bulk_slowest: slow.ess,
    ess_per_s_sampling: perSampling,
    ess_per_s_total: perTotal,
    ess_per_s_total_incl_stan_compile: slow.ess / (cpuWarmup + cpuSampling + same.compileS),
    ess_per_1000_grad: (1000 * slow.ess) / grads,
    divergences: fit.divergences,
    max_rhat: Math.max(...fit.summary.map((r) => r.rhat)),
    stan_same: w.stanSame,
    stan_same_ess_per_s_sampling: same.essPerSSampling,
    stan_same_ess_per_1000_grad: same.essPer1000Grad,
    stan_best: w.stanBest,
    stan_best_ess_per_s_sampling: best.essPerSSampling,
    stan_best_ess_per_s_incl_compile: best.essPerSInclCompile,
    checks,
  };
}

const f = (x: number, d = 1): string => (Number.isFinite(x) ? x.toFixed(d) : String(x));

function report(rows: readonly Row[]): string {
  const header = [
    "workload",
    "param.",
    "wall 4ch",
    "CPU 4ch",
    "CPU w+s",
    "slowest",
    "ESS",
    "ESS/s samp",
    "ESS/s total",
    "ESS/1000 grad",
    "Stan same: ESS/s, /1000 grad",
    "Stan best ESS/s (incl. compile)",
  ];
  const body = rows.map((r) => [
    r.id,
    r.parameterisation,
    `${f(r.wall_s_parallel, 2)} s`,
    `${f(r.cpu_s_parallel, 2)} s`,
    `${f(r.cpu_warmup_s + r.cpu_sampling_s, 2)} s`,
    r.slowest,
    f(r.ess_bulk_slowest, 0),
    f(r.ess_per_s_sampling),
    f(r.ess_per_s_total),
    f(r.ess_per_1000_grad),
    `${f(r.stan_same_ess_per_s_sampling)}, ${f(r.stan_same_ess_per_1000_grad)} (${r.stan_same})`,
    `${f(r.stan_best_ess_per_s_sampling)} (${f(r.stan_best_ess_per_s_incl_compile)}) ${r.stan_best}`,
  ]);
  const width = header.map((h, j) => Math.max(h.length, ...body.map((b) => b[j].length)));
  const left = new Set([0, 1, 5]);
  const line = (c: readonly string[]) =>
    c.map((s, j) => (left.has(j) ? s.padEnd(width[j]) : s.padStart(width[j]))).join("  ");
  let out =
    "Bayesian fits, 4 chains x (1000 warm-up + draws); ESS_bulk of the slowest parameter (random effects included)\n";
  out +=
    "per CPU second of the chains run one after the other (Stan's figures are clock() seconds too); wall/CPU 4ch: the whole\n";
  out += "run with chains and summaries in worker threads, as `mixed sample`\n";
  out += `${line(header)}\n${body.map(line).join("\n")}\n\nTargets:\n`;
  for (const r of rows) {
    for (const c of r.checks)
      out += `  ${c.pass ? "PASS" : "MISS"}  ${r.id}: ${c.target}: ${f(c.ours, 2)} vs ${f(c.goal, 2)}\n`;
  }
  return out;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const quick = argv.includes("--quick");
  const oi = argv.indexOf("--out");
  const out =
    oi >= 0 ? argv[oi + 1] : join("bench", "results", quick ? "bayes-partial.json.tmp" : "bayes.json");
  const loadStart = loadAverage1();
  const rows: Row[] = [];
  for (const w of WORKLOADS) {
    process.stderr.write(`bayes: ${w.id} …\n`);
    rows.push(await measure(w, quick));
  }
  console.log(report(rows));
  const json = {
    date: new Date().toISOString(),
    machine: machineInfo(),
    loadStart,
    loadEnd: loadAverage1(),
    quick,
    rows,
  };
  mkdirSync(dirname(resolve(ROOT, out)), { recursive: true });
  writeFileSync(resolve(ROOT, out), `${JSON.stringify(json, null, 1)}\n`);
  process.stderr.write(`bayes: results written to ${out}\n`);
  if (rows.some((r) => r.checks.some((c) => !c.pass))) process.exitCode = 1;
}

await main();
