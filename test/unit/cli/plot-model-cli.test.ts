/** `mixed plot caterpillar|residuals|qq|shrinkage FORMULA --data D -o F` through the built CLI. */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { runCli } from "../../helpers/run-cli.ts";

const dir = mkdtempSync(join(tmpdir(), "mixed-plot-model-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const SLEEP = ["Reaction ~ Days + (Days | Subject)", "--data", "sleepstudy"];

test("each model figure kind fits the formula and writes an SVG of the requested size", () => {
  const titles: Record<string, RegExp> = {
    caterpillar: />Conditional modes of the random effects with 95% intervals</,
    residuals: />Residual diagnostics: Reaction ~ Days \+ \(Days \| Subject\)</,
    qq: />Normal QQ plots: Reaction ~ Days \+ \(Days \| Subject\)</,
    shrinkage: />Shrinkage of the Subject estimates: /,
  };
  for (const [kind, title] of Object.entries(titles)) {
    const out = join(dir, `${kind}.svg`);
    const r = runCli(["plot", kind, ...SLEEP, "-o", out, "--width", "900", "--height", "600"]);
    assert.equal(r.status, 0, `${kind}: ${r.stderr}`);
    assert.equal(r.stdout, "");
    const svg = readFileSync(out, "utf8");
    assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="900" height="600"/, kind);
    assert.match(svg, title, kind);
  }
});

test("caterpillar of crossed Penicillin as PNG; --group picks one factor", () => {
  const png = join(dir, "pen.png");
  const r = runCli([
    "plot",
    "caterpillar",
    "diameter ~ 1 + (1 | plate) + (1 | sample)",
    "--data",
    "Penicillin",
    "-o",
    png,
    "--width",
    "640",
    "--height",
    "720",
  ]);
  assert.equal(r.status, 0, r.stderr);
  const b = readFileSync(png);
  assert.equal(b.toString("latin1", 1, 4), "PNG");
  assert.deepEqual([b.readUInt32BE(16), b.readUInt32BE(20)], [640, 720]);
  const one = runCli([
    "plot",
    "caterpillar",
    "diameter ~ 1 + (1 | plate) + (1 | sample)",
    "--data",
    "Penicillin",
    "--group",
    "sample",
    "-o",
    "-",
  ]);
  assert.equal(one.status, 0, one.stderr);
  assert.match(one.stdout, /<circle/);
  assert.doesNotMatch(one.stdout, />plate</);
});

test("model figures need a mixed-model formula; bad factor names are typed errors", () => {
  const none = runCli(["plot", "qq", "--data", "coffee", "-o", join(dir, "x.svg")]);
  assert.equal(none.status, 2);
  assert.match(none.stderr, /E_OPTION_INVALID.*needs a FORMULA/);
  const lm = runCli(["plot", "shrinkage", "y ~ x", "--data", "coffee", "-o", join(dir, "x.svg")]);
  assert.equal(lm.status, 2);
  assert.match(lm.stderr, /random term/);
  const bad = runCli(["plot", "shrinkage", ...SLEEP, "--group", "Days", "-o", join(dir, "x.svg")]);
  assert.notEqual(bad.status, 0);
  assert.match(bad.stderr, /E_PLOT_BAD_OPTION.*no grouping factor 'Days'/);
  const one = runCli([
    "plot",
    "caterpillar",
    "Reaction ~ Days + (1 | Subject)",
    "--data",
    "coffee",
    "-o",
    join(dir, "x.svg"),
  ]);
  assert.notEqual(one.status, 0);
  assert.match(one.stderr, /error\[E_/);
});

test("mixed plot profile and bootstrap write the inference figures", () => {
  const dir = mkdtempSync(join(tmpdir(), "mixed-plot-inf-"));
  const f = "Yield ~ 1 + (1 | Batch)";
  const a = runCli(["plot", "profile", f, "--data", "Dyestuff", "-o", join(dir, "p.svg")]);
  assert.equal(a.status, 0, a.stderr);
  assert.match(readFileSync(join(dir, "p.svg"), "utf8"), /Profile zeta plots/);
  const b = runCli([
    "plot",
    "bootstrap",
    f,
    "--data",
    "Dyestuff",
    "--nsim",
    "30",
    "--seed",
    "3",
    "-o",
    join(dir, "b.svg"),
  ]);
  assert.equal(b.status, 0, b.stderr);
  assert.match(readFileSync(join(dir, "b.svg"), "utf8"), /Parametric bootstrap: 30 replicates \(seed 3\)/);
  assert.equal(
    runCli(["plot", "bootstrap", f, "--data", "Dyestuff", "--nsim", "x", "-o", join(dir, "c.svg")]).status,
    2,
  );
});

const CBPP = [
  "cbind(incidence, size - incidence) ~ period + (1 | herd)",
  "--data",
  "cbpp",
  "--family",
  "binomial",
];

test("--family binomial: the diagnostics of a GLMM (residuals, qq, caterpillar, shrinkage, trajectories)", () => {
  const titles: Record<string, RegExp> = {
    residuals: />Pearson residuals vs linear predictor</,
    qq: />herd: \(Intercept\)</,
    caterpillar: />Conditional modes of the random effects with 95% intervals</,
    shrinkage: />herd alone \(GLM\)</,
    trajectories: />Fitted probability by period, one curve per herd \(15\)</,
  };
  for (const [kind, title] of Object.entries(titles)) {
    const r = runCli(["plot", kind, ...CBPP, "-o", "-"]);
    assert.equal(r.status, 0, `${kind}: ${r.stderr}`);
    assert.match(r.stdout, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/, kind);
    assert.match(r.stdout, title, kind);
  }
  const dev = runCli(["plot", "residuals", ...CBPP, "--residuals", "deviance", "-o", "-"]);
  assert.equal(dev.status, 0, dev.stderr);
  assert.match(dev.stdout, />Deviance residuals vs linear predictor</);
  const agq = runCli(["plot", "caterpillar", ...CBPP, "--nagq", "5", "-o", "-"]);
  assert.equal(agq.status, 0, agq.stderr);
  // a GLM (no random term): residuals and QQ of its residuals
  const glm = runCli([
    "plot",
    "qq",
    "cbind(incidence, size - incidence) ~ period",
    "--data",
    "cbpp",
    "--family",
    "binomial",
    "-o",
    "-",
  ]);
  assert.equal(glm.status, 0, glm.stderr);
  assert.match(glm.stdout, />Pearson residuals</);
});

test("--family with figures that do not take it, and GLM-only flags without it, are usage errors", () => {
  const facets = runCli(["plot", "facets", ...CBPP, "-o", "-"]);
  assert.equal(facets.status, 2);
  assert.match(facets.stderr, /--family\/--link do not apply to mixed plot facets/);
  const resid = runCli([
    "plot",
    "residuals",
    "Reaction ~ Days + (Days | Subject)",
    "--data",
    "sleepstudy",
    "--residuals",
    "deviance",
    "-o",
    "-",
  ]);
  assert.equal(resid.status, 2);
  assert.match(resid.stderr, /--residuals applies to generalized models/);
  const bad = runCli(["plot", "residuals", ...CBPP, "--residuals", "working", "-o", "-"]);
  assert.equal(bad.status, 2);
  const glmCat = runCli([
    "plot",
    "caterpillar",
    "cbind(incidence, size - incidence) ~ period",
    "--data",
    "cbpp",
    "--family",
    "binomial",
    "-o",
    "-",
  ]);
  assert.notEqual(glmCat.status, 0);
  assert.match(glmCat.stderr, /needs a mixed-model formula with a random term/);
});
