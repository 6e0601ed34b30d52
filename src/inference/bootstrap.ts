/**
 * The parametric bootstrap of a linear mixed model (lme4's `bootMer`): responses are simulated
 * from the fit (`simulate.ts`), the same model structure is refitted to each from the fit's θ̂
 * (`refitParameters`: only the response's blocks of the system change, and only the parameters are
 * read off the factor), and every parameter of each refit is recorded. Percentile intervals from
 * the replicates are `confint(m, method = "boot")`.
 *
 * A GLMM (`fitGlmm`) is bootstrapped the same way: responses drawn from the fitted model (binomial
 * with the fit's trials, Poisson; `simulate.ts`) and refitted by `fitGlmmModel` with the fit's
 * family, link and nAGQ, starting from θ̂ (each refit builds its own engine model, about 10 ms for
 * cbpp; the finite-difference Hessian, whose standard errors the table does not record, is skipped). Its columns
 * are θ, the sd/cor parameters (no σ), β and the objective (−2 log-likelihood).
 *
 * The work is described by a `BootstrapSpec` (plain data: it can be sent to worker threads, see
 * `bootstrapParallel` in the Node entry); replicates run one after another here (the core runs in
 * a browser too). Replicate r always draws from its own stream, seeded by `replicateSeeds(seed,
 * nsim)[r]` (a function of the seed and r only), so any split of the replicates over threads gives
 * the same table.
 */
import { RandomStream } from "../bayes/random.ts";
import { OptionError, SpecError } from "../errors.ts";
import type { GlmmFit } from "../glmm/fit-glmm.ts";
import { type AgqMode, fitGlmmModel } from "../glmm/fit-glmm-problem.ts";
import { glmmFamily } from "../glmm/glmm-family.ts";
import { glmmInternals } from "../glmm/glmm-internals.ts";
import { makeFamily } from "../glm/make-family.ts";
import { fitInternals } from "../lmm/fit-internals.ts";
import { requireLmm } from "../lmm/require-lmm.ts";
import type { LmmFit } from "../lmm/fit-lmm.ts";
import { createLmm } from "../lmm/lmm-model.ts";
import type { LmmProblem } from "../lmm/lmm-problem.ts";
import { parameterCount, refitParameters } from "../lmm/refit-parameters.ts";
import { quantile7 } from "../report/quantile.ts";
import type { ConfintResult } from "./confint-result.ts";
import { varParams } from "./var-params.ts";
import { replicateSeeds, responseSampler, type SimulationSpec, simulationSpec } from "./simulate.ts";

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

/** A bootstrap run as plain data (structured-cloneable), for `runBootstrapSpec` on any thread. */
export interface BootstrapSpec {
  readonly nsim: number;
  readonly seed: number;
  readonly columns: readonly string[];
  /** The fit's engine input (with its own response). */
  readonly problem: LmmProblem;
  readonly reml: boolean;
  /** θ̂ of the fit: every refit starts there. */
  readonly start: readonly number[];
  readonly simulation: SimulationSpec;
  /** Codes of the fit's design warnings (counted once per replicate, as a refit repeats them). */
  readonly designWarnings: readonly string[];
  /** A GLMM's refits: family and link names, nAGQ, the extended-AGQ switch, the binomial trials. */
  readonly glmm?: {
    readonly family: string;
    readonly link: string;
    readonly nAGQ: number;
    readonly agq: AgqMode;
    readonly trials: Float64Array;
  };
}

/** The replicates [from, to) of a spec: `values` holds their rows one after another. */
export interface BootstrapPart {
  readonly from: number;
  readonly to: number;
  readonly values: Float64Array;
  readonly failures: number;
  readonly warningCounts: Record<string, number>;
}

function checkCount(nsim: number): void {
  if (!Number.isSafeInteger(nsim) || nsim < 1)
    throw new OptionError(`the number of bootstrap replicates must be a positive integer, got ${nsim}`);
}

/** Describe `nsim` replicates of `fit` for `seed` (default 1) as a `BootstrapSpec`. */
export function bootstrapSpec(fit: LmmFit | GlmmFit, nsim: number, seed = 1): BootstrapSpec {
  checkCount(nsim);
  if (!Number.isSafeInteger(seed)) throw new OptionError(`the seed must be an integer, got ${seed}`);
  if (fit.kind !== "glmm")
    requireLmm(fit, "bootstrap", "bootstrap a linear or generalized linear mixed model (fitLmm, fitGlmm)");
  const internals = fitInternals(fit);
  const gi = fit.kind === "glmm" ? glmmInternals(fit) : undefined;
  if (!internals || (fit.kind === "glmm" && !gi))
    throw new SpecError(
      "E_SPEC_UNSUPPORTED",
      "this fit was not made by fitLmm or fitGlmm, so it cannot be bootstrapped",
    );
  const { design, y } = internals;
  const columns = [
    ...fit.thetaNames.map((t) => `theta_${t}`),
    ...varParams(fit).map((v) => v.name),
    ...fit.xnames,
    "objective",
  ];
  return {
    nsim,
    seed,
    columns,
    problem: {
      y,
      X: design.X,
      xnames: design.xnames,
      reterms: design.reterms,
      weights: gi ? gi.problem.weights : design.weights,
      offset: gi ? gi.problem.offset : design.offset,
    },
    reml: fit.kind === "glmm" ? false : fit.REML,
    start: [...fit.theta],
    simulation: simulationSpec(fit),
    designWarnings: design.warnings.map((w) => w.code),
    ...(gi
      ? {
          glmm: {
            family: gi.familyName,
            link: gi.linkName,
            nAGQ: gi.nAGQ,
            agq: gi.agq,
            trials: gi.trials,
          },
        }
      : {}),
  };
}

