/** Test-only: compare an LmmResult with a reference fit within the README tolerances. */
import assert from "node:assert/strict";
import type { LmmResult } from "../../../src/lmm/lmm-result.ts";
import { expectClose } from "../../helpers/expect-close.ts";
import { TOL } from "../../helpers/tolerances.ts";
import type { RefFit } from "./reference-problem.ts";

const vals = (o: Record<string, number>): number[] => Object.values(o);

export function checkFit(r: LmmResult, ref: RefFit, opts: { ranef?: boolean } = {}): void {
  const id = ref.id as string;
  const objTol = TOL.objective * Math.max(1, Math.abs(ref.objective));
  // a lower objective than lme4's is not a failure
  assert.ok(
    r.objective <= ref.objective + objTol,
    `${id}: objective ${r.objective} > ${ref.objective} + ${objTol}`,
  );
  expectClose(r.objective, ref.objective, { atol: 10 * objTol, label: `${id} objective` });
  for (const [key, want] of [
    ["logLik", ref.logLik],
    ["AIC", ref.AIC],
    ["BIC", ref.BIC],
  ] as const)
    expectClose(r[key], want, {
      atol: 10 * TOL.objective * Math.max(1, Math.abs(want)),
      label: `${id} ${key}`,
    });
  assert.equal(r.df, ref.df);
  assert.equal(r.nobs, ref.nobs);
  assert.deepEqual({ ...r.ngroups }, ref.ngroups); // ngroups has no prototype
  assert.equal(r.isSingular, ref.isSingular, `${id} isSingular`);
  if (ref.isSingular) {
    assert.ok(
      r.warnings.some((w) => w.code === "boundary_fit"),
      `${id}: boundary_fit warning`,
    );
    for (const [i, lo] of (ref.theta_lower as (number | null)[]).entries())
      if (lo === 0 && vals(ref.theta)[i] < TOL.singularTheta)
        assert.ok(r.theta[i] <= TOL.singularTheta, `${id}: θ[${i}] = ${r.theta[i]} should be ≈ 0`);
  } else expectClose(r.theta, vals(ref.theta), { atol: TOL.theta, label: `${id} theta` });
  const se = vals(ref.se);
  assert.deepEqual(r.xnames, Object.keys(ref.beta));
  const beta = vals(ref.beta);
  for (let i = 0; i < beta.length; i++)
    expectClose(r.beta[i], beta[i], { atol: TOL.betaSE * se[i], label: `${id} beta[${r.xnames[i]}]` });
  expectClose(r.se, se, { rtol: TOL.se, label: `${id} se` });
  const vc = ref.vcov_beta as number[][];
  for (let i = 0; i < vc.length; i++)
    for (let j = 0; j < vc.length; j++)
      expectClose(r.vcov[i][j], vc[i][j], {
        atol: TOL.se * Math.sqrt(vc[i][i] * vc[j][j]),
        label: `${id} vcov[${i},${j}]`,
      });
  expectClose(r.sigma, ref.sigma, { rtol: TOL.varcomp, label: `${id} sigma` });
  if (ref.REML)
    expectClose(r.mlDevianceAtREMLEstimates!, ref.ml_deviance_at_REML_estimates, {
      atol: 10 * objTol,
      label: `${id} ML deviance at REML estimates`,
    });
  const groups = ref.varcorr.groups;
  assert.equal(r.varcorr.groups.length, groups.length);
  r.varcorr.groups.forEach((g, i) => {
    const want = groups[i];
    assert.equal(g.name, want.name);
    assert.equal(g.factor, want.factor);
    assert.deepEqual(g.terms, want.terms);
    const vscale = TOL.varcomp * ref.sigma * ref.sigma * 1e-3;
    expectClose(g.variance, want.variance, {
      rtol: TOL.varcomp,
      atol: vscale,
      label: `${id} ${g.name} variance`,
    });
    expectClose(g.stddev, want.stddev, {
      rtol: TOL.varcomp,
      atol: 1e-3 * ref.sigma * 1e-2,
      label: `${id} sd`,
    });
    if (!ref.isSingular)
      expectClose(g.correlation, want.correlation, {
        atol: TOL.correlation,
        label: `${id} ${g.name} correlation`,
      });
  });
  expectClose(r.varcorr.residual.variance, ref.varcorr.residual.variance, {
    rtol: TOL.varcomp,
    label: "residual",
  });
  const fTol = TOL.ranefSigma * ref.sigma;
  expectClose(r.fitted.subarray(0, 10), ref.fitted_first10, { atol: fTol, label: `${id} fitted` });
  expectClose(r.residuals.subarray(0, 10), ref.residuals_first10, { atol: fTol, label: `${id} residuals` });
  expectClose(r.pearsonResiduals.subarray(0, 10), ref.residuals_pearson_first10, {
    atol: fTol,
    label: "pearson",
  });
  if (opts.ranef === false) return;
  for (const [factor, want] of Object.entries(ref.ranef as Record<string, RefFit>)) {
    const got = r.ranef[factor];
    assert.ok(got, `${id}: ranef for ${factor}`);
    assert.deepEqual(got.levels, want.levels);
    assert.deepEqual(got.terms, want.terms);
    expectClose(got.values, want.values, { atol: fTol, label: `${id} ranef ${factor}` });
    if (want.condSD && got.condSD)
      expectClose(got.condSD, want.condSD, {
        rtol: TOL.condVar,
        atol: 1e-9,
        label: `${id} condSD ${factor}`,
      });
    else if (want.condSD) assert.fail(`${id}: condSD missing for ${factor}`);
    if (want.condVar) {
      assert.ok(got.condVar, `${id}: condVar for ${factor}`);
      const scale = Math.max(...(want.condVar as number[][][]).flat(2).map(Math.abs));
      expectClose(got.condVar!, want.condVar, { rtol: TOL.condVar, atol: 1e-6 * scale, label: "condVar" });
    }
  }
  if (ref.coef)
    for (const [factor, want] of Object.entries(ref.coef as Record<string, RefFit>)) {
      const got = r.coef[factor];
      assert.deepEqual(got.columns, want.columns);
      expectClose(got.values, want.values, { atol: fTol, label: `${id} coef ${factor}` });
    }
}
