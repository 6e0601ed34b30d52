/**
 * One line of the bench report: a measurement joined with its baseline and target, and the
 * PASS/MISS verdict. Pure (no I/O), so run.ts, the table and the JSON share one shape.
 */
import { median, minimum } from "./bench-stats.ts";
import type { FitMeasurement } from "./fit-workload.ts";
import type { Lme4Timing } from "./lme4-baseline.ts";
import { type Target, targetText, type Workload } from "./workloads.ts";

/** INFO: a workload without a target (measured for information). */
export type Status = "PASS" | "MISS" | "ERROR" | "INFO";

export interface Baseline {
  /** Where the number comes from (`lme4:<id>` or a description). */
  readonly source: string;
  readonly median_s: number;
  readonly feval: number | null;
  readonly objective_eval_s: number | null;
  readonly max_rss_MB: number | null;
}

export interface BenchRow {
  readonly id: string;
  readonly label: string;
  readonly kind: Workload["kind"];
  readonly status: Status;
  readonly target: Target | null;
  readonly target_text: string;
  /** Median and minimum wall seconds (per fitting call, per command, per load). */
  readonly median_s: number | null;
  readonly min_s: number | null;
  readonly times_s: readonly number[];
  readonly feval: number | null;
  /** Median fit time / feval. */
  readonly per_feval_s: number | null;
  /** One objective evaluation at the optimum, timed directly. */
  readonly objective_eval_s: number | null;
  readonly peak_rss_MB: number | null;
  readonly baseline: Baseline | null;
  /** baseline median / our median (> 1: we are faster). */
  readonly ratio: number | null;
  /** (ours − lme4's) / |lme4's| objective, when both fitted the same data. */
  readonly objective_rel_diff: number | null;
  /** Other numbers worth keeping (warm-up, data load, CPU time, calls per block). */
  readonly details: Readonly<Record<string, number | string | null>>;
  readonly error?: string;
}

function verdict(target: Target | null, medianS: number, rssMB: number | null): Status {
  if (target === null) return "INFO";
  const timeOk = medianS <= target.seconds;
  const rssOk = target.rssMB === undefined || (rssMB !== null && rssMB <= target.rssMB);
  return timeOk && rssOk ? "PASS" : "MISS";
}

function lme4Baseline(t: Lme4Timing): Baseline {
  return {
    source: `lme4:${t.id}`,
    median_s: t.median_s,
    feval: t.feval,
    objective_eval_s: t.objective_eval_s,
    max_rss_MB: t.max_rss_MB,
  };
}

interface Timed {
  readonly times_s: readonly number[];
  readonly peak_rss_MB: number | null;
  readonly feval?: number;
  readonly objective_eval_s?: number;
  readonly objective_rel_diff?: number | null;
  readonly details?: Record<string, number | string | null>;
}

/** The row of a workload that ran. */
export function measuredRow(w: Workload, m: Timed, baseline: Baseline | null): BenchRow {
  const med = median(m.times_s);
  const feval = m.feval ?? null;
  return {
    id: w.id,
    label: w.label,
    kind: w.kind,
    status: verdict(w.target, med, m.peak_rss_MB),
    target: w.target,
    target_text: targetText(w.target),
    median_s: med,
    min_s: minimum(m.times_s),
    times_s: m.times_s,
    feval,
    per_feval_s: feval ? med / feval : null,
    objective_eval_s: m.objective_eval_s ?? null,
    peak_rss_MB: m.peak_rss_MB,
    baseline,
    ratio: baseline ? baseline.median_s / med : null,
    objective_rel_diff: m.objective_rel_diff ?? null,
    details: m.details ?? {},
  };
}

/** The row of a fit workload, against its lme4 entry (objective compared only on shared data). */
export function fitRow(w: Workload & { kind: "fit" }, m: FitMeasurement, lme4?: Lme4Timing): BenchRow {
  const sameData = !w.dataset.startsWith("crossed:");
  const ref = sameData ? (lme4?.objective ?? null) : null;
  return measuredRow(
    w,
    {
      times_s: m.times_s,
      peak_rss_MB: m.peak_rss_MB,
      feval: m.feval,
      objective_eval_s: m.objective_eval_s,
      objective_rel_diff: ref === null ? null : (m.objective - ref) / Math.abs(ref),
      details: {
        reps: m.reps,
        calls_per_rep: m.calls_per_rep,
        cpu_median_s: m.cpu_median_s,
        first_call_s: m.first_call_s,
        data_s: m.data_s,
        rss_before_fit_MB: m.rss_before_fit_MB,
        rss_after_objective_eval_MB: m.rss_after_objective_eval_MB,
        objective: m.objective,
      },
    },
    lme4 ? lme4Baseline(lme4) : null,
  );
}

/** The row of a workload that failed or timed out. */
export function errorRow(w: Workload, error: string): BenchRow {
  return {
    id: w.id,
    label: w.label,
    kind: w.kind,
    status: "ERROR",
    target: w.target,
    target_text: targetText(w.target),
    median_s: null,
    min_s: null,
    times_s: [],
    feval: null,
    per_feval_s: null,
    objective_eval_s: null,
    peak_rss_MB: null,
    baseline: null,
    ratio: null,
    objective_rel_diff: null,
    details: {},
    error,
  };
}
