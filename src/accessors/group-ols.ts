/**
 * `groupOls(fit, data)`: per-group ordinary least-squares estimates ("no pooling"), for each
 * grouping factor of a mixed model: the response regressed, within each level alone, on that
 * factor's random-effect columns (intercept and slopes). With a fixed part equal to the random part,
 * as in `Reaction ~ Days + (Days | Subject)`, this is lme4's `coef(lmList(Reaction ~ Days | Subject))`.
 * Fixed effects that are not among the factor's columns (other covariates) are held at β̂: their
 * contribution X·β̂ is subtracted from the response first, so each group's estimates are comparable
 * with `fit.coef` (fixed + random, "partial pooling"): the pair shows the shrinkage.
 */
import { buildDesign } from "../design/design.ts";
import type { DataSource } from "../data/column.ts";
import { OptionError } from "../errors.ts";
import { parseFormula } from "../formula/parse-formula.ts";
import { qrCoef, qrDecompose } from "../linalg/qr.ts";
import type { LmmFit } from "../lmm/fit-lmm.ts";
import { requireLmm } from "../lmm/require-lmm.ts";

/** The per-level OLS fits of one grouping factor. */
export interface GroupOlsFactor {
  readonly levels: readonly string[];
  /** The factor's random-effect columns, as `ranef(fit)[factor].terms`. */
  readonly terms: readonly string[];
  /** `values[l][s]`: the OLS coefficient of `terms[s]` in level `levels[l]`; NaN when not estimable. */
  readonly values: readonly (readonly number[])[];
  /** Observations per level. */
  readonly n: readonly number[];
  /** Whether every coefficient of the level is estimable (enough rows, columns not collinear). */
  readonly estimable: readonly boolean[];
}

/**
 * Grouping factor → per-level OLS coefficients of its random-effect columns. `data` must be the
 * data the model was fitted to (the design is rebuilt from `fit.formula`; prior weights are used,
 * an offset and the other fixed effects at β̂ are subtracted). A level with fewer rows than columns, or whose columns are collinear
 * within it (a slope on a covariate that is constant in the level), gets NaN for the coefficients
 * it cannot estimate (as R's `lm`) and `estimable[l] = false`.
 */
export function groupOls(fit: LmmFit, data: DataSource): Readonly<Record<string, GroupOlsFactor>> {
  requireLmm(
    fit,
    "groupOls",
    "per-group least squares compare with a Gaussian model; for a GLMM compare ranef(fit) with per-group glm fits (fitGlm on each level's rows)",
  );
  const design = buildDesign(parseFormula(fit.formula), data, { weights: fit.weightsColumn });
  if (design.n !== fit.nobs) {
    throw new OptionError(
      `the data have ${design.n} usable rows for '${fit.formula}', but the model was fitted to ${fit.nobs}`,
      "pass the data the model was fitted to",
    );
  }
  const { n, weights, offset } = design;
  const out: Record<string, GroupOlsFactor> = Object.create(null);
  const factors = [...new Set(design.reterms.map((t) => t.factor))];
  for (const factor of factors) {
    const same = design.reterms.filter((t) => t.factor === factor);
    const terms = same.flatMap((t) => t.cnames);
    const S = terms.length;
    // the response less the fixed effects of the other columns, at β̂
    const y = Float64Array.from(design.y);
    design.xnames.forEach((nm, c) => {
      if (terms.includes(nm)) return;
      const b = fit.beta[c];
      for (let t = 0; t < n; t++) y[t] -= design.X[c * n + t] * b;
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
      const X = new Float64Array(m * S);
      const yy = new Float64Array(m);
      r.forEach((t, i) => {
        const w = weights ? Math.sqrt(weights[t]) : 1;
        yy[i] = w * (y[t] - (offset ? offset[t] : 0));
        let c = 0;
        for (const term of same) {
          const St = term.cnames.length;
          for (let s = 0; s < St; s++, c++) X[c * m + i] = w * term.z[t * St + s];
        }
      });
      let coef: number[];
      if (m === 0) coef = new Array(S).fill(Number.NaN);
      else coef = Array.from(qrCoef(qrDecompose(X, m, S), yy));
      values.push(coef);
      estimable.push(coef.every(Number.isFinite));
    }
    out[factor] = { levels, terms, values, n: counts, estimable };
  }
  return out;
}
