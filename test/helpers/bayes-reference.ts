/**
 * The Stan long-run references of test/reference/bayes/long-runs.json and the comparison of a fit
 * against one of them (bayes.md §6 of the reference suite): z of the mean, q5 and q95 with the two
 * MCSEs combined, the SD ratio against max(5 %, 4 mcse_sd / sd), and R-hat.
 */
import { readFileSync } from "node:fs";
import type { BayesFit } from "../../src/bayes/bayes-fit.ts";

interface LongRun {
  readonly formula: string;
  readonly dataset: string;
  /** name -> [mean, sd, q5, q95, mcse_mean, mcse_sd, mcse_q5, mcse_q95] */
  readonly parameters: Readonly<Record<string, readonly number[]>>;
}

const FILE = "test/reference/bayes/long-runs.json";
let cache: Readonly<Record<string, LongRun>> | undefined;

export function longRun(id: string): LongRun {
  cache ??= (JSON.parse(readFileSync(FILE, "utf8")) as { long_runs: Record<string, LongRun> }).long_runs;
  const r = cache[id];
  if (r === undefined) throw new Error(`no long run '${id}' in ${FILE}`);
  return r;
}

export interface Comparison {
  readonly variable: string;
  readonly hyper: boolean;
  readonly zMean: number;
  readonly zQ5: number;
  readonly zQ95: number;
  /** |sd_ours / sd_long - 1| */
  readonly sdRelErr: number;
  /** max(0.05, 4 mcse_sd_ours / sd_long) */
  readonly sdTol: number;
  readonly rhat: number;
  readonly essBulk: number;
}

/** Every variable of the fit that the reference has, compared. */
export function compareWithLongRun(fit: BayesFit, id: string): Comparison[] {
  const ref = longRun(id);
  const out: Comparison[] = [];
  for (const r of fit.summary) {
    const p = ref.parameters[r.variable];
    if (p === undefined) continue;
    const [mean, sd, q5, q95, mcseMean, mcseSd, mcseQ5, mcseQ95] = p;
    const z = (ours: number, mcseOurs: number, theirs: number, mcseTheirs: number) =>
      (ours - theirs) / Math.sqrt(mcseOurs ** 2 + mcseTheirs ** 2);
    out.push({
      variable: r.variable,
      hyper: !r.variable.startsWith("r_"),
      zMean: z(r.mean, r.mcse_mean, mean, mcseMean),
      zQ5: z(r.q5, r.mcse_q5, q5, mcseQ5),
      zQ95: z(r.q95, r.mcse_q95, q95, mcseQ95),
      sdRelErr: Math.abs(r.sd / sd - 1),
      sdTol: Math.max(0.05, (4 * r.mcse_sd) / sd),
      rhat: r.rhat,
      essBulk: r.ess_bulk,
    });
    void mcseSd;
  }
  return out;
}

/** Failures of the §6 checks (|z| < 4 hyper-parameters, < 4.5 random effects; SD; R-hat < 1.01). */
export function failures(
  cmp: readonly Comparison[],
  opts: { rhatExempt?: readonly string[] } = {},
): string[] {
  const bad: string[] = [];
  for (const c of cmp) {
    const lim = c.hyper ? 4 : 4.5;
    for (const [what, z] of [
      ["mean", c.zMean],
      ["q5", c.zQ5],
      ["q95", c.zQ95],
    ] as const) {
      if (!(Math.abs(z) < lim)) bad.push(`${c.variable}: z(${what}) = ${z.toFixed(2)}`);
    }
    if (!(c.sdRelErr < c.sdTol))
      bad.push(
        `${c.variable}: sd off by ${(100 * c.sdRelErr).toFixed(1)} % (tol ${(100 * c.sdTol).toFixed(1)} %)`,
      );
    if (!(c.rhat < 1.01) && !(opts.rhatExempt ?? []).includes(c.variable))
      bad.push(`${c.variable}: rhat ${c.rhat.toFixed(4)}`);
  }
  return bad;
}

/** Largest |z| over the hyper-parameters and over the random effects (for the report). */
export function maxAbsZ(cmp: readonly Comparison[]): { hyper: number; ranef: number } {
  let hyper = 0;
  let ranef = 0;
  for (const c of cmp) {
    const m = Math.max(Math.abs(c.zMean), Math.abs(c.zQ5), Math.abs(c.zQ95));
    if (c.hyper) hyper = Math.max(hyper, m);
    else ranef = Math.max(ranef, m);
  }
  return { hyper, ranef };
}
