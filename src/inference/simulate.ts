/**
 * Responses drawn from a fitted linear mixed model, as lme4's `simulate(m, nsim, seed)` (with new
 * random effects, `use.u = FALSE`): y* = Xβ̂ + offset + Zb* + ε*, b* ~ N(0, Σ̂) independently per
 * level of each term, ε* ~ N(0, σ̂²/w). For a GLMM the linear predictor η* = Xβ̂ + offset + Zb* gives
 * μ* = g⁻¹(η*), and y* is drawn from the family: binomial out of the prior weights (the trials, as
 * lme4's simulate; y* returned as the proportion of successes, the scale the fit's response is on; a
 * 0/1 response stays 0/1), Poisson counts (`count-samplers.ts`). Reproducible for a seed on every machine: replicate r draws
 * from its own stream, whose seed the replicate index and `seed` determine, so a replicate is the
 * same whether it is drawn alone, in a batch, or on another thread.
 */
import { RandomStream } from "../bayes/random.ts";
import { OptionError, SpecError } from "../errors.ts";
import { psdCholesky } from "../linalg/psd-cholesky.ts";
import { fitInternals } from "../lmm/fit-internals.ts";
import type { LmmFit } from "../lmm/fit-lmm.ts";
import type { GlmmFit } from "../glmm/fit-glmm.ts";
import { glmmInternals } from "../glmm/glmm-internals.ts";
import { makeLink } from "../glm/make-link.ts";
import { rbinom, rpois } from "./count-samplers.ts";

/** The seeds of replicates 0 .. nsim − 1 for `seed` (53-bit integers from one master stream). */
export function replicateSeeds(seed: number, nsim: number): number[] {
  const master = RandomStream.forChain(seed, 0, 3);
  const out: number[] = [];
  for (let r = 0; r < nsim; r++) out.push((master.uint32() % 2097152) * 4294967296 + master.uint32());
  return out;
}

function checkCount(nsim: number): void {
  if (!Number.isSafeInteger(nsim) || nsim < 1)
    throw new OptionError(`the number of simulations must be a positive integer, got ${nsim}`);
}

/** One random-effects term of a `SimulationSpec`: per level, b = L·z with z standard normal. */
export interface SimulationTerm {
  readonly S: number;
  /** Lower Cholesky factor of the term's Σ̂ (row-major S×S; zero columns for variances at 0). */
  readonly L: Float64Array;
  /** Number of levels. */
  readonly nl: number;
  /** 0-based level of each observation. */
  readonly refs: Int32Array;
  /** S×n: z[t*S + s] is column s at observation t. */
  readonly z: Float64Array;
}

/**
 * Everything needed to draw responses from a fit, as plain data (it can be sent to a worker
 * thread): the fixed part Xβ̂ + offset, the residual SD of each row, and the random-effects terms.
 */
export interface SimulationSpec {
  /** Xβ̂ + offset (a GLMM's: on the link scale). */
  readonly mean: Float64Array;
  /** Residual SD per row (zeros for a GLMM). */
  readonly sd: Float64Array;
  readonly terms: readonly SimulationTerm[];
  /** A GLMM's response distribution: family, link, and the binomial trials per row (ones otherwise). */
  readonly glmm?: { readonly family: string; readonly link: string; readonly trials: Float64Array };
}

