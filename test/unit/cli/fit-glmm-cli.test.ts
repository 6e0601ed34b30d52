/**
 * `mixed fit ... --family binomial|poisson [--nagq N] [--agq extended]`: glmer's summary, the
 * CONTRACT's JSON, typed errors.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { runCli } from "../../helpers/run-cli.ts";

const CBPP = "cbind(incidence, size - incidence) ~ period + (1 | herd)";

test("mixed fit --family binomial prints glmer's summary", () => {
  const r = runCli(["fit", CBPP, "--data", "cbpp", "--family", "binomial"]);
  assert.equal(r.status, 0, r.stderr);
  const want = readFileSync("test/reference/summaries/cbpp_laplace.txt", "utf8").split("\n");
  const got = r.stdout.split("\n");
  assert.equal(got.length, want.length);
  for (const i of [0, 1, 2, 3, 4, 6, 7, 14, 16, 17, 19]) assert.equal(got[i], want[i], `line ${i + 1}`);
  // lme4's variance is 0.4122538, on the rounding edge of 4 digits; our θ agrees with lme4's to 1e-5
  // relative (the objective to 4e-9), so the last digit may be 2 or 3: the rest of the line is exact
  assert.match(want[15], /^ herd {3}\(Intercept\) 0\.4123 {3}0\.6421 {2}$/);
  assert.match(got[15], /^ herd {3}\(Intercept\) 0\.412[23] {3}0\.6421 {2}$/, "line 16");
});

test("mixed fit --family binomial --nagq 25 --json has the CONTRACT's fields", () => {
  const r = runCli(["fit", CBPP, "--data", "cbpp", "--family", "binomial", "--nagq", "25", "--json"]);
  assert.equal(r.status, 0, r.stderr);
  const j = JSON.parse(r.stdout);
  for (const k of [
    "formula",
    "family",
    "link",
    "REML",
    "nAGQ",
    "nobs",
    "ngroups",
    "theta",
    "beta",
    "se",
    "vcov_beta",
    "sigma",
    "varcorr",
    "logLik",
    "df",
    "AIC",
    "BIC",
    "deviance",
    "objective",
    "isSingular",
    "ranef",
    "optinfo",
    "warnings",
    "timing",
  ])
    assert.ok(k in j, k);
  assert.equal(j.family, "binomial");
  assert.equal(j.link, "logit");
  assert.equal(j.nAGQ, 25);
  assert.equal(j.REML, null);
  assert.ok(Math.abs(j.logLik - -50.005) < 1e-3);
  assert.ok(Math.abs(j.logLik_full - -91.9834) < 1e-3);
  assert.ok(Math.abs(j.deviance - 100.01) < 1e-2);
  assert.ok(typeof j.optinfo.feval === "number" && j.optinfo.converged === true);
});

test("--nagq > 1 with a vector random term exits 1 naming the rule; bad --nagq is a usage error", () => {
  const r = runCli([
    "fit",
    "incidence ~ 1 + (size | herd)",
    "--data",
    "cbpp",
    "--family",
    "poisson",
    "--nagq",
    "3",
  ]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /single scalar random-effects term/);
  const bad = runCli(["fit", CBPP, "--data", "cbpp", "--family", "binomial", "--nagq", "two"]);
  assert.notEqual(bad.status, 0);
  assert.match(bad.stderr, /--nagq/);
  const gauss = runCli(["fit", "Reaction ~ Days + (1 | Subject)", "--data", "sleepstudy", "--nagq", "2"]);
  assert.notEqual(gauss.status, 0);
  assert.match(gauss.stderr, /--nagq applies to generalized/);
});

test("--agq extended: nAGQ > 1 with nested terms, said in the summary and the JSON; refused without it", () => {
  // an observation-level effect per herd and period (glmer accepts as many levels as rows)
  const f = "cbind(incidence, size - incidence) ~ period + (1 | herd) + (1 | herd:period)";
  const args = ["fit", f, "--data", "cbpp", "--family", "binomial", "--nagq", "3"];
  const r = runCli([...args, "--agq", "extended"]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(
    r.stdout,
    /^Generalized linear mixed model fit by maximum likelihood \(Adaptive\n {2}Gauss-Hermite Quadrature, nAGQ = 3, extended\) \[glmerMod\]\n/,
  );
  assert.match(
    r.stdout,
    /\n Quadrature: 15 blocks of linked random effects, largest 5 \(3\^5 = 243 points\)\n/,
  );
  const j = JSON.parse(runCli([...args, "--agq", "extended", "--json"]).stdout);
  assert.equal(j.nAGQ, 3);
  assert.deepEqual(j.agq, {
    mode: "extended",
    blocks: 15,
    max_dimension: 5,
    grid_points: 243,
    grid_limit: 10000,
  });
  assert.ok(Math.abs(j.logLik_full - (j.logLik + j.logLik_saturated)) < 1e-9);
  const lme4Rule = runCli(args);
  assert.equal(lme4Rule.status, 1);
  assert.match(lme4Rule.stderr, /E_SPEC_NAGQ[\s\S]*2 random-effects terms[\s\S]*--agq extended/);
  const tooBig = runCli([
    "fit",
    f,
    "--data",
    "cbpp",
    "--family",
    "binomial",
    "--nagq",
    "7",
    "--agq",
    "extended",
  ]);
  assert.equal(tooBig.status, 1);
  assert.match(tooBig.stderr, /7\^5 = 16807 quadrature points[\s\S]*nAGQ = 6 or fewer/);
  const lap = JSON.parse(runCli(["fit", CBPP, "--data", "cbpp", "--family", "binomial", "--json"]).stdout);
  assert.equal(lap.agq, null);
  const badMode = runCli([...args, "--agq", "more"]);
  assert.equal(badMode.status, 2);
  const gauss = runCli([
    "fit",
    "Reaction ~ Days + (1 | Subject)",
    "--data",
    "sleepstudy",
    "--agq",
    "extended",
  ]);
  assert.equal(gauss.status, 2);
  assert.match(gauss.stderr, /--agq applies to generalized/);
});

test("mixed anova --family binomial compares GLMMs as lme4's anova", () => {
  const r = runCli([
    "anova",
    "cbind(incidence, size - incidence) ~ 1 + (1 | herd)",
    CBPP,
    "--data",
    "cbpp",
    "--family",
    "binomial",
    "--json",
  ]);
  assert.equal(r.status, 0, r.stderr);
  const j = JSON.parse(r.stdout);
  assert.equal(j.refit_ML, false);
  assert.ok(Math.abs(j.rows[1].Chisq - 25.61) < 1e-2);
  assert.equal(j.rows[1].Df, 3);
});
