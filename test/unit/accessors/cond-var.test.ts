/**
 * condVar(fit) against lme4's ranef(m, condVar = TRUE) (test/reference/plots/condvar.json, 17
 * significant digits). The model is evaluated at lme4's θ̂ (a fixed-point "optimiser"), so the
 * comparison is of the linear algebra alone and holds to ~1e-9 relative.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { condVar } from "../../../src/accessors/cond-var.ts";
import { MixedError } from "../../../src/errors.ts";
import { fitLmm } from "../../../src/lmm/fit-lmm.ts";
import type { Optimizer } from "../../../src/lmm/fit-lmm-problem.ts";
import { expectClose } from "../../helpers/expect-close.ts";
import { loadBundled } from "../../helpers/load-bundled.ts";

// biome-ignore lint/suspicious/noExplicitAny: reference JSON is untyped
const REF: any = JSON.parse(readFileSync("test/reference/plots/condvar.json", "utf8"));

/** An "optimiser" that returns its start: the fit is evaluated at the given θ. */
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

// biome-ignore lint/suspicious/noExplicitAny: reference JSON is untyped
function fitAtReference(m: any) {
  const data = loadBundled(m.dataset);
  const probe = fitLmm(m.formula, data, { optimizerOptions: { maxfun: 50 } });
  const start = probe.thetaNames.map((nm) => {
    const v = m.theta[nm];
    assert.equal(typeof v, "number", `${m.id}: reference θ ${nm}`);
    return v as number;
  });
  return fitLmm(m.formula, data, { optimizer: atStart, start });
}

for (const m of REF.models) {
  test(`condVar at lme4's θ̂: ${m.id}`, () => {
    const fit = fitAtReference(m);
    expectClose(fit.sigma, m.sigma, { rtol: 1e-10, label: `${m.id} sigma` });
    const cv = condVar(fit);
    assert.deepEqual(Object.keys(cv).sort(), m.factors.map((f: { factor: string }) => f.factor).sort());
    for (const f of m.factors) {
      const got = cv[f.factor];
      assert.deepEqual(got.levels, f.levels, `${m.id} ${f.factor} levels`);
      assert.deepEqual(got.terms, f.terms, `${m.id} ${f.factor} terms`);
      const scale = Math.max(...f.values.flat().map(Math.abs));
      expectClose(got.values, f.values, { atol: 1e-9 * scale, label: `${m.id} ${f.factor} values` });
      assert.deepEqual(
        got.blocks.map((b) => b.terms.length),
        f.block_sizes,
        `${m.id} ${f.factor} blocks`,
      );
      got.blocks.forEach((b, i) => {
        expectClose(b.condVar, f.condVar[i], { rtol: 1e-9, label: `${m.id} ${f.factor} condVar ${i}` });
      });
      // as.data.frame(ranef(m, condVar = TRUE)): term-major rows with condsd
      const long = f.condsd_long;
      for (let r = 0; r < long.term.length; r++) {
        const l = got.levels.indexOf(long.level[r]);
        const s = got.terms.indexOf(long.term[r]);
        expectClose(got.condSD[l][s], long.condsd[r], { rtol: 1e-9, label: `${m.id} condsd row ${r}` });
      }
    }
  });
}

test("condVar: a fit without conditional variances is a typed error", () => {
  const fit = fitLmm("Reaction ~ Days + (Days | Subject)", loadBundled("sleepstudy"));
  const stripped = {
    ...fit,
    ranef: { Subject: { ...fit.ranef.Subject, condVar: null, condSD: null } },
    ranefTerms: fit.ranefTerms.map((t) => ({ ...t, condVar: null, condSD: null })),
  };
  assert.throws(
    () => condVar(stripped),
    (e: unknown) => e instanceof MixedError && e.code === "E_SPEC_UNSUPPORTED" && /Subject/.test(e.message),
  );
});
