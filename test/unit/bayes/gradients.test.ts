/**
 * Analytic gradients of the full and collapsed models against central finite differences at
 * random points (seeded), for structures beyond the Stan fixture: crossed (Penicillin), nested
 * (Pastes), a 3×3 correlated term, independent terms with uniform/flat priors (the seed's coffee
 * model), both parameterisations.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { buildBayesModel, type BuildBayesModelOptions } from "../../../src/bayes/build-bayes-model.ts";
import type { LogDensity } from "../../../src/bayes/log-density.ts";
import { rng } from "../../helpers/dense-reference.ts";
import { loadBundled } from "../../helpers/load-bundled.ts";

/** Max over coordinates of |analytic − FD| / max(1, |FD|), at `points` random points near the start. */
export function fdCheck(
  m: LogDensity & { initialPoint: (q: Float64Array, u: () => number) => void },
  seed: number,
  points = 3,
): number {
  const u = rng(seed);
  let worst = 0;
  const g = new Float64Array(m.dim);
  const g2 = new Float64Array(m.dim);
  for (let k = 0; k < points; k++) {
    const q = new Float64Array(m.dim);
    m.initialPoint(q, u);
    const lp = m.logDensityGradient(q, g);
    assert.ok(Number.isFinite(lp), "finite log density");
    for (let i = 0; i < m.dim; i++) {
      const h = 1e-5 * Math.max(1, Math.abs(q[i]));
      const x = q[i];
      q[i] = x + h;
      const up = m.logDensityGradient(q, g2);
      q[i] = x - h;
      const dn = m.logDensityGradient(q, g2);
      q[i] = x;
      const fd = (up - dn) / (2 * h);
      worst = Math.max(worst, Math.abs(g[i] - fd) / Math.max(1, Math.abs(fd)));
    }
  }
  return worst;
}

const cases: [string, string, string, BuildBayesModelOptions][] = [
  ["crossed", "Penicillin", "diameter ~ 1 + (1 | plate) + (1 | sample)", {}],
  ["nested", "Pastes", "strength ~ 1 + (1 | batch/cask)", {}],
  [
    "3x3 correlated",
    "sleepstudy",
    "Reaction ~ Days + (Days + I(Days^2) | Subject)",
    { priors: ["cor: lkj(1.5)"] },
  ],
  [
    "seed model (independent, uniform sd, flat b and sigma)",
    "coffee",
    "y ~ x + (x || group)",
    { priors: ["sd: uniform(0, 100)", "b: flat", "sigma: flat"] },
  ],
  [
    "mixed priors",
    "sleepstudy",
    "Reaction ~ Days + (Days | Subject)",
    {
      priors: [
        "b_Days: cauchy(0, 10)",
        "sd_Subject__Days: exponential(0.2)",
        "sigma: uniform(0, 200)",
        "cor: lkj(3)",
      ],
    },
  ],
];

for (const [label, data, formula, opts] of cases) {
  for (const parameterisation of ["noncentred", "centred", "hcentred"] as const) {
    test(`nuts-full ${parameterisation}, ${label}: gradient = finite differences`, () => {
      const b = buildBayesModel(formula, loadBundled(data), {
        ...opts,
        method: "nuts-full",
        parameterisation,
      });
      assert.ok(fdCheck(b.model, 7) < 1e-5);
    });
  }
}

for (const [label, data, formula, opts] of cases) {
  test(`collapsed, ${label}: gradient = finite differences`, () => {
    const b = buildBayesModel(formula, loadBundled(data), { ...opts, method: "collapsed" });
    assert.ok(fdCheck(b.model, 11) < 1e-5);
  });
}

test("a wrong gradient is caught by the check (the check can fail)", () => {
  const b = buildBayesModel("Reaction ~ Days + (1 | Subject)", loadBundled("sleepstudy"), {
    method: "nuts-full",
  });
  const broken = {
    ...b.model,
    logDensityGradient(q: Float64Array, g: Float64Array) {
      const lp = b.model.logDensityGradient(q, g);
      g[0] *= 1.01;
      return lp;
    },
  };
  assert.ok(fdCheck(broken, 7, 1) > 1e-4);
});

test("hcentred is the centred posterior after a unit-Jacobian change of variables (equal log densities)", () => {
  const data = loadBundled("sleepstudy");
  const f = "Reaction ~ Days + (Days | Subject)";
  const h = buildBayesModel(f, data, { method: "nuts-full", parameterisation: "hcentred" }).model;
  const c = buildBayesModel(f, data, { method: "nuts-full", parameterisation: "centred" }).model;
  assert.equal(h.unconstrainedNames[6], "a_Subject[308,Intercept]");
  const u = rng(21);
  const g = new Float64Array(h.dim);
  for (let k = 0; k < 3; k++) {
    const qa = new Float64Array(h.dim);
    h.initialPoint(qa, u);
    const qu = Float64Array.from(qa);
    for (let i = 6; i < h.dim; i += 2) {
      qu[i] -= qa[0];
      qu[i + 1] -= qa[1];
    }
    const la = h.logDensityGradient(qa, g);
    const lu = c.logDensityGradient(qu, g);
    assert.ok(Math.abs(la - lu) < 1e-9 * Math.abs(lu), `${la} vs ${lu}`);
  }
});

test("far in the tails the log density is -Infinity or finite with a finite gradient, never NaN", () => {
  const data = loadBundled("sleepstudy");
  for (const opts of [
    { method: "nuts-full", parameterisation: "centred" },
    { method: "nuts-full", parameterisation: "noncentred" },
    { method: "collapsed" },
  ] as const) {
    const m = buildBayesModel("Reaction ~ Days + (Days | Subject)", data, opts).model;
    const g = new Float64Array(m.dim);
    for (const v of [-800, -40, 40, 800]) {
      for (const i of [2, 4, 5]) {
        const q = new Float64Array(m.dim);
        m.initialPoint(q, rng(1));
        q[i] = v;
        const lp = m.logDensityGradient(q, g);
        assert.ok(
          lp === Number.NEGATIVE_INFINITY || (Number.isFinite(lp) && g.every(Number.isFinite)),
          `${opts.method} q[${i}] = ${v}: ${lp}`,
        );
      }
    }
  }
});
