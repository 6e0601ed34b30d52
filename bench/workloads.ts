/**
 * What `npm run bench` measures: the workloads of issue 3 ("Speed") and issue 2 (CSV load, CLI
 * start-up), each with its target and the matching entry of lme4's timings on this machine
 * (`bench/lme4-timings.json`).
 */

export interface Target {
  /** Median wall seconds must not exceed this. */
  readonly seconds: number;
  /** Peak RSS (MB) must not exceed this, when given. */
  readonly rssMB?: number;
}

/** A model fitted in-process (in a child process of its own, so its peak RSS is its own). */
export interface FitWorkload {
  readonly kind: "fit";
  readonly id: string;
  readonly label: string;
  /** A bundled dataset name, or `crossed:<n>` for the generated crossed design. */
  readonly dataset: string;
  readonly formula: string;
  readonly REML: boolean;
  /** Entry id in `lme4-timings.json` (`models[]` or `scaling[]`). */
  readonly lme4Id: string;
  /** Slow fits: warm up on a small model only, few repetitions, skipped by `--skip-large`. */
  readonly large: boolean;
  /** null: measured for information (no issue sets a target; the row says INFO). */
  readonly target: Target | null;
}

/** A `mixed` command timed as a user runs it (the built `bin/mixed.mjs`). */
export interface CliWorkload {
  readonly kind: "cli";
  readonly id: string;
  readonly label: string;
  readonly args: readonly string[];
  readonly target: Target;
  /** An outside baseline when there is one (R's wall time for the same job on this machine). */
  readonly baseline?: { readonly seconds: number; readonly source: string };
}

/** Loading the 10⁶-row, 4-column CSV of `bench/csv-load.ts`. */
export interface CsvWorkload {
  readonly kind: "csv";
  readonly id: string;
  readonly label: string;
  readonly rows: number;
  readonly target: Target;
}

export type Workload = FitWorkload | CliWorkload | CsvWorkload;

const SLEEP = "Reaction ~ 1 + Days + (1 + Days | Subject)";
const INSTEVAL_DEPT = "y ~ 1 + (1 | s) + (1 | d) + (1 | dept)";
const INSTEVAL_SERVICE = "y ~ 1 + service + (1 | s) + (1 | d) + (1 | dept:service)";
const CROSSED = "y ~ 1 + x + (1 | subj) + (1 | item)";
/** Model B of `04_timings.R`: a random slope per subject. */
const CROSSED_B = "y ~ 1 + x + (1 + x | subj) + (1 | item)";

function fit(
  id: string,
  label: string,
  dataset: string,
  formula: string,
  REML: boolean,
  lme4Id: string,
  target: Target | null,
  large = false,
): FitWorkload {
  return { kind: "fit", id, label, dataset, formula, REML, lme4Id, large, target };
}

export const WORKLOADS: readonly Workload[] = [
  fit("sleepstudy_reml", "sleepstudy REML", "sleepstudy", SLEEP, true, "sleepstudy_full_reml", {
    seconds: 0.001,
  }),
  {
    kind: "cli",
    id: "cli_sleepstudy",
    label: "CLI fit sleepstudy",
    args: ["fit", SLEEP, "--data", "sleepstudy"],
    target: { seconds: 0.3 },
  },
  fit(
    "penicillin_reml",
    "Penicillin REML",
    "Penicillin",
    "diameter ~ 1 + (1 | plate) + (1 | sample)",
    true,
    "penicillin_reml",
    {
      seconds: 0.001,
    },
  ),
  fit("pastes_reml", "Pastes REML", "Pastes", "strength ~ 1 + (1 | batch/cask)", true, "pastes_reml", {
    seconds: 0.001,
  }),
  fit("dyestuff_reml", "Dyestuff REML", "Dyestuff", "Yield ~ 1 + (1 | Batch)", true, "dyestuff_reml", {
    seconds: 0.001,
  }),
  fit(
    "insteval_dept_ml",
    "InstEval dept ML",
    "InstEval",
    INSTEVAL_DEPT,
    false,
    "insteval_dept_ml",
    { seconds: 5 },
    true,
  ),
  fit(
    "insteval_service_reml",
    "InstEval service REML",
    "InstEval",
    INSTEVAL_SERVICE,
    true,
    "insteval_service_reml",
    { seconds: 5 },
    true,
  ),
  fit(
    "crossed_1e6_reml",
    "crossed 10⁶ REML",
    "crossed:1000000",
    CROSSED,
    true,
    "scale_A_1000000",
    { seconds: 10, rssMB: 600 },
    true,
  ),
  // model B of lme4's scaling timings: no issue sets a target; measured for information
  fit(
    "crossed_b_1e5_reml",
    "crossed B 10⁵ REML",
    "crossed:100000",
    CROSSED_B,
    true,
    "scale_B_100000",
    null,
    true,
  ),
  fit(
    "crossed_b_1e6_reml",
    "crossed B 10⁶ REML",
    "crossed:1000000",
    CROSSED_B,
    true,
    "scale_B_1000000",
    null,
    true,
  ),
  {
    kind: "csv",
    id: "csv_load_1e6",
    label: "CSV load 10⁶ rows",
    rows: 1_000_000,
    target: { seconds: 3, rssMB: 400 },
  },
  {
    kind: "cli",
    id: "cli_startup_coffee",
    label: "CLI fit y~x coffee",
    args: ["fit", "y ~ x", "--data", "coffee"],
    target: { seconds: 0.15 },
    baseline: {
      seconds: 0.17,
      source: "Rscript -e 'summary(lm(y ~ x, read.csv(\"coffee.csv\")))' (issue 2)",
    },
  },
];

/** The workload of this id (for the child process). */
export function workloadById(id: string): Workload {
  const w = WORKLOADS.find((x) => x.id === id);
  if (!w) throw new Error(`unknown workload '${id}'; known: ${WORKLOADS.map((x) => x.id).join(", ")}`);
  return w;
}

/** Human form of a target: `≤ 1 ms`, `≤ 10 s, 600 MB` (`-` for none). */
export function targetText(t: Target | null): string {
  if (t === null) return "-";
  const time = t.seconds < 1 ? `${t.seconds * 1000} ms` : `${t.seconds} s`;
  return t.rssMB === undefined ? `≤ ${time}` : `≤ ${time}, ${t.rssMB} MB`;
}
