/**
 * fitGlm against R's glm() (R 4.2.2, scripts/fixtures/glm.R): cbpp as cbind and as a proportion
 * with weights, a simulated Bernoulli model with the logit, probit and cloglog links, a Poisson
 * model with offset(log(exposure)), a rank-deficient Poisson model and a separated binomial one.
 * Tolerances: GLM_TOL in test/helpers/tolerances.ts.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { fitGlm } from "../../../src/glm/fit-glm.ts";
import { expectClose } from "../../helpers/expect-close.ts";
import { glmData } from "../../helpers/glm-data.ts";
import { GLM_TOL } from "../../helpers/tolerances.ts";

interface RefFit {
  id: string;
  data: string;
  formula: string;
  family: string;
  link: string;
  weights: string | null;
  beta: Record<string, number | null>;
  se: Record<string, number | null>;
  z: Record<string, number | null>;
  p: Record<string, number | null>;
  stat_name: string;
  vcov_beta: (number | null)[][];
  dispersion: number;
  deviance: number;
  null_deviance: number;
  df_residual: number;
  df_null: number;
  aic: number;
  AIC: number;
  BIC: number;
  logLik: number;
  df: number;
  iter: number;
  converged: boolean;
  rank: number;
  nobs: number;
  pearson_chisq: number;
  fitted: number[];
  linear_predictor: number[];
  prior_weights: number[];
  working_weights: number[];
  residuals_deviance: number[];
  residuals_pearson: number[];
  residuals_working: number[];
  residuals_response: number[];
  warnings: string[];
}

const ref = JSON.parse(readFileSync("test/reference/glm/glm.json", "utf8")) as { fits: RefFit[] };

const values = (r: Record<string, number | null>) =>
  Object.values(r).map((v) => (v === null ? Number.NaN : v));

function sameNaN(actual: readonly number[], expected: number[], label: string) {
  assert.deepEqual(
    actual.map((v) => Number.isNaN(v)),
    expected.map((v) => Number.isNaN(v)),
    `${label}: aliased pattern`,
  );
}

for (const r of ref.fits) {
  test(`fitGlm matches R's glm(): ${r.id}`, () => {
    const fit = fitGlm(r.formula, glmData(r.data), {
      family: r.family,
      link: r.link,
      weights: r.weights ?? undefined,
    });
    assert.deepEqual(fit.xnames, Object.keys(r.beta));
    assert.equal(fit.family, r.family);
    assert.equal(fit.link, r.link);
    assert.equal(fit.iter, r.iter, "Fisher scoring iterations");
    assert.equal(fit.converged, r.converged);
    assert.equal(fit.rank, r.rank);
    assert.equal(fit.nobs, r.nobs);
    assert.equal(fit.dfResidual, r.df_residual);
    assert.equal(fit.dfNull, r.df_null);
    assert.equal(fit.df, r.df);
    assert.equal(`${fit.statisticName} value`, r.stat_name);
    const rb = values(r.beta);
    const rse = values(r.se);
    sameNaN(fit.beta, rb, "beta");
    const est = fit.estimable;
    // separation: the estimates drift with each iteration; R's path is reproduced (to ~5e-11) but less tightly
    const loose = r.id === "separation" ? 1e3 : 1;
    for (const j of est) {
      const tol = GLM_TOL.beta * loose * Math.max(Math.abs(rb[j]), rse[j]);
      assert.ok(
        Math.abs(fit.beta[j] - rb[j]) <= tol,
        `${r.id} beta ${fit.xnames[j]}: ${fit.beta[j]} vs ${rb[j]}`,
      );
    }
    const pick = (xs: readonly number[]) => est.map((j) => xs[j]);
    expectClose(pick(fit.se), pick(rse), { rtol: GLM_TOL.se * loose, label: `${r.id} se` });
    expectClose(pick(fit.statistic), pick(values(r.z)), { rtol: GLM_TOL.se * loose, label: `${r.id} z` });
    expectClose(pick(fit.p), pick(values(r.p)), { rtol: GLM_TOL.p * loose, label: `${r.id} p` });
    const vc = fit.vcov;
    expectClose(
      est.map((i) => est.map((j) => vc[i][j])),
      est.map((i) => est.map((j) => r.vcov_beta[i][j] as number)),
      { rtol: GLM_TOL.se * loose, atol: 1e-14, label: `${r.id} vcov` },
    );
    const dtol = { rtol: GLM_TOL.deviance * loose, atol: 1e-12 };
    expectClose(fit.deviance, r.deviance, {
      ...dtol,
      atol: r.id === "separation" ? 1e-12 : 0,
      label: "deviance",
    });
    expectClose(fit.nullDeviance, r.null_deviance, { ...dtol, label: "null deviance" });
    expectClose(fit.dispersion, r.dispersion, { ...dtol, label: "dispersion" });
    expectClose([fit.aic, fit.AIC, fit.BIC, fit.logLik], [r.aic, r.AIC, r.BIC, r.logLik], {
      ...dtol,
      label: "aic/AIC/BIC/logLik",
    });
    expectClose(fit.pearsonChisq, r.pearson_chisq, {
      rtol: GLM_TOL.deviance * loose,
      atol: 1e-12,
      label: "Pearson chi2",
    });
    const ftol = { rtol: GLM_TOL.fitted * loose, atol: GLM_TOL.fitted * loose };
    expectClose(fit.fitted, r.fitted, { ...ftol, label: "fitted" });
    expectClose(fit.linearPredictor, r.linear_predictor, { ...ftol, label: "linear predictor" });
    expectClose(fit.priorWeights, r.prior_weights, { rtol: 1e-15, label: "prior weights" });
    expectClose(fit.workingWeights, r.working_weights, { ...ftol, label: "working weights" });
    expectClose(fit.residuals.deviance, r.residuals_deviance, { ...ftol, label: "deviance residuals" });
    expectClose(fit.residuals.pearson, r.residuals_pearson, { ...ftol, label: "Pearson residuals" });
    expectClose(fit.residuals.response, r.residuals_response, { ...ftol, label: "response residuals" });
    if (r.id !== "separation")
      expectClose(fit.residuals.working, r.residuals_working, { ...ftol, label: "working residuals" });
    const codes = fit.warnings.map((w) => w.code);
    if (r.warnings.some((w) => /fitted probabilities/.test(w)))
      assert.ok(codes.includes("fitted_probabilities_0_or_1"));
    if (r.warnings.some((w) => /did not converge/.test(w))) assert.ok(codes.includes("not_converged"));
    if (r.warnings.length === 0)
      assert.deepEqual(
        codes.filter((c) => c !== "rank_deficient" && c !== "rows_dropped"),
        [],
      );
  });
}
