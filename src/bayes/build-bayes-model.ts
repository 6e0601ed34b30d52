/**
 * `buildBayesModel`: formula + data + options → the `BayesModel` the sampler runs, with the priors
 * in force stated as text, the method and the parameterisation (and why).
 *
 * Methods: `collapsed` (random effects integrated out, drawn exactly afterwards; one grouping
 * factor, or several with at most `MAX_DENSE_Q` random effects) and `nuts-full` (every random
 * effect is a coordinate). Default: `collapsed` when the model has one grouping factor or at most
 * `DEFAULT_DENSE_Q` random effects in all, else `nuts-full`.
 *
 * Parameterisation of `nuts-full` when not given: from the REML fit (also used for the starting
 * points), each random-effect column c of term t gets the information ratio
 * `info = mean over levels of Σ_{n∈level} z_c[n]² · τ̂_c²/σ̂²` (prior variance of the effect over
 * the variance of its per-level estimate: data precision relative to the prior). When every column
 * has info ≥ 1 (the posterior of a level's effect keeps less than half the prior variance,
 * 1/(1 + info) ≤ ½: many observations per group and a small σ relative to τ) the model is centred —
 * hierarchically centred (`hcentred`, group coefficients β + u as coordinates, which also removes
 * the ridge between β and all u) when there is one grouping factor and some random-effect column
 * is an X column, else `centred`; otherwise non-centred (weakly identified groups, singular fits).
 * The choice and the smallest ratio are reported in `parameterisationReason`.
 *
 * Refusals (typed): a family other than gaussian (E_BAYES_UNSUPPORTED), prior weights
 * (E_BAYES_UNSUPPORTED), `collapsed` with several grouping factors and more than `MAX_DENSE_Q`
 * random effects (E_BAYES_UNSUPPORTED), priors
 * that do not parse or match no parameter (`PriorError`), and improper posteriors
 * (E_PRIOR_IMPROPER): flat on an SD whose factor has fewer than 3 levels (the marginal likelihood
 * decays only like τ^−(J−1) — integrable against a flat prior for J ≥ 3), flat on σ with fewer than
 * p + 2 observations; and a constant response (E_SPEC_CONSTANT_RESPONSE: the likelihood grows
 * without bound as σ → 0). Flat priors on β are proper posteriors (X has full rank after aliased columns
 * are dropped) and `uniform(a, b)` is always proper.
 */
import type { DataSource } from "../data/column.ts";
import { buildDesign } from "../design/design.ts";
import type { Warning } from "../errors.ts";
import { SpecError } from "../errors.ts";
import type { ModelFormula } from "../formula/model-formula.ts";
import { parseFormula } from "../formula/parse-formula.ts";
import { fitLmmProblem } from "../lmm/fit-lmm-problem.ts";
import { type BayesDesign, bayesDesign, priorTargetsOf } from "./bayes-design.ts";
import { createCollapsedModel } from "./collapsed-model.ts";
import { createFullModel, type Parameterisation } from "./full-model.ts";
import type { StartEstimates } from "./start-estimates.ts";
import type { BayesModel } from "./log-density.ts";
import { parsePrior } from "./parse-prior.ts";
import { PriorError } from "./prior-error.ts";
import {
  type DefaultPriorConstants,
  defaultPriorConstants,
  type PriorSpec,
  type ResolvedPriors,
  resolvePriors,
} from "./priors.ts";

export type BayesMethod = "collapsed" | "nuts-full";

/** Several grouping factors: collapsed by default up to this many random effects (dense O(q³) per evaluation). */
export const DEFAULT_DENSE_Q = 100;

export interface BuildBayesModelOptions {
  /** Default: collapsed with one grouping factor, else nuts-full. */
  readonly method?: BayesMethod;
  /** nuts-full only; default chosen from the data (see the module comment). */
  readonly parameterisation?: Parameterisation;
  /** User priors: parsed specs or strings such as `"sd: student_t(3, 0, 10)"`. */
  readonly priors?: readonly (PriorSpec | string)[];
  /** Only "gaussian". */
  readonly family?: string;
  /** Refuse designs whose matrices need more bytes (as `fitLmm`). */
  readonly maxBytes?: number;
  /**
   * Start chains near the REML fit (default true); false keeps Stan's uniform(−2, 2) on every
   * unconstrained coordinate.
   */
  readonly dataDrivenStart?: boolean;
}

