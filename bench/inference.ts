/**
 * Inference timings on sleepstudy, `Reaction ~ Days + (Days | Subject)` (REML), next to lme4's on
 * this machine (issue 7's targets: bootstrap 1,000 replicates ≤ 0.5 s on both cores, profile CIs
 * ≤ 0.1 s, Kenward–Roger ≤ 0.02 s):
 *
 *   node --import tsx bench/inference.ts [--quick] [--out FILE]
 *   npm run bench -- --only inference          (the same, after a build)
 *
 * Results go to bench/results/inference.json (--quick: inference-partial.json.tmp, ignored by git),
 * with the 1-minute load average before and after: the machine's 2 cores are often shared, and
 * the parallel bootstrap can only gain from a core nobody else is using.
 *
 * Each library case: fit once (not timed), then the median wall time of `reps` fresh calls on new
 * fit objects (so no per-fit cache is reused). The first case of the process is the profile, so
 * every case runs with the engine's code already compiled by the JIT, as in a session; the
 * bootstrap's worker threads start cold every time (their start-up and warm-up are in the
 * figure), and the CLI row is a whole `mixed bootstrap` process (start-up, reading the data, the
 * fit, 1,000 replicates, the summary). `bootstrapParallel` runs with its defaults (cores − 1
 * workers, the calling thread taking replicates too, the workers started only for a long run on a
 * machine with an idle core), as `mixed bootstrap` does; the "2 workers only" row forces the
 * threads (`callerRuns: false`), start-up and warm-up included.
 *
 * lme4's figures (median of 3 fresh R processes, first call, R 4.2.2, lme4 1.1-31, lmerTest 3.1-3,
 * pbkrtest 0.5.2; the team's timings_inference reference, 2026-11-23): confint profile 1.828 s;
 * confint boot 1,000 13.54 s; bootMer 1,000 serial 13.73 s, 2 cores 7.15 s; lmerTest
 * Satterthwaite summary 0.037 s; Kenward–Roger summary 0.413 s (0.097 s warm); predict 100,000 rows
 * 0.203 s.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseCsv } from "../src/data/parse-csv.ts";
import { parseSchema } from "../src/data/schema.ts";
import {
  bootConfint,
  bootstrap,
  confint,
  fitLmm,
  fixedEffectTests,
  predict,
  restoreLmm,
} from "../src/index.ts";
import { bootstrapParallel } from "../src/node/bootstrap-parallel.ts";
import { loadAverage1, machineInfo } from "./machine-info.ts";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
process.chdir(ROOT);
const argv = process.argv.slice(2);
const quick = argv.includes("--quick");
const oi = argv.indexOf("--out");
const out =
  oi >= 0 ? argv[oi + 1] : join("bench", "results", quick ? "inference-partial.json.tmp" : "inference.json");

const metaPath = "data/sleepstudy.meta.json";
const schema = parseSchema(readFileSync(metaPath, "utf8"), metaPath);
const data = parseCsv(readFileSync("data/sleepstudy.csv", "utf8"), { name: "sleepstudy", schema });
const formula = "Reaction ~ Days + (Days | Subject)";
const fresh = () => fitLmm(formula, data);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Median seconds of `reps` calls of `run` on fresh fits. */
async function time(reps: number, run: (fit: ReturnType<typeof fresh>) => unknown): Promise<number> {
  const t: number[] = [];
  for (let r = 0; r < reps; r++) {
    const f = fresh();
    const t0 = performance.now();
    await run(f);
    t.push((performance.now() - t0) / 1000);
  }
  return median(t);
}

interface Row {
  readonly case: string;
  readonly ours_s: number;
  readonly lme4_s: number | null;
  readonly target_s: number | null;
}

