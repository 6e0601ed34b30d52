/**
 * Responses drawn from a fitted linear mixed model, as lme4's `simulate(m, nsim, seed)` (with new
 * random effects, `use.u = FALSE`): y* = Xβ̂ + offset + Zb* + ε*, b* ~ N(0, Σ̂) independently per
 * level of each term, ε* ~ N(0, σ̂²/w). Reproducible for a seed on every machine: replicate r draws
 * from its own stream, whose seed the replicate index and `seed` determine, so a replicate is the
 * same whether it is drawn alone, in a batch, or on another thread.
 */
import { RandomStream } from "../bayes/random.ts";
import { OptionError, SpecError } from "../errors.ts";
import { fitInternals } from "../lmm/fit-internals.ts";
import type { LmmFit } from "../lmm/fit-lmm.ts";

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

/** A function drawing one response vector from `stream`; the fixed part is computed once. */
export function responseSampler(fit: LmmFit): (stream: RandomStream) => Float64Array {
  const internals = fitInternals(fit);
  if (!internals)
    throw new SpecError(
      "E_SPEC_UNSUPPORTED",
      "this fit was not made by fitLmm, so its design is not available",
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
  // lower Cholesky factor of each term's Σ̂ (zero columns allowed: a variance at 0)
  const terms = design.reterms.map((rt) => {
    const g = fit.varcorr.groups.find((x) => x.name === rt.name);
    if (!g) throw new SpecError("E_SPEC_UNSUPPORTED", `random term ${rt.name} not found in the fit`);
    const S = rt.cnames.length;
    const L = new Float64Array(S * S);
    for (let j = 0; j < S; j++) {
      let dj = g.covariance[j][j];
      for (let k = 0; k < j; k++) dj -= L[j * S + k] ** 2;
      const ljj = dj > 0 ? Math.sqrt(dj) : 0;
      L[j * S + j] = ljj;
      for (let i = j + 1; i < S; i++) {
        let s = g.covariance[i][j];
        for (let k = 0; k < j; k++) s -= L[i * S + k] * L[j * S + k];
        L[i * S + j] = ljj > 0 ? s / ljj : 0;
      }
    }
    return { rt, S, L, nl: rt.levels.length };
  });
  const sd = Float64Array.from({ length: n }, (_, t) =>
    design.weights ? fit.sigma / Math.sqrt(design.weights[t]) : fit.sigma,
  );
  return (stream: RandomStream): Float64Array => {
    const y = Float64Array.from(mean);
    for (const { rt, S, L, nl } of terms) {
      const b = new Float64Array(nl * S);
      const z = new Float64Array(S);
      for (let l = 0; l < nl; l++) {
        for (let s = 0; s < S; s++) z[s] = stream.normal();
        for (let i = 0; i < S; i++) {
          let v = 0;
          for (let k = 0; k <= i; k++) v += L[i * S + k] * z[k];
          b[l * S + i] = v;
        }
      }
      for (let t = 0; t < n; t++) {
        const l = rt.refs[t];
        let v = 0;
        for (let s = 0; s < S; s++) v += rt.z[t * S + s] * b[l * S + s];
        y[t] += v;
      }
    }
    for (let t = 0; t < n; t++) y[t] += sd[t] * stream.normal();
    return y;
  };
}

/** `nsim` responses drawn from the fitted model (see the module comment), for `seed`. */
export function simulate(fit: LmmFit, nsim = 1, opts: { seed?: number } = {}): Float64Array[] {
  checkCount(nsim);
  const draw = responseSampler(fit);
  return replicateSeeds(opts.seed ?? 1, nsim).map((s) => draw(RandomStream.forChain(s, 0, 0)));
}
