/**
 * The kept draws of a Bayesian fit as CSV, with cmdstan's sampler columns: `chain__, iter__,
 * lp__, accept_stat__, stepsize__, treedepth__, n_leapfrog__, divergent__, energy__`, then one
 * column per variable (brms names; a name with a comma, `r_g[1,x]`, is quoted as RFC 4180 says).
 * Numbers at full double precision; one row per draw, chains one after the other.
 */
import type { BayesFit } from "./bayes-fit.ts";

export const SAMPLER_COLUMNS = [
  "lp__",
  "accept_stat__",
  "stepsize__",
  "treedepth__",
  "n_leapfrog__",
  "divergent__",
  "energy__",
] as const;

function csvField(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

const num = (x: number): string => (Number.isNaN(x) ? "NA" : String(x));

/** The draws CSV text (header line, then chains × draws rows). */
export function drawsCsv(fit: BayesFit): string {
  const lines: string[] = [
    ["chain__", "iter__", ...SAMPLER_COLUMNS, ...fit.variables].map(csvField).join(","),
  ];
  const nOut = fit.variables.length;
  for (const c of fit.chainResults) {
    const s = c.stats;
    const cols: ArrayLike<number>[] = [
      s.lp,
      s.acceptStat,
      s.stepSize,
      s.treeDepth,
      s.nLeapfrog,
      s.divergent,
      s.energy,
    ];
    const n = c.draws;
    for (let i = 0; i < n; i++) {
      const row: string[] = [String(c.chain + 1), String(i + 1)];
      for (const col of cols) row.push(num(col[i]));
      for (let k = 0; k < nOut; k++) row.push(num(c.outputs[k * n + i]));
      lines.push(row.join(","));
    }
  }
  return `${lines.join("\n")}\n`;
}
