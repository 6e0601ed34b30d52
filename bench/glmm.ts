/**
 * GLMM timings (issue 10's targets) next to lme4's on this machine:
 *
 *   node --import tsx bench/glmm.ts [--quick] [--write-csv FILE]
 *
 * - cbpp, `cbind(incidence, size - incidence) ~ period + (1 | herd)`, binomial, Laplace: ≤ 5 ms
 *   in-process (lme4 81 ms, bench/lme4-timings.json `cbpp_laplace`);
 * - the same with nAGQ = 25: ≤ 10 ms (lme4 77 ms, `cbpp_agq25`);
 * - a simulated Bernoulli model with crossed random effects, 100,000 rows, 1,000 subjects × 500
 *   items (each subject sees 100 items at random), `y ~ x + (1 | subj) + (1 | item)`: ≤ 10 s. lme4's
 *   figure for the same data (written by `--write-csv`, timed with
 *   scripts/fixtures/glmm-bench.R) is copied below with its date.
 *
 * Median wall time after warm-up (cbpp: of 30 fits; the large model: one fit after none), with the
 * evaluation counts of both stages next to lme4's (lme4 reports those of its last stage).
 * Results: bench/results/glmm.json (git-tracked, a full run only).
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { ColumnTable } from "../src/data/column-table.ts";
import { parseCsv } from "../src/data/parse-csv.ts";
import { parseSchema } from "../src/data/schema.ts";
import { fitGlmm, type GlmmFit } from "../src/glmm/fit-glmm.ts";
import { loadAverage1 } from "./machine-info.ts";
import { seededRng } from "./seeded-rng.ts";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const quick = process.argv.includes("--quick");
const csvAt = process.argv.indexOf("--write-csv");

/**
 * lme4 on this machine for the simulated Bernoulli model (R 4.2.2, lme4 1.1-31, glmer default
 * settings, one fit after a warm-up fit on a tenth of the rows; scripts/fixtures/glmm-bench.R on the
 * CSV from `--write-csv`, 2026-12-05, with the machine shared: load average about 5 on 2 cores, so
 * compare with our figure from a run under similar load). Its −2 logLik was 111453.254687, θ
 * (0.99489, 0.46045), β (−0.44305, 0.80573).
 */
const LME4_BERNOULLI: { seconds: number | null; feval: number | null } = { seconds: 116.1, feval: 231 };

interface Lme4Entry {
  readonly id: string;
  readonly median_s: number;
  readonly feval: number;
}

function lme4(id: string): Lme4Entry {
  const raw = JSON.parse(readFileSync(join(ROOT, "bench", "lme4-timings.json"), "utf8")) as {
    models: Lme4Entry[];
  };
  const e = raw.models.find((m) => m.id === id);
  if (!e) throw new Error(`bench/lme4-timings.json has no ${id}`);
  return e;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

interface Row {
  readonly id: string;
  readonly label: string;
  readonly median_s: number;
  readonly feval: number;
  readonly feval_stage1: number;
  readonly objective: number;
  readonly lme4_s: number | null;
  readonly lme4_feval: number | null;
  readonly target_s: number;
}

function timeFit(reps: number, warm: number, run: () => GlmmFit): { t: number; fit: GlmmFit } {
  let fit = run();
  for (let i = 1; i < warm; i++) fit = run();
  const ts: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    fit = run();
    ts.push((performance.now() - t0) / 1000);
  }
  return { t: median(ts), fit };
}

/** The simulated Bernoulli data: truth β = (−0.5, 0.8), SD(subj) = 1, SD(item) = 0.5; seed 20261205. */
export function bernoulliData(nsubj = 1000, nitem = 500, per = 100): ColumnTable {
  const rng = seededRng(20261205);
  const r = () => rng.uniform();
  const z = () => rng.normal();
  const n = nsubj * per;
  const bs = Array.from({ length: nsubj }, () => z());
  const bi = Array.from({ length: nitem }, () => 0.5 * z());
  const subj = new Int32Array(n);
  const item = new Int32Array(n);
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  for (let s = 0; s < nsubj; s++)
    for (let k = 0; k < per; k++) {
      const t = s * per + k;
      subj[t] = s;
      item[t] = rng.int(nitem);
      x[t] = z();
      const eta = -0.5 + 0.8 * x[t] + bs[s] + bi[item[t]];
      y[t] = r() < 1 / (1 + Math.exp(-eta)) ? 1 : 0;
    }
  const levels = (m: number, p: string) => Array.from({ length: m }, (_, l) => `${p}${l + 1}`);
  return new ColumnTable("bernoulli_crossed", [
    { kind: "numeric", name: "y", values: y, integer: true },
    { kind: "numeric", name: "x", values: x, integer: false },
    {
      kind: "factor",
      name: "subj",
      codes: subj,
      levels: levels(nsubj, "s"),
      ordered: false,
      contrasts: null,
    },
    {
      kind: "factor",
      name: "item",
      codes: item,
      levels: levels(nitem, "i"),
      ordered: false,
      contrasts: null,
    },
  ]);
}

