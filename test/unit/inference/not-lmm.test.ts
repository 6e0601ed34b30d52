/**
 * The functions for linear mixed models only refuse other fits at run time (not only through
 * their TypeScript types) with `E_SPEC_NOT_LMM`, and say what to use instead; the accessors that
 * make sense for a GLMM (ranef, varCorr, condVar) accept one, and so do profile, confint and
 * bootstrap (glmm-inference.test.ts), which refuse lm and glm fits.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  anovaType3,
  bootstrap,
  confint,
  condVar,
  convergenceDiagnostics,
  fitGlm,
  fitGlmm,
  fitLm,
  fixedEffectTests,
  groupOls,
  type LmmFit,
  lmmComparison,
  lmmToJSON,
  profile,
  ranef,
  restoreLmm,
  SpecError,
  varCorr,
  varianceDecomposition,
} from "../../../src/index.ts";
import type { BayesFit } from "../../../src/index.ts";
import { loadBundled } from "../../helpers/load-bundled.ts";

const cbpp = loadBundled("cbpp");
const gm = fitGlmm("cbind(incidence, size - incidence) ~ period + (1 | herd)", cbpp, { family: "binomial" });
const asLmm = gm as unknown as LmmFit;

function refused(fn: () => unknown, name: string, instead: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof SpecError, `${name}: ${String(e)}`);
    assert.equal(e.code, "E_SPEC_NOT_LMM");
    assert.match(e.message, new RegExp(`^${name}\\(\\) applies to linear mixed models`));
    assert.match(e.message, /binomial family/);
    assert.match(e.message, instead);
    return true;
  });
}

test("LMM-only functions refuse a GLMM with E_SPEC_NOT_LMM and name the alternative", () => {
  refused(() => fixedEffectTests(asLmm), "fixedEffectTests", /Wald z tests/);
  refused(() => fixedEffectTests(asLmm, { ddf: "kenward-roger" }), "fixedEffectTests", /anova\(\)/);
  refused(() => anovaType3(asLmm), "anovaType3", /likelihood-ratio tests with anova\(\)/);
  refused(() => convergenceDiagnostics(asLmm), "convergenceDiagnostics", /fit\.optinfo/);
  refused(() => groupOls(asLmm, cbpp), "groupOls", /ranef\(fit\)/);
  refused(() => varianceDecomposition(asLmm), "varianceDecomposition", /fit\.varcorr/);
  refused(() => lmmToJSON(asLmm), "lmmToJSON", /glmmToJSON/);
  refused(() => lmmComparison({ summary: [] } as unknown as BayesFit, asLmm), "lmmComparison", /fitLmm/);
});

test("LMM-only functions refuse lm and glm fits too", () => {
  const lm = fitLm("Reaction ~ Days", loadBundled("sleepstudy")) as unknown as LmmFit;
  for (const fn of [
    () => varianceDecomposition(lm),
    () => profile(lm),
    () => confint(lm),
    () => bootstrap(lm, 2),
  ])
    assert.throws(
      fn,
      (e: unknown) => e instanceof SpecError && e.code === "E_SPEC_NOT_LMM" && /fitLm/.test(e.message),
    );
  const glm = fitGlm("cbind(incidence, size - incidence) ~ period", cbpp, {
    family: "binomial",
  }) as unknown as LmmFit;
  assert.throws(
    () => fixedEffectTests(glm),
    (e: unknown) => e instanceof SpecError && e.code === "E_SPEC_NOT_LMM" && /fitGlm/.test(e.message),
  );
});

test("restoreLmm refuses a saved GLMM with E_SPEC_NOT_LMM", () => {
  assert.throws(
    () => restoreLmm(gm.toJSON(), cbpp),
    (e: unknown) =>
      e instanceof SpecError &&
      e.code === "E_SPEC_NOT_LMM" &&
      /restoreGlmm/.test(e.message) &&
      /binomial/.test(e.message),
  );
});

test("ranef, varCorr and condVar accept a GLMM", () => {
  assert.deepEqual(ranef(gm), gm.ranef);
  assert.equal(varCorr(gm), gm.varcorr);
  const cv = condVar(gm);
  const sd = cv.herd.condSD;
  assert.equal(sd.length, 15);
  const block = cv.herd.blocks[0].condVar;
  for (let l = 0; l < 15; l++)
    assert.ok(Math.abs(Math.sqrt(block[l][0][0]) - gm.ranef.herd.condSD![l][0]) < 1e-12);
});
