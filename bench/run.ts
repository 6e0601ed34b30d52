/**
 * `npm run bench`: every speed target of issues 2 and 3 in one run, one table, one JSON file, plus
 * rows without a target (INFO: lme4's scaling model B, a random slope per subject).
 *
 *   npm run bench -- [--quick] [--only <substring>[,<substring>…]] [--skip-large] [--no-build]
 *                    [--timeout <seconds>] [--out <file>]
 *
 * Each fit runs in a child process of its own (bench/fit-workload.ts: in-process timing after
 * warm-up, peak RSS of that process alone); CLI rows time the built `bin/mixed.mjs` (the bench
 * runs `npm run build` first unless --no-build); the CSV row reuses bench/csv-load.ts.
 * Results go to bench/results/latest.json (numbers to 4 significant digits, one row per line);
 * a run with --only, --quick or --skip-large writes bench/results/partial.json.tmp instead (git
 * ignores it), so latest.json always holds a full run. Then the Bayesian bench (bench/bayes.ts: its
 * own table against Stan's figures, bench/results/bayes.json; `--only bayes` runs it alone), and
 * the GLMM bench (bench/glmm.ts: cbpp Laplace and nAGQ = 25, a Bernoulli crossed model of 10⁵
 * rows, next to lme4's; bench/results/glmm.json; `--only glmm` runs it alone), and the inference
 * bench (bench/inference.ts: profile CIs, the bootstrap serial and on all cores, Satterthwaite,
 * Kenward–Roger, predict next to lme4's, bench/results/inference.json; `--only inference` runs it
 * alone).
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { type BenchRow, errorRow, fitRow, measuredRow } from "./bench-row.ts";
import { roundDeep } from "./bench-stats.ts";
import { timeCli } from "./cli-startup.ts";
import { measureCsvLoad } from "./csv-load.ts";
import type { FitMeasurement } from "./fit-workload.ts";
import { type Lme4Baseline, loadLme4Baseline } from "./lme4-baseline.ts";
import { loadAverage1, machineInfo } from "./machine-info.ts";
import { reportTable } from "./report-table.ts";
import { type FitWorkload, WORKLOADS, type Workload } from "./workloads.ts";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");

interface Options {
  readonly quick: boolean;
  readonly only: readonly string[];
  readonly skipLarge: boolean;
  readonly build: boolean;
  readonly timeoutS: number | null;
  readonly out: string;
}

function parseArgs(argv: readonly string[]): Options {
  const value = (name: string): string | undefined => {
    const i = argv.indexOf(name);
    return i === -1 ? undefined : argv[i + 1];
  };
  const known = new Set(["--quick", "--only", "--skip-large", "--no-build", "--timeout", "--out"]);
  argv.forEach((a, i) => {
    const isValue = i > 0 && ["--only", "--timeout", "--out"].includes(argv[i - 1]);
    if (!known.has(a) && !isValue) throw new Error(`unknown option '${a}'; see the header of bench/run.ts`);
  });
  const only = (value("--only") ?? "").split(",").filter((s) => s !== "");
  const timeout = value("--timeout");
  const partial = only.length > 0 || argv.includes("--quick") || argv.includes("--skip-large");
  return {
    quick: argv.includes("--quick"),
    only,
    skipLarge: argv.includes("--skip-large"),
    build: !argv.includes("--no-build"),
    timeoutS: timeout === undefined ? null : Number(timeout),
    out: value("--out") ?? join("bench", "results", partial ? "partial.json.tmp" : "latest.json"),
  };
}

function selected(opts: Options): Workload[] {
  return WORKLOADS.filter((w) => {
    if (opts.skipLarge && w.kind === "fit" && w.large) return false;
    if (opts.only.length === 0) return true;
    return opts.only.some((s) => w.id.includes(s) || w.label.toLowerCase().includes(s.toLowerCase()));
  });
}

const log = (msg: string): void => {
  process.stderr.write(`${msg}\n`);
};

function runFit(w: FitWorkload, opts: Options, lme4: Lme4Baseline): BenchRow {
  const timeoutS = opts.timeoutS ?? (w.large ? 900 : 120);
  const args = ["--expose-gc", "--import", "tsx", "bench/fit-workload.ts", w.id];
  if (opts.quick) args.push("--quick");
  const r = spawnSync(process.execPath, args, {
    cwd: ROOT,
    encoding: "utf8",
    timeout: timeoutS * 1000,
    stdio: ["ignore", "pipe", "inherit"],
    maxBuffer: 1 << 20,
  });
  if (r.error || r.status !== 0) {
    const timedOut = (r.error as NodeJS.ErrnoException | undefined)?.code === "ETIMEDOUT";
    if (timedOut) return errorRow(w, `stopped at the time limit of ${timeoutS} s (--timeout)`);
    return errorRow(w, r.error ? r.error.message : `child exit status ${r.status ?? r.signal}`);
  }
  const lines = r.stdout.trim().split("\n");
  const m = JSON.parse(lines[lines.length - 1]) as FitMeasurement;
  return fitRow(w, m, lme4.get(w.lme4Id));
}

function runOne(w: Workload, opts: Options, lme4: Lme4Baseline): BenchRow {
  try {
    if (w.kind === "fit") return runFit(w, opts, lme4);
    if (w.kind === "cli") {
      const t = timeCli([...w.args], opts.quick ? 5 : 15);
      log(`    ${t.command}: median ${t.median_s.toFixed(3)} s over ${t.runs} runs`);
      const base = w.baseline
        ? {
            source: w.baseline.source,
            median_s: w.baseline.seconds,
            feval: null,
            objective_eval_s: null,
            max_rss_MB: null,
          }
        : null;
      return measuredRow(w, { times_s: t.times_s, peak_rss_MB: null }, base);
    }
    const res = measureCsvLoad(w.rows, opts.quick ? 1 : 3, (s) => log(`    ${s}`));
    return measuredRow(
      w,
      {
        times_s: res.runs.map((r) => r.seconds),
        peak_rss_MB: Math.max(...res.runs.map((r) => r.maxRssMB)),
        details: { file_MB: res.sizeMB },
      },
      null,
    );
  } catch (e) {
    return errorRow(w, e instanceof Error ? e.message.split("\n")[0] : String(e));
  }
}

/** bench/glmm.ts in a child process (its table on stdout, a MISS sets the exit status). */
function runGlmmBench(opts: Options): void {
  log("GLMM fits (bench/glmm.ts) …");
  const r = spawnSync(
    process.execPath,
    ["--import", "tsx", "bench/glmm.ts", ...(opts.quick ? ["--quick"] : [])],
    {
      cwd: ROOT,
      stdio: "inherit",
    },
  );
  if (r.status !== 0) process.exitCode = 1;
}

