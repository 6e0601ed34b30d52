/**
 * restoreGlmm: a GLMM saved with toJSON() and restored with its data reproduces the fit (θ, β and
 * SEs exactly, as saved; the conditional modes, logLik and predictions within 1e-6, since PIRLS is
 * run once more at the saved parameters), for Laplace, nAGQ = 25 and a Poisson model with two
 * grouping factors; other data and other JSON are typed errors.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import {
  FormulaError,
  fitGlmm,
  fitLmm,
  type GlmmFit,
  parseCsv,
  parseSchema,
  predict,
  restoreGlmm,
  SpecError,
} from "../../../src/index.ts";
import { grouseticks } from "../../helpers/glmm-inference.ts";
import { loadBundled } from "../../helpers/load-bundled.ts";

const CBPP = "cbind(incidence, size - incidence) ~ period + (1 | herd)";

function same(a: GlmmFit, b: GlmmFit, label: string): void {
  assert.deepEqual(b.theta, a.theta, `${label} theta`);
  assert.deepEqual(b.beta, a.beta, `${label} beta`);
  assert.deepEqual(b.se, a.se, `${label} se`);
  assert.equal(b.family, a.family);
  assert.equal(b.nAGQ, a.nAGQ);
  assert.ok(Math.abs(b.logLik - a.logLik) < 1e-6 * Math.abs(a.logLik), `${label} logLik`);
  for (const [f, r] of Object.entries(a.ranef))
    for (const [l, row] of r.values.entries())
      for (const [s, v] of row.entries())
        assert.ok(Math.abs(b.ranef[f].values[l][s] - v) < 1e-6, `${label} ranef ${f} ${l}`);
}

test("restoreGlmm reproduces cbpp (Laplace and nAGQ = 25) and grouseticks from their JSON", () => {
  const cbpp = loadBundled("cbpp");
  for (const nAGQ of [1, 25]) {
    const fit = fitGlmm(CBPP, cbpp, { family: "binomial", nAGQ });
    const back = restoreGlmm(JSON.stringify(fit.toJSON()), cbpp);
    same(fit, back, `cbpp nAGQ=${nAGQ}`);
    const nd = parseCsv("herd,period\n1,1\n4,3\n", { name: "new" });
    const p0 = predict(fit, nd, { type: "response" });
    const p1 = predict(back, nd, { type: "response" });
    for (const [i, v] of p0.fit.entries()) assert.ok(Math.abs(p1.fit[i] - v) < 1e-6, `predict row ${i + 1}`);
  }
  const g = grouseticks();
  const pf = fitGlmm("TICKS ~ YEAR + cHEIGHT + (1 | BROOD) + (1 | LOCATION)", g, { family: "poisson" });
  same(pf, restoreGlmm(pf.toJSON(), g), "grouseticks");
});

test("restoreGlmm refuses other data and other JSON with typed errors", () => {
  const cbpp = loadBundled("cbpp");
  const saved = fitGlmm(CBPP, cbpp, { family: "binomial" }).toJSON();
  // the same columns and levels, one more case in herd 1
  const [head, ...lines] = readFileSync("data/cbpp.csv", "utf8").trim().split("\n");
  const cols = head.split(",").map((c) => c.replace(/"/g, ""));
  const inc = cols.indexOf("incidence");
  const changed = lines.map((l, i) => {
    if (i > 0) return l;
    const f = l.split(",");
    f[inc] = String(Number(f[inc]) + 1);
    return f.join(",");
  });
  const schema = parseSchema(readFileSync("data/cbpp.meta.json", "utf8"), "cbpp.meta.json");
  const other = parseCsv(`${head}\n${changed.join("\n")}\n`, { name: "other", schema });
  assert.throws(
    () => restoreGlmm(saved, other),
    (e: unknown) => e instanceof SpecError && e.code === "E_FIT_DATA_MISMATCH" && /deviance/.test(e.message),
  );
  assert.throws(
    () => restoreGlmm({ ...saved, theta: { "herd.(Intercept)": 0.3 } }, cbpp),
    (e: unknown) => e instanceof SpecError && e.code === "E_FIT_DATA_MISMATCH",
  );
  const lmm = fitLmm("Reaction ~ Days + (1 | Subject)", loadBundled("sleepstudy")).toJSON();
  assert.throws(
    () => restoreGlmm(lmm, loadBundled("sleepstudy")),
    (e: unknown) => e instanceof SpecError && e.code === "E_FIT_BAD_JSON" && /restoreLmm/.test(e.message),
  );
  assert.throws(
    () => restoreGlmm("{", cbpp),
    (e: unknown) => e instanceof SpecError && e.code === "E_FIT_BAD_JSON",
  );
  assert.throws(
    () =>
      restoreGlmm({ ...saved, formula: "cbind(incidence, size - incidence) ~ period + (1 | nosuch)" }, cbpp),
    (e: unknown) => e instanceof FormulaError && e.code === "E_FORMULA_UNKNOWN_COLUMN",
  );
});

test("restoreGlmm reproduces an extended-AGQ fit (two nested terms) and keeps its quadrature", () => {
  const cbpp = loadBundled("cbpp");
  const fit = fitGlmm("cbind(incidence, size - incidence) ~ period + (1 | herd) + (1 | herd:period)", cbpp, {
    family: "binomial",
    nAGQ: 3,
    agq: "extended",
  });
  const back = restoreGlmm(JSON.stringify(fit.toJSON()), cbpp);
  same(fit, back, "extended nAGQ 3");
  assert.deepEqual(back.quadrature, fit.quadrature);
  assert.equal(back.quadrature?.mode, "extended");
});
