/**
 * The profile confidence intervals of the grouseticks Poisson GLMM (two grouping factors; the
 * LOCATION standard deviation's lower end at 0) against lme4's confint(m) (test/reference/glmm/
 * inference.json). Slow (about 4 s: 6 profiles of a 6-parameter Laplace deviance; lme4: 39 s).
 * Tolerance as glmm-inference.test.ts: 1e-3 of each parameter's scale (SE; for an SD a quarter
 * of its profile interval's width); observed at most 3e-4.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { confint, fitGlmm } from "../../../src/index.ts";
import { compareIntervals, grouseticks } from "../../helpers/glmm-inference.ts";

test("confint profile of the grouseticks Poisson GLMM matches lme4's confint(m)", () => {
  const ref = JSON.parse(readFileSync("test/reference/glmm/inference.json", "utf8")).fits.find(
    (f: { id: string }) => f.id === "grouseticks_laplace",
  );
  const fit = fitGlmm(ref.formula, grouseticks(), { family: "poisson" });
  const c = confint(fit, { method: "profile" });
  const p = ref.confint_profile;
  const scales = [0, 1].map((i) => (p.upper[i] - p.lower[i]) / 4).concat(ref.se);
  compareIntervals(c, p, scales, 1e-3, "grouseticks profile");
  assert.equal(c.lower[1], 0, "the LOCATION SD's profile does not reach −z before 0");
});
