/**
 * The bench report as fixed-width text (fits a 100-column terminal): machine lines, one row per
 * workload with its target and PASS/MISS, then footnotes.
 */
import type { BenchRow } from "./bench-row.ts";
import type { MachineInfo } from "./machine-info.ts";
import type { Target } from "./workloads.ts";

export interface ReportContext {
  readonly date: string;
  readonly machine: MachineInfo;
  readonly loadStart: number;
  readonly loadEnd: number;
  readonly flags: readonly string[];
  readonly lme4Machine: Readonly<Record<string, unknown>>;
}

/** Seconds with 3 significant digits and a unit: `812µs`, `1.23ms`, `25.1s`; null → `-`. */
export function formatSeconds(s: number | null): string {
  if (s === null || !Number.isFinite(s)) return "-";
  const [v, unit] = s >= 1 ? [s, "s"] : s >= 1e-3 ? [s * 1e3, "ms"] : [s * 1e6, "µs"];
  const text = v >= 100 ? v.toFixed(0) : v.toPrecision(3);
  return `${text}${unit}`;
}

/** `×23.4`, `×0.52`; null → `-`. */
export function formatRatio(r: number | null): string {
  if (r === null || !Number.isFinite(r)) return "-";
  return `×${r >= 100 ? r.toFixed(0) : r.toPrecision(3)}`;
}

function compactTarget(t: Target | null): string {
  if (t === null) return "-";
  const time = formatSeconds(t.seconds).replace(/\.0+(?=[a-zµ])/, "");
  return t.rssMB === undefined ? `≤${time}` : `≤${time},${t.rssMB}MB`;
}

const COLUMNS: readonly (readonly [string, number, "l" | "r"])[] = [
  ["workload", 21, "l"],
  ["median", 7, "r"],
  ["min", 7, "r"],
  ["feval", 5, "r"],
  ["t/feval", 7, "r"],
  ["1 eval", 7, "r"],
  ["RSS", 5, "r"],
  ["R/lme4", 7, "r"],
  ["ratio", 6, "r"],
  ["target", 10, "l"],
  ["", 5, "l"],
];

function line(cells: readonly string[]): string {
  return cells
    .map((c, i) => {
      const [, w, align] = COLUMNS[i];
      return align === "l" ? c.padEnd(w) : c.padStart(w);
    })
    .join(" ")
    .trimEnd();
}

function rowCells(r: BenchRow): string[] {
  return [
    r.label,
    formatSeconds(r.median_s),
    formatSeconds(r.min_s),
    r.feval === null ? "-" : String(r.feval),
    formatSeconds(r.per_feval_s),
    formatSeconds(r.objective_eval_s),
    r.peak_rss_MB === null ? "-" : r.peak_rss_MB.toFixed(0),
    formatSeconds(r.baseline?.median_s ?? null),
    formatRatio(r.ratio),
    compactTarget(r.target),
    r.status,
  ];
}

function footnotes(rows: readonly BenchRow[]): string[] {
  const notes = [
    "median/min: wall time per call (fits: in-process, after warm-up; tiny fits timed k calls per block).",
    "t/feval = median / feval; 1 eval = one objective evaluation at the optimum (createLmm + objective).",
    "RSS: peak of the workload's own child process, MB. R/lme4: lme4's median here; ratio = R / ours.",
  ];
  for (const r of rows) {
    if (r.baseline && !r.baseline.source.startsWith("lme4:")) {
      notes.push(`${r.label}: baseline is ${r.baseline.source}.`);
    }
    if (r.baseline?.max_rss_MB != null) {
      notes.push(`${r.label}: lme4 peak RSS ${r.baseline.max_rss_MB.toFixed(0)} MB (R process).`);
    }
    if (r.objective_rel_diff !== null && Math.abs(r.objective_rel_diff) > 1e-6) {
      notes.push(
        `${r.label}: objective differs from lme4's by ${r.objective_rel_diff.toExponential(2)} (rel.).`,
      );
    }
    if (r.error) notes.push(`${r.label}: ERROR ${r.error}`);
  }
  return notes;
}

export function reportTable(rows: readonly BenchRow[], ctx: ReportContext): string {
  const m = ctx.machine;
  const lm = ctx.lme4Machine;
  const head = line(COLUMNS.map(([h]) => h));
  const rule = "-".repeat(head.length);
  const passed = rows.filter((r) => r.status === "PASS").length;
  const targeted = rows.filter((r) => r.target !== null).length;
  const info = rows.length - targeted;
  return [
    `mixedmodels bench ${ctx.date}${ctx.flags.length ? ` (${ctx.flags.join(" ")})` : ""}`,
    `machine: ${m.cpu}, ${m.cores} cores, ${m.mem_GB} GB, ${m.os}; Node ${m.node}`,
    `load average (1 min): ${ctx.loadStart} at start, ${ctx.loadEnd} at end. The machine is shared with`,
    "other jobs: a load above ~1 on 2 cores means timings may be inflated.",
    `baseline: lme4 ${String(lm.lme4)} (${String(lm.R).replace(/^R version /, "R ")}) on ${String(lm.cpu)}, ${String(lm.cores)} cores.`,
    "",
    head,
    rule,
    ...rows.map((r) => line(rowCells(r))),
    rule,
    `${passed}/${targeted} targets met${info ? ` (${info} row(s) without a target: INFO)` : ""}.`,
    "",
    ...footnotes(rows),
  ].join("\n");
}
