/**
 * The seed document's model through the CLI, as its user types it:
 *   mixed sample "y ~ x + (x || group)" --data coffee --prior "sd: uniform(0, 100)" --prior "b: flat"
 *     --prior "sigma: flat" --draws 2000 --seed 123 --compare-lmm
 * against the numbers the seed printed (cmdstanr, 4 chains x 2000 draws; test/reference/bayes/
 * coffee-seed-published.json, rounded to 3 significant digits). Agreement as the reference suite's
 * own check of Stan against the seed: |ours - published| <= 4 MCSE(ours) + the rounding half-width
 * (mad: 4 mcse_sd, as an SD-like statistic), R-hat < 1.01 and ESS >= 400 where the seed reports
 * R-hat 1.00. False-failure probability: 24 numbers at 4 MCSE, under 24 x 6.3e-5 = 1.5e-3 (union
 * bound; the published values' own Monte-Carlo error, ESS 5,600-9,500, adds to the spread, which
 * the rounding allowance covers only in part).
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { runCli } from "../../helpers/run-cli.ts";

interface Row {
  variable: string;
  mean: number;
  median: number;
  sd: number;
  mad: number;
  q5: number;
  q95: number;
  rhat: number;
  ess_bulk: number;
  ess_tail: number;
  mcse_mean: number;
  mcse_sd: number;
  mcse_q5: number;
  mcse_median: number;
  mcse_q95: number;
}

const published = JSON.parse(readFileSync("test/reference/bayes/coffee-seed-published.json", "utf8"))
  .seed_published as {
  summary: Record<string, Record<string, number>>;
  posterior_means: Record<string, number>;
};

/** Half a unit in the third significant digit. */
const rounding = (v: number): number => 0.5 * 10 ** (Math.floor(Math.log10(Math.abs(v))) - 2);

test("the seed's coffee model: the seed's published posterior summary and random-effect means", () => {
  const r = runCli([
    "sample",
    "y ~ x + (x || group)",
    "--data",
    "coffee",
    "--prior",
    "sd: uniform(0, 100)",
    "--prior",
    "b: flat",
    "--prior",
    "sigma: flat",
    "--draws",
    "2000",
    "--seed",
    "123",
    "--json",
    "--compare-lmm",
  ]);
  assert.equal(r.status, 0, r.stderr);
  const j = JSON.parse(r.stdout);
  assert.equal(j.method, "collapsed");
  assert.deepEqual(
    j.priors.map((p: { parameter: string; prior: string }) => `${p.parameter} ~ ${p.prior}`),
    [
      "b_Intercept ~ flat",
      "b_x ~ flat",
      "sd_group__Intercept ~ uniform(0, 100)",
      "sd_group__x ~ uniform(0, 100)",
      "sigma ~ flat",
    ],
  );
  const rows = new Map<string, Row>(j.summary.map((s: Row) => [s.variable, s]));
  const bad: string[] = [];
  const check = (what: string, ours: number, mcse: number, theirs: number) => {
    const tol = 4 * mcse + rounding(theirs);
    if (!(Math.abs(ours - theirs) <= tol))
      bad.push(`${what}: ours ${ours}, published ${theirs}, tolerance ${tol}`);
  };
  const map: Record<string, string> = { b0_ran_sigma: "sd_group__Intercept", b1_ran_sigma: "sd_group__x" };
  for (const [stanName, stats] of Object.entries(published.summary)) {
    const o = rows.get(map[stanName]);
    assert.ok(o, stanName);
    check(`${stanName} mean`, o.mean, o.mcse_mean, stats.mean);
    check(`${stanName} median`, o.median, o.mcse_median, stats.median);
    check(`${stanName} sd`, o.sd, o.mcse_sd, stats.sd);
    check(`${stanName} mad`, o.mad, o.mcse_sd, stats.mad);
    check(`${stanName} q5`, o.q5, o.mcse_q5, stats.q5);
    check(`${stanName} q95`, o.q95, o.mcse_q95, stats.q95);
    assert.ok(
      o.rhat < 1.01 && o.ess_bulk >= 400 && o.ess_tail >= 400,
      `${stanName}: rhat ${o.rhat}, ess ${o.ess_bulk}/${o.ess_tail}`,
    );
  }
  for (const [stanName, value] of Object.entries(published.posterior_means)) {
    const m = /^b([01])_ran\[(\d+)\]$/.exec(stanName);
    assert.ok(m);
    const o = rows.get(`r_group[${m[2]},${m[1] === "0" ? "Intercept" : "x"}]`);
    assert.ok(o, stanName);
    check(`${stanName} mean`, o.mean, o.mcse_mean, value);
  }
  assert.deepEqual(bad, []);
  // the seed's comparison with lme4: posterior means next to the conditional modes
  const cmp = j.compare_lmm as { variable: string; kind: string; post_mean: number; lme4: number }[];
  const r1 = cmp.find((c) => c.variable === "r_group[1,Intercept]");
  assert.ok(r1 && r1.kind === "ranef");
  assert.ok(Math.abs(r1.post_mean - r1.lme4) < 0.5, `${r1.post_mean} vs ${r1.lme4}`);
  assert.equal(cmp.filter((c) => c.kind === "ranef").length, 200);
});
