/** refit(model, newY) reuses the structure and gives the same answer as a fresh fit. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { fitLmmProblem, refit } from "../../../src/lmm/fit-lmm-problem.ts";
import { createLmm } from "../../../src/lmm/lmm-model.ts";
import { expectClose } from "../../helpers/expect-close.ts";
import { buildReferenceProblem, loadRef } from "./reference-problem.ts";
import { rng } from "./synthetic-problems.ts";

test("refit with a new response equals a fresh fit (penicillin, crossed)", () => {
  const prob = buildReferenceProblem(loadRef("penicillin_reml"));
  const r = rng(42);
  const y2 = Float64Array.from(prob.y, (v) => v + (r() - 0.5) * 2);
  const model = createLmm(prob);
  const viaRefit = refit(model, y2, { REML: true });
  const fresh = fitLmmProblem({ ...prob, y: y2 }, { REML: true });
  expectClose(viaRefit.objective, fresh.objective, { rtol: 1e-12, label: "objective" });
  expectClose(viaRefit.theta, fresh.theta, { atol: 1e-12, label: "theta" });
  expectClose(viaRefit.beta, fresh.beta, { atol: 1e-10, label: "beta" });
  expectClose(viaRefit.fitted, fresh.fitted, { atol: 1e-9, label: "fitted" });
  assert.equal(model.problem.y[0], y2[0]);
});
