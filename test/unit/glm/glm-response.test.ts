/**
 * GLM responses: cbind(successes, failures) with an expression, 0/1 and two-level factor
 * responses, proportions with weights = trials, Poisson with an offset; typed errors and warnings
 * for values R refuses or warns about.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { NumericColumn } from "../../../src/data/column.ts";
import { parseCsv } from "../../../src/data/parse-csv.ts";
import { buildModelFrame } from "../../../src/design/model-frame.ts";
import { DataError } from "../../../src/errors.ts";
import { parseFormula } from "../../../src/formula/parse-formula.ts";
import { glmResponse } from "../../../src/glm/glm-response.ts";
import { makeFamily } from "../../../src/glm/make-family.ts";
import { loadBundled } from "../../helpers/load-bundled.ts";

const csv = (s: string) => parseCsv(s, { name: "d" });
function response(formula: string, data: ReturnType<typeof csv>, family: string, weights?: string) {
  const fam = makeFamily(family);
  const frame = buildModelFrame(parseFormula(formula), data, {
    family: fam.name,
    weights,
  });
  return glmResponse(frame, fam);
}

test("cbind(incidence, size - incidence): proportions, prior weights = trials, R's mustart", () => {
  const cbpp = loadBundled("cbpp");
  const r = response("cbind(incidence, size - incidence) ~ period", cbpp, "binomial");
  const inc = (cbpp.column("incidence") as NumericColumn).values;
  const size = (cbpp.column("size") as NumericColumn).values;
  for (let i = 0; i < r.y.length; i++) {
    assert.equal(r.y[i], inc[i] / size[i]);
    assert.equal(r.priorWeights[i], size[i]);
    assert.equal(r.n[i], size[i]);
    assert.equal(r.mustart[i], (inc[i] + 0.5) / (size[i] + 1));
  }
  assert.equal(r.hasOffset, false);
  assert.deepEqual(r.warnings, []);
});

test("a two-level factor response: first level = failure", () => {
  const d = csv("y,x\nno,1\nyes,2\nyes,3\nno,4\n");
  const r = response("y ~ x", d, "binomial");
  assert.deepEqual(Array.from(r.y), [0, 1, 1, 0]);
  assert.deepEqual(Array.from(r.mustart), [0.25, 0.75, 0.75, 0.25]);
});

test("proportion with weights = trials; non-integer successes warn", () => {
  const d = csv("p,n,x\n0.5,4,1\n0.25,4,2\n1,2,3\n0.3,3,4\n");
  assert.throws(() => response("p ~ x", d, "binomial", "q"), DataError);
  const r = response("p ~ x", d, "binomial", "n");
  assert.deepEqual(Array.from(r.priorWeights), [4, 4, 2, 3]);
  assert.equal(r.mustart[0], (4 * 0.5 + 0.5) / 5);
  assert.deepEqual(
    r.warnings.map((w) => w.code),
    ["non_integer_response"],
  );
});

test("binomial response outside [0, 1] and successes > trials are typed errors", () => {
  const d = csv("y,s,f,x\n0,1,2,1\n2,5,-1,2\n1,0,3,3\n");
  assert.throws(
    () => response("y ~ x", d, "binomial"),
    (e: unknown) =>
      e instanceof DataError &&
      e.code === "E_DATA_DOMAIN" &&
      /outside \[0, 1\]/.test(e.message) &&
      /row 2/.test(e.message),
  );
  assert.throws(
    () => response("cbind(s, f) ~ x", d, "binomial"),
    (e: unknown) => e instanceof DataError && /successes exceed trials/.test(e.message),
  );
  assert.throws(
    () => response("cbind(s, s - f) ~ x", csv("s,f,x\n-1,0,1\n2,1,2\n"), "binomial"),
    (e: unknown) => e instanceof DataError && /negative/.test(e.message),
  );
});

test("a Gaussian log-link model needs a positive response to start (R's rule)", () => {
  const d = csv("y,x\n1,1\n0,2\n3,3\n");
  assert.throws(
    () => {
      const fam = makeFamily("gaussian", "log");
      glmResponse(buildModelFrame(parseFormula("y ~ x"), d, { family: fam.name }), fam);
    },
    (e: unknown) => e instanceof DataError && /valid starting values/.test(e.message),
  );
});

test("Poisson: offset(log(exposure)), negative counts refused, non-integer counts warn", () => {
  const d = csv("y,t,x\n2,10,1\n0,5,2\n7,20,3\n");
  const r = response("y ~ x + offset(log(t))", d, "poisson");
  assert.equal(r.hasOffset, true);
  assert.deepEqual(Array.from(r.offset), [Math.log(10), Math.log(5), Math.log(20)]);
  assert.deepEqual(Array.from(r.mustart), [2.1, 0.1, 7.1]);
  assert.throws(
    () => response("y ~ x", csv("y,x\n1,1\n-2,2\n"), "poisson"),
    (e: unknown) => e instanceof DataError && e.code === "E_DATA_DOMAIN" && /negative/.test(e.message),
  );
  const w = response("y ~ x", csv("y,x\n1.5,1\n2,2\n"), "poisson");
  assert.deepEqual(
    w.warnings.map((x) => x.code),
    ["non_integer_response"],
  );
});
