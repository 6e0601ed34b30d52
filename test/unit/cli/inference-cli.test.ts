/** The inference commands: `mixed anova`, `mixed fit --ddf`, `mixed predict`. */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { runCli } from "../../helpers/run-cli.ts";

const M0 = "Reaction ~ 1 + Days + (1 | Subject)";
const M1 = "Reaction ~ 1 + Days + (1 + Days | Subject)";

test("mixed anova prints lme4's table and says the fits were refitted by ML", () => {
  const r = runCli(["anova", M0, M1, "--data", "sleepstudy"]);
  assert.equal(r.status, 0, r.stderr);
  const expected = readFileSync("test/reference/extras/anova_sleepstudy_print.txt", "utf8")
    .split("## ")[1]
    .replace(/^anova\(m0, m1\)\n/, "");
  assert.equal(r.stdout, expected);
  assert.equal(r.stderr, "refitting model(s) with ML (instead of REML)\n");
});

test("mixed anova --json has the CONTRACT fields; --no-refit compares REML criteria", () => {
  const r = runCli(["anova", M0, M1, "--data", "sleepstudy", "--json"]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, "");
  const j = JSON.parse(r.stdout);
  assert.equal(j.refit_ML, true);
  assert.deepEqual(
    j.rows.map((x: { formula: string }) => x.formula),
    [M0, M1],
  );
  assert.equal(j.rows[0].Chisq, null);
  assert.ok(Math.abs(j.rows[1].Chisq - 42.1392985420164) < 4e-3);
  const nr = JSON.parse(runCli(["anova", M1, M0, "--data", "sleepstudy", "--json", "--no-refit"]).stdout);
  assert.equal(nr.refit_ML, false);
  assert.ok(Math.abs(nr.rows[1].deviance - 1743.62827195995) < 1e-3);
});

test("mixed anova with one formula is bad usage; different responses are refused", () => {
  const one = runCli(["anova", M0, "--data", "sleepstudy"]);
  assert.equal(one.status, 2);
  assert.match(one.stderr, /at least two formulas/);
  const diff = runCli(["anova", M0, "log(Reaction) ~ Days + (1 | Subject)", "--data", "sleepstudy"]);
  assert.equal(diff.status, 1);
  assert.match(diff.stderr, /E_SPEC_NOT_COMPARABLE/);
});

