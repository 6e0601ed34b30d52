/**
 * predictGlm against R's predict(glm, newdata, type = "link" | "response", se.fit = TRUE)
 * (test/reference/glm/glm.json "predictions", scripts/fixtures/glm.R): logit and cloglog binomial,
 * Poisson with offset(log(exposure)) from the new data, Gaussian log link (estimated dispersion),
 * and the fitted rows without new data. A missing value predicts NaN (R's NA).
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { parseCsv } from "../../../src/data/parse-csv.ts";
import { DataError } from "../../../src/errors.ts";
import { fitGlm } from "../../../src/glm/fit-glm.ts";
import { predictGlm } from "../../../src/inference/predict-glm.ts";
import { expectClose } from "../../helpers/expect-close.ts";
import { glmData } from "../../helpers/glm-data.ts";
import { GLM_TOL } from "../../helpers/tolerances.ts";

interface Side {
  fit: (number | null)[];
  se_fit: (number | null)[];
}
interface RefPred {
  id: string;
  newdata: Record<string, (number | string | null)[]> | null;
  link: Side;
  response: Side;
}
const ref = JSON.parse(readFileSync("test/reference/glm/glm.json", "utf8")) as {
  fits: { id: string; data: string; formula: string; family: string; link: string; weights: string | null }[];
  predictions: RefPred[];
};

function csvOf(cols: Record<string, (number | string | null)[]>) {
  const names = Object.keys(cols);
  const n = cols[names[0]].length;
  const lines = [names.join(",")];
  for (let i = 0; i < n; i++)
    lines.push(names.map((k) => (cols[k][i] === null ? "NA" : String(cols[k][i]))).join(","));
  return parseCsv(`${lines.join("\n")}\n`, { name: "new" });
}
const num = (xs: (number | null)[]) => xs.map((v) => (v === null ? Number.NaN : v));

for (const p of ref.predictions) {
  test(`predictGlm matches R's predict.glm: ${p.id}`, () => {
    const r = ref.fits.find((f) => f.id === p.id)!;
    const fit = fitGlm(r.formula, glmData(r.data), {
      family: r.family,
      link: r.link,
      weights: r.weights ?? undefined,
    });
    const nd = p.newdata ? csvOf(p.newdata) : undefined;
    for (const type of ["link", "response"] as const) {
      const got = predictGlm(fit, nd, { type });
      const e = p[type];
      assert.deepEqual(Array.from(got.fit, Number.isNaN), num(e.fit).map(Number.isNaN), `${type} NA pattern`);
      const ok = (xs: ArrayLike<number>) => Array.from(xs).filter((v) => !Number.isNaN(v));
      expectClose(ok(got.fit), ok(num(e.fit)), {
        rtol: GLM_TOL.fitted,
        atol: GLM_TOL.fitted,
        label: `${p.id} ${type} fit`,
      });
      expectClose(ok(got.seFit), ok(num(e.se_fit)), {
        rtol: GLM_TOL.se,
        atol: 1e-14,
        label: `${p.id} ${type} se`,
      });
    }
  });
}

test("a level the fit never saw is refused", () => {
  const fit = fitGlm("y ~ x + g", glmData("bernoulli"), { family: "binomial" });
  assert.throws(
    () => predictGlm(fit, parseCsv("x,g\n1,z\n", { name: "new" })),
    (e: unknown) => e instanceof DataError && e.code === "E_DATA_NEW_LEVEL",
  );
});

// scale() and poly() on new data use the fitted data's centre/scale and polynomial coefficients,
// as R's makepredictcall (test/reference/glm/predict_scale_poly.json, scripts/fixtures/glmm-inference.R)
const scalePoly = JSON.parse(readFileSync("test/reference/glm/predict_scale_poly.json", "utf8")) as {
  fits: {
    id: string;
    formula: string;
    family: string;
    beta: Record<string, number>;
    newdata: Record<string, (number | string)[]>;
    link: Side;
    response: Side;
  }[];
};
const scalePolyData = parseCsv(readFileSync("test/reference/glm/scale_poly.csv", "utf8"), {
  name: "scale_poly",
});
for (const r of scalePoly.fits) {
  test(`predictGlm with scale()/poly() matches R's predict.glm: ${r.id}`, () => {
    const fit = fitGlm(r.formula, scalePolyData, { family: r.family });
    expectClose(fit.beta, Object.values(r.beta), {
      rtol: GLM_TOL.beta,
      atol: GLM_TOL.beta,
      label: `${r.id} beta`,
    });
    const nd = csvOf(r.newdata);
    for (const type of ["link", "response"] as const) {
      const got = predictGlm(fit, nd, { type });
      expectClose(got.fit, num(r[type].fit), {
        rtol: GLM_TOL.fitted,
        atol: GLM_TOL.fitted,
        label: `${r.id} ${type} fit`,
      });
      expectClose(got.seFit, num(r[type].se_fit), {
        rtol: GLM_TOL.se,
        atol: 1e-14,
        label: `${r.id} ${type} se`,
      });
    }
  });
}
