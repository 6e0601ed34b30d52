/**
 * GLMM inference against lme4 1.1-31 (test/reference/glmm/inference.json, written by
 * scripts/fixtures/glmm-inference.R): Wald and profile confidence intervals of
 * glmer(cbind(incidence, size - incidence) ~ period + (1 | herd), cbpp, binomial), Wald intervals
 * and predictions of the grouseticks Poisson model (its profile, 4 s here, is in
 * glmm-profile.slow.test.ts), Wald and profile intervals of cbpp with nAGQ = 25 (the profile of the
 * quadrature deviance), predictions on the link and response scales with and without the
 * random effects and with new levels; the parametric bootstrap of cbpp (seeded reproducibility,
 * bootstrap SD against the Wald SE, a coverage-style check); the binomial and Poisson samplers.
 *
 * Tolerances, in units of each parameter's lme4 standard error (for the SD: a quarter of its
 * profile interval's width): Wald ends 1e-3 (observed 7e-5: β and the Hessian SEs agree with
 * lme4's); profile ends 1e-3 (lme4 interpolates its profile by splines; observed at most 3e-4); predictions
 * 1e-5 absolute on the link scale plus 1e-3 SE of the fixed part (β and the modes agree with lme4's
 * to about 1e-3 SE).
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { RandomStream } from "../../../src/bayes/random.ts";
import { rbinom, rpois } from "../../../src/inference/count-samplers.ts";
import {
  bootConfint,
  bootstrap,
  confint,
  fitGlmm,
  type GlmmFit,
  parseCsv,
  predict,
  profile,
  simulate,
} from "../../../src/index.ts";
import { compareIntervals, grouseticks, type Interval } from "../../helpers/glmm-inference.ts";
import { loadBundled } from "../../helpers/load-bundled.ts";

interface RefFit {
  id: string;
  formula: string;
  beta: Record<string, number>;
  se: number[];
  confint_wald: Interval;
  confint_wald_90: Interval;
  confint_profile: Interval;
  newdata: Record<string, (number | string)[]>;
  predict_link: number[];
  predict_response: number[];
  predict_link_population: number[];
  predict_response_population: number[];
}
const ref = JSON.parse(readFileSync("test/reference/glmm/inference.json", "utf8")) as { fits: RefFit[] };
const refOf = (id: string) => ref.fits.find((f) => f.id === id)!;

let cbppFit: GlmmFit | null = null;
function cbpp(): GlmmFit {
  cbppFit ??= fitGlmm(refOf("cbpp_laplace").formula, loadBundled("cbpp"), { family: "binomial" });
  return cbppFit;
}

function csvOf(cols: Record<string, (number | string)[]>) {
  const names = Object.keys(cols);
  const lines = [names.join(",")];
  for (let i = 0; i < cols[names[0]].length; i++) lines.push(names.map((k) => String(cols[k][i])).join(","));
  return parseCsv(`${lines.join("\n")}\n`, { name: "new" });
}

function scalesOf(r: RefFit, nvar: number): number[] {
  const p = r.confint_profile;
  const sd = Array.from({ length: nvar }, (_, i) => ((p.upper[i] as number) - (p.lower[i] as number)) / 4);
  return [...sd, ...r.se];
}

test("confint Wald of a GLMM matches lme4's confint(m, method = 'Wald') (cbpp, grouseticks)", () => {
  const r = refOf("cbpp_laplace");
  const fit = cbpp();
  const w = confint(fit, { method: "wald" });
  assert.deepEqual(w.parameters, ["sd_(Intercept)|herd", "(Intercept)", "period2", "period3", "period4"]);
  compareIntervals(w, r.confint_wald, scalesOf(r, 1), 1e-3, "cbpp wald");
  compareIntervals(
    confint(fit, { method: "wald", level: 0.9 }),
    r.confint_wald_90,
    scalesOf(r, 1),
    1e-3,
    "cbpp wald 90%",
  );
  const g = refOf("grouseticks_laplace");
  const gfit = fitGlmm(g.formula, grouseticks(), { family: "poisson" });
  const gw = confint(gfit, { method: "wald" });
  assert.deepEqual(gw.parameters.slice(0, 2), ["sd_(Intercept)|BROOD", "sd_(Intercept)|LOCATION"]);
  compareIntervals(gw, g.confint_wald, scalesOf(g, 2), 1e-3, "grouseticks wald");
});

test("confint profile of a GLMM matches lme4's confint(m) (cbpp)", () => {
  const r = refOf("cbpp_laplace");
  const c = confint(cbpp());
  assert.equal(c.method, "profile");
  const worst = compareIntervals(c, r.confint_profile, scalesOf(r, 1), 1e-3, "cbpp profile");
  assert.ok(worst < 1e-3);
});

test("profile of a GLMM: ζ is 0 at the estimate, increasing, and ±z at the interval ends", () => {
  const pr = profile(cbpp(), { extra: 3 });
  assert.equal(pr.curves.length, 5);
  for (const c of pr.curves) {
    const i0 = c.x.indexOf(c.estimate);
    assert.ok(i0 >= 0 && c.zeta[i0] === 0, `${c.parameter}: estimate in the curve`);
    for (let k = 1; k < c.zeta.length; k++)
      assert.ok(c.zeta[k] >= c.zeta[k - 1] - 1e-6, `${c.parameter}: ζ increasing`);
    assert.ok(
      Math.abs(c.zeta[0] + pr.z) < 1e-5 && Math.abs(c.zeta[c.zeta.length - 1] - pr.z) < 1e-5,
      c.parameter,
    );
  }
});

function fitFor(id: string): GlmmFit {
  const r = refOf(id);
  if (id === "cbpp_laplace") return cbpp();
  if (id === "cbpp_agq25") return fitGlmm(r.formula, loadBundled("cbpp"), { family: "binomial", nAGQ: 25 });
  return fitGlmm(r.formula, grouseticks(), { family: "poisson" });
}

test("confint of a GLMM fitted by adaptive Gauss–Hermite quadrature (cbpp, nAGQ = 25) matches lme4's", () => {
  const r = refOf("cbpp_agq25");
  const fit = fitFor("cbpp_agq25");
  compareIntervals(confint(fit, { method: "wald" }), r.confint_wald, scalesOf(r, 1), 1e-3, "cbpp agq25 wald");
  compareIntervals(confint(fit), r.confint_profile, scalesOf(r, 1), 1e-3, "cbpp agq25 profile");
});

for (const id of ["cbpp_laplace", "grouseticks_laplace", "cbpp_agq25"]) {
  test(`predict of a GLMM matches lme4's predict.merMod: ${id}`, () => {
    const r = refOf(id);
    const fit = fitFor(id);
    const nd = csvOf(r.newdata);
    const cases = [
      ["all", "link", r.predict_link],
      ["all", "response", r.predict_response],
      ["none", "link", r.predict_link_population],
      ["none", "response", r.predict_response_population],
    ] as const;
    for (const [re, type, want] of cases) {
      const p = predict(fit, nd, { re, type, newLevels: "population" });
      want.forEach((w, i) => {
        const tol =
          1e-5 + 1e-3 * p.seFit[i] * (type === "response" ? Math.abs(w * (1 - w)) + Math.abs(w) : 1);
        assert.ok(
          Math.abs(p.fit[i] - w) <= tol,
          `${id} ${re} ${type} row ${i + 1}: ${p.fit[i]} vs lme4 ${w}`,
        );
        assert.ok(
          p.lower[i] <= p.fit[i] && p.fit[i] <= p.upper[i],
          `${id} ${re} ${type} row ${i + 1}: interval`,
        );
      });
    }
  });
}

test("bootstrap of a GLMM: same table for the same seed, whatever the split into ranges", () => {
  const fit = cbpp();
  const a = bootstrap(fit, 6, { seed: 11 });
  const b = bootstrap(fit, 6, { seed: 11 });
  assert.deepEqual(a.rows, b.rows);
  assert.deepEqual(a.columns, [
    "theta_herd.(Intercept)",
    "sd_(Intercept)|herd",
    "(Intercept)",
    "period2",
    "period3",
    "period4",
    "objective",
  ]);
  const part = bootstrap(fit, 6, { seed: 11, range: [3, 6] });
  assert.deepEqual(part.rows, a.rows.slice(3));
  const c = bootstrap(fit, 6, { seed: 12 });
  assert.notDeepEqual(c.rows, a.rows);
});

test("bootstrap of cbpp: replicate SDs of β near the Wald SEs, Wald intervals cover the replicates", () => {
  // 200 replicates: the SD of an SD estimate is about 1/√400 = 5%; allowed ratio 0.8–1.25
  const fit = cbpp();
  const tab = bootstrap(fit, 200, { seed: 2026 });
  assert.ok(tab.failures <= 4, `failures ${tab.failures}`);
  fit.xnames.forEach((nm, j) => {
    const c = tab.columns.indexOf(nm);
    const v = tab.rows.map((r) => r[c]).filter((x) => !Number.isNaN(x));
    const m = v.reduce((s, x) => s + x, 0) / v.length;
    const sd = Math.sqrt(v.reduce((s, x) => s + (x - m) ** 2, 0) / (v.length - 1));
    const ratio = sd / fit.se[j];
    assert.ok(ratio > 0.8 && ratio < 1.25, `${nm}: bootstrap SD ${sd} vs Wald SE ${fit.se[j]}`);
    // coverage-style: the share of replicates within β̂ ± 1.96 SE (95% if the Wald picture holds)
    const inside = v.filter((x) => Math.abs(x - fit.beta[j]) <= 1.96 * fit.se[j]).length / v.length;
    assert.ok(inside > 0.88 && inside <= 1, `${nm}: ${inside} of the replicates inside the Wald interval`);
  });
  const ci = bootConfint(fit, tab);
  assert.deepEqual(ci.parameters, confint(fit, { method: "wald" }).parameters);
  ci.parameters.forEach((nm, i) => {
    assert.ok(ci.lower[i] < ci.upper[i], nm);
  });
});

test("simulate from a GLMM: binomial proportions on the trials' grid, Poisson counts", () => {
  const fit = cbpp();
  const cb = loadBundled("cbpp");
  const size = cb.column("size");
  assert.ok(size?.kind === "numeric");
  const [y] = simulate(fit, 1, { seed: 5 });
  assert.equal(y.length, 56);
  y.forEach((v, t) => {
    const k = v * size.values[t];
    assert.ok(v >= 0 && v <= 1 && Math.abs(k - Math.round(k)) < 1e-9, `row ${t + 1}: ${v}`);
  });
  const g = fitGlmm(refOf("grouseticks_laplace").formula, grouseticks(), { family: "poisson" });
  const [c] = simulate(g, 1, { seed: 5 });
  assert.ok(c.every((v) => v >= 0 && Number.isInteger(v)));
  assert.deepEqual(simulate(g, 2, { seed: 9 }), simulate(g, 2, { seed: 9 }));
});

test("rbinom and rpois: means and variances within 5 standard errors (seeded)", () => {
  const s = RandomStream.forChain(77, 0, 0);
  const N = 20000;
  const check = (draw: () => number, mean: number, variance: number, label: string) => {
    let m = 0;
    let q = 0;
    for (let i = 0; i < N; i++) {
      const x = draw();
      assert.ok(Number.isInteger(x) && x >= 0, label);
      m += x;
      q += x * x;
    }
    m /= N;
    const v = q / N - m * m;
    assert.ok(Math.abs(m - mean) <= 5 * Math.sqrt(variance / N), `${label}: mean ${m} vs ${mean}`);
    // var of the sample variance ≈ 2σ⁴/N (+ excess kurtosis term); 8 SE is generous
    assert.ok(
      Math.abs(v - variance) <= 8 * variance * Math.sqrt(2 / N) + 1e-12,
      `${label}: var ${v} vs ${variance}`,
    );
  };
  check(() => rbinom(s, 10, 0.3), 3, 2.1, "binomial(10, 0.3)");
  check(() => rbinom(s, 200, 0.45), 90, 49.5, "binomial(200, 0.45) (Bernoulli sum)");
  check(() => rbinom(s, 50, 0.98), 49, 0.98, "binomial(50, 0.98) (flipped)");
  check(() => rbinom(s, 1, 0.5), 0.5, 0.25, "Bernoulli");
  check(() => rpois(s, 2.5), 2.5, 2.5, "Poisson(2.5)");
  check(() => rpois(s, 40), 40, 40, "Poisson(40) (PTRS)");
  check(() => rpois(s, 1234.5), 1234.5, 1234.5, "Poisson(1234.5)");
});
