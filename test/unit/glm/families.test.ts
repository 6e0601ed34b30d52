/**
 * Families: deviance residuals against hand values, R's AIC formulas (values computed with R 4.2.2:
 * `binomial()$aic`, `poisson()$aic`), mustart rules, validMu, and makeFamily's link checks.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { OptionError } from "../../../src/errors.ts";
import { makeFamily } from "../../../src/glm/make-family.ts";

const f64 = (xs: number[]) => Float64Array.from(xs);
const close = (a: number, b: number, tol = 1e-14) =>
  assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${a} vs ${b}`);

test("binomial deviance residuals: hand values, 0 log 0 = 0", () => {
  const b = makeFamily("binomial");
  close(b.devResid(1, 0.8, 1), -2 * Math.log(0.8));
  close(b.devResid(0, 0.8, 1), -2 * Math.log(0.2));
  close(b.devResid(0.25, 0.5, 4), 2 * 4 * (0.25 * Math.log(0.5) + 0.75 * Math.log(1.5)));
  assert.equal(b.devResid(0.5, 0.5, 10), 0);
  const out = new Float64Array(3);
  b.devResidInto(f64([1, 0, 0.25]), f64([0.8, 0.8, 0.5]), f64([1, 1, 4]), out);
  close(b.deviance(f64([1, 0, 0.25]), f64([0.8, 0.8, 0.5]), f64([1, 1, 4])), out[0] + out[1] + out[2]);
});

test("poisson deviance residuals: hand values (y = 0 gives 2 mu)", () => {
  const p = makeFamily("poisson");
  close(p.devResid(0, 1.5, 1), 3);
  close(p.devResid(3, 2, 2), 2 * 2 * (3 * Math.log(1.5) - 1));
  assert.equal(p.devResid(4, 4, 1), 0);
});

test("aic as R's family$aic", () => {
  // R: binomial()$aic(c(0.25, 0.5, 1), c(4, 2, 3), c(0.3, 0.4, 0.9), c(4, 2, 3), 0) = 3.8755079941518438
  const b = makeFamily("binomial");
  close(
    b.aic(f64([0.25, 0.5, 1]), f64([4, 2, 3]), f64([0.3, 0.4, 0.9]), f64([4, 2, 3]), 0),
    3.8755079941518438,
    1e-13,
  );
  // R: binomial()$aic(c(0, 1, 1), c(1, 1, 1), c(0.3, 0.6, 0.9), c(1, 1, 1), 0) = 1.945722166725099
  close(
    b.aic(f64([0, 1, 1]), f64([1, 1, 1]), f64([0.3, 0.6, 0.9]), f64([1, 1, 1]), 0),
    1.945722166725099,
    1e-13,
  );
  // R: poisson()$aic(c(0, 2, 7), 1, c(0.5, 2.5, 6), c(1, 1, 2), 0) = 11.652511739499388
  const p = makeFamily("poisson");
  close(
    p.aic(f64([0, 2, 7]), f64([1, 1, 1]), f64([0.5, 2.5, 6]), f64([1, 1, 2]), 0),
    11.652511739499388,
    1e-13,
  );
  // R: gaussian()$aic(c(1, 2, 4), 1, c(1.5, 2, 3), c(1, 2, 1), 1.75) = 8.2034945164700304
  const g = makeFamily("gaussian");
  close(
    g.aic(f64([1, 2, 4]), f64([1, 1, 1]), f64([1.5, 2, 3]), f64([1, 2, 1]), 1.75),
    8.2034945164700304,
    1e-13,
  );
});

test("mustart and validMu follow R", () => {
  const b = makeFamily("binomial", "probit");
  const out = new Float64Array(2);
  b.initializeInto(f64([0, 0.75]), f64([1, 4]), out);
  assert.deepEqual(Array.from(out), [0.25, 3.5 / 5]);
  assert.ok(b.validMu(f64([0.1, 0.9])));
  assert.ok(!b.validMu(f64([0, 0.9])));
  assert.ok(!b.validMu(f64([Number.NaN])));
  const p = makeFamily("poisson");
  p.initializeInto(f64([0, 3]), f64([1, 1]), out);
  assert.deepEqual(Array.from(out), [0.1, 3.1]);
  assert.ok(!p.validMu(f64([0])));
  assert.equal(p.dispersionFixed, true);
  assert.equal(makeFamily("gaussian").dispersionFixed, false);
});

test("makeFamily: default links, refused combinations", () => {
  assert.equal(makeFamily("binomial").link.name, "logit");
  assert.equal(makeFamily("poisson").link.name, "log");
  assert.equal(makeFamily("binomial", "cloglog").link.name, "cloglog");
  assert.throws(() => makeFamily("gamma"), OptionError);
  assert.throws(
    () => makeFamily("poisson", "logit"),
    (e: unknown) => e instanceof OptionError && /does not take the 'logit' link/.test(e.message),
  );
});