function writeCsv(path: string, d: ColumnTable): void {
  const cols = ["y", "x", "subj", "item"].map((nm) => d.column(nm)!);
  const lines = ["y,x,subj,item"];
  for (let t = 0; t < d.nrow; t++)
    lines.push(
      cols
        .map((c) =>
          c.kind === "numeric" ? String(c.values[t]) : c.kind === "factor" ? c.levels[c.codes[t]] : "",
        )
        .join(","),
    );
  writeFileSync(path, `${lines.join("\n")}\n`);
}

function main(): void {
  if (csvAt > 0) {
    writeCsv(process.argv[csvAt + 1], bernoulliData());
    return;
  }
  const schema = parseSchema(readFileSync(join(ROOT, "data/cbpp.meta.json"), "utf8"), "cbpp.meta.json");
  const cbpp = parseCsv(readFileSync(join(ROOT, "data/cbpp.csv"), "utf8"), { name: "cbpp", schema });
  const f = "cbind(incidence, size - incidence) ~ period + (1 | herd)";
  const load0 = loadAverage1();
  const rows: Row[] = [];
  const reps = quick ? 5 : 30;
  for (const [nAGQ, id, target] of [
    [1, "cbpp_laplace", 0.005],
    [25, "cbpp_agq25", 0.01],
  ] as const) {
    const { t, fit } = timeFit(reps, 10, () => fitGlmm(f, cbpp, { family: "binomial", nAGQ }));
    const ref = lme4(id);
    rows.push({
      id,
      label: `cbpp ${nAGQ === 1 ? "Laplace" : `nAGQ=${nAGQ}`}`,
      median_s: t,
      feval: fit.optinfo.feval,
      feval_stage1: fit.optinfo.fevalStage1,
      objective: fit.objective,
      lme4_s: ref.median_s,
      lme4_feval: ref.feval,
      target_s: target,
    });
  }
  const big = bernoulliData();
  const bf = "y ~ x + (1 | subj) + (1 | item)";
  const { t, fit } = timeFit(1, 0, () => fitGlmm(bf, big, { family: "binomial" }));
  rows.push({
    id: "bernoulli_crossed_1e5",
    label: "Bernoulli crossed 10⁵ (1000×500)",
    median_s: t,
    feval: fit.optinfo.feval,
    feval_stage1: fit.optinfo.fevalStage1,
    objective: fit.objective,
    lme4_s: LME4_BERNOULLI.seconds,
    lme4_feval: LME4_BERNOULLI.feval,
    target_s: 10,
  });
  const fmt = (s: number | null) =>
    s === null
      ? "—"
      : s < 1e-3
        ? `${(s * 1e6).toFixed(0)}µs`
        : s < 1
          ? `${(s * 1e3).toFixed(2)}ms`
          : `${s.toFixed(2)}s`;
  const lines = [
    "GLMM fits (in-process, median wall time after warm-up); feval = stage 2 (stage 1 in brackets); lme4 reports its last stage",
    "",
    "workload                              ours   feval      lme4  feval   ratio  target",
    "------------------------------------------------------------------------------------",
  ];
  for (const r of rows) {
    const ratio = r.lme4_s === null ? "—" : `×${(r.lme4_s / r.median_s).toFixed(1)}`;
    const pass = r.median_s <= r.target_s ? "PASS" : "MISS";
    lines.push(
      `${r.label.padEnd(34)} ${fmt(r.median_s).padStart(8)} ${`${r.feval} (${r.feval_stage1})`.padStart(8)} ${fmt(r.lme4_s).padStart(9)} ${String(r.lme4_feval ?? "—").padStart(6)} ${ratio.padStart(7)}  ≤${fmt(r.target_s)} ${pass}`,
    );
  }
  const load1 = loadAverage1();
  lines.push("", `load average (1 min): ${load0} at start, ${load1} at end (2 cores)`);
  console.log(lines.join("\n"));
  if (!quick) {
    const out = join(ROOT, "bench", "results", "glmm.json");
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(
      out,
      `${JSON.stringify({ date: new Date().toISOString(), load_start: load0, load_end: load1, rows }, null, 1)}\n`,
    );
  }
  if (rows.some((r) => r.median_s > r.target_s)) process.exitCode = 1;
}

if (process.argv[1]?.endsWith("glmm.ts")) main();
