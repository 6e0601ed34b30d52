/** InstEval fits (73,421 rows, crossed s × d with a dense 1128² block) against lme4. Slow group. */
import { test } from "node:test";
import { fitLmm } from "../../../src/lmm/fit-lmm.ts";
import { loadBundled } from "../../helpers/load-bundled.ts";
import { checkFit } from "./fit-checks.ts";
import { loadRef } from "./reference-problem.ts";

for (const id of ["insteval_dept_ml", "insteval_dept_reml", "insteval_service_ml", "insteval_service_reml"]) {
  test(`fit matches lme4: ${id}`, () => {
    const ref = loadRef(id);
    const result = fitLmm(ref.formula, loadBundled(ref.dataset), { REML: ref.REML });
    checkFit(result, ref);
  });
}
