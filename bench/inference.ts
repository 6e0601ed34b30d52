/**
 * Inference timings on sleepstudy, `Reaction ~ Days + (Days | Subject)` (REML), next to lme4's on
 * this machine (issue 7's targets: bootstrap 1,000 replicates ≤ 0.5 s on both cores, profile CIs
 * ≤ 0.1 s, Kenward–Roger ≤ 0.02 s):
 *
 *   node --import tsx bench/inference.ts [--quick]
 *
 * Each case: fit once (not timed), then the median wall time of `reps` fresh calls on new fit
 * objects (so no per-fit cache is reused). lme4's figures (median of 3 fresh R processes, first
 * call, R 4.2.2, lme4 1.1-31, lmerTest 3.1-3, pbkrtest 0.5.2; the team's timings_inference
 * reference, 2026-11-23): confint profile 1.828 s; confint boot 1,000 13.54 s; bootMer 1,000
 * serial 13.73 s, 2 cores 7.15 s; lmerTest Satterthwaite summary 0.037 s; Kenward–Roger summary
 * 0.413 s (0.097 s warm); predict 100,000 rows 0.203 s.
 */
import { readFileSync } from "node:fs";
import { parseCsv } from "../src/data/parse-csv.ts";
import { parseSchema } from "../src/data/schema.ts";
import { bootstrap, confint, fitLmm, fixedEffectTests, predict, restoreLmm } from "../src/index.ts";

const quick = process.argv.includes("--quick");
const metaPath = "data/sleepstudy.meta.json";
const schema = parseSchema(readFileSync(metaPath, "utf8"), metaPath);
const data = parseCsv(readFileSync("data/sleepstudy.csv", "utf8"), { name: "sleepstudy", schema });
const formula = "Reaction ~ Days + (Days | Subject)";
const fresh = () => fitLmm(formula, data);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function time(reps: number, run: () => unknown): number {
  const t: number[] = [];
  for (let r = 0; r < reps; r++) {
    const f = fresh();
    const t0 = performance.now();
    run.call(f);
    t.push((performance.now() - t0) / 1000);
  }
  return median(t);
}

const rows: [string, number, number | null, number | null][] = [];
const nsim = quick ? 200 : 1000;
let fit = fresh();
rows.push([
  "confint profile",
  time(quick ? 1 : 3, () => confint((fit = fresh()), { method: "profile" })),
  1.828,
  0.1,
]);
rows.push([
  `bootstrap ${nsim} (1 thread)`,
  time(1, () => bootstrap((fit = fresh()), nsim, { seed: 1 })) * (1000 / nsim),
  13.725,
  null,
]);
rows.push(["Satterthwaite summary", time(5, () => fixedEffectTests((fit = fresh()))), 0.037, null]);
rows.push([
  "Kenward-Roger summary",
  time(5, () => fixedEffectTests((fit = fresh()), { ddf: "kenward-roger" })),
  0.413,
  0.02,
]);
const n = 100000;
const subj = ["308", "309", "999"];
const csv = `Subject,Days\n${Array.from({ length: n }, (_, i) => `${subj[i % 3]},${i % 10}`).join("\n")}`;
const nd = parseCsv(csv, { name: "nd" });
rows.push([
  "predict 100,000 rows",
  time(5, () => predict((fit = fresh()), nd, { newLevels: "population" })),
  0.203,
  null,
]);
// restoring a saved fit (rebuild the design, one objective evaluation) next to fitting it afresh
const saved = JSON.stringify(fresh().toJSON());
rows.push(["restoreLmm (saved fit)", time(5, () => restoreLmm(saved, data)), null, null]);
rows.push(["fitLmm (for comparison)", time(5, () => fresh()), null, null]);

console.log(
  `inference on sleepstudy (${formula}, REML)${quick ? " --quick: bootstrap scaled to 1,000" : ""}`,
);
console.log("case                          ours (s)   lme4 (s)   speed-up   target (s)");
for (const [name, ours, lme4, target] of rows) {
  const up = lme4 === null ? "" : `${(lme4 / ours).toFixed(1)}x`;
  console.log(
    `${name.padEnd(30)}${ours.toFixed(4).padStart(8)}   ${lme4 === null ? "".padStart(8) : lme4.toFixed(3).padStart(8)}   ${up.padStart(8)}   ${target === null ? "" : `${target}${ours <= target ? " met" : " MISS"}`}`,
  );
}
