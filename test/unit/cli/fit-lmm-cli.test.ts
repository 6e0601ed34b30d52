/**
 * `mixed fit` for linear mixed models through the real CLI: the --json object follows CONTRACT.md
 * (field names of the lme4 reference fits) and matches lme4 within the reference tolerances;
 * the human summary is lme4's layout; --ranef / --coef print per-level tables.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { expectClose } from "../../helpers/expect-close.ts";
import { runCli } from "../../helpers/run-cli.ts";
import { TOL } from "../../helpers/tolerances.ts";

const ref = JSON.parse(readFileSync("test/reference/fits/sleepstudy_full_reml.json", "utf8"));
const refMl = JSON.parse(readFileSync("test/reference/fits/penicillin_ml.json", "utf8"));

const CONTRACT_FIELDS = [
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
  "objective",
  "isSingular",
  "ranef",
  "optinfo",
  "warnings",
  "timing",
];

test("--json for a REML fit has every CONTRACT field and matches lme4", () => {
  const r = runCli(["fit", ref.formula, "--data", "sleepstudy", "--json"]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim().split("\n").length, 1, "exactly one JSON object on one line");
  const j = JSON.parse(r.stdout);
  for (const f of CONTRACT_FIELDS) assert.ok(f in j, `field ${f}`);
  assert.ok("REMLcrit" in j && !("deviance" in j), "REML fits report REMLcrit");
  assert.equal(j.family, "gaussian");
  assert.equal(j.REML, true);
  assert.deepEqual(j.ngroups, ref.ngroups);
  assert.deepEqual(Object.keys(j.theta), Object.keys(ref.theta));
  assert.deepEqual(Object.keys(j.beta), Object.keys(ref.beta));
  expectClose([j.REMLcrit, j.logLik, j.AIC, j.BIC], [ref.REMLcrit, ref.logLik, ref.AIC, ref.BIC], {
    rtol: TOL.objective,
    label: "criteria",
  });
  expectClose(Object.values(j.se), Object.values(ref.se), { rtol: TOL.se, label: "se" });
  expectClose([j.sigma], [ref.sigma], { rtol: TOL.varcomp, label: "sigma" });
  expectClose(Object.values(j.theta), Object.values(ref.theta), { atol: TOL.theta, label: "theta" });
  assert.deepEqual(
    j.varcorr.groups.map((g: { name: string }) => g.name),
    ["Subject"],
  );
  expectClose(j.varcorr.groups[0].stddev, ref.varcorr.groups[0].stddev, {
    rtol: TOL.varcomp,
    label: "stddev",
  });
  assert.deepEqual(j.ranef.Subject.levels, ref.ranef.Subject.levels);
  expectClose(j.ranef.Subject.values, ref.ranef.Subject.values, {
    atol: TOL.ranefSigma * ref.sigma,
    label: "ranef",
  });
  assert.equal(typeof j.optinfo.feval, "number");
  assert.equal(j.optinfo.converged, true);
  assert.equal(typeof j.timing.fit_s, "number");
  assert.deepEqual(j.warnings, []);
});

test("--ml gives an ML fit with deviance (crossed Penicillin)", () => {
  const r = runCli(["fit", refMl.formula, "--data", "Penicillin", "--ml", "--json"]);
  assert.equal(r.status, 0, r.stderr);
  const j = JSON.parse(r.stdout);
  assert.equal(j.REML, false);
  assert.ok("deviance" in j && !("REMLcrit" in j));
  expectClose([j.deviance, j.AIC], [refMl.deviance, refMl.AIC], {
    rtol: TOL.objective,
    label: "deviance, AIC",
  });
  assert.deepEqual(j.ngroups, refMl.ngroups);
});

test("a singular fit reports isSingular and a boundary_fit warning (stderr without --json)", () => {
  const j = JSON.parse(runCli(["fit", "Yield ~ 1 + (1 | Batch)", "--data", "Dyestuff2", "--json"]).stdout);
  assert.equal(j.isSingular, true);
  assert.deepEqual(
    j.warnings.map((w: { code: string }) => w.code),
    ["boundary_fit"],
  );
  const r = runCli(["fit", "Yield ~ 1 + (1 | Batch)", "--data", "Dyestuff2"]);
  assert.equal(r.status, 0);
  assert.match(r.stderr, /^warning\[boundary_fit\]: boundary \(singular\) fit/m);
  assert.match(r.stdout, /boundary \(singular\) fit: see help\('isSingular'\)\n+$/);
});

test("the summary has lme4's layout (sleepstudy, REML)", () => {
  const r = runCli(["fit", ref.formula, "--data", "sleepstudy"]);
  assert.equal(r.status, 0, r.stderr);
  const expected = readFileSync("test/reference/summaries/sleepstudy_full_reml.txt", "utf8");
  // Same lines as lme4 except where the last printed digit depends on the optimiser's last steps.
  const a = r.stdout.split("\n");
  const e = expected.split("\n");
  assert.equal(a.length, e.length, "line count");
  const differing = a.map((line, i) => (line === e[i] ? -1 : i)).filter((i) => i >= 0);
  assert.ok(
    differing.length <= 1,
    `lines differ from lme4: ${differing.map((i) => `\n${a[i]}\n${e[i]}`).join("")}`,
  );
});

test("--ranef and --coef print per-level tables", () => {
  const r = runCli(["fit", ref.formula, "--data", "sleepstudy", "--ranef", "--coef"]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(
    r.stdout,
    /Conditional modes of the random effects:\n\$Subject\n\s+\(Intercept\)\s+Days\n308\s+2\.25/,
  );
  assert.match(
    r.stdout,
    /Coefficients per level \(fixed \+ random\):\n\$Subject\n\s+\(Intercept\)\s+Days\n308\s+253\.6/,
  );
});
