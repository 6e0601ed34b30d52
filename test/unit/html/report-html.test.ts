/**
 * reportHtml: one self-contained page (structure, the numbers it shows, no network references),
 * for a mixed model, an lm, a crossed model and with posterior draws.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { reportHtml } from "../../../src/html/index.ts";
import { fitLm, fitLmm, varianceDecomposition } from "../../../src/index.ts";
import { loadBundled } from "../../helpers/load-bundled.ts";
import { networkReferences } from "../../helpers/network-references.ts";

const coffee = loadBundled("coffee");
const coffeeFit = fitLmm("y ~ x + (x | group)", coffee);
const coffeeHtml = reportHtml(coffeeFit, coffee);

test("the coffee report: one HTML document with the sections, in order", () => {
  const h = coffeeHtml;
  assert.match(h, /^<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">/);
  assert.ok(h.trimEnd().endsWith("</html>"));
  assert.match(h, /<title>Model report: y ~ x \+ \(x \| group\)<\/title>/);
  const ids = [...h.matchAll(/<section id="([^"]+)">/g)].map((m) => m[1]);
  assert.deepEqual(ids, ["summary", "diagnostics", "variance", "figures"]);
  for (const id of ids) assert.ok(h.includes(`<a href="#${id}">`), `nav links to ${id}`);
  assert.equal((h.match(/<style>/g) ?? []).length, 1, "one inline style sheet");
});

test("no network references at all (no URLs, scripts, links, images, external href/src)", () => {
  assert.deepEqual(networkReferences(coffeeHtml), []);
  assert.ok(!coffeeHtml.includes("xmlns"), "inline SVG without namespace URLs");
  // the checker itself catches what it must
  assert.deepEqual(networkReferences('<img src="a.png"><a href="https://x.org/">'), [
    "https:",
    "//x.org/",
    'src="a.png"',
    'href="https://x.org/"',
    "<img",
  ]);
});

test("the summary: lme4's printed text, fixed effects and variance components as tables", () => {
  const h = coffeeHtml;
  assert.match(h, /<pre>Linear mixed model fit by REML \[(&#39;|&apos;|')lmerMod(&#39;|&apos;|')\]/);
  assert.match(h, /REML criterion at convergence: 3675\.3/);
  assert.match(h, /<tr><td>\(Intercept\)<\/td><td>4\.11141<\/td>/);
  assert.match(h, /<tr><td>group<\/td><td>\(Intercept\)<\/td><td>81\.45<\/td>/);
});

test("the diagnostics: optimizer, convergence, singularity, warnings", () => {
  const h = coffeeHtml;
  assert.match(h, /<td>Optimizer<\/td><td>bobyqa<\/td>/);
  assert.match(h, /<td>Converged<\/td><td>yes<\/td>/);
  assert.match(h, /<td>Singular fit<\/td><td>no<\/td>/);
  assert.match(h, /Converged, not singular, no warnings\./);
  assert.match(h, /max \|gradient\|/);
});

test("the variance decomposition: the seed's 0.988 (conditional R²), marginal R², ICC", () => {
  const d = varianceDecomposition(coffeeFit);
  assert.match(coffeeHtml, /<b>0\.988<\/b><span>conditional R² \(fixed \+ random\)<\/span>/);
  assert.match(coffeeHtml, /<b>0\.00289<\/b><span>marginal R² \(fixed effects\)<\/span>/);
  assert.match(coffeeHtml, /<tr><td>group<\/td><td>0\.9884<\/td><\/tr>/);
  assert.equal(d.r2Conditional.toFixed(3), "0.988");
});

test("the figures: caterpillar, residuals, QQ, shrinkage, trajectories, per-group fits; ids unique", () => {
  const titles = [...coffeeHtml.matchAll(/<figure>\n<h3>([^<]+)<\/h3>/g)].map((m) => m[1]);
  assert.deepEqual(titles, [
    "Conditional modes (caterpillar)",
    "Residuals",
    "Normal QQ plots",
    "Shrinkage",
    "Trajectories",
    "Per-group fits",
  ]);
  assert.equal((coffeeHtml.match(/<svg\b/g) ?? []).length >= titles.length, true);
  assert.ok(!coffeeHtml.includes("Figure not drawn"));
  const ids = [...coffeeHtml.matchAll(/\bid="([^"]+)"/g)].map((m) => m[1]);
  assert.equal(new Set(ids).size, ids.length, "every id once");
  // SVG text stays text
  assert.match(coffeeHtml, /<text[^>]*>Conditional modes of the random effects with 95% intervals<\/text>/);
});

test("figures: false leaves them out", () => {
  const h = reportHtml(coffeeFit, coffee, { figures: false, title: "Coffee <cups>" });
  assert.ok(!h.includes("<svg"));
  assert.ok(!h.includes('id="figures"'));
  assert.match(h, /<title>Coffee &lt;cups&gt;<\/title>/);
});

test("an lm: summary, R², fitted line, residuals and QQ; no mixed-model parts", () => {
  const fit = fitLm("y ~ x", coffee);
  const h = reportHtml(fit, coffee);
  assert.match(h, /linear model \(least squares\)/);
  assert.match(h, /Residual standard error: 9\.153 on 998 degrees of freedom/);
  assert.match(h, /<span>R²<\/span>/);
  const titles = [...h.matchAll(/<figure>\n<h3>([^<]+)<\/h3>/g)].map((m) => m[1]);
  assert.deepEqual(titles, ["Fitted line", "Residuals", "Normal QQ plot"]);
  assert.ok(!h.includes("Variance components"));
  assert.deepEqual(networkReferences(h), []);
});

test("crossed random effects (Penicillin): ICC per factor, no x figures; sleepstudy with a slope", () => {
  const pen = loadBundled("Penicillin");
  const h = reportHtml(fitLmm("diameter ~ 1 + (1 | plate) + (1 | sample)", pen), pen);
  assert.match(h, /<tr><td>plate<\/td><td>0\.\d+<\/td><\/tr>/);
  assert.match(h, /<tr><td>sample<\/td><td>0\.\d+<\/td><\/tr>/);
  assert.match(h, /<tr><td>all random effects<\/td><td>0\.9363<\/td><\/tr>/);
  const titles = [...h.matchAll(/<figure>\n<h3>([^<]+)<\/h3>/g)].map((m) => m[1]);
  assert.ok(!titles.includes("Trajectories"));
  assert.deepEqual(networkReferences(h), []);
});

test("a singular fit is flagged in the diagnostics", () => {
  const d = loadBundled("Dyestuff2");
  const h = reportHtml(fitLmm("Yield ~ 1 + (1 | Batch)", d), d, { figures: false });
  assert.match(h, /<td>Singular fit<\/td><td>yes/);
  assert.match(h, /Check the diagnostics below\./);
  assert.match(h, /<code>boundary_fit<\/code>/);
});

test("posterior draws add a Bayesian section with trace, rank and density figures", () => {
  const n = 60;
  let s = 7;
  const rnd = () => {
    s = (s * 16807) % 2147483647;
    return s / 2147483647;
  };
  const chain = () => [Float64Array.from({ length: n }, rnd), Float64Array.from({ length: n }, rnd)];
  const h = reportHtml(coffeeFit, coffee, {
    figures: true,
    posterior: {
      draws: { variables: ["b_x", "sigma"], chains: [chain(), chain()] },
      summary: "posterior summary",
    },
  });
  assert.match(h, /<section id="posterior">/);
  const titles = [...h.matchAll(/<figure>\n<h3>([^<]+)<\/h3>/g)].map((m) => m[1]);
  assert.deepEqual(titles.slice(-3), ["Trace plots", "Rank plots", "Posterior densities"]);
  assert.match(h, /<pre>posterior summary<\/pre>/);
});
