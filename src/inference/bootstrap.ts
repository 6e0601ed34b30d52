/**
 * The parametric bootstrap of a linear mixed model (lme4's `bootMer`): responses are simulated
 * from the fit (`simulate.ts`), the same model structure is refitted to each (`fit.refit`, which
 * reuses the factorisation's structure), and every parameter of each refit is recorded. Percentile
 * intervals from the replicates are `confint(m, method = "boot")`.
 *
 * Replicates run one after another here (the core runs in a browser too); replicate r always uses
 * the stream of `replicateSeeds(seed, nsim)[r]`, so any split of the replicates over threads gives
 * the same table.
 */
import { RandomStream } from "../bayes/random.ts";
import { OptionError } from "../errors.ts";
import type { LmmFit } from "../lmm/fit-lmm.ts";
import { quantile7 } from "../report/quantile.ts";
import type { ConfintResult } from "./profile.ts";
import { varParams } from "./profile.ts";
import { replicateSeeds, responseSampler } from "./simulate.ts";

export interface BootstrapOptions {
  readonly seed?: number;
  /** Called after each replicate with (done, total). */
  readonly onProgress?: (done: number, total: number) => void;
  /** Replicates [from, to) of the nsim (default all): for splitting the work over threads. */
  readonly range?: readonly [number, number];
}

export interface BootstrapTable {
  readonly nsim: number;
  readonly seed: number;
  /** Column names: θ (`theta_<name>`), the sd/cor/sigma parameters (confint's names), the fixed effects, "objective". */
  readonly columns: readonly string[];
  /** One row per replicate, in replicate order (NaN where a refit failed). */
  readonly rows: readonly Float64Array[];
  /** Replicates whose refit failed or warned (not converged / boundary), with the warning codes. */
  readonly failures: number;
  readonly warningCounts: Readonly<Record<string, number>>;
}

function paramsOf(fit: LmmFit): number[] {
  const out: number[] = [...fit.theta];
  for (const g of fit.varcorr.groups) {
    const S = g.terms.length;
    for (let c = 0; c < S; c++)
      for (let r = c; r < S; r++) out.push(r === c ? g.stddev[r] : g.correlation[r][c]);
  }
  out.push(fit.sigma, ...fit.beta, fit.objective);
  return out;
}

/** `nsim` parametric-bootstrap replicates of `fit` (see the module comment). */
export function bootstrap(fit: LmmFit, nsim: number, opts: BootstrapOptions = {}): BootstrapTable {
  if (!Number.isSafeInteger(nsim) || nsim < 1)
    throw new OptionError(`the number of bootstrap replicates must be a positive integer, got ${nsim}`);
  const seed = opts.seed ?? 1;
  const [from, to] = opts.range ?? [0, nsim];
  if (!(Number.isInteger(from) && Number.isInteger(to) && 0 <= from && from <= to && to <= nsim))
    throw new OptionError(`range [${from}, ${to}) is not within [0, ${nsim})`);
  const seeds = replicateSeeds(seed, nsim);
  const draw = responseSampler(fit);
  const columns = [
    ...fit.thetaNames.map((t) => `theta_${t}`),
    ...varParams(fit).map((v) => v.name),
    ...fit.xnames,
    "objective",
  ];
  const rows: Float64Array[] = [];
  let failures = 0;
  const warningCounts: Record<string, number> = Object.create(null);
  for (let r = from; r < to; r++) {
    const y = draw(RandomStream.forChain(seeds[r], 0, 0));
    try {
      const f = fit.refit(y, { start: fit.theta });
      for (const w of f.warnings) warningCounts[w.code] = (warningCounts[w.code] ?? 0) + 1;
      rows.push(Float64Array.from(paramsOf(f)));
    } catch {
      failures++;
      rows.push(new Float64Array(columns.length).fill(Number.NaN));
    }
    opts.onProgress?.(r - from + 1, to - from);
  }
  return { nsim, seed, columns, rows, failures, warningCounts };
}

/** Percentile intervals of the sd/cor/sigma and fixed-effect columns (lme4's `confint(m, method = "boot")`). */
export function bootConfint(fit: LmmFit, table: BootstrapTable, level = 0.95): ConfintResult {
  if (!(level > 0 && level < 1)) throw new OptionError(`level must be between 0 and 1, got ${level}`);
  const names = [...varParams(fit).map((v) => v.name), ...fit.xnames];
  const a = (1 - level) / 2;
  const lower: number[] = [];
  const upper: number[] = [];
  for (const nm of names) {
    const c = table.columns.indexOf(nm);
    const v = table.rows.map((r) => r[c]).filter((x) => !Number.isNaN(x));
    v.sort((x, y) => x - y);
    lower.push(v.length ? quantile7(v, a) : Number.NaN);
    upper.push(v.length ? quantile7(v, 1 - a) : Number.NaN);
  }
  return { method: "boot", level, parameters: names, lower, upper };
}

/** The replicate table as CSV (header = columns; NA for failed refits). */
export function bootstrapCsv(table: BootstrapTable): string {
  const q = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  let out = `replicate,${table.columns.map(q).join(",")}\n`;
  table.rows.forEach((r, i) => {
    out += `${i + 1},${Array.from(r, (v) => (Number.isNaN(v) ? "NA" : String(v))).join(",")}\n`;
  });
  return out;
}
