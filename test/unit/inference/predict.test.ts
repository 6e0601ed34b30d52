/**
 * predict(): lme4's predictions for new data (test/reference/extras/predict_*.json: conditional with
 * an unseen level, population), standard errors of the fixed part, intervals, and bad new data.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { fitLmm, MixedError, parseCsv, predict, predictionToJSON } from "../../../src/index.ts";
import { loadBundled } from "../../helpers/load-bundled.ts";
import { TOL } from "../../helpers/tolerances.ts";

const sleep = loadBundled("sleepstudy");

for (const id of ["predict_sleepstudy_full", "predict_sleepstudy_intercept"])
  test(`predict matches lme4: ${id}`, () => {
    const ref = JSON.parse(readFileSync(`test/reference/extras/${id}.json`, "utf8"));
    const m = fitLmm(ref.formula, sleep);
    const nd = parseCsv(
      `Subject,Days\n${ref.newdata.Subject.map((s: string, i: number) => `${s},${ref.newdata.Days[i]}`).join("\n")}`,
      { name: "nd" },
    );
    const cond = predict(m, nd, { newLevels: "population" });
    const pop = predict(m, nd, { re: "none" });
    const tol = TOL.ranefSigma * m.sigma;
    cond.fit.forEach((v, i) => {
      assert.ok(Math.abs(v - ref.predict_conditional[i]) < tol, `row ${i + 1}: ${v}`);
    });
    pop.fit.forEach((v, i) => {
      assert.ok(Math.abs(v - ref.predict_population[i]) < tol, `row ${i + 1}: ${v}`);
    });
    assert.equal(cond.newLevelRows, 5);
    // the unseen level '999' gets the population prediction
    for (let i = 15; i < 20; i++) assert.equal(cond.fit[i], pop.fit[i]);
    // by default an unseen level is refused, naming it
    assert.throws(
      () => predict(m, nd),
      (e) => e instanceof MixedError && e.code === "E_DATA_NEW_LEVEL" && /'999'/.test(e.message),
    );
  });

test("se of the fixed part is √(x'Vx); the interval adds the conditional variance and σ²", () => {
  const m = fitLmm("Reaction ~ Days + (Days | Subject)", sleep);
  const nd = parseCsv("Subject,Days\n308,4\n999,4\n", { name: "nd" });
  const p = predict(m, nd, { newLevels: "population", level: 0.9 });
  const x = [1, 4];
  let v = 0;
  for (let a = 0; a < 2; a++) for (let b = 0; b < 2; b++) v += x[a] * m.vcov[a][b] * x[b];
  assert.ok(Math.abs(p.seFit[0] - Math.sqrt(v)) < 1e-12 * Math.sqrt(v));
  const cv = m.ranef.Subject.condVar?.[0] as readonly (readonly number[])[];
  let zc = 0;
  for (let a = 0; a < 2; a++) for (let b = 0; b < 2; b++) zc += x[a] * cv[a][b] * x[b];
  const half = 1.6448536269514722 * Math.sqrt(v + zc + m.sigma ** 2);
  assert.ok(Math.abs(p.upper[0] - p.fit[0] - half) < 1e-9 * half);
  // a new subject: the random-effects covariance instead of the conditional one (wider)
  assert.ok(p.upper[1] - p.lower[1] > p.upper[0] - p.lower[0]);
  const j = predictionToJSON(p) as { fit: number[]; level: number };
  assert.equal(j.level, 0.9);
  assert.equal(j.fit.length, 2);
});

test("missing values give NaN rows (null in JSON); re picks terms by name", () => {
  const m = fitLmm("Reaction ~ Days + (1 | Subject)", sleep);
  const nd = parseCsv("Subject,Days\n308,\n,2\n308,2\n", { name: "nd" });
  const p = predict(m, nd);
  assert.ok(Number.isNaN(p.fit[0]) && Number.isNaN(p.fit[1]));
  assert.deepEqual((predictionToJSON(p) as { fit: unknown[] }).fit.slice(0, 2), [null, null]);
  const none = predict(m, nd, { re: "none" });
  const named = predict(m, nd, { re: ["Subject"] });
  assert.equal(named.fit[2], p.fit[2]);
  assert.notEqual(none.fit[2], p.fit[2]);
});

test("new data the fit cannot code are refused with typed errors", () => {
  const cake = loadBundled("cake");
  const m = fitLmm("angle ~ recipe + temp + (1 | replicate)", cake);
  const code = (f: () => unknown) => {
    try {
      f();
    } catch (e) {
      assert.ok(e instanceof MixedError, String(e));
      return e.code;
    }
    return "no error";
  };
  assert.equal(
    code(() => predict(m, parseCsv("recipe,temp,replicate\nD,180,1\n", { name: "nd" }))),
    "E_DATA_NEW_LEVEL",
  );
  assert.equal(
    code(() => predict(m, parseCsv("recipe,temp,replicate\nA,hot,1\n", { name: "nd" }))),
    "E_DATA_NON_NUMERIC",
  );
  assert.equal(
    code(() => predict(m, parseCsv("recipe,replicate\nA,1\n", { name: "nd" }))),
    "E_FORMULA_UNKNOWN_COLUMN",
  );
  // scale() uses the fitted data's centre and scale: one new row is not scaled by itself
  const scaled = fitLmm("angle ~ scale(temp) + (1 | replicate)", cake);
  const one = predict(scaled, parseCsv("temp,replicate\n180,1\n", { name: "nd" }));
  assert.ok(Number.isFinite(one.fit[0]));
  // a new level of a fixed factor for an interaction-grouped term works with "population"
  const m2 = fitLmm("angle ~ recipe + (1 | recipe:replicate)", cake);
  const p2 = predict(m2, parseCsv("recipe,replicate\nA,1\nA,99\n", { name: "nd" }), {
    newLevels: "population",
  });
  assert.equal(p2.newLevelRows, 1);
  assert.ok(Math.abs(p2.fit[1] - m2.beta[0]) < 1e-9);
  assert.ok(Math.abs(p2.fit[0] - (m2.beta[0] + m2.ranef["recipe:replicate"].values[0][0])) < 1e-9);
});
