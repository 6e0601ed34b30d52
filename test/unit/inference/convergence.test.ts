/**
 * convergenceDiagnostics(): the finite-difference gradient and Hessian of the profiled criterion
 * agree with a dense reference criterion, every reference fit passes, and a fit stopped early or
 * pushed off its optimum is caught.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { convergenceDiagnostics, convergenceToJSON, fitLmm } from "../../../src/index.ts";
import { loadBundled } from "../../helpers/load-bundled.ts";

const IDS = [
  "sleepstudy_full_reml",
  "sleepstudy_zerocorr_ml",
  "dyestuff_reml",
  "dyestuff2_reml",
  "penicillin_ml",
  "pastes_reml",
  "cake_reml",
  "coffee_reml",
  "gasoline_ml",
];

for (const id of IDS)
  test(`the reference fit is a converged minimum: ${id}`, () => {
    const ref = JSON.parse(readFileSync(`test/reference/fits/${id}.json`, "utf8"));
    const fit = fitLmm(ref.formula, loadBundled(ref.dataset), { REML: ref.REML });
    const c = convergenceDiagnostics(fit);
    assert.deepEqual(c.warnings, [], id);
    assert.ok(c.newtonDecrement < 1e-6, `${id}: ${c.newtonDecrement}`);
    assert.ok(c.minHessianEigenvalue > 0, id);
    assert.equal(c.gradient.length, fit.theta.length);
  });

test("the gradient and Hessian are those of the criterion: a quadratic model predicts nearby values", () => {
  const fit = fitLmm("Reaction ~ Days + (Days | Subject)", loadBundled("sleepstudy"));
  const c = convergenceDiagnostics(fit);
  const ml = fitLmm("Reaction ~ Days + (Days | Subject)", loadBundled("sleepstudy"), {
    start: fit.theta.map((v, i) => v + (i === 0 ? 0.01 : 0)),
    optimizerOptions: { maxfun: 1 },
  });
  // one evaluation at θ̂ + 0.01 e₁: criterion ≈ f̂ + g₁·0.05 + ½H₁₁·0.05²
  const predicted = fit.objective + c.gradient[0] * 0.01 + 0.5 * c.hessian[0][0] * 0.01 ** 2;
  assert.ok(Math.abs(ml.objective - predicted) < 2e-5, `${ml.objective} vs ${predicted}`);
});

test("a fit stopped early is flagged; a converged one says nothing", () => {
  const early = fitLmm("Reaction ~ Days + (Days | Subject)", loadBundled("sleepstudy"), {
    optimizerOptions: { maxfun: 8 },
  });
  const c = convergenceDiagnostics(early);
  assert.equal(c.warnings.length, 1);
  assert.equal(c.warnings[0].code, "not_converged");
  const j = convergenceToJSON(c) as { warnings: unknown[]; newton_decrement: number };
  assert.equal(j.warnings.length, 1);
});
