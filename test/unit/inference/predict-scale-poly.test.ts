/**
 * predict() with data-dependent terms: `poly()` and `scale()` of new data use the fitted data's
 * polynomial coefficients and centre/scale (R's makepredictcall), matching lme4's predictions
 * (test/reference/extras/predict_scale_poly.json, from scripts/fixtures/predict-scale-poly.R)
 * to 1e-8 relative; log(), I() and factor terms alongside.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { type DataSource, fitLmm, parseCsv, predict, restoreLmm } from "../../../src/index.ts";
import { loadBundled } from "../../helpers/load-bundled.ts";

interface Ref {
  id: string;
  data: string;
  formula: string;
  objective: number;
  theta: number | number[];
  newdata: Record<string, (string | number)[]>;
  predict_conditional: number[];
  predict_population: number[];
}
const refs: Ref[] = JSON.parse(readFileSync("test/reference/extras/predict_scale_poly.json", "utf8")).fits;

function newdata(nd: Ref["newdata"]): DataSource {
  const cols = Object.keys(nd);
  const n = nd[cols[0]].length;
  const lines = Array.from({ length: n }, (_, i) => cols.map((c) => nd[c][i]).join(","));
  // grouping and factor columns as text (factors), numeric ones as numbers
  return parseCsv(`${cols.join(",")}\n${lines.join("\n")}`, { name: "nd" });
}

function close(a: number, b: number, rel: number): boolean {
  return Math.abs(a - b) <= rel * Math.max(1, Math.abs(b));
}

for (const ref of refs)
  test(`predict with new data matches lme4: ${ref.id} (${ref.formula})`, () => {
    const data = loadBundled(ref.data);
    const ours = fitLmm(ref.formula, data);
    assert.ok(close(ours.objective, ref.objective, 1e-9), `objective ${ours.objective}`);
    // compare the predictions at lme4's own θ (installed by restoreLmm, which checks lme4's
    // objective there to 1e-8), so that the optimisers' last digits do not enter
    const saved = ours.toJSON();
    const theta = Object.fromEntries(
      Object.keys(saved.theta as object).map((k, i) => [k, [ref.theta].flat()[i]]),
    );
    const m = restoreLmm({ ...saved, theta, objective: ref.objective }, data);
    const nd = newdata(ref.newdata);
    const cond = predict(m, nd, { newLevels: "population" });
    const pop = predict(m, nd, { re: "none" });
    ref.predict_conditional.forEach((v, i) => {
      assert.ok(close(cond.fit[i], v, 1e-8), `conditional row ${i + 1}: ${cond.fit[i]} vs ${v}`);
    });
    ref.predict_population.forEach((v, i) => {
      assert.ok(close(pop.fit[i], v, 1e-8), `population row ${i + 1}: ${pop.fit[i]} vs ${v}`);
    });
  });

test("predicting the fitted data reproduces the fitted values (poly and scale replayed, not recomputed)", () => {
  const sleep = loadBundled("sleepstudy");
  for (const f of [
    "Reaction ~ poly(Days, 3) + (1 | Subject)",
    "Reaction ~ scale(Days) + (scale(Days) | Subject)",
  ]) {
    const m = fitLmm(f, sleep);
    const p = predict(m, sleep);
    p.fit.forEach((v, i) => {
      assert.ok(Math.abs(v - m.fitted[i]) < 1e-9 * Math.abs(m.fitted[i]), `${f} row ${i + 1}`);
    });
  }
});

test("one new row is not transformed by itself: scale() of a single value would be undefined", () => {
  const m = fitLmm("Reaction ~ scale(Days) + (1 | Subject)", loadBundled("sleepstudy"));
  const one = predict(m, parseCsv("Subject,Days\n308,4.5\n", { name: "nd" }));
  // Days = 4.5 is the fitted mean, so scale(Days) = 0 and the population part is the intercept
  const pop = predict(m, parseCsv("Subject,Days\n308,4.5\n", { name: "nd" }), { re: "none" });
  assert.ok(Math.abs(pop.fit[0] - m.beta[0]) < 1e-9 * m.beta[0]);
  assert.ok(Number.isFinite(one.fit[0]));
});
