/**
 * The public surface: what each package entry exports, that package.json's "exports" and the
 * build agree with the entries, and that the data accessors return data (the printers text).
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import * as engine from "../../../src/engine.ts";
import * as main from "../../../src/index.ts";
import * as node from "../../../src/node/index.ts";
import * as report from "../../../src/html/index.ts";
import { loadBundled } from "../../helpers/load-bundled.ts";

const ENGINE_ONLY = [
  "buildDesign",
  "createLmm",
  "objective",
  "fitLmmProblem",
  "bobyqa",
  "nelderMead",
  "minimize",
];

test("engine internals are in mixedmodels/engine, not in the main entry", () => {
  for (const name of ENGINE_ONLY) {
    assert.ok(!(name in main), `main entry exports ${name}`);
    assert.equal(typeof (engine as Record<string, unknown>)[name], "function", `engine lacks ${name}`);
  }
  assert.deepEqual(Object.keys(node).sort(), [
    "bootstrapParallel",
    "fitBayesParallel",
    "listDatasets",
    "readData",
    "svgToPng",
  ]);
});

test("the report entry has reportHtml; the main entry the variance decomposition", () => {
  assert.deepEqual(Object.keys(report), ["reportHtml"]);
  assert.ok(!("reportHtml" in main), "the core never loads the report (it draws with the plot layer)");
  for (const name of ["varianceDecomposition", "printVarianceDecomposition"])
    assert.equal(typeof (main as Record<string, unknown>)[name], "function", name);
});

test("the main entry has the accessors and printers, and no old printer names", () => {
  for (const name of ["fixef", "ranef", "coefTable", "varCorr", "printSummary", "printRanef", "printCoef"])
    assert.equal(typeof (main as Record<string, unknown>)[name], "function", name);
  for (const old of ["lmmSummary", "lmSummary", "lmmRanef", "lmmCoef"]) assert.ok(!(old in main), old);
});

test("the main entry saves and restores fits: toJSON / lmmToJSON, restoreLmm and restoreGlmm", () => {
  for (const name of ["lmmToJSON", "restoreLmm", "restoreGlmm", "predict"])
    assert.equal(typeof (main as Record<string, unknown>)[name], "function", name);
  assert.ok(!("restoreLmm" in engine), "restoreLmm belongs to the main entry");
});

test("package.json exports the five entries with their declaration files", () => {
  const pkg = JSON.parse(readFileSync("package.json", "utf8"));
  assert.deepEqual(pkg.exports["."], { types: "./dist/types/index.d.ts", default: "./dist/index.js" });
  assert.deepEqual(pkg.exports["./engine"], {
    types: "./dist/types/engine.d.ts",
    default: "./dist/engine.js",
  });
  assert.deepEqual(pkg.exports["./node"], {
    types: "./dist/types/node/index.d.ts",
    default: "./dist/node.js",
  });
  assert.equal(pkg.types, pkg.exports["."].types);
  assert.ok(!pkg.files.includes("src"), "dist's source maps embed the sources");
  assert.match(pkg.description, /generali[sz]ed linear mixed/i, "GLMMs exist");
  const build = JSON.parse(readFileSync("tsconfig.build.json", "utf8"));
  assert.deepEqual(pkg.exports["./plot"], {
    types: "./dist/types/plot/index.d.ts",
    default: "./dist/plot.js",
  });
  assert.deepEqual(pkg.exports["./report"], {
    types: "./dist/types/html/index.d.ts",
    default: "./dist/report.js",
  });
  assert.deepEqual(build.files, [
    "src/index.ts",
    "src/engine.ts",
    "src/node/index.ts",
    "src/plot/index.ts",
    "src/html/index.ts",
  ]);
});

test("accessors of an LMM fit return R's numbers as plain data", () => {
  const m = main.fitLmm("Reaction ~ Days + (Days | Subject)", loadBundled("sleepstudy"));
  const b = main.fixef(m);
  assert.deepEqual(Object.keys(b), ["(Intercept)", "Days"]);
  // lme4 1.1-35 (REML): fixef 251.405105, 10.467286; se 6.824597, 1.545790.
  assert.ok(Math.abs(b["(Intercept)"] - 251.405105) < 1e-5);
  const rows = main.coefTable(m);
  assert.deepEqual(
    rows.map((r) => r.name),
    ["(Intercept)", "Days"],
  );
  assert.ok(Math.abs(rows[1].stdError - 1.54579) < 1e-4);
  assert.equal(rows[1].tValue, m.beta[1] / m.se[1]);
  assert.equal(rows[1].pValue, null);
  assert.equal(main.varCorr(m).groups[0].factor, "Subject");
  assert.equal(main.ranef(m).Subject.levels.length, 18);
  assert.ok(main.printSummary(m).includes("Random effects:"));
  assert.ok(main.printRanef(m).startsWith("$Subject"));
  assert.ok(main.printCoef(m).startsWith("$Subject"));
});

test("accessors of an lm fit: aliased coefficients are NaN in fixef and absent from coefTable", () => {
  const data = main.parseCsv("y,x,z\n1,1,2\n2,2,4\n4,3,6\n3,4,8\n6,5,10\n", { name: "alias" });
  const fit = main.fitLm(main.parseFormula("y ~ x + z"), data);
  const b = main.fixef(fit);
  assert.deepEqual(Object.keys(b), ["(Intercept)", "x", "z"]);
  assert.ok(Number.isNaN(b.z));
  const rows = main.coefTable(fit);
  assert.deepEqual(
    rows.map((r) => r.name),
    ["(Intercept)", "x"],
  );
  assert.ok(rows[1].pValue !== null && rows[1].pValue > 0 && rows[1].pValue < 1);
  assert.ok(main.printSummary(fit).includes("(1 not defined because of singularities)"));
});