export interface BayesModelBuild {
  readonly model: BayesModel;
  /**
   * A diagonal inverse metric for the first warm-up window from the REML fit (pass it as the
   * sampler's initial inverse metric; see `start-estimates.ts`), null without a fit or with
   * `dataDrivenStart: false`.
   */
  readonly suggestedInverseMetric: Float64Array | null;
  readonly method: BayesMethod;
  /** nuts-full's parameterisation, null for collapsed. */
  readonly parameterisation: Parameterisation | null;
  /** Why this parameterisation (or "given"). */
  readonly parameterisationReason: string;
  readonly priors: ResolvedPriors;
  /** The priors in force, one line each: `b_Intercept ~ student_t(3, 288.7, 59.3)`. */
  readonly priorsText: readonly string[];
  readonly defaults: DefaultPriorConstants;
  readonly design: BayesDesign;
  readonly formula: string;
  /** The REML fit used for starting points and the heuristic (null if it failed). */
  readonly reml: StartEstimates | null;
  readonly warnings: readonly Warning[];
}

/** Information ratios per SD (priors.sd order) from a REML fit: mean Σ z² per level × τ̂²/σ̂². */
function informationRatios(bd: BayesDesign, sd: readonly number[], sigma: number): number[] {
  const out: number[] = [];
  let k = 0;
  for (const t of bd.terms) {
    const J = t.levels.length;
    for (let c = 0; c < t.S; c++) {
      let zz = 0;
      for (let i = 0; i < bd.n; i++) zz += t.z[i * t.S + c] ** 2;
      out.push(((zz / J) * sd[k] * sd[k]) / (sigma * sigma));
      k++;
    }
  }
  return out;
}

function checkProper(bd: BayesDesign, priors: ResolvedPriors): void {
  let k = 0;
  for (const t of bd.terms) {
    for (let c = 0; c < t.S; c++, k++) {
      const pr = priors.sd[k];
      if (pr.dist.family === "flat" && t.levels.length < 3) {
        throw new PriorError(
          "E_PRIOR_IMPROPER",
          `a flat prior on ${pr.name} gives an improper posterior: '${t.factor}' has ${t.levels.length} levels, and with fewer than 3 the likelihood does not decay fast enough in the SD`,
          "",
          [0, 0],
          'use a proper prior such as "sd: student_t(3, 0, 10)" or "sd: uniform(0, 100)"',
        );
      }
    }
  }
  if (priors.sigma.dist.family === "flat" && bd.n < bd.p + 2) {
    throw new PriorError(
      "E_PRIOR_IMPROPER",
      `a flat prior on sigma gives an improper posterior with ${bd.n} observations for ${bd.p} coefficients`,
      "",
      [0, 0],
      'use a proper prior such as "sigma: student_t(3, 0, 10)"',
    );
  }
}

