/**
 * A two-column `cbind(a, b)` response is for binomial models only: a Gaussian fit (fitLm, fitLmm,
 * buildDesign without a family) refuses it, pointing at cbind, instead of fitting `a` alone.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { buildDesign } from "../../../src/design/design.ts";
import { FormulaError } from "../../../src/errors.ts";
import { parseFormula } from "../../../src/formula/parse-formula.ts";
import { fitLm } from "../../../src/lm/fit-lm.ts";
import { fitLmm } from "../../../src/lmm/fit-lmm.ts";
import { loadBundled } from "../../helpers/load-bundled.ts";

const cbpp = loadBundled("cbpp");

function refusesCbind(fn: () => unknown, text: string): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof FormulaError, String(e));
    assert.equal(e.code, "E_SPEC_UNSUPPORTED");
    assert.match(e.message, /two-column cbind\(\) response needs family = binomial/);
    assert.match(e.message, /Gaussian models take one response column/);
    assert.equal(text.slice(e.span[0], e.span[1]), "cbind(incidence, size - incidence)");
    assert.match(e.message, /I\(incidence \/ \(incidence \+ \(size - incidence\)\)\)/);
    return true;
  });
}

test("fitLmm refuses a cbind response", () => {
  const text = "cbind(incidence, size - incidence) ~ period + (1 | herd)";
  refusesCbind(() => fitLmm(text, cbpp), text);
});

test("fitLm refuses a cbind response", () => {
  const text = "cbind(incidence, size - incidence) ~ period";
  refusesCbind(() => fitLm(parseFormula(text), cbpp), text);
});

test("the design takes a cbind response only for family = binomial", () => {
  const text = "cbind(incidence, size - incidence) ~ period + (1 | herd)";
  refusesCbind(() => buildDesign(parseFormula(text), cbpp), text);
  refusesCbind(() => buildDesign(parseFormula(text), cbpp, { family: "gaussian" }), text);
  const d = buildDesign(parseFormula(text), cbpp, { family: "binomial" });
  assert.equal(d.frame.y2?.length, d.n);
  const size = cbpp.require("size");
  assert.ok(size.kind === "numeric");
  for (let i = 0; i < d.n; i++) assert.equal(d.frame.y[i] + d.frame.y2![i], size.values[d.frame.rows[i]]);
});

test("the cbind check comes before column lookups", () => {
  const text = "cbind(nosuch, other) ~ period";
  assert.throws(() => fitLm(parseFormula(text), cbpp), { code: "E_SPEC_UNSUPPORTED" });
});
