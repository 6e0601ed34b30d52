import assert from "node:assert/strict";
import { test } from "node:test";
import type { BayesModel } from "../../../src/bayes/log-density.ts";
import { RandomStream } from "../../../src/bayes/random.ts";
import {
  ar1Covariance,
  funnel,
  gaussianDense,
  gaussianDiag,
  logExponential,
} from "../../helpers/bayes-targets.ts";

/** Largest relative difference between the analytic gradient and central differences (step h). */
function gradientError(model: BayesModel, q: Float64Array, h = 1e-6): number {
  const d = model.dim;
  const g = new Float64Array(d);
  model.logDensityGradient(q, g);
  const tmp = new Float64Array(d);
  let worst = 0;
  for (let i = 0; i < d; i++) {
    const qp = Float64Array.from(q);
    const qm = Float64Array.from(q);
    qp[i] += h;
    qm[i] -= h;
    const fd = (model.logDensityGradient(qp, tmp) - model.logDensityGradient(qm, tmp)) / (2 * h);
    worst = Math.max(worst, Math.abs(fd - g[i]) / Math.max(1, Math.abs(g[i])));
  }
  return worst;
}

test("the test targets' gradients match central finite differences (rel 1e-6)", () => {
  const rng = RandomStream.forChain(123, 0);
  const models: [string, BayesModel][] = [
    ["diag", gaussianDiag([0.5, 1, 3])],
    ["dense", gaussianDense(ar1Covariance([1, 2, 0.5, 1], 0.7), 4)],
    ["funnel", funnel(4)],
    ["logExponential", logExponential()],
  ];
  for (const [name, m] of models) {
    for (let rep = 0; rep < 5; rep++) {
      const q = Float64Array.from({ length: m.dim }, () => 2 * rng.normal());
      const e = gradientError(m, q);
      assert.ok(e < 1e-6, `${name}: ${e}`);
    }
  }
});