/** Build the Bayesian model (see the module comment). */
export function buildBayesModel(
  formula: string | ModelFormula,
  data: DataSource,
  opts: BuildBayesModelOptions = {},
): BayesModelBuild {
  const family = opts.family ?? "gaussian";
  if (family !== "gaussian") {
    throw new SpecError(
      "E_BAYES_UNSUPPORTED",
      `family '${family}' is not supported by the Bayesian models yet`,
      "only gaussian (linear mixed models) is implemented",
    );
  }
  const specs = (opts.priors ?? []).map((s) => (typeof s === "string" ? parsePrior(s) : s));
  const f = typeof formula === "string" ? parseFormula(formula) : formula;
  if (f.random.length === 0) {
    throw new SpecError(
      "E_SPEC_NO_RANDOM_EFFECTS",
      `the formula '${f.text}' has no random-effects term`,
      "add a term such as (1 | group)",
    );
  }
  const design = buildDesign(f, data, { maxBytes: opts.maxBytes });
  const bd = bayesDesign(design);
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const v of bd.y) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (!(hi - lo > 8 * Number.EPSILON * Math.max(Math.abs(hi), Math.abs(lo)))) {
    throw new SpecError(
      "E_SPEC_CONSTANT_RESPONSE",
      `the response '${f.responseLabel}' is constant (${lo}) over the ${bd.n} rows used, so the posterior of sigma piles up at 0 and is improper`,
      "a model needs variation in the response; check the column and any filtering",
    );
  }
  const defaults = defaultPriorConstants(bd.y, bd.X, bd.n, bd.xnames);
  const priors = resolvePriors(specs, priorTargetsOf(bd, defaults));
  checkProper(bd, priors);
  const q = bd.terms.reduce((a, t) => a + t.levels.length * t.S, 0);
  const method: BayesMethod =
    opts.method ?? (bd.factors.length === 1 || q <= DEFAULT_DENSE_Q ? "collapsed" : "nuts-full");
  if (method !== "collapsed" && method !== "nuts-full") {
    throw new SpecError(
      "E_BAYES_UNSUPPORTED",
      `unknown method '${method as string}'`,
      "use collapsed or nuts-full",
    );
  }
  let reml: StartEstimates | null = null;
  try {
    const r = fitLmmProblem({
      y: bd.y,
      X: design.X,
      xnames: design.xnames,
      reterms: design.reterms,
      weights: undefined,
      offset: undefined,
    });
    const sd: number[] = [];
    let off = 0;
    for (const t of bd.terms) {
      // Λ is S×S lower triangular, θ column-wise; row c of Λ gives τ_c/σ = |Λ[c, ·]|
      const S = t.S;
      const lam = new Float64Array(S * S);
      let k = off;
      for (let c = 0; c < S; c++) for (let i = c; i < S; i++) lam[i * S + c] = r.theta[k++] ?? 0;
      off = k;
      for (let c = 0; c < S; c++) {
        let v = 0;
        for (let m = 0; m <= c; m++) v += lam[c * S + m] ** 2;
        sd.push(Math.sqrt(v) * r.sigma);
      }
    }
    const ranef = r.ranefTerms.map((t) => Float64Array.from(t.values.flat()));
    const ranefSD = r.ranefTerms.every((t) => t.condSD !== null)
      ? r.ranefTerms.map((t) => Float64Array.from((t.condSD ?? []).flat()))
      : null;
    const shapesOk = ranef.every((v, i) => v.length === bd.terms[i].levels.length * bd.terms[i].S);
    if (Number.isFinite(r.sigma) && r.sigma > 0) {
      reml = {
        beta: r.beta,
        betaSE: r.se,
        sd,
        sigma: r.sigma,
        ranef: shapesOk ? ranef : null,
        ranefSD: shapesOk ? ranefSD : null,
      };
    }
  } catch {
    reml = null;
  }
  let parameterisation: Parameterisation | null = null;
  let reason = "";
  if (method === "nuts-full") {
    if (opts.parameterisation) {
      parameterisation = opts.parameterisation;
      reason = "given";
    } else if (reml) {
      const info = informationRatios(bd, reml.sd, reml.sigma);
      const min = Math.min(...info);
      const matched = bd.terms.some((t) => t.cnames.some((c) => bd.xnames.includes(c)));
      parameterisation = min < 1 ? "noncentred" : bd.factors.length === 1 && matched ? "hcentred" : "centred";
      reason = `smallest information ratio n·τ²/σ² of a random-effect column ${min.toPrecision(3)} ${min >= 1 ? "≥" : "<"} 1`;
    } else {
      parameterisation = "noncentred";
      reason = "no REML fit to judge from; non-centred is the safe default";
    }
  } else if (opts.parameterisation) {
    reason = "ignored: the collapsed model has no random-effect coordinates";
  }
  const start = opts.dataDrivenStart === false || !reml ? undefined : reml;
  const model =
    method === "collapsed"
      ? createCollapsedModel(bd, priors, { start })
      : createFullModel(bd, priors, { parameterisation: parameterisation ?? "noncentred", start });
  return {
    model,
    suggestedInverseMetric: model.suggestedInverseMetric,
    method,
    parameterisation,
    parameterisationReason: reason,
    priors,
    priorsText: priors.text,
    defaults,
    design: bd,
    formula: f.text,
    reml,
    warnings: design.warnings,
  };
}
