/**
 * reportHtml for generalized models: a binomial GLMM with trials (cbpp), a Bernoulli GLMM (cbpp
 * expanded to one row per animal), a Poisson GLMM (grouseticks) and a GLM: glmer's / glm's printed
 * summary, z tables, the diagnostics with the overdispersion ratio, the generalized figures, and no
 * network references.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import type { ColumnTable } from "../../../src/data/column-table.ts";
import { parseCsv } from "../../../src/data/parse-csv.ts";
import { parseSchema } from "../../../src/data/schema.ts";
import { reportHtml } from "../../../src/html/index.ts";
import { fitGlm, fitGlmm, printSummary } from "../../../src/index.ts";
import { loadBundled } from "../../helpers/load-bundled.ts";
import { networkReferences } from "../../helpers/network-references.ts";

function load(dir: string, name: string): ColumnTable {
  const schema = parseSchema(readFileSync(`${dir}/${name}.meta.json`, "utf8"), `${name}.meta.json`);
  return parseCsv(readFileSync(`${dir}/${name}.csv`, "utf8"), { name, schema });
}

const cbpp = loadBundled("cbpp");
const CBPP = "cbind(incidence, size - incidence) ~ period + (1 | herd)";
const fit = fitGlmm(CBPP, cbpp, { family: "binomial" });
const html = reportHtml(fit, cbpp);

function titles(h: string): string[] {
  return [...h.matchAll(/<figure>\n<h3>([^<]+)<\/h3>/g)].map((m) => m[1]);
}

const unescapeHtml = (s: string) =>
  s
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&");

test("a binomial GLMM report: sections, glmer's summary, z table, variance components", () => {
  const ids = [...html.matchAll(/<section id="([^"]+)">/g)].map((m) => m[1]);
  assert.deepEqual(ids, ["summary", "diagnostics", "figures"], "no LMM variance decomposition");
  assert.match(
    html,
    /A generalized linear mixed model \(binomial family, logit link; Laplace approximation\) of <code>cbind/,
  );
  assert.match(html, /15 levels of herd/);
  const pre = [...html.matchAll(/<pre>([\s\S]*?)<\/pre>/g)].map((m) => unescapeHtml(m[1]));
  assert.ok(pre.includes(printSummary(fit)), "glmer's printed summary verbatim");
  assert.match(html, /<th>z value<\/th><th>Pr\(&gt;\|z\|\)<\/th>/);
  assert.match(html, /<tr><td>period2<\/td><td>−0\.99192|<tr><td>period2<\/td><td>-0\.99192/);
  assert.match(html, /<h3>Variance components \(logit scale\)<\/h3>/);
  assert.match(html, /<td>herd<\/td><td>\(Intercept\)<\/td><td>0\.412/);
  assert.ok(!html.includes("<td>Residual</td>"), "no residual variance in a GLMM");
  assert.match(html, /<b>184\.05\d*<\/b><span>deviance \(−2 logLik\)<\/span>/);
  assert.deepEqual(networkReferences(html), []);
});

test("GLMM diagnostics: optimizer, integration, lme4's deviance(m), overdispersion", () => {
  assert.match(html, /<td>Integration<\/td><td>Laplace<\/td>/);
  assert.match(html, /<td>Σ squared deviance residuals \(lme4&#39;s deviance\(m\)\)<\/td><td>73\.47/);
  assert.match(html, /<td>Pearson χ²\/df \(overdispersion\)<\/td><td>1\.2\d* \(χ² = 6\d\.\d* on 51 df/);
  assert.match(html, /<td>Singular fit<\/td><td>no<\/td>/);
});

test("GLMM figures: caterpillar, residuals, QQ of the modes, shrinkage, fitted curves; ids unique", () => {
  assert.deepEqual(titles(html), [
    "Conditional modes (caterpillar)",
    "Residuals",
    "Normal QQ plots of the conditional modes",
    "Shrinkage",
    "Fitted curves per group",
  ]);
  assert.ok(!html.includes("Figure not drawn"));
  assert.match(html, />Pearson residuals vs linear predictor</);
  assert.match(html, />herd alone \(GLM\)</);
  assert.match(html, />Fitted probability by period, one curve per herd \(15\)</);
  const ids = [...html.matchAll(/\bid="([^"]+)"/g)].map((m) => m[1]);
  assert.equal(new Set(ids).size, ids.length, "every id once");
});

test("a Bernoulli GLMM report shows binned residuals", () => {
  const bern = load("test/reference/plots", "cbpp_bernoulli");
  const h = reportHtml(fitGlmm("y ~ period + (1 | herd)", bern, { family: "binomial" }), bern);
  assert.deepEqual(titles(h).slice(0, 2), ["Conditional modes (caterpillar)", "Binned residuals"]);
  assert.match(h, />29 bins of about 29 observations</);
  assert.match(h, /arm::binnedplot/);
  assert.ok(!h.includes("Figure not drawn"));
  assert.deepEqual(networkReferences(h), []);
});

test("a Poisson GLMM with two factors, fitted with nAGQ = 0, which the page names", () => {
  const ticks = load("test/reference/glmm", "grouseticks");
  const m = fitGlmm("TICKS ~ YEAR + cHEIGHT + (1 | BROOD) + (1 | LOCATION)", ticks, {
    family: "poisson",
    nAGQ: 0,
  });
  const h = reportHtml(m, ticks);
  assert.match(h, /poisson family, log link; nAGQ = 0/);
  assert.match(h, />BROOD: \(Intercept\)</);
  assert.match(h, />LOCATION: \(Intercept\)</);
  assert.match(h, /<code>overdispersion<\/code>|Pearson χ²\/df/);
  assert.deepEqual(networkReferences(h), []);
});

test("a GLM report: summary(glm), deviance table, residuals and QQ", () => {
  const g = fitGlm("cbind(incidence, size - incidence) ~ period", cbpp, { family: "binomial" });
  const h = reportHtml(g, cbpp);
  assert.match(h, /A generalized linear model \(binomial family, logit link\)/);
  const ids = [...h.matchAll(/<section id="([^"]+)">/g)].map((m) => m[1]);
  assert.deepEqual(ids, ["summary", "diagnostics", "figures"]);
  assert.match(h, /<td>Residual deviance<\/td><td>[\d.]+ on 52 df<\/td>/);
  assert.match(h, /<td>Fisher scoring iterations<\/td>/);
  assert.match(h, /Number of Fisher Scoring iterations/);
  assert.deepEqual(titles(h), ["Residuals", "Normal QQ plot"]);
  assert.ok(!h.includes("Variance components"));
  assert.deepEqual(networkReferences(h), []);
  const noFig = reportHtml(g, cbpp, { figures: false });
  assert.ok(!noFig.includes("<svg"));
});
