/**
 * Full fits through the public path (formula + bundled data → design → engine) against the lme4
 * reference fits (test/reference/fits), README tolerances.
 */
import { test } from "node:test";
import { fitLmm } from "../../../src/lmm/fit-lmm.ts";
import { loadBundled } from "../../helpers/load-bundled.ts";
import { checkFit } from "./fit-checks.ts";
import { loadRef } from "./reference-problem.ts";

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
];

for (const id of MODELS)
  for (const kind of ["reml", "ml"]) {
    test(`fit matches lme4: ${id}_${kind}`, () => {
      const ref = loadRef(`${id}_${kind}`);
      const result = fitLmm(ref.formula, loadBundled(ref.dataset), { REML: ref.REML });
      checkFit(result, ref);
    });
  }
