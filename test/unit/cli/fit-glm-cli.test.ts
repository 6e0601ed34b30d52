/**
 * `mixed fit ... --family binomial|poisson [--link L]` through the real CLI: R's summary(glm)
 * byte for byte, the JSON object (lm shape with z, plus family/link/deviances), a GLMM formula
 * refused with a typed error, and options that do not apply.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { expectClose } from "../../helpers/expect-close.ts";
import { runCli } from "../../helpers/run-cli.ts";

const refs = JSON.parse(readFileSync("test/reference/glm/glm.json", "utf8")).fits as Record<
  string,
  unknown
>[];
const ref = (id: string) => refs.find((r) => r.id === id) as Record<string, never>;

test("--family binomial prints R's summary(glm) for cbpp", () => {
  const r = runCli([
    "fit",
    "cbind(incidence, size - incidence) ~ period",
    "--data",
    "cbpp",
    "--family",
    "binomial",
  ]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(
    r.stdout,
    readFileSync("test/reference/glm/summaries/cbpp_binomial.txt", "utf8").replace(/\n?$/, "\n"),
  );
  assert.equal(r.stderr, "");
});

test("--link probit and --json: lm-shaped object with z, family, link and deviances", () => {
  const r = runCli([
    "fit",
    "y ~ x + g",
    "--data",
    "test/reference/glm/bernoulli.csv",
    "--family",
    "binomial",
    "--link",
    "probit",
    "--json",
  ]);
  assert.equal(r.status, 0, r.stderr);
  const j = JSON.parse(r.stdout);
  const e = ref("bernoulli_probit");
  assert.equal(j.model_class, "glm");
  assert.equal(j.family, "binomial");
  assert.equal(j.link, "probit");
  assert.equal(j.t, undefined);
  for (const k of ["beta", "se", "z", "p"] as const) {
    assert.deepEqual(Object.keys(j[k]), Object.keys(e[k]), k);
    expectClose(Object.values(j[k]) as number[], Object.values(e[k]) as number[], { rtol: 1e-8, label: k });
  }
  expectClose(
    [j.deviance, j.null_deviance, j.AIC, j.BIC, j.logLik],
    [e.deviance, e.null_deviance, e.AIC, e.BIC, e.logLik],
    {
      rtol: 1e-10,
    },
  );
  assert.equal(j.df_residual, e.df_residual);
  assert.equal(j.df_null, e.df_null);
  assert.equal(j.iter, e.iter);
  assert.equal(j.dispersion, 1);
  assert.equal(j.sigma, 1);
  assert.equal(typeof j.overdispersion_ratio, "number");
  assert.equal(typeof j.timing.fit_s, "number");
});

test("--family poisson with offset(log(exposure))", () => {
  const r = runCli([
    "fit",
    "y ~ x + site + offset(log(exposure))",
    "--data",
    "test/reference/glm/poisson_offset.csv",
    "--family",
    "poisson",
    "--json",
  ]);
  assert.equal(r.status, 0, r.stderr);
  const j = JSON.parse(r.stdout);
  const e = ref("poisson_offset");
  expectClose(Object.values(j.beta) as number[], Object.values(e.beta) as number[], { rtol: 1e-8 });
  expectClose(j.pearson_chisq / j.df_residual, j.overdispersion_ratio, { rtol: 1e-15 });
});

test("a random-effects term with --family binomial fits a GLMM (glmer's summary)", () => {
  const r = runCli([
    "fit",
    "cbind(incidence, size - incidence) ~ period + (1 | herd)",
    "--data",
    "cbpp",
    "--family",
    "binomial",
  ]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^Generalized linear mixed model fit by maximum likelihood \(Laplace/);
});

test("options that do not apply to a GLM, and bad links, are usage errors", () => {
  const base = ["fit", "y ~ x", "--data", "test/reference/glm/bernoulli.csv"];
  for (const extra of [
    ["--family", "binomial", "--reml"],
    ["--family", "binomial", "--ddf", "satterthwaite"],
    ["--family", "poisson", "--link", "logit"],
  ]) {
    const r = runCli([...base, ...extra]);
    assert.notEqual(r.status, 0, extra.join(" "));
    assert.match(r.stderr, /E_OPTION_INVALID|error/, extra.join(" "));
  }
  const bad = runCli([...base, "--family", "gamma"]);
  assert.equal(bad.status, 2);
  const anova = runCli([
    "anova",
    "y ~ 1",
    "y ~ x",
    "--data",
    "test/reference/glm/bernoulli.csv",
    "--family",
    "binomial",
  ]);
  assert.equal(anova.status, 2);
  assert.match(anova.stderr, /needs a random-effects term/);
});
