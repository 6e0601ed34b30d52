/**
 * Text of a Bayesian fit: the run settings, the priors in use, cmdstanr's `summary()` table
 * (variable, mean, median, sd, mad, q5, q95, rhat, ess_bulk, ess_tail) and Stan's per-chain
 * sampler diagnostics; and the comparison of posterior means with lme4's REML estimates and
 * conditional modes (`--compare-lmm`).
 */
import type { BayesFit } from "../bayes/bayes-fit.ts";
import type { DrawSummary } from "../bayes/summarise-draws.ts";
import type { LmmFit } from "../lmm/fit-lmm.ts";
import { requireLmm } from "../lmm/require-lmm.ts";

/** Right-aligned table with a left-aligned first column; `rows` are already formatted. */
function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const width = header.map((h, j) => Math.max(h.length, ...rows.map((r) => r[j].length)));
  const line = (r: readonly string[]) =>
    r.map((c, j) => (j === 0 ? c.padEnd(width[j]) : c.padStart(width[j]))).join("  ");
  return `${[header, ...rows].map((r) => ` ${line(r)}`.trimEnd()).join("\n")}\n`;
}

/** Three significant digits, without exponent for ordinary magnitudes (cmdstanr-like). */
function sig(x: number, digits = 3): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? "NA" : String(x);
  if (x === 0) return "0";
  const a = Math.abs(x);
  if (a >= 1e6 || a < 1e-4) return x.toExponential(digits - 1);
  const decimals = Math.max(0, digits - 1 - Math.floor(Math.log10(a)));
  return x.toFixed(Math.min(decimals, 6));
}

const ess = (x: number): string => (Number.isFinite(x) ? Math.round(x).toString() : "NA");
const rhat = (x: number): string => (Number.isFinite(x) ? x.toFixed(2) : "NA");

function summaryTable(rows: readonly DrawSummary[]): string {
  return table(
    ["variable", "mean", "median", "sd", "mad", "q5", "q95", "rhat", "ess_bulk", "ess_tail"],
    rows.map((r) => [
      r.variable,
      sig(r.mean),
      sig(r.median),
      sig(r.sd),
      sig(r.mad),
      sig(r.q5),
      sig(r.q95),
      rhat(r.rhat),
      ess(r.ess_bulk),
      ess(r.ess_tail),
    ]),
  );
}

function methodLine(fit: BayesFit): string {
  if (fit.method === "collapsed") {
    return "collapsed (NUTS on the fixed effects and variance parameters with the random effects integrated out; random effects drawn exactly from their conditional)";
  }
  const why = fit.parameterisationReason ? `: ${fit.parameterisationReason}` : "";
  return `nuts-full (NUTS on all parameters; ${fit.parameterisation ?? "noncentred"} random effects${why})`;
}

export interface BayesSummaryOptions {
  /** Print at most this many summary rows (hyper-parameters come first); default all. */
  readonly maxRows?: number;
}

/** The human summary of a Bayesian fit. */
export function printBayesSummary(fit: BayesFit, opts: BayesSummaryOptions = {}): string {
  let out = "Bayesian linear mixed model fit by NUTS\n";
  out += ` Formula: ${fit.formula}\n`;
  out += `  Method: ${methodLine(fit)}\n`;
  out += `  Chains: ${fit.chains} x (${fit.warmup} warm-up + ${fit.draws} draws), seed ${fit.seed}, adapt_delta ${fit.adaptDelta}, max_treedepth ${fit.maxTreedepth}\n`;
  out += `\nPriors:\n`;
  out += table(
    ["parameter", "prior", "source"],
    fit.priors.map((p) => [p.parameter, p.prior, p.source]),
  );
  const max = opts.maxRows ?? fit.summary.length;
  out += "\n";
  out += summaryTable(fit.summary.slice(0, max));
  if (max < fit.summary.length) {
    out += ` # ... ${fit.summary.length - max} more variables (all in --json and --draws-out)\n`;
  }
  out += "\nSampler diagnostics per chain (after warm-up):\n";
  out += table(
    [
      "chain",
      "divergent",
      "max_treedepth",
      "e_bfmi",
      "stepsize",
      "mean_treedepth",
      "n_leapfrog",
      "warmup_s",
      "sampling_s",
    ],
    fit.diagnostics.map((d) => [
      String(d.chain),
      String(d.divergences),
      String(d.treedepthHits),
      Number.isFinite(d.ebfmi) ? d.ebfmi.toFixed(2) : "NA",
      sig(d.stepsize),
      d.meanTreedepth.toFixed(2),
      String(d.nLeapfrogSampling),
      d.warmupSeconds.toFixed(3),
      d.samplingSeconds.toFixed(3),
    ]),
  );
  out += ` Total: ${fit.divergences} divergent transitions; ${fit.timing.total_s.toFixed(3)} chain-seconds (warm-up ${fit.timing.warmup_s.toFixed(3)}, sampling ${fit.timing.sampling_s.toFixed(3)}), ${fit.timing.wall_s.toFixed(3)} s elapsed\n`;
  return out;
}

