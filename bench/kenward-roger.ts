/**
 * Kenward–Roger timings (issue 7: "Kenward–Roger ≤ 0.02 s", "show a 50,000-row model"):
 *
 *   node --import tsx bench/kenward-roger.ts [--quick]
 *
 * For each model: fit once (not timed), then time the full Kenward–Roger coefficient table
 * (adjusted covariance + one df per coefficient) from scratch, `reps` times, reporting the median
 * wall and CPU seconds and the size that drives the cost (the largest cluster of random effects
 * linked through shared observations). lme4's figure on this machine (lmerTest 3.1-3 with pbkrtest
 * 0.5.2, `summary(m, ddf = "Kenward-Roger")` for sleepstudy): 0.413 s first call, 0.097 s warm.
 * Two 50,000-row models: longitudinal (5,000 subjects × 10 days, random intercept and slope) and
 * crossed (500 subjects × 224 items, bench/crossed-data.ts).
 */
import { readFileSync } from "node:fs";
import type { Column, DataSource } from "../src/data/column.ts";
import { ColumnTable } from "../src/data/column-table.ts";
import { parseCsv } from "../src/data/parse-csv.ts";
import { parseSchema } from "../src/data/schema.ts";
import { kenwardRogerAdjustmentAt } from "../src/inference/kenward-roger-adjustment.ts";
import { kenwardRogerCoefTable } from "../src/inference/kenward-roger.ts";
import { fitInternals } from "../src/lmm/fit-internals.ts";
import { fitLmm } from "../src/lmm/fit-lmm.ts";
import { crossedData, crossedDesign } from "./crossed-data.ts";
import { seededRng } from "./seeded-rng.ts";

function bundled(name: string): DataSource {
  const metaPath = `data/${name}.meta.json`;
  const schema = parseSchema(readFileSync(metaPath, "utf8"), metaPath);
  return parseCsv(readFileSync(`data/${name}.csv`, "utf8"), { name, schema });
}

/** 5,000 subjects × 10 days: y = 250 + 10·days + u0 + u1·days + ε (seeded). */
function longitudinal(nsubj: number, ndays: number): DataSource {
  const rng = seededRng(7);
  const n = nsubj * ndays;
  const subj = new Int32Array(n);
  const days = new Float64Array(n);
  const y = new Float64Array(n);
  for (let s = 0; s < nsubj; s++) {
    const u0 = 25 * rng.normal();
    const u1 = 6 * rng.normal();
    for (let d = 0; d < ndays; d++) {
      const t = s * ndays + d;
      subj[t] = s;
      days[t] = d;
      y[t] = 250 + 10 * d + u0 + u1 * d + 25 * rng.normal();
    }
  }
  const subject: Column = {
    kind: "factor",
    name: "Subject",
    codes: subj,
    levels: Array.from({ length: nsubj }, (_, i) => String(i + 1)),
    ordered: false,
    contrasts: null,
  };
  return new ColumnTable(`longitudinal_${n}`, [
    { kind: "numeric", name: "Reaction", values: y, integer: false },
    { kind: "numeric", name: "Days", values: days, integer: false },
    subject,
  ]);
}

const quick = process.argv.includes("--quick");
const MODELS: { id: string; data: () => DataSource; formula: string; reps: number }[] = [
  {
    id: "sleepstudy",
    data: () => bundled("sleepstudy"),
    formula: "Reaction ~ 1 + Days + (1 + Days | Subject)",
    reps: 21,
  },
  {
    id: "penicillin",
    data: () => bundled("Penicillin"),
    formula: "diameter ~ 1 + (1 | plate) + (1 | sample)",
    reps: 21,
  },
  { id: "pastes", data: () => bundled("Pastes"), formula: "strength ~ 1 + (1 | batch/cask)", reps: 21 },
  {
    id: "cake",
    data: () => bundled("cake"),
    formula: "angle ~ recipe * temperature + (1 | recipe:replicate)",
    reps: 11,
  },
  {
    id: "gasoline",
    data: () => bundled("Gasoline"),
    formula: "LCarPCap ~ 1 + Time + LIncomeP + LRPMG + (1 | Country)",
    reps: 11,
  },
  { id: "coffee", data: () => bundled("coffee"), formula: "y ~ x + (x | group)", reps: 11 },
  {
    id: "longitudinal_50000",
    data: () => longitudinal(5000, 10),
    formula: "Reaction ~ 1 + Days + (1 + Days | Subject)",
    reps: 5,
  },
  {
    id: "crossed_50000",
    data: () => crossedData(crossedDesign(50000)),
    formula: "y ~ 1 + x + (1 | subj) + (1 | item)",
    reps: 3,
  },
];

const median = (v: number[]): number => {
  const s = [...v].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};
const fmt = (s: number): string => (s < 0.01 ? `${(s * 1000).toFixed(2)} ms` : `${s.toFixed(3)} s`);

const lines: string[] = [];
lines.push(
  `${"model".padEnd(20)} ${"n".padStart(6)} ${"q".padStart(6)} ${"cluster".padStart(8)} ${"wall".padStart(10)} ${"cpu".padStart(10)}`,
);
for (const m of MODELS) {
  const fit = fitLmm(m.formula, m.data());
  const internals = fitInternals(fit);
  if (!internals) throw new Error("no internals");
  const design = internals.design;
  const run = () =>
    kenwardRogerCoefTable(kenwardRogerAdjustmentAt(design, fit.theta, fit.sigma, fit.beta), fit.xnames);
  run(); // warm-up
  const reps = quick ? Math.min(m.reps, 3) : m.reps;
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let r = 0; r < reps; r++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    run();
    wall.push((performance.now() - t0) / 1000);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1e6);
  }
  const adj = kenwardRogerAdjustmentAt(design, fit.theta, fit.sigma, fit.beta);
  const q = design.reterms.reduce((a, t) => a + t.levels.length * t.cnames.length, 0);
  lines.push(
    `${m.id.padEnd(20)} ${String(design.n).padStart(6)} ${String(q).padStart(6)} ${String(adj.largestCluster).padStart(8)} ${fmt(median(wall)).padStart(10)} ${fmt(median(cpu)).padStart(10)}`,
  );
  process.stderr.write(`${lines[lines.length - 1]}\n`);
}
process.stdout.write(
  `${lines.join("\n")}\nlme4 (lmerTest + pbkrtest) on this machine, sleepstudy: 0.413 s first call, 0.097 s warm\n`,
);