/** bench/bayes.ts in a child process (its table on stdout, a MISS sets the exit status). */
function runBayesBench(opts: Options): void {
  log("Bayesian fits (bench/bayes.ts) …");
  const r = spawnSync(
    process.execPath,
    ["--import", "tsx", "bench/bayes.ts", ...(opts.quick ? ["--quick"] : [])],
    {
      cwd: ROOT,
      stdio: "inherit",
    },
  );
  if (r.status !== 0) process.exitCode = 1;
}

/** bench/inference.ts in a child process (its table on stdout, a MISS sets the exit status). */
function runInferenceBench(opts: Options): void {
  log(`inference (bench/inference.ts), load average ${loadAverage1().toFixed(2)} …`);
  const r = spawnSync(
    process.execPath,
    ["--import", "tsx", "bench/inference.ts", ...(opts.quick ? ["--quick"] : [])],
    { cwd: ROOT, stdio: "inherit" },
  );
  if (r.status !== 0) process.exitCode = 1;
}

function build(): void {
  log("building the CLI bundle (npm run build) …");
  const r = spawnSync(process.execPath, ["scripts/build.mjs"], { cwd: ROOT, stdio: "inherit" });
  if (r.status !== 0) throw new Error("npm run build failed; fix the build or pass --no-build");
}

function main(): void {
  const opts = parseArgs(process.argv.slice(2));
  process.chdir(ROOT);
  const workloads = selected(opts);
  // the Bayesian bench (bench/bayes.ts, its own table and bench/results/bayes.json) runs last
  const bayes = opts.only.length === 0 || opts.only.some((s) => s.toLowerCase().includes("bayes"));
  const glmm = opts.only.length === 0 || opts.only.some((s) => s.toLowerCase().includes("glmm"));
  // the inference bench (bench/inference.ts, bench/results/inference.json) runs before it
  const inference = opts.only.length === 0 || opts.only.some((s) => s.toLowerCase().includes("inference"));
  if (workloads.length === 0 && (bayes || glmm || inference)) {
    if (inference) {
      if (opts.build) build();
      runInferenceBench(opts);
    }
    if (glmm) runGlmmBench(opts);
    if (bayes) runBayesBench(opts);
    return;
  }
  if (workloads.length === 0) throw new Error(`no workload matches --only ${opts.only.join(",")}`);
  const lme4 = loadLme4Baseline(join(ROOT, "bench", "lme4-timings.json"));
  const loadStart = loadAverage1();
  const date = new Date().toISOString().replace(/:\d\d\.\d+Z$/, "Z");
  if (opts.build && workloads.some((w) => w.kind === "cli")) build();
  const rows: BenchRow[] = [];
  for (const w of workloads) {
    log(`[${rows.length + 1}/${workloads.length}] ${w.label}`);
    rows.push(runOne(w, opts, lme4));
  }
  const flags = [
    ...(opts.quick ? ["--quick"] : []),
    ...(opts.skipLarge ? ["--skip-large"] : []),
    ...(opts.only.length ? [`--only ${opts.only.join(",")}`] : []),
  ];
  const ctx = {
    date,
    machine: machineInfo(),
    loadStart,
    loadEnd: loadAverage1(),
    flags,
    lme4Machine: lme4.machine,
  };
  console.log(reportTable(rows, ctx));
  const { lme4Machine: _, ...meta } = ctx;
  const json = roundDeep({ ...meta, lme4_baseline: "bench/lme4-timings.json" }, 4);
  const rowLines = rows.map((r) => `  ${JSON.stringify(roundDeep(r, 4, new Set(["objective"])))}`);
  // one row per line: small, and a diff shows which workload changed
  const text = `${JSON.stringify(json, null, 1).replace(/\n}$/, "")},\n "rows": [\n${rowLines.join(",\n")}\n ]\n}\n`;
  mkdirSync(dirname(resolve(ROOT, opts.out)), { recursive: true });
  writeFileSync(resolve(ROOT, opts.out), text);
  log(`results written to ${opts.out}`);
  if (rows.some((r) => r.status === "ERROR")) process.exitCode = 1;
  if (inference) runInferenceBench(opts);
  if (glmm) runGlmmBench(opts);
  if (bayes) runBayesBench(opts);
}

try {
  main();
} catch (e) {
  process.stderr.write(`bench: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 2;
}
