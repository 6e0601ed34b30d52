/**
 * simulate() and bootstrap(): reproducible per seed and per replicate (independent of batching),
 * the right moments, and percentile intervals consistent with the Wald and profile ones.
 * Monte-Carlo tolerances are stated per check (seeded, so each check is deterministic).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  bootConfint,
  bootstrap,
  bootstrapCsv,
  confint,
  fitLmm,
  MixedError,
  simulate,
} from "../../../src/index.ts";
import { loadBundled } from "../../helpers/load-bundled.ts";

const m = fitLmm("Reaction ~ Days + (Days | Subject)", loadBundled("sleepstudy"));

test("simulate is reproducible per seed and per replicate, whatever the batch", () => {
  const a = simulate(m, 5, { seed: 11 });
  const b = simulate(m, 8, { seed: 11 });
  for (let r = 0; r < 5; r++) assert.deepEqual(a[r], b[r]);
  const c = simulate(m, 5, { seed: 12 });
  assert.notDeepEqual(a[0], c[0]);
  assert.throws(
    () => simulate(m, 0),
    (e) => e instanceof MixedError && e.code === "E_OPTION_INVALID",
  );
});

test("simulated responses have mean Xβ and variance z'Σz + σ² (4 Monte-Carlo SEs)", () => {
  const N = 4000;
  const sims = simulate(m, N, { seed: 5 });
  const t = 9; // subject 308, Days = 9
  const x = [1, 9];
  const cov = m.varcorr.groups[0].covariance;
  let v = m.sigma ** 2;
  for (let a = 0; a < 2; a++) for (let b = 0; b < 2; b++) v += x[a] * cov[a][b] * x[b];
  const ys = sims.map((y) => y[t]);
  const mean = ys.reduce((s, y) => s + y, 0) / N;
  const varHat = ys.reduce((s, y) => s + (y - mean) ** 2, 0) / (N - 1);
  const mu = m.beta[0] + 9 * m.beta[1];
  assert.ok(Math.abs(mean - mu) < 4 * Math.sqrt(v / N), `mean ${mean} vs ${mu}`);
  // SE of a normal sample variance: v·√(2/(N−1))
  assert.ok(Math.abs(varHat - v) < 4 * v * Math.sqrt(2 / (N - 1)), `var ${varHat} vs ${v}`);
});

test("bootstrap: replicates split over ranges give the same table; percentile intervals are sensible", () => {
  const all = bootstrap(m, 40, { seed: 3 });
  const first = bootstrap(m, 40, { seed: 3, range: [0, 25] });
  const rest = bootstrap(m, 40, { seed: 3, range: [25, 40] });
  assert.deepEqual([...first.rows, ...rest.rows], all.rows);
  assert.equal(all.columns.length, all.rows[0].length);
  assert.ok(bootstrapCsv(all).startsWith("replicate,theta_Subject.(Intercept),"));
  const big = bootstrap(m, 300, { seed: 9 });
  assert.equal(big.failures, 0);
  const boot = bootConfint(m, big);
  const wald = confint(m, { method: "wald" });
  // fixed effects: a percentile interval from 300 replicates is within 25% of the Wald width
  for (let j = boot.parameters.length - 2; j < boot.parameters.length; j++) {
    const wb = boot.upper[j] - boot.lower[j];
    const ww = wald.upper[j] - wald.lower[j];
    assert.ok(Math.abs(wb / ww - 1) < 0.25, `${boot.parameters[j]}: ${wb} vs ${ww}`);
    assert.ok(boot.lower[j] < m.beta[j - (boot.parameters.length - 2)]);
  }
  const sigma = boot.parameters.indexOf("sigma");
  assert.ok(boot.lower[sigma] < m.sigma && m.sigma < boot.upper[sigma]);
});

test("bootstrap: the table is a function of the seed and nsim only (ranges, lean refits = full refits)", () => {
  const t = bootstrap(m, 12, { seed: 21 });
  const again = bootstrap(m, 12, { seed: 21 });
  assert.deepEqual(t.rows, again.rows);
  // a replicate's row is what a full refit of its simulated response reports
  const y = simulate(m, 12, { seed: 21 });
  for (const r of [0, 7]) {
    const f = m.refit(y[r], { start: m.theta });
    const sd = f.varcorr.groups[0];
    const expected = [
      ...f.theta,
      sd.stddev[0],
      sd.correlation[1][0],
      sd.stddev[1],
      f.sigma,
      ...f.beta,
      f.objective,
    ];
    assert.deepEqual(Array.from(t.rows[r]), expected);
  }
  assert.throws(
    () => bootstrap(m, 5, { seed: 1.5 }),
    (e) => e instanceof MixedError && e.code === "E_OPTION_INVALID",
  );
});
