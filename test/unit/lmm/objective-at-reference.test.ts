/** The profiled criterion at lme4's θ̂ equals lme4's REML criterion / ML deviance (test/reference/fits). */
import { test } from "node:test";
import { createLmm } from "../../../src/lmm/lmm-model.ts";
import { objective } from "../../../src/lmm/update-l.ts";
import { expectClose } from "../../helpers/expect-close.ts";
import { TOL } from "../../helpers/tolerances.ts";
import { buildReferenceProblem, loadRef } from "./reference-problem.ts";

const MODELS = [
  "sleepstudy_full",
  "sleepstudy_zerocorr",
  "sleepstudy_intercept",
  "dyestuff",
  "dyestuff2",
  "penicillin",
  "pastes",
  "gasoline",
  "coffee",
  "cake",
  "insteval_dept",
  "insteval_service",
];

for (const id of MODELS)
  for (const kind of ["reml", "ml"]) {
    test(`objective at reference θ: ${id}_${kind}`, () => {
      const ref = loadRef(`${id}_${kind}`);
      const model = createLmm(buildReferenceProblem(ref));
      const theta = Object.values(ref.theta) as number[];
      const value = objective(model, theta, ref.REML);
      expectClose(value, ref.objective, { rtol: TOL.objectiveAtTheta, label: `${id}_${kind} objective` });
      if (ref.REML) {
        const ml = objective(model, theta, false);
        expectClose(ml, ref.ml_deviance_at_REML_estimates, {
          rtol: TOL.objectiveAtTheta,
          label: "ML deviance",
        });
      }
    });
  }
