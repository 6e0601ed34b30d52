/**
 * Per-level tables and VarCorr prints against texts R printed for the same numbers
 * (test/snapshots/text/*.txt, made by fixtures/report-snapshots.R from the reference fit JSON).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { formatVarCorr } from "../../../src/report/format-var-corr.ts";
import { formatCoefTable, formatRanef, listTag } from "../../../src/report/ranef-table.ts";
import { assertSameText, readJson, readText } from "./snapshot-helper.ts";

// biome-ignore lint/suspicious/noExplicitAny: reference JSON is untyped
type FitJson = Record<string, any>;
const fit = (id: string) => readJson<FitJson>(`test/reference/fits/${id}.json`);
const snap = (name: string) => `test/snapshots/text/${name}.txt`;

for (const id of ["sleepstudy_full_reml", "pastes_reml"]) {
  test(`formatRanef prints ranef(m) of ${id} as R does`, () => {
    const name = `${id}-ranef`;
    assertSameText(name, formatRanef(fit(id).ranef), readText(snap(name)), snap(name));
  });
}

test("formatCoefTable prints coef(m)$Subject of sleepstudy_full_reml as R does", () => {
  const name = "sleepstudy_full_reml-coef-Subject";
  assertSameText(
    name,
    formatCoefTable(fit("sleepstudy_full_reml").coef.Subject),
    readText(snap(name)),
    snap(name),
  );
});

test("formatCoefTable wraps the 18 columns of cake's coef(m) like R", () => {
  const name = "cake_reml-coef-recipe_replicate";
  const t = fit("cake_reml").coef["recipe:replicate"];
  assertSameText(name, formatCoefTable(t), readText(snap(name)), snap(name));
});

for (const id of ["sleepstudy_full_reml", "pastes_ml", "coffee_reml", "cbpp_laplace"]) {
  test(`formatVarCorr prints VarCorr(m) of ${id} as R does`, () => {
    const name = `${id}-varcorr`;
    assertSameText(name, formatVarCorr(fit(id).varcorr), readText(snap(name)), snap(name));
  });
}

test("listTag quotes non-syntactic names as R prints list tags", () => {
  assert.equal(listTag("Subject"), "$Subject");
  assert.equal(listTag("cask:batch"), "$`cask:batch`");
  assert.equal(listTag(".x1"), "$.x1");
  assert.equal(listTag("1a"), "$`1a`");
  assert.equal(listTag("if"), "$`if`");
});
