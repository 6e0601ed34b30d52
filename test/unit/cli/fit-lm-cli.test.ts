/**
 * `mixed fit "y ~ x" --data coffee` through the real CLI: the summary is R's `summary(lm)` byte
 * for byte, and --json follows `fits/coffee_lm.json` within tolerance.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { expectClose } from "../../helpers/expect-close.ts";
import { runCli } from "../../helpers/run-cli.ts";

const ref = JSON.parse(readFileSync("test/reference/fits/coffee_lm.json", "utf8"));

test("the summary equals R's print(summary(lm(y ~ x, data = coffee)))", () => {
  const r = runCli(["fit", "y ~ x", "--data", "coffee"]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, readFileSync("test/reference/summaries/coffee_lm.txt", "utf8"));
  assert.equal(r.stderr, "");
});

test("--json follows coffee_lm.json", () => {
  const r = runCli(["fit", "y ~ x", "--data", "coffee", "--json"]);
  assert.equal(r.status, 0, r.stderr);
  const j = JSON.parse(r.stdout);
  for (const k of ["beta", "se", "t", "p"]) {
    assert.deepEqual(Object.keys(j[k]), Object.keys(ref[k]), k);
    expectClose(Object.values(j[k]) as number[], Object.values(ref[k]) as number[], { rtol: 1e-9, label: k });
  }
  for (const k of ["sigma", "r_squared", "adj_r_squared", "logLik", "AIC", "BIC", "deviance"]) {
    expectClose([j[k]], [ref[k]], { rtol: 1e-9, label: k });
  }
  assert.equal(j.df_residual, ref.df_residual);
  assert.equal(j.df, ref.df);
  assert.deepEqual({ ...j.fstatistic, value: 0 }, { ...ref.fstatistic, value: 0 });
  expectClose([j.fstatistic.value], [ref.fstatistic.value], { rtol: 1e-9, label: "F" });
  expectClose(j.vcov_beta, ref.vcov_beta, { rtol: 1e-9, label: "vcov" });
  assert.equal(typeof j.timing.fit_s, "number");
});