/** One GLMM refit into `row` (θ, sd/cor, β, objective); the warning codes of the refit. */
function glmmRefitter(spec: BootstrapSpec): (y: Float64Array, row: Float64Array) => string[] {
  const g = spec.glmm!;
  const family = glmmFamily(makeFamily(g.family, g.link), g.trials);
  const { problem } = spec;
  return (y, row) => {
    const { result } = fitGlmmModel(
      { ...problem, y: Float64Array.from(y), family },
      { nAGQ: g.nAGQ, agq: g.agq, start: spec.start },
      false,
    );
    let c = 0;
    for (const v of result.theta) row[c++] = v;
    for (const grp of result.varcorr.groups) {
      const S = grp.terms.length;
      for (let a = 0; a < S; a++)
        for (let r = a; r < S; r++) row[c++] = r === a ? grp.stddev[r] : grp.correlation[r][a];
    }
    for (const v of result.beta) row[c++] = v;
    row[c++] = result.objective;
    return result.warnings.map((w) => w.code);
  };
}

/** Runs ranges of replicates of one spec on one engine model (built once, reused by every range). */
export interface BootstrapRunner {
  /** Replicates [from, to); `onProgress(done, to − from)` after each. */
  run(from: number, to: number, onProgress?: (done: number, total: number) => void): BootstrapPart;
}

/** A runner for `spec` (a fresh engine model, so the fit's own is untouched). */
export function bootstrapRunner(spec: BootstrapSpec): BootstrapRunner {
  const { nsim } = spec;
  const ncol = spec.columns.length;
  const seeds = replicateSeeds(spec.seed, nsim);
  const draw = responseSampler(spec.simulation);
  // an LMM refits on one engine model; a GLMM fits each replicate anew
  const model = spec.glmm ? null : createLmm(spec.problem);
  if (model && parameterCount(model) !== ncol)
    throw new SpecError("E_SPEC_UNSUPPORTED", "the bootstrap spec's columns do not match its model");
  const options = { REML: spec.reml, start: spec.start };
  const refit = model
    ? (y: Float64Array, row: Float64Array) => refitParameters(model, y, options, row)
    : glmmRefitter(spec);
  const y = new Float64Array(spec.problem.y.length);
  const row = new Float64Array(ncol);
  return {
    run(from, to, onProgress): BootstrapPart {
      if (!(Number.isInteger(from) && Number.isInteger(to) && 0 <= from && from <= to && to <= nsim))
        throw new OptionError(`range [${from}, ${to}) is not within [0, ${nsim})`);
      const values = new Float64Array((to - from) * ncol);
      const warningCounts: Record<string, number> = Object.create(null);
      let failures = 0;
      for (let r = from; r < to; r++) {
        draw(RandomStream.forChain(seeds[r], 0, 0), y);
        let ok = true;
        try {
          const codes = refit(y, row);
          // an estimate outside double precision fails the refit (as fitLmm throws for it)
          for (let c = 0; c < ncol; c++) if (!Number.isFinite(row[c])) ok = false;
          if (ok) {
            for (const c of spec.designWarnings) warningCounts[c] = (warningCounts[c] ?? 0) + 1;
            for (const c of codes) warningCounts[c] = (warningCounts[c] ?? 0) + 1;
          }
        } catch {
          ok = false;
        }
        if (ok) values.set(row, (r - from) * ncol);
        else {
          failures++;
          values.fill(Number.NaN, (r - from) * ncol, (r - from + 1) * ncol);
        }
        onProgress?.(r - from + 1, to - from);
      }
      return { from, to, values, failures, warningCounts };
    },
  };
}

/** Run replicates [from, to) of a spec (`bootstrapRunner(spec).run`). */
export function runBootstrapSpec(
  spec: BootstrapSpec,
  from: number,
  to: number,
  onProgress?: (done: number, total: number) => void,
): BootstrapPart {
  return bootstrapRunner(spec).run(from, to, onProgress);
}

/** The table of a spec from parts covering [0, nsim) (in any order). */
export function assembleBootstrap(spec: BootstrapSpec, parts: readonly BootstrapPart[]): BootstrapTable {
  const ncol = spec.columns.length;
  const sorted = [...parts].sort((a, b) => a.from - b.from);
  const rows: Float64Array[] = [];
  let failures = 0;
  const warningCounts: Record<string, number> = Object.create(null);
  let next = sorted.length ? sorted[0].from : 0;
  for (const part of sorted) {
    if (part.from !== next) throw new OptionError(`bootstrap parts leave a gap at replicate ${next}`);
    next = part.to;
    for (let r = 0; r < part.to - part.from; r++) rows.push(part.values.slice(r * ncol, (r + 1) * ncol));
    failures += part.failures;
    for (const [k, v] of Object.entries(part.warningCounts)) warningCounts[k] = (warningCounts[k] ?? 0) + v;
  }
  return { nsim: spec.nsim, seed: spec.seed, columns: spec.columns, rows, failures, warningCounts };
}

/** `nsim` parametric-bootstrap replicates of `fit` (see the module comment). */
export function bootstrap(fit: LmmFit | GlmmFit, nsim: number, opts: BootstrapOptions = {}): BootstrapTable {
  const spec = bootstrapSpec(fit, nsim, opts.seed ?? 1);
  const [from, to] = opts.range ?? [0, nsim];
  return assembleBootstrap(spec, [runBootstrapSpec(spec, from, to, opts.onProgress)]);
}

/** Percentile intervals of the sd/cor/sigma and fixed-effect columns (lme4's `confint(m, method = "boot")`). */
export function bootConfint(fit: LmmFit | GlmmFit, table: BootstrapTable, level = 0.95): ConfintResult {
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
