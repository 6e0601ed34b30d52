/** Satterthwaite tests of the InstEval fits (73,421 rows) against lmerTest. Slow group. */
import { test } from "node:test";
import { checkSatterthwaite } from "./satterthwaite.test.ts";

for (const id of ["insteval_service_reml", "insteval_dept_reml"])
  test(`Satterthwaite tests match lmerTest: ${id}`, () => checkSatterthwaite(id));
