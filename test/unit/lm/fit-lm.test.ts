/**
 * lm() against R: coffee_lm (the lme4 reference suite) and test/reference/lm/lm-extra.json
 * (rank deficiency, prior weights + offset, no intercept, poly; scripts/fixtures/lm.R).
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { parseFormula } from "../../../src/formula/parse-formula.ts";
import { fitLm } from "../../../src/lm/fit-lm.ts";
import { expectClose } from "../../helpers/expect-close.ts";
import { loadBundled } from "../../helpers/load-bundled.ts";

const REL = 1e-9;

function values(o: Record<string, number | null>): number[] {
  return Object.values(o).map((v) => (v === null ? Number.NaN : v));
}

test("coffee y ~ x matches R's lm and summary.lm", () => {
  const ref = JSON.parse(readFileSync("test/reference/fits/coffee_lm.json", "utf8"));
  const fit = fitLm(parseFormula("y ~ x"), loadBundled("coffee"));
  assert.deepEqual(fit.xnames, Object.keys(ref.beta));
  expectClose(fit.beta, values(ref.beta), { rtol: REL, label: "beta" });
  expectClose(fit.se, values(ref.se), { rtol: REL, label: "se" });
  expectClose(fit.t, values(ref.t), { rtol: REL, label: "t" });
  expectClose(fit.p, values(ref.p), { rtol: 1e-8, label: "p" });
  expectClose(fit.vcov.flat(), ref.vcov_beta.flat(), { rtol: REL, label: "vcov" });
  for (const k of ["sigma", "r_squared", "adj_r_squared", "logLik", "AIC", "BIC", "deviance"] as const) {
    const mine = {
      sigma: fit.sigma,
      r_squared: fit.rSquared,
      adj_r_squared: fit.adjRSquared,
      logLik: fit.logLik,
      AIC: fit.AIC,
      BIC: fit.BIC,
      deviance: fit.deviance,
    }[k];
    expectClose([mine], [ref[k]], { rtol: REL, label: k });
  }
  assert.equal(fit.dfResidual, ref.df_residual);
  assert.equal(fit.df, ref.df);
  expectClose([fit.fstatistic.value], [ref.fstatistic.value], { rtol: REL, label: "F" });
  expectClose(fit.fitted.subarray(0, 10), ref.fitted_first10, { rtol: REL, label: "fitted" });
  expectClose(fit.residuals.subarray(0, 10), ref.residuals_first10, { rtol: REL, label: "residuals" });
});

const extra = JSON.parse(readFileSync("test/reference/lm/lm-extra.json", "utf8")) as {
  fits: {
    id: string;
    data: string;
    formula: string;
    beta: Record<string, number | null>;
    se: Record<string, number | null>;
    sigma: number;
    df_residual: number;
    r_squared: number;
    adj_r_squared: number;
    logLik: number;
    AIC: number;
    BIC: number;
    deviance: number;
    fitted_first10: number[];
  }[];
};
for (const ref of extra.fits) {
  test(`lm ${ref.id} matches R`, () => {
    const weights = ref.id === "gasoline_weights_offset" ? "Year" : undefined;
    const fit = fitLm(parseFormula(ref.formula), loadBundled(ref.data), { weights });
    assert.deepEqual(fit.xnames, Object.keys(ref.beta));
    const b = values(ref.beta);
    assert.deepEqual(
      Array.from(fit.beta, (v) => Number.isNaN(v)),
      b.map((v) => Number.isNaN(v)),
      "NA pattern of the coefficients",
    );
    expectClose(
      fit.beta.filter((v) => !Number.isNaN(v)),
      b.filter((v) => !Number.isNaN(v)),
      { rtol: 1e-7, label: "beta" },
    );
    expectClose(
      fit.se.filter((v) => !Number.isNaN(v)),
      values(ref.se).filter((v) => !Number.isNaN(v)),
      { rtol: 1e-7, label: "se" },
    );
    expectClose(
      [fit.sigma, fit.rSquared, fit.adjRSquared, fit.logLik, fit.AIC, fit.BIC, fit.deviance],
      [ref.sigma, ref.r_squared, ref.adj_r_squared, ref.logLik, ref.AIC, ref.BIC, ref.deviance],
      { rtol: 1e-8, label: "summary numbers" },
    );
    assert.equal(fit.dfResidual, ref.df_residual);
    expectClose(fit.fitted.subarray(0, 10), ref.fitted_first10, { rtol: 1e-8, label: "fitted" });
  });
}
