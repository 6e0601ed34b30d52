/**
 * The full model's log density and gradient against Stan's (`test/reference/bayes/logprob_fixture.json`,
 * sleepstudy, default priors): differences of log densities between points and the gradient
 * elementwise, relative 1e-8, for the centred and non-centred correlated programs and the
 * non-centred intercept program; plus the default-prior constants of the fixture.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { buildBayesModel } from "../../../src/bayes/build-bayes-model.ts";
import { loadBundled } from "../../helpers/load-bundled.ts";

interface Point {
  unconstrained: number[];
  log_prob: number;
  gradient: number[];
}
interface Case {
  data_constants: Record<string, number>;
  n_unconstrained: number;
  points: Point[];
}
const fixture = JSON.parse(readFileSync("test/reference/bayes/logprob_fixture.json", "utf8")) as {
  cases: Record<string, Case>;
};

const programs: [string, string, "centred" | "noncentred"][] = [
  ["lmm_corr2_centred", "Reaction ~ Days + (Days | Subject)", "centred"],
  ["lmm_corr2_noncentred", "Reaction ~ Days + (Days | Subject)", "noncentred"],
  ["lmm_int_noncentred", "Reaction ~ Days + (1 | Subject)", "noncentred"],
];

function rel(a: number, b: number): number {
  return Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);
}

for (const [program, formula, parameterisation] of programs) {
  test(`${program}: log density differences and gradients match Stan to 1e-8`, () => {
    const c = fixture.cases[program];
    const build = buildBayesModel(formula, loadBundled("sleepstudy"), {
      method: "nuts-full",
      parameterisation,
    });
    const m = build.model;
    assert.equal(m.dim, c.n_unconstrained);
    const k = c.data_constants;
    assert.equal(build.defaults.interceptLocation, k.b0_loc);
    assert.equal(build.defaults.scale, k.b0_scale);
    assert.equal(build.defaults.bScales[1], k.b1_scale);
    const grad = new Float64Array(m.dim);
    const lps = c.points.map((pt) => {
      const lp = m.logDensityGradient(Float64Array.from(pt.unconstrained), grad);
      pt.gradient.forEach((g, i) => {
        assert.ok(
          rel(grad[i], g) < 1e-8 || Math.abs(grad[i] - g) < 1e-10,
          `${m.unconstrainedNames[i]}: ${grad[i]} vs Stan ${g}`,
        );
      });
      return lp;
    });
    for (let j = 1; j < lps.length; j++) {
      const ours = lps[j] - lps[0];
      const stan = c.points[j].log_prob - c.points[0].log_prob;
      assert.ok(rel(ours, stan) < 1e-8, `difference ${j}: ${ours} vs Stan ${stan}`);
    }
  });
}

test("default priors are stated as text with the fixture's constants", () => {
  const build = buildBayesModel("Reaction ~ Days + (Days | Subject)", loadBundled("sleepstudy"));
  assert.deepEqual(build.priorsText, [
    "b_Intercept ~ student_t(3, 288.7, 59.3)",
    "b_Days ~ normal(0, 48.9)",
    "sd_Subject__Intercept ~ student_t(3, 0, 59.3) T[0, ]",
    "sd_Subject__Days ~ student_t(3, 0, 59.3) T[0, ]",
    "sigma ~ student_t(3, 0, 59.3) T[0, ]",
    "cor_Subject ~ lkj(2)",
  ]);
  const coffee = buildBayesModel("y ~ x + (x | group)", loadBundled("coffee"));
  assert.equal(coffee.defaults.interceptLocation, 3.8);
  assert.equal(coffee.defaults.scale, 8.7);
  assert.equal(coffee.defaults.bScales[1], 21.8);
});