/** lme4's term name as brms writes it (`(Intercept)` → `Intercept`). */
function brmsTerm(term: string): string {
  return term === "(Intercept)" ? "Intercept" : term;
}

/** A posterior summary next to lme4's estimate of the same quantity. */
export interface LmmComparisonRow {
  readonly variable: string;
  /** `fixed`, `sd`, `cor`, `sigma` (REML estimates) or `ranef` (conditional modes). */
  readonly kind: "fixed" | "sd" | "cor" | "sigma" | "ranef";
  readonly post_mean: number;
  readonly post_sd: number;
  readonly lme4: number;
  /** Standard error (fixed effects) or conditional SD (random effects); null otherwise. */
  readonly lme4_se: number | null;
}

/**
 * Posterior means and SDs next to lme4's REML estimates: fixed effects (estimate, SE), standard
 * deviations and correlations of the random effects, sigma, then every random effect next to its
 * conditional mode and conditional SD. Variables the fit does not report are left out.
 */
export function lmmComparison(fit: BayesFit, lmm: LmmFit): LmmComparisonRow[] {
  requireLmm(
    lmm,
    "lmmComparison",
    "the Bayesian models are Gaussian: compare them with a fitLmm fit of the same formula",
  );
  const rows = new Map(fit.summary.map((r) => [r.variable, r] as const));
  const out: LmmComparisonRow[] = [];
  const add = (variable: string, kind: LmmComparisonRow["kind"], est: number, se: number | null) => {
    const r = rows.get(variable);
    if (r !== undefined)
      out.push({ variable, kind, post_mean: r.mean, post_sd: r.sd, lme4: est, lme4_se: se });
  };
  lmm.xnames.forEach((x, i) => {
    add(`b_${brmsTerm(x)}`, "fixed", lmm.beta[i], lmm.se[i]);
  });
  for (const g of lmm.varcorr.groups) {
    g.terms.forEach((t, i) => {
      add(`sd_${g.factor}__${brmsTerm(t)}`, "sd", g.stddev[i], null);
    });
    for (let i = 0; i < g.terms.length; i++) {
      for (let j = 0; j < i; j++) {
        add(
          `cor_${g.factor}__${brmsTerm(g.terms[j])}__${brmsTerm(g.terms[i])}`,
          "cor",
          g.correlation[i][j],
          null,
        );
      }
    }
  }
  add("sigma", "sigma", lmm.sigma, null);
  for (const [factor, rf] of Object.entries(lmm.ranef)) {
    rf.levels.forEach((level, l) => {
      rf.terms.forEach((t, s) => {
        add(`r_${factor}[${level},${brmsTerm(t)}]`, "ranef", rf.values[l][s], rf.condSD?.[l]?.[s] ?? null);
      });
    });
  }
  return out;
}

/** The text of `lmmComparison`: hyper-parameters, then the random effects. */
export function printLmmComparison(fit: BayesFit, lmm: LmmFit): string {
  const rows = lmmComparison(fit, lmm);
  const fmt = (r: LmmComparisonRow) => [
    r.variable,
    sig(r.post_mean, 4),
    sig(r.post_sd, 3),
    sig(r.lme4, 4),
    r.lme4_se === null ? "" : sig(r.lme4_se, 3),
  ];
  const hyper = rows.filter((r) => r.kind !== "ranef");
  const re = rows.filter((r) => r.kind === "ranef");
  let out = "Posterior means vs lme4 (REML estimates; conditional modes for the random effects):\n";
  out += table(["variable", "post_mean", "post_sd", "lme4", "lme4_se"], hyper.map(fmt));
  if (re.length > 0) {
    out += "\n";
    out += table(["variable", "post_mean", "post_sd", "cond_mode", "cond_sd"], re.map(fmt));
  }
  return out;
}