const loadStart = loadAverage1();
const rows: Row[] = [];
const nsim = quick ? 200 : 1000;
const per1000 = 1000 / nsim;
const reps = quick ? 1 : 3;
process.stderr.write("inference: confint profile …\n");
rows.push({
  case: "confint profile",
  ours_s: await time(quick ? 3 : 5, (f) => confint(f, { method: "profile" })),
  lme4_s: 1.828,
  target_s: 0.1,
});
process.stderr.write(`inference: bootstrap ${nsim} …\n`);
rows.push({
  case: "bootstrap 1,000 (1 thread)",
  ours_s: (await time(reps, (f) => bootstrap(f, nsim, { seed: 1 }))) * per1000,
  lme4_s: 13.725,
  target_s: null,
});
rows.push({
  case: "bootstrap 1,000 (bootstrapParallel)",
  ours_s: (await time(reps, (f) => bootstrapParallel(f, nsim, { seed: 1 }))) * per1000,
  lme4_s: 7.15,
  target_s: 0.5,
});
rows.push({
  case: "bootstrap 1,000 (2 workers only)",
  ours_s:
    (await time(reps, (f) => bootstrapParallel(f, nsim, { seed: 1, workers: 2, callerRuns: false }))) *
    per1000,
  lme4_s: 7.15,
  target_s: null,
});
if (!quick) {
  process.stderr.write("inference: bootstrap 5,000 …\n");
  rows.push({
    case: "bootstrap 5,000 (bootstrapParallel)",
    ours_s: await time(1, (f) => bootstrapParallel(f, 5000, { seed: 1 })),
    lme4_s: null,
    target_s: null,
  });
}
rows.push({
  case: "confint boot 1,000 (all cores)",
  ours_s:
    (await time(reps, async (f) => bootConfint(f, await bootstrapParallel(f, nsim, { seed: 1 })))) * per1000,
  lme4_s: 13.54,
  target_s: null,
});
const cli = join(ROOT, "dist", "cli.js");
if (existsSync(cli)) {
  process.stderr.write("inference: mixed bootstrap (CLI) …\n");
  const t: number[] = [];
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    const res = spawnSync(
      process.execPath,
      [cli, "bootstrap", formula, "--data", "sleepstudy", "--nsim", String(nsim), "--json"],
      { encoding: "utf8", maxBuffer: 1 << 26 },
    );
    if (res.status !== 0) throw new Error(`mixed bootstrap failed: ${res.stderr}`);
    t.push((performance.now() - t0) / 1000);
  }
  rows.push({
    case: `mixed bootstrap --nsim ${nsim} (process)`,
    ours_s: median(t),
    lme4_s: null,
    target_s: null,
  });
}
process.stderr.write("inference: Satterthwaite, Kenward-Roger, predict …\n");
rows.push({
  case: "Satterthwaite summary",
  ours_s: await time(5, (f) => fixedEffectTests(f)),
  lme4_s: 0.037,
  target_s: null,
});
rows.push({
  case: "Kenward-Roger summary",
  ours_s: await time(5, (f) => fixedEffectTests(f, { ddf: "kenward-roger" })),
  lme4_s: 0.413,
  target_s: 0.02,
});
const n = 100000;
const subj = ["308", "309", "999"];
const csv = `Subject,Days\n${Array.from({ length: n }, (_, i) => `${subj[i % 3]},${i % 10}`).join("\n")}`;
const nd = parseCsv(csv, { name: "nd" });
rows.push({
  case: "predict 100,000 rows",
  ours_s: await time(3, (f) => predict(f, nd, { newLevels: "population" })),
  lme4_s: 0.203,
  target_s: null,
});
// restoring a saved fit (rebuild the design, one objective evaluation) next to fitting it afresh
const saved = JSON.stringify(fitLmm(formula, data).toJSON());
rows.push({
  case: "restoreLmm (saved fit)",
  ours_s: await time(5, () => restoreLmm(saved, data)),
  lme4_s: null,
  target_s: null,
});
rows.push({
  case: "fitLmm (for comparison)",
  ours_s: await time(5, () => fitLmm(formula, data)),
  lme4_s: null,
  target_s: null,
});
const loadEnd = loadAverage1();

console.log(
  `inference on sleepstudy (${formula}, REML)${quick ? ` --quick: bootstrap of ${nsim} scaled to 1,000` : ""}; load average ${loadStart} → ${loadEnd}`,
);
console.log("case                                 ours (s)   lme4 (s)   speed-up   target (s)");
for (const r of rows) {
  const up = r.lme4_s === null ? "" : `${(r.lme4_s / r.ours_s).toFixed(1)}x`;
  const lme4 = r.lme4_s === null ? "" : r.lme4_s.toFixed(3);
  const target = r.target_s === null ? "" : `${r.target_s}${r.ours_s <= r.target_s ? " met" : " MISS"}`;
  console.log(
    `${r.case.padEnd(37)}${r.ours_s.toFixed(4).padStart(8)}   ${lme4.padStart(8)}   ${up.padStart(8)}   ${target}`,
  );
}
const round = (v: number) => Number(v.toPrecision(4));
const json = {
  date: new Date().toISOString(),
  machine: machineInfo(),
  loadStart,
  loadEnd,
  quick,
  model: `${formula} (REML), sleepstudy`,
  rows: rows.map((r) => ({ ...r, ours_s: round(r.ours_s) })),
};
mkdirSync(dirname(resolve(ROOT, out)), { recursive: true });
writeFileSync(resolve(ROOT, out), `${JSON.stringify(json, null, 1)}\n`);
process.stderr.write(`inference: results written to ${out}\n`);