/** The `SimulationSpec` of a fit made by `fitLmm` or `fitGlmm`. */
export function simulationSpec(fit: LmmFit | GlmmFit): SimulationSpec {
  const internals = fitInternals(fit);
  const gi = fit.kind === "glmm" ? glmmInternals(fit) : undefined;
  if (!internals || (fit.kind === "glmm" && !gi))
    throw new SpecError(
      "E_SPEC_UNSUPPORTED",
      "this fit was not made by fitLmm or fitGlmm, so its design is not available",
    );
  const { design } = internals;
  const n = design.n;
  const p = design.p;
  const mean = new Float64Array(n);
  for (let j = 0; j < p; j++) {
    const bj = fit.beta[j];
    const xj = design.X.subarray(j * n, (j + 1) * n);
    for (let t = 0; t < n; t++) mean[t] += xj[t] * bj;
  }
  if (design.offset) for (let t = 0; t < n; t++) mean[t] += design.offset[t];
  const terms = design.reterms.map((rt): SimulationTerm => {
    const g = fit.varcorr.groups.find((x) => x.name === rt.name);
    if (!g) throw new SpecError("E_SPEC_UNSUPPORTED", `random term ${rt.name} not found in the fit`);
    const S = rt.cnames.length;
    const cov = new Float64Array(S * S);
    for (let i = 0; i < S; i++) for (let j = 0; j < S; j++) cov[i * S + j] = g.covariance[i][j];
    return { S, L: psdCholesky(cov, S).L, nl: rt.levels.length, refs: rt.refs, z: rt.z };
  });
  if (gi) {
    return {
      mean,
      sd: new Float64Array(n),
      terms,
      // lme4's simulate draws binomial counts out of the prior weights (the trials, times any user weights)
      glmm: {
        family: gi.familyName,
        link: gi.linkName,
        trials: Float64Array.from(gi.problem.weights ?? new Float64Array(n).fill(1), (w) => Math.round(w)),
      },
    };
  }
  const sd = Float64Array.from({ length: n }, (_, t) =>
    design.weights ? fit.sigma / Math.sqrt(design.weights[t]) : fit.sigma,
  );
  return { mean, sd, terms };
}

/**
 * A function drawing one response vector from `stream` into `out` (a new array when omitted);
 * its scratch space is allocated once.
 */
export function responseSampler(
  spec: SimulationSpec,
): (stream: RandomStream, out?: Float64Array) => Float64Array {
  const { mean, sd, terms, glmm } = spec;
  const n = mean.length;
  const linkinv = glmm ? makeLink(glmm.link).linkinv : null;
  const bs = terms.map((t) => new Float64Array(t.nl * t.S));
  const zs = terms.map((t) => new Float64Array(t.S));
  return (stream: RandomStream, out = new Float64Array(n)): Float64Array => {
    const y = out;
    y.set(mean);
    terms.forEach(({ S, L, nl, refs, z: zt }, i) => {
      const b = bs[i];
      const z = zs[i];
      for (let l = 0; l < nl; l++) {
        for (let s = 0; s < S; s++) z[s] = stream.normal();
        for (let r = 0; r < S; r++) {
          let v = 0;
          for (let k = 0; k <= r; k++) v += L[r * S + k] * z[k];
          b[l * S + r] = v;
        }
      }
      for (let t = 0; t < n; t++) {
        const l = refs[t];
        let v = 0;
        for (let s = 0; s < S; s++) v += zt[t * S + s] * b[l * S + s];
        y[t] += v;
      }
    });
    if (glmm && linkinv) {
      const { trials } = glmm;
      if (glmm.family === "binomial")
        for (let t = 0; t < n; t++)
          y[t] = trials[t] > 0 ? rbinom(stream, trials[t], linkinv(y[t])) / trials[t] : 0;
      else for (let t = 0; t < n; t++) y[t] = rpois(stream, linkinv(y[t]));
      return y;
    }
    for (let t = 0; t < n; t++) y[t] += sd[t] * stream.normal();
    return y;
  };
}

/** `nsim` responses drawn from the fitted model (see the module comment), for `seed`. */
export function simulate(fit: LmmFit | GlmmFit, nsim = 1, opts: { seed?: number } = {}): Float64Array[] {
  checkCount(nsim);
  const draw = responseSampler(simulationSpec(fit));
  return replicateSeeds(opts.seed ?? 1, nsim).map((s) => draw(RandomStream.forChain(s, 0, 0)));
}
