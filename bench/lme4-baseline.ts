/**
 * lme4's timings on this machine (`bench/lme4-timings.json`, a copy of the reference
 * `timings.json` written by `scripts/04_timings.R`): the baseline of every ratio in the bench.
 */
import { readFileSync } from "node:fs";

export interface Lme4Timing {
  readonly id: string;
  /** Median wall seconds per fitting call. */
  readonly median_s: number;
  readonly min_s: number;
  readonly feval: number | null;
  readonly objective: number | null;
  /** One call of the `devFunOnly = TRUE` objective at the optimum. */
  readonly objective_eval_s: number | null;
  /** Peak RSS of the R process (scaling entries only). */
  readonly max_rss_MB: number | null;
}

interface RawEntry {
  id: string;
  median_s: number;
  min_s: number;
  feval?: number | null;
  objective?: number | null;
  seconds_per_objective_eval?: number | null;
  max_rss_MB?: number | null;
}

export interface Lme4Baseline {
  readonly machine: Readonly<Record<string, unknown>>;
  /** The entry of this id, or undefined. */
  get(id: string): Lme4Timing | undefined;
}

export function loadLme4Baseline(path: string): Lme4Baseline {
  const raw = JSON.parse(readFileSync(path, "utf8")) as {
    machine: Record<string, unknown>;
    models: RawEntry[];
    scaling: RawEntry[];
  };
  const byId = new Map<string, Lme4Timing>();
  for (const e of [...raw.models, ...raw.scaling]) {
    byId.set(e.id, {
      id: e.id,
      median_s: e.median_s,
      min_s: e.min_s,
      feval: e.feval ?? null,
      objective: e.objective ?? null,
      objective_eval_s: e.seconds_per_objective_eval ?? null,
      max_rss_MB: e.max_rss_MB ?? null,
    });
  }
  return { machine: raw.machine, get: (id) => byId.get(id) };
}
