/**
 * A Poisson GLMM with two grouping factors against glmer (test/reference/glmm/grouseticks*: lme4's
 * grouseticks, HEIGHT centred, Laplace; written by scripts/fixtures/glmm.R).
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { parseCsv } from "../../../src/data/parse-csv.ts";
import { parseSchema } from "../../../src/data/schema.ts";
import { fitGlmm } from "../../../src/glmm/fit-glmm.ts";
import { expectClose } from "../../helpers/expect-close.ts";

const dir = "test/reference/glmm";
const ref = JSON.parse(readFileSync(`${dir}/grouseticks_laplace.json`, "utf8"));

test("grouseticks: Poisson, (1 | BROOD) + (1 | LOCATION), Laplace, reproduces glmer", () => {
  const schema = parseSchema(readFileSync(`${dir}/grouseticks.meta.json`, "utf8"), "grouseticks.meta.json");
  const data = parseCsv(readFileSync(`${dir}/grouseticks.csv`, "utf8"), { name: "grouseticks", schema });
  const fit = fitGlmm(ref.formula, data, { family: "poisson" });
  assert.deepEqual(fit.thetaNames, Object.keys(ref.theta));
  assert.ok(
    Math.abs(fit.logLik - ref.logLik) / Math.abs(ref.logLik) < 1e-4,
    `logLik ${fit.logLik} vs ${ref.logLik}`,
  );
  assert.ok(fit.logLik >= ref.logLik - 1e-3, "not worse than lme4's optimum");
  expectClose(fit.devianceResidualSum, ref.deviance_lme4_function, { rtol: 1e-4, label: "deviance(m)" });
  Object.values(ref.theta as Record<string, number>).forEach((t, i) => {
    expectClose(fit.theta[i], t, { atol: 1e-3, label: `theta ${i}` });
  });
  fit.xnames.forEach((nm, j) => {
    const se = ref.se[nm];
    assert.ok(
      Math.abs(fit.beta[j] - ref.beta[nm]) < 1e-3 * se,
      `beta ${nm}: ${fit.beta[j]} vs ${ref.beta[nm]}`,
    );
    assert.ok(Math.abs(fit.se[j] / se - 1) < 1e-2, `se ${nm}: ${fit.se[j]} vs ${se}`);
    assert.ok(
      Math.abs(fit.seRX[j] / ref.se_rx[nm] - 1) < 2e-3,
      `se_rx ${nm}: ${fit.seRX[j]} vs ${ref.se_rx[nm]}`,
    );
  });
  // grouseticks is overdispersed (lme4's FAQ adds an observation-level random effect)
  assert.ok(fit.overdispersionRatio > 1.5);
  assert.ok(fit.warnings.some((w) => w.code === "overdispersion"));
});
