/** `mixed report FORMULA --data D -o FILE.html` and `mixed fit --variance` through the built CLI. */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { runCli } from "../../helpers/run-cli.ts";
import { networkReferences } from "../../helpers/network-references.ts";

const dir = mkdtempSync(join(tmpdir(), "mixed-report-"));
after(() => rmSync(dir, { recursive: true, force: true }));

test("mixed report writes one self-contained HTML file, exit 0, nothing on stdout", () => {
  const out = join(dir, "coffee.html");
  const r = runCli(["report", "y ~ x + (x | group)", "--data", "coffee", "-o", out]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, "");
  const html = readFileSync(out, "utf8");
  assert.match(html, /^<!DOCTYPE html>/);
  assert.match(html, /<b>0\.988<\/b><span>conditional R²/);
  assert.ok((html.match(/<svg\b/g) ?? []).length >= 6);
  assert.deepEqual(networkReferences(html), []);
});

test("--no-figures, an lm formula, and -o - (standard output)", () => {
  const out = join(dir, "lm.html");
  const r = runCli(["report", "y ~ x", "--data", "coffee", "-o", out, "--no-figures"]);
  assert.equal(r.status, 0, r.stderr);
  const html = readFileSync(out, "utf8");
  assert.ok(!html.includes("<svg"));
  assert.match(html, /linear model \(least squares\)/);
  const s = runCli(["report", "Yield ~ 1 + (1 | Batch)", "--data", "Dyestuff2", "-o", "-", "--no-figures"]);
  assert.equal(s.status, 0, s.stderr);
  assert.match(s.stdout, /<td>Singular fit<\/td><td>yes/);
  assert.match(s.stderr, /warning\[boundary_fit\]/);
});

test("bad input: typed errors, exit 1; usage errors exit 2; no file written", () => {
  const out = join(dir, "bad.html");
  const col = runCli(["report", "y ~ x + (x | nope)", "--data", "coffee", "-o", out]);
  assert.equal(col.status, 1);
  assert.match(col.stderr, /error\[E_FORMULA_UNKNOWN_COLUMN\]/);
  const data = runCli(["report", "y ~ x + (x | group)", "--data", "no-such-data", "-o", out]);
  assert.equal(data.status, 1);
  assert.match(data.stderr, /error\[E_DATA_/);
  assert.ok(!existsSync(out));
  const ext = runCli(["report", "y ~ x + (x | group)", "--data", "coffee", "-o", join(dir, "r.txt")]);
  assert.equal(ext.status, 2);
  assert.match(ext.stderr, /error\[E_OPTION_INVALID\]: the report .* is written as HTML/);
  const noOut = runCli(["report", "y ~ x", "--data", "coffee"]);
  assert.equal(noOut.status, 2);
  assert.match(noOut.stderr, /required option '-o, --output <file>'/);
  const lmBayes = runCli(["report", "y ~ x", "--data", "coffee", "-o", out, "--bayes"]);
  assert.equal(lmBayes.status, 2);
  const unwritable = runCli(["report", "y ~ x", "--data", "coffee", "-o", join(dir, "missing", "r.html")]);
  assert.equal(unwritable.status, 1);
  assert.match(unwritable.stderr, /error\[E_OUTPUT_WRITE\]/);
});

test("--bayes adds the posterior summary and trace, rank and density figures (seeded)", () => {
  const out = join(dir, "bayes.html");
  const r = runCli([
    "report",
    "Reaction ~ Days + (Days | Subject)",
    "--data",
    "sleepstudy",
    "-o",
    out,
    "--bayes",
    "--chains",
    "2",
    "--warmup",
    "150",
    "--draws",
    "100",
    "--seed",
    "11",
    "--variables",
    "b_Days,sigma",
  ]);
  assert.equal(r.status, 0, r.stderr);
  const html = readFileSync(out, "utf8");
  assert.match(html, /<section id="posterior">/);
  for (const t of ["Trace plots", "Rank plots", "Posterior densities"])
    assert.ok(html.includes(`<h3>${t}</h3>`), t);
  assert.match(html, />b_Days</);
  assert.deepEqual(networkReferences(html), []);
});

test("mixed fit --variance prints the decomposition after the summary; --json carries it", () => {
  const r = runCli(["fit", "y ~ x + (x | group)", "--data", "coffee", "--variance"]);
  assert.equal(r.status, 0, r.stderr);
  const at = r.stdout.indexOf("Variance decomposition (Nakagawa & Schielzeth R²");
  assert.ok(at > r.stdout.indexOf("Correlation of Fixed Effects"), "after the summary");
  assert.match(r.stdout, /R² conditional \(fixed \+ random\): 0\.9885\n$/);
  const j = runCli(["fit", "y ~ x + (x | group)", "--data", "coffee", "--json"]);
  const vd = JSON.parse(j.stdout).variance_decomposition;
  assert.equal(vd.r2_conditional.toFixed(3), "0.988");
  assert.deepEqual(Object.keys(vd.icc), ["group"]);
  const lm = runCli(["fit", "y ~ x", "--data", "coffee", "--variance"]);
  assert.equal(lm.status, 2);
  assert.match(lm.stderr, /--variance applies to mixed models/);
});

test("mixed report --family binomial: a GLMM page (or a GLM without random terms)", () => {
  const out = join(dir, "cbpp.html");
  const f = "cbind(incidence, size - incidence) ~ period + (1 | herd)";
  const r = runCli(["report", f, "--data", "cbpp", "--family", "binomial", "-o", out]);
  assert.equal(r.status, 0, r.stderr);
  const html = readFileSync(out, "utf8");
  assert.match(html, /generalized linear mixed model \(binomial family, logit link; Laplace approximation\)/);
  assert.match(html, />Fitted curves per group</);
  assert.ok((html.match(/<svg\b/g) ?? []).length >= 5);
  assert.deepEqual(networkReferences(html), []);
  const agq = runCli([
    "report",
    f,
    "--data",
    "cbpp",
    "--family",
    "binomial",
    "--nagq",
    "9",
    "-o",
    "-",
    "--no-figures",
  ]);
  assert.equal(agq.status, 0, agq.stderr);
  assert.match(agq.stdout, /adaptive Gauss–Hermite quadrature, 9 points/);
  const glm = runCli([
    "report",
    "cbind(incidence, size - incidence) ~ period",
    "--data",
    "cbpp",
    "--family",
    "binomial",
    "-o",
    "-",
  ]);
  assert.equal(glm.status, 0, glm.stderr);
  assert.match(glm.stdout, /generalized linear model \(binomial family, logit link\)/);
  const ml = runCli(["report", f, "--data", "cbpp", "--family", "binomial", "--ml", "-o", "-"]);
  assert.equal(ml.status, 2);
  assert.match(ml.stderr, /--reml\/--ml apply to linear mixed models/);
  const nagq = runCli(["report", "y ~ x + (x | group)", "--data", "coffee", "--nagq", "3", "-o", "-"]);
  assert.equal(nagq.status, 2);
});
