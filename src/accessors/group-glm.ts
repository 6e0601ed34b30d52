/**
 * `groupGlm(fit, data)`: per-group GLM estimates ("no pooling") for each grouping factor of a GLMM:
 * within each level alone, the response is fitted by the model's family and link (IRLS, as R's
 * `glm`) on that factor's random-effect columns (intercept and slopes), on the link scale. As
 * `groupOls` does for linear mixed models, the other fixed effects are held at β̂: their
 * contribution Xβ̂ (and the model's offset) enters each group's fit as an offset, so the estimates
 * are comparable with `fit.coef` (fixed + conditional modes, "partial pooling").
 *
 * A level whose own maximum-likelihood estimate does not exist — all successes or all failures
 * (binomial) or all zero counts (Poisson), i.e. separation, fitted values at the boundary — or
 * whose IRLS does not converge, or whose columns are collinear within it, gets NaN and
 * `estimable[l] = false`.
 */
import type { DataSource } from "../data/column.ts";
import { buildDesign } from "../design/design.ts";
import { MixedError, OptionError } from "../errors.ts";
import { parseFormula } from "../formula/parse-formula.ts";
import { glmResponse } from "../glm/glm-response.ts";
import { irls } from "../glm/irls.ts";
import { makeFamily } from "../glm/make-family.ts";
import type { GlmmFit } from "../glmm/fit-glmm.ts";
import type { GroupOlsFactor } from "./group-ols.ts";

/** Fitted values this close to a bound of the family's mean (0, or 1 for binomial) mean separation. */
const BOUNDARY = 1e-6;

/** Grouping factor → per-level GLM coefficients of its random-effect columns (link scale). */
export function groupGlm(fit: GlmmFit, data: DataSource): Readonly<Record<string, GroupOlsFactor>> {
  const family = makeFamily(fit.family, fit.link);
  const design = buildDesign(parseFormula(fit.formula), data, {
    weights: fit.weightsColumn,
    family: family.name,
  });
  if (design.n !== fit.nobs)
    throw new OptionError(
      `the data have ${design.n} usable rows for '${fit.formula}', but the model was fitted to ${fit.nobs}`,
      "pass the data the model was fitted to",
    );
  const resp = glmResponse(design.frame, family);
  const n = design.n;
  const out: Record<string, GroupOlsFactor> = Object.create(null);
  const factors = [...new Set(design.reterms.map((t) => t.factor))];
  for (const factor of factors) {
    const same = design.reterms.filter((t) => t.factor === factor);
    const terms = same.flatMap((t) => t.cnames);
    const S = terms.length;
    // the offset and the fixed effects of the other columns, at β̂
    const offset = Float64Array.from(resp.offset);
    design.xnames.forEach((nm, c) => {
      if (terms.includes(nm)) return;
      const b = fit.beta[c];
      for (let t = 0; t < n; t++) offset[t] += design.X[c * n + t] * b;
    });
    const { levels, refs } = same[0];
    const rows: number[][] = levels.map(() => []);
    for (let t = 0; t < n; t++) rows[refs[t]].push(t);
    const values: number[][] = [];
    const counts: number[] = [];
    const estimable: boolean[] = [];
    for (let l = 0; l < levels.length; l++) {
      const r = rows[l];
      const m = r.length;
      counts.push(m);
      const nan = new Array<number>(S).fill(Number.NaN);
      if (m < S) {
        values.push(nan);
        estimable.push(false);
        continue;
      }
      const X = new Float64Array(m * S);
      const pick = (a: Float64Array) => Float64Array.from(r, (t) => a[t]);
      r.forEach((t, i) => {
        let c = 0;
        for (const term of same) {
          const St = term.cnames.length;
          for (let s = 0; s < St; s++, c++) X[c * m + i] = term.z[t * St + s];
        }
      });
      let coef: number[];
      try {
        const res = irls(
          {
            X,
            n: m,
            p: S,
            y: pick(resp.y),
            priorWeights: pick(resp.priorWeights),
            offset: pick(offset),
            mustart: pick(resp.mustart),
          },
          family,
        );
        const upper = family.name === "binomial" ? 1 : Number.POSITIVE_INFINITY;
        const atBound = Array.from(res.mu).some((v) => v < BOUNDARY || upper - v < BOUNDARY);
        coef = res.converged && !atBound ? Array.from(res.coef) : nan;
      } catch (e) {
        if (!(e instanceof MixedError)) throw e;
        coef = nan;
      }
      values.push(coef);
      estimable.push(coef.every(Number.isFinite));
    }
    out[factor] = { levels, terms, values, n: counts, estimable };
  }
  return out;
}
