/**
 * `mixed predict|confint|bootstrap ... --family binomial|poisson`: GLMM inference from the command
 * line in the CONTRACT's JSON shapes (numbers checked against lme4 in
 * test/unit/inference/glmm-inference.test.ts), and the option errors.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { runCli } from "../../helpers/run-cli.ts";

const CBPP = "cbind(incidence, size - incidence) ~ period + (1 | herd)";
const GLMM = ["--data", "cbpp", "--family", "binomial"];
const dir = mkdtempSync(join(tmpdir(), "mixed-glmm-cli-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const newdata = join(dir, "new.csv");
writeFileSync(newdata, "herd,period\n1,1\n3,2\n99,3\n");
const ref = JSON.parse(readFileSync("test/reference/glmm/inference.json", "utf8")).fits[0];

test("mixed predict --family binomial: link scale by default, --type response, --re none", () => {
  const link = runCli([
    "predict",
    CBPP,
    ...GLMM,
    "--newdata",
    newdata,
    "--new-levels",
    "population",
    "--json",
  ]);
  assert.equal(link.status, 0, link.stderr);
  const j = JSON.parse(link.stdout);
  assert.deepEqual(Object.keys(j), ["fit", "se_fit", "lower", "upper", "level"]);
  assert.ok(Math.abs(j.fit[0] - ref.predict_link[0]) < 1e-4, `${j.fit[0]} vs ${ref.predict_link[0]}`);
  assert.ok(Math.abs(j.fit[1] - ref.predict_link[1]) < 1e-4);
  assert.ok(Math.abs(j.fit[2] - ref.predict_link_population[3]) < 1e-4, "new level: population prediction");
  const resp = JSON.parse(
    runCli([
      "predict",
      CBPP,
      ...GLMM,
      "--newdata",
      newdata,
      "--new-levels",
      "population",
      "--type",
      "response",
      "--json",
    ]).stdout,
  );
  for (const [i, v] of (resp.fit as number[]).entries())
    assert.ok(Math.abs(v - 1 / (1 + Math.exp(-j.fit[i]))) < 1e-12);
  assert.deepEqual(resp.se_fit, j.se_fit, "se_fit stays on the link scale");
  const none = runCli(["predict", CBPP, ...GLMM, "--newdata", newdata, "--re", "none"]);
  assert.equal(none.status, 0, none.stderr);
  assert.match(none.stdout, /^fit,se_fit,lower,upper\n/);
  const refused = runCli(["predict", CBPP, ...GLMM, "--newdata", newdata]);
  assert.equal(refused.status, 1);
  assert.match(refused.stderr, /E_DATA_NEW_LEVEL/);
});

test("mixed confint --family binomial: profile (default) and Wald in the CONTRACT's shape", () => {
  const p = runCli(["confint", CBPP, ...GLMM, "--json"]);
  assert.equal(p.status, 0, p.stderr);
  const j = JSON.parse(p.stdout);
  assert.deepEqual(Object.keys(j), ["method", "level", "parameters", "lower", "upper"]);
  assert.equal(j.method, "profile");
  assert.deepEqual(j.parameters, ["sd_(Intercept)|herd", "(Intercept)", "period2", "period3", "period4"]);
  for (const [i, v] of (j.lower as number[]).entries())
    assert.ok(Math.abs(v - ref.confint_profile.lower[i]) < 1e-3);
  const w = JSON.parse(
    runCli(["confint", CBPP, ...GLMM, "--method", "wald", "--level", "0.9", "--json"]).stdout,
  );
  assert.equal(w.lower[0], null);
  assert.equal(w.level, 0.9);
  const text = runCli(["confint", CBPP, ...GLMM, "--method", "wald"]);
  assert.match(text.stdout, /sd_\(Intercept\)\|herd/);
});

test("mixed bootstrap --family binomial: seeded table, the LMM's JSON shape", () => {
  const a = runCli(["bootstrap", CBPP, ...GLMM, "--nsim", "8", "--seed", "4", "--json"]);
  assert.equal(a.status, 0, a.stderr);
  const j = JSON.parse(a.stdout);
  assert.deepEqual(Object.keys(j), [
    "nsim",
    "seed",
    "columns",
    "rows",
    "summary",
    "failures",
    "warning_counts",
  ]);
  assert.equal(j.rows.length, 8);
  assert.deepEqual(j.columns.slice(0, 3), ["theta_herd.(Intercept)", "sd_(Intercept)|herd", "(Intercept)"]);
  const b = JSON.parse(runCli(["bootstrap", CBPP, ...GLMM, "--nsim", "8", "--seed", "4", "--json"]).stdout);
  assert.deepEqual(b.rows, j.rows);
  const csv = runCli(["bootstrap", CBPP, ...GLMM, "--nsim", "3", "-o", "-"]);
  assert.match(csv.stdout, /^replicate,theta_herd\.\(Intercept\),sd_\(Intercept\)\|herd,/);
  const boot = JSON.parse(
    runCli(["confint", CBPP, ...GLMM, "--method", "boot", "--nsim", "20", "--json"]).stdout,
  );
  assert.equal(boot.method, "boot");
  assert.equal(boot.parameters.length, 5);
});

test("GLMM option errors: --reml/--ml with --family, --type response for an LMM, --link without --family", () => {
  const ml = runCli(["confint", CBPP, ...GLMM, "--ml"]);
  assert.equal(ml.status, 2);
  assert.match(ml.stderr, /--reml\/--ml apply to linear mixed models/);
  const type = runCli([
    "predict",
    "Reaction ~ Days + (1 | Subject)",
    "--data",
    "sleepstudy",
    "--newdata",
    "sleepstudy",
    "--type",
    "response",
  ]);
  assert.equal(type.status, 2);
  assert.match(type.stderr, /--type response applies to generalized/);
  const link = runCli([
    "bootstrap",
    "Reaction ~ Days + (1 | Subject)",
    "--data",
    "sleepstudy",
    "--link",
    "log",
  ]);
  assert.equal(link.status, 2);
  assert.match(link.stderr, /--link needs --family/);
});

test("mixed predict|confint --fit restores a saved GLMM (restoreGlmm)", () => {
  const saved = join(dir, "cbpp-fit.json");
  const fit = runCli(["fit", CBPP, ...GLMM, "--json"]);
  assert.equal(fit.status, 0, fit.stderr);
  writeFileSync(saved, fit.stdout);
  const direct = JSON.parse(
    runCli(["predict", CBPP, ...GLMM, "--newdata", newdata, "--new-levels", "population", "--json"]).stdout,
  );
  const restored = runCli([
    "predict",
    "--fit",
    saved,
    "--data",
    "cbpp",
    "--newdata",
    newdata,
    "--new-levels",
    "population",
    "--json",
  ]);
  assert.equal(restored.status, 0, restored.stderr);
  for (const [i, v] of (JSON.parse(restored.stdout).fit as number[]).entries())
    assert.ok(Math.abs(v - direct.fit[i]) < 1e-6);
  const w = runCli(["confint", "--fit", saved, "--data", "cbpp", "--method", "wald", "--json"]);
  assert.equal(w.status, 0, w.stderr);
  assert.equal(JSON.parse(w.stdout).parameters.length, 5);
  const clash = runCli(["confint", "--fit", saved, "--data", "cbpp", "--family", "poisson"]);
  assert.equal(clash.status, 2);
  assert.match(clash.stderr, /--family poisson disagrees with the saved fit/);
});
