/**
 * condVar on InstEval (crossed students × lecturers + dept, 4,114 random effects): too large for
 * the fit's per-level solves, computed on demand by selected inversion; every level's conditional
 * SD against lme4 at lme4's θ̂ (test/reference/plots/condvar.json).
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { condVar } from "../../../src/accessors/cond-var.ts";
import { fitLmm } from "../../../src/lmm/fit-lmm.ts";
import type { Optimizer } from "../../../src/lmm/fit-lmm-problem.ts";
import { expectClose } from "../../helpers/expect-close.ts";
import { loadBundled } from "../../helpers/load-bundled.ts";

// biome-ignore lint/suspicious/noExplicitAny: reference JSON is untyped
const REF: any = JSON.parse(readFileSync("test/reference/plots/condvar.json", "utf8")).insteval;

const atStart: Optimizer = (f, x0) => {
  const x = Float64Array.from(x0);
  return {
    x,
    fval: f(x),
    feval: 1,
    converged: true,
    status: "xtol",
    message: "fixed θ",
    optimizer: "bobyqa",
  };
};

test("condVar on demand = lme4 for every level of InstEval's s, d and dept", () => {
  const start = ["s.(Intercept)", "d.(Intercept)", "dept.(Intercept)"].map((k) => REF.theta[k] as number);
  const fit = fitLmm(REF.formula, loadBundled(REF.dataset), { optimizer: atStart, start });
  assert.deepEqual(fit.thetaNames, Object.keys(REF.theta));
  assert.ok(
    fit.ranefTerms.every((t) => t.condVar === null),
    "the fit itself does not compute them (else this test checks nothing new)",
  );
  expectClose(fit.sigma, REF.sigma, { rtol: 1e-10 });
  const cv = condVar(fit);
  const got: number[] = [];
  const mode: number[] = [];
  for (let r = 0; r < REF.level.length; r++) {
    const f = cv[REF.grpvar[r]];
    const l = f.levels.indexOf(REF.level[r]);
    assert.ok(l >= 0, `level ${REF.grpvar[r]} ${REF.level[r]}`);
    got.push(f.condSD[l][0]);
    mode.push(f.values[l][0]);
  }
  assert.equal(got.length, 4114);
  expectClose(got, REF.condsd, { rtol: 1e-9, label: "condsd" });
  expectClose(mode, REF.condval, { atol: 1e-9, label: "condval" });
});
