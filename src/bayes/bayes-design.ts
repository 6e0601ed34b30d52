/**
 * The numeric design of a Bayesian mixed model (from the library's `Design`): response (offset
 * subtracted), X, the random terms as `BayesTerm`s, the grouping factors with the terms on each
 * (`(x || g)` gives two terms on `g`), the targets the priors attach to, and the brms output names
 * with the writer of the hyper-parameter outputs.
 *
 * Output order: `b_<x>` (X columns), `sd_<g>__<term>` (terms in lme4's order, columns in order),
 * `sigma`, `cor_<g>__<a>__<b>` (per vector term, pairs (a, b) of the lower triangle column by
 * column), then per grouping factor `r_<g>[<level>,<term>]`, level by level, the columns of all
 * terms on that factor within each level.
 */
import type { Design } from "../design/design.ts";
import { SpecError } from "../errors.ts";
import type { BayesTerm, HyperParameters } from "./hyper-parameters.ts";
import { brmsCoef, type DefaultPriorConstants, type PriorTargets } from "./priors.ts";

export interface BayesFactor {
  readonly name: string;
  readonly levels: readonly string[];
  /** Indices into `terms` of the terms on this factor. */
  readonly terms: readonly number[];
  /** Σ S over its terms. */
  readonly K: number;
}

export interface BayesDesign {
  readonly n: number;
  readonly p: number;
  /** Response minus offset. */
  readonly y: Float64Array;
  /** n×p column-major. */
  readonly X: Float64Array;
  readonly xnames: readonly string[];
  readonly terms: readonly BayesTerm[];
  readonly factors: readonly BayesFactor[];
}

/** The Bayesian view of a design. Refuses prior weights (E_BAYES_UNSUPPORTED). */
export function bayesDesign(design: Design): BayesDesign {
  if (design.weights !== undefined) {
    throw new SpecError(
      "E_BAYES_UNSUPPORTED",
      "prior weights are not supported by the Bayesian models",
      "drop the weights option",
    );
  }
  const n = design.n;
  const y = Float64Array.from(design.y);
  if (design.offset) for (let i = 0; i < n; i++) y[i] -= design.offset[i];
  const terms: BayesTerm[] = design.reterms.map((t) => ({
    factor: t.factor,
    levels: t.levels,
    refs: t.refs,
    S: t.cnames.length,
    cnames: t.cnames,
    z: t.z,
    correlated: t.cnames.length > 1,
  }));
  const factors: { name: string; levels: readonly string[]; terms: number[]; K: number }[] = [];
  terms.forEach((t, i) => {
    const f = factors.find((g) => g.name === t.factor);
    if (f) {
      f.terms.push(i);
      f.K += t.S;
    } else factors.push({ name: t.factor, levels: t.levels, terms: [i], K: t.S });
  });
  return { n, p: design.p, y, X: design.X, xnames: design.xnames, terms, factors };
}

/** The parameters priors attach to. */
export function priorTargetsOf(bd: BayesDesign, defaults: DefaultPriorConstants): PriorTargets {
  return {
    xnames: bd.xnames,
    sds: bd.terms.flatMap((t) => t.cnames.map((c) => ({ group: t.factor, coef: c }))),
    cors: bd.terms.filter((t) => t.correlated).map((t) => t.factor),
    defaults,
  };
}

/** b_, sd_, sigma, cor_ names (see the module comment). */
export function hyperOutputNames(bd: BayesDesign): string[] {
  const out = bd.xnames.map((x) => `b_${brmsCoef(x)}`);
  for (const t of bd.terms) for (const c of t.cnames) out.push(`sd_${t.factor}__${brmsCoef(c)}`);
  out.push("sigma");
  for (const t of bd.terms) {
    if (!t.correlated) continue;
    for (let a = 0; a < t.S; a++)
      for (let b = a + 1; b < t.S; b++)
        out.push(`cor_${t.factor}__${brmsCoef(t.cnames[a])}__${brmsCoef(t.cnames[b])}`);
  }
  return out;
}

/** r_ names of one factor, level-major. */
export function ranefOutputNames(bd: BayesDesign, f: BayesFactor, prefix = "r"): string[] {
  const out: string[] = [];
  for (const level of f.levels)
    for (const ti of f.terms)
      for (const c of bd.terms[ti].cnames) out.push(`${prefix}_${f.name}[${level},${brmsCoef(c)}]`);
  return out;
}

/** Write b, sd, sigma, cor (after `hyper.forward`) into out[0 ..); returns the next index. */
export function writeHyperOutputs(hyper: HyperParameters, out: Float64Array): number {
  let k = 0;
  for (let j = 0; j < hyper.p; j++) out[k++] = hyper.beta[j];
  for (const t of hyper.terms) for (let r = 0; r < t.S; r++) out[k++] = t.tau[r];
  out[k++] = hyper.sigma;
  for (const t of hyper.terms) {
    if (t.cpcOff < 0) continue;
    const S = t.S;
    for (let a = 0; a < S; a++)
      for (let b = a + 1; b < S; b++) {
        let c = 0;
        for (let m = 0; m <= a; m++) c += t.L[b * S + m] * t.L[a * S + m];
        out[k++] = c;
      }
  }
  return k;
}