test("mixed fit --ddf prints lmerTest's table and type III anova; --json adds ddf and anova_type3", () => {
  const f = "Reaction ~ Days + (Days | Subject)";
  const r = runCli(["fit", f, "--data", "sleepstudy", "--ddf", "satterthwaite"]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(
    r.stdout,
    /^Linear mixed model fit by REML\. t-tests use Satterthwaite's method \[\nlmerModLmerTest\]/,
  );
  assert.match(r.stdout, /Estimate Std\. Error +df t value Pr\(>\|t\|\)/);
  assert.match(r.stdout, /Type III Analysis of Variance Table with Satterthwaite's method\n/);
  const j = JSON.parse(runCli(["fit", f, "--data", "sleepstudy", "--ddf", "satterthwaite", "--json"]).stdout);
  assert.equal(j.ddf.method, "satterthwaite");
  assert.ok(Math.abs(j.ddf.df.Days - 16.9999837255917) < 1e-3 * 17);
  assert.deepEqual(j.anova_type3.rows, ["Days"]);
  assert.ok(Math.abs(j.anova_type3["F value"].Days - 45.8529615558586) < 1e-3 * 45.85);
  const plain = JSON.parse(runCli(["fit", f, "--data", "sleepstudy", "--json"]).stdout);
  assert.equal(plain.ddf, undefined);
  const bad = runCli(["fit", f, "--data", "sleepstudy", "--ddf", "bogus"]);
  assert.equal(bad.status, 2);
  const lm = runCli(["fit", "Reaction ~ Days", "--data", "sleepstudy", "--ddf", "satterthwaite"]);
  assert.equal(lm.status, 2);
  assert.match(lm.stderr, /--ddf applies to mixed models/);
});

test("mixed predict writes CSV or the CONTRACT JSON; an unseen level is an error unless --new-levels population", () => {
  const dir = mkdtempSync(join(tmpdir(), "mixed-predict-"));
  const nd = join(dir, "nd.csv");
  writeFileSync(nd, "Subject,Days\n308,0\n999,2\n");
  const f = "Reaction ~ Days + (Days | Subject)";
  const bad = runCli(["predict", f, "--data", "sleepstudy", "--newdata", nd]);
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /E_DATA_NEW_LEVEL/);
  const ok = runCli(["predict", f, "--data", "sleepstudy", "--newdata", nd, "--new-levels", "population"]);
  assert.equal(ok.status, 0, ok.stderr);
  const lines = ok.stdout.trim().split("\n");
  assert.equal(lines[0], "fit,se_fit,lower,upper");
  assert.ok(Math.abs(Number(lines[1].split(",")[0]) - 253.663655798386) < 0.03);
  const j = JSON.parse(
    runCli([
      "predict",
      f,
      "--data",
      "sleepstudy",
      "--newdata",
      nd,
      "--new-levels",
      "population",
      "--json",
      "--re",
      "none",
    ]).stdout,
  );
  assert.ok(Math.abs(j.fit[0] - 251.405104848485) < 0.03);
  assert.equal(j.se_fit.length, 2);
});

test("mixed confint prints lme4's table; --json has the CONTRACT fields", () => {
  const f = "Yield ~ 1 + (1 | Batch)";
  const r = runCli(["confint", f, "--data", "Dyestuff"]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^ +2\.5 % +97\.5 %\nsd_\(Intercept\)\|Batch +12\.19/);
  const j = JSON.parse(
    runCli(["confint", f, "--data", "Dyestuff", "--method", "wald", "--json", "--level", "0.9"]).stdout,
  );
  assert.equal(j.method, "wald");
  assert.equal(j.level, 0.9);
  assert.deepEqual(j.parameters, ["sd_(Intercept)|Batch", "sigma", "(Intercept)"]);
  assert.equal(j.lower[0], null);
});

test("mixed bootstrap prints the replicates' summary, writes CSV and JSON; confint --method boot", () => {
  const f = "Yield ~ 1 + (1 | Batch)";
  const r = runCli(["bootstrap", f, "--data", "Dyestuff", "--nsim", "30", "--seed", "2"]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^Parametric bootstrap: 30 replicates, seed 2\n/);
  const csv = runCli(["bootstrap", f, "--data", "Dyestuff", "--nsim", "30", "--seed", "2", "-o", "-"]);
  assert.equal(csv.stdout.trim().split("\n").length, 31);
  const j = JSON.parse(
    runCli(["bootstrap", f, "--data", "Dyestuff", "--nsim", "30", "--seed", "2", "--json"]).stdout,
  );
  assert.equal(j.rows.length, 30);
  assert.ok(j.summary.sigma.mean > 30);
  const c = JSON.parse(
    runCli(["confint", f, "--data", "Dyestuff", "--method", "boot", "--nsim", "30", "--seed", "2", "--json"])
      .stdout,
  );
  assert.equal(c.method, "boot");
  assert.equal(c.lower.length, 3);
  assert.equal(runCli(["bootstrap", f, "--data", "Dyestuff", "--nsim", "0"]).status, 2);
});

test("mixed fit --ddf kenward-roger prints lmerTest's Kenward-Roger table; an ML fit is refused", () => {
  const f = "Reaction ~ Days + (Days | Subject)";
  const r = runCli(["fit", f, "--data", "sleepstudy", "--ddf", "kenward-roger"]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /t-tests use Kenward-Roger's method/);
  assert.match(r.stdout, /Type III Analysis of Variance Table with Kenward-Roger's method/);
  const ml = runCli(["fit", f, "--data", "sleepstudy", "--ddf", "kenward-roger", "--ml"]);
  assert.equal(ml.status, 1);
  assert.match(ml.stderr, /REML/);
});
