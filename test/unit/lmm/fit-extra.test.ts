/**
 * lme4 fits beyond the shared suite (test/reference/lmm/lmm-extra.json from
 * scripts/fixtures/lmm-extra.R): prior weights + offset, a rank-deficient X (the aliased column is
 * dropped with a warning), and a factor-valued random term that ends on the boundary.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { fitLmm } from "../../../src/lmm/fit-lmm.ts";
import { expectClose } from "../../helpers/expect-close.ts";
import { loadBundled } from "../../helpers/load-bundled.ts";
import { TOL } from "../../helpers/tolerances.ts";

interface Extra {
  id: string;
  data: string;
  formula: string;
  REML: boolean;
  weights: string | null;
  objective: number;
  logLik: number;
  AIC: number;
  BIC: number;
  theta: number[] | number;
  beta: Record<string, number>;
  se: Record<string, number>;
  sigma: number;
  fitted_first10: number[];
  pearson_first10: number[];
  fit_messages: string[] | string | null;
}
const fits = (JSON.parse(readFileSync("test/reference/lmm/lmm-extra.json", "utf8")) as { fits: Extra[] })
  .fits;

for (const ref of fits) {
  test(`lme4 extra fit: ${ref.id}`, () => {
    const fit = fitLmm(ref.formula, loadBundled(ref.data), {
      REML: ref.REML,
      weights: ref.weights ?? undefined,
    });
    const objTol = TOL.objective * Math.abs(ref.objective);
    assert.ok(fit.objective <= ref.objective + objTol, `objective ${fit.objective} vs lme4 ${ref.objective}`);
    expectClose(
      [fit.objective, fit.logLik, fit.AIC, fit.BIC],
      [ref.objective, ref.logLik, ref.AIC, ref.BIC],
      {
        atol: 10 * objTol,
        label: "criteria",
      },
    );
    assert.deepEqual(fit.xnames, Object.keys(ref.beta));
    const se = Object.values(ref.se);
    Object.values(ref.beta).forEach((b, i) => {
      expectClose([fit.beta[i]], [b], { atol: TOL.betaSE * se[i], label: `beta ${fit.xnames[i]}` });
    });
    expectClose(fit.se, se, { rtol: TOL.se, label: "se" });
    expectClose([fit.sigma], [ref.sigma], { rtol: TOL.varcomp, label: "sigma" });
    const singular = ref.fit_messages !== null;
    assert.equal(fit.isSingular, singular);
    if (!singular) {
      expectClose(fit.theta, ([] as number[]).concat(ref.theta), { atol: TOL.theta, label: "theta" });
      expectClose(fit.fitted.subarray(0, 10), ref.fitted_first10, {
        atol: TOL.ranefSigma * ref.sigma,
        label: "fitted",
      });
      expectClose(fit.pearsonResiduals.subarray(0, 10), ref.pearson_first10, {
        atol: 1e-3,
        label: "pearson",
      });
    }
  });
}

test("the aliased column of a rank-deficient X is dropped with a named warning", () => {
  const fit = fitLmm("Reaction ~ Days + I(2 * Days) + (1 | Subject)", loadBundled("sleepstudy"));
  assert.deepEqual(fit.droppedColumns, ["I(2 * Days)"]);
  const w = fit.warnings.find((x) => x.code === "rank_deficient");
  assert.ok(w, "rank_deficient warning");
  assert.match(w.message, /dropping 1 column \/ coefficient: I\(2 \* Days\)/);
});
