/**
 * Diagnostic figures of generalized models (GLMMs by fitGlmm, GLMs by fitGlm): the numbers they draw
 * against R (test/reference/plots/glmm_residuals.json, written by scripts/fixtures/glmm-plots.R:
 * glmer/glm residuals of each type, ranef(m, condVar = TRUE), arm::binned.resids, per-herd glm
 * fits), SVG snapshots, and bad options.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import type { ColumnTable } from "../../../src/data/column-table.ts";
import { parseCsv } from "../../../src/data/parse-csv.ts";
import { parseSchema } from "../../../src/data/schema.ts";
import { MixedError } from "../../../src/errors.ts";
import { fitGlm } from "../../../src/glm/fit-glm.ts";
import { fitGlmm } from "../../../src/glmm/fit-glmm.ts";
import { fitLmm } from "../../../src/lmm/fit-lmm.ts";
import { binnedResiduals, defaultBinCount } from "../../../src/plot/binned-residuals.ts";
import { caterpillarSpecs } from "../../../src/plot/caterpillar.ts";
import { diagnosticResiduals } from "../../../src/plot/diagnostic-residuals.ts";
import { fittedCurves } from "../../../src/plot/fitted-curves.ts";
import { caterpillar, qqPlot, residualPlot, shrinkage, shrinkageData } from "../../../src/plot/index.ts";
import { expectClose } from "../../helpers/expect-close.ts";
import { loadBundled } from "../../helpers/load-bundled.ts";
import { assertSvgSnapshot } from "../../helpers/svg-snapshot.ts";

const ref = JSON.parse(readFileSync("test/reference/plots/glmm_residuals.json", "utf8"));

function load(dir: string, name: string): ColumnTable {
  const schema = parseSchema(readFileSync(`${dir}/${name}.meta.json`, "utf8"), `${name}.meta.json`);
  return parseCsv(readFileSync(`${dir}/${name}.csv`, "utf8"), { name, schema });
}

const cbpp = loadBundled("cbpp");
const bern = load("test/reference/plots", "cbpp_bernoulli");
const ticks = load("test/reference/glmm", "grouseticks");
const mCbpp = fitGlmm(ref.cbpp_laplace.formula, cbpp, { family: "binomial" });
const mBern = fitGlmm(ref.cbpp_bernoulli.formula, bern, { family: "binomial" });
const mTicks = fitGlmm(ref.grouseticks.formula, ticks, { family: "poisson" });
const gCbpp = fitGlm(ref.cbpp_glm.formula, cbpp, { family: "binomial" });
const gBern = fitGlm(ref.cbpp_bernoulli_glm.formula, bern, { family: "binomial" });

// GLMM estimates agree with glmer's to about 1e-5 (different optimisers): residuals, modes and
// conditional SDs within 1e-4 absolute; GLM fits agree to rounding.
const GLMM_ATOL = 1e-4;

function code(e: unknown): string {
  return e instanceof MixedError ? e.code : String(e);
}

function count(svg: string, re: RegExp): number {
  return (svg.match(re) ?? []).length;
}

test("GLMM residuals by type match glmer's residuals(m, type) and predict(m)", () => {
  for (const [fit, r] of [
    [mCbpp, ref.cbpp_laplace],
    [mBern, ref.cbpp_bernoulli],
    [mTicks, ref.grouseticks],
  ] as const) {
    const p = diagnosticResiduals(fit);
    const d = diagnosticResiduals(fit, "deviance");
    expectClose(p.r, r.pearson, { atol: GLMM_ATOL, label: `${r.formula}: Pearson` });
    expectClose(d.r, r.deviance, { atol: GLMM_ATOL, label: `${r.formula}: deviance` });
    expectClose(p.x, r.linpred, { atol: GLMM_ATOL, label: `${r.formula}: linear predictor` });
    expectClose(p.response, r.response, { atol: GLMM_ATOL, label: `${r.formula}: response` });
    expectClose(p.mu, r.fitted, { atol: GLMM_ATOL, label: `${r.formula}: fitted` });
    assert.equal(p.generalized, true);
  }
  assert.equal(diagnosticResiduals(mBern).bernoulli, true);
  assert.equal(diagnosticResiduals(mCbpp).bernoulli, false, "binomial with trials");
  assert.equal(diagnosticResiduals(mTicks).bernoulli, false);
  assert.match(diagnosticResiduals(mCbpp).xLabel, /linear predictor \(logit scale\)/);
});

test("GLM residuals by type match R's glm to rounding", () => {
  for (const [fit, r] of [
    [gCbpp, ref.cbpp_glm],
    [gBern, ref.cbpp_bernoulli_glm],
  ] as const) {
    expectClose(diagnosticResiduals(fit).r, r.pearson, { atol: 1e-10, label: "Pearson" });
    expectClose(diagnosticResiduals(fit, "deviance").r, r.deviance, { atol: 1e-10, label: "deviance" });
    expectClose(diagnosticResiduals(fit).x, r.linpred, { atol: 1e-10, label: "linear predictor" });
  }
});

test("binned residuals reproduce arm::binned.resids (bins, means, ±2 SE), ties included", () => {
  for (const r of [ref.cbpp_bernoulli_glm, ref.cbpp_bernoulli]) {
    const b = r.binned;
    assert.equal(defaultBinCount(r.fitted.length), b.nclass);
    // on R's own fitted values and residuals: the same algorithm, to rounding
    const bins = binnedResiduals(r.fitted, r.response, b.nclass);
    assert.equal(bins.length, b.xbar.length);
    expectClose(
      bins.map((x) => x.n),
      b.n,
      { atol: 0, label: "bin counts" },
    );
    expectClose(
      bins.map((x) => x.xbar),
      b.xbar,
      { atol: 1e-12, label: "xbar" },
    );
    expectClose(
      bins.map((x) => x.ybar),
      b.ybar,
      { atol: 1e-12, label: "ybar" },
    );
    expectClose(
      bins.map((x) => x.twoSe),
      b.two_se,
      { atol: 1e-12, label: "2se" },
    );
    expectClose(
      bins.flatMap((x) => [x.xlo, x.xhi]),
      b.x_lo.flatMap((lo: number, i: number) => [lo, b.x_hi[i]]),
      { atol: 1e-12, label: "ranges" },
    );
  }
  // our GLM's fitted values are R's to rounding: same bins
  const ours = binnedResiduals(gBern.fitted, gBern.residuals.response, ref.cbpp_bernoulli_glm.binned.nclass);
  expectClose(
    ours.map((x) => x.ybar),
    ref.cbpp_bernoulli_glm.binned.ybar,
    { atol: 1e-10 },
  );
  assert.deepEqual(defaultBinCount(5), 2);
  assert.deepEqual(defaultBinCount(50), 10);
  assert.deepEqual(binnedResiduals([], []), []);
});

test("caterpillar of a GLMM: glmer's modes and condVar SDs, intervals mode ± 1.96 condSD", () => {
  for (const [fit, r] of [
    [mCbpp, ref.cbpp_laplace],
    [mTicks, ref.grouseticks],
  ] as const) {
    for (const f of r.ranef) {
      const ours = fit.ranef[f.factor];
      assert.deepEqual(ours.levels, f.levels);
      expectClose(ours.values.flat(), f.values.flat(), { atol: GLMM_ATOL, label: `${f.factor} modes` });
      expectClose(ours.condSD!.flat(), f.condsd.flat(), { atol: GLMM_ATOL, label: `${f.factor} condsd` });
    }
  }
  const [[spec]] = caterpillarSpecs(mCbpp);
  // biome-ignore lint/suspicious/noExplicitAny: Plot marks carry their data
  const rows = (spec.plot.marks as any[])[1].data as {
    level: string;
    value: number;
    lo: number;
    hi: number;
  }[];
  const r = mCbpp.ranef.herd;
  for (const row of rows) {
    const l = r.levels.indexOf(row.level);
    expectClose(
      [row.lo, row.hi],
      [
        r.values[l][0] - 1.959963984540054 * r.condSD![l][0],
        r.values[l][0] + 1.959963984540054 * r.condSD![l][0],
      ],
      { rtol: 1e-12 },
    );
  }
  const svg = caterpillar(mCbpp);
  assert.match(svg, /Conditional modes of the random effects with 95% intervals/);
  assert.equal(count(svg, /<circle/g), 15);
  assertSvgSnapshot("caterpillar-cbpp-glmm", svg);
});

test("shrinkage of a GLMM: each herd's own glm (period effects as offset) matches R; snapshot", () => {
  const d = shrinkageData(mCbpp, cbpp);
  expectClose(
    d.ols.map((v) => v[0]),
    ref.cbpp_laplace.group_glm,
    { atol: GLMM_ATOL, label: "per-herd glm" },
  );
  assert.equal(d.method, "GLM");
  expectClose(
    d.conditional.map((v) => v[0]),
    ref.cbpp_laplace.coef,
    { atol: GLMM_ATOL, label: "coef(m)$herd" },
  );
  const svg = shrinkage(mCbpp, cbpp);
  assert.match(svg, />herd alone \(GLM\)</);
  assert.match(svg, /estimates on the logit scale/);
  assertSvgSnapshot("shrinkage-cbpp-glmm", svg);
});

test("residual plot of a GLMM: Pearson residuals vs the linear predictor (default), deviance on request", () => {
  const svg = residualPlot(mCbpp);
  assert.match(svg, />Pearson residuals vs linear predictor</);
  assert.match(svg, />linear predictor \(logit scale\)</);
  assert.match(svg, />binomial family, logit link: Pearson residuals</);
  assert.equal(count(svg, /<circle/g), 2 * 56 + 1, "56 points per panel and the legend's dot");
  assertSvgSnapshot("residuals-cbpp-glmm", svg);
  const dev = residualPlot(mTicks, { residualType: "deviance" });
  assert.match(dev, />Deviance residuals vs linear predictor</);
  assert.match(dev, />linear predictor \(log scale\)</);
  assertSvgSnapshot("residuals-grouseticks-deviance", dev);
});

test("residual plot of a Bernoulli GLMM is the binned residual plot", () => {
  const svg = residualPlot(mBern);
  assert.match(svg, />Binned residuals</);
  assert.match(svg, />29 bins of about 29 observations</);
  assert.match(svg, />±2 SE</);
  assertSvgSnapshot("residuals-cbpp-bernoulli-binned", svg);
  // the raw panels are still available on request
  assert.match(residualPlot(mBern, { panels: ["fitted"] }), />Pearson residuals vs linear predictor</);
});

test("residual and QQ plots of a GLM", () => {
  const svg = residualPlot(gCbpp, { residualType: "deviance" });
  assert.match(svg, />Deviance residuals vs linear predictor</);
  assertSvgSnapshot("residuals-cbpp-glm", svg);
  const qq = qqPlot(gCbpp);
  assert.match(qq, />Residuals</);
  assert.match(qq, />Pearson residuals</);
  assert.match(residualPlot(gBern), />Binned residuals</);
});

test("QQ plot of a GLMM: the conditional modes only, residuals on request", () => {
  const svg = qqPlot(mTicks);
  assert.match(svg, />BROOD: \(Intercept\)</);
  assert.match(svg, />LOCATION: \(Intercept\)</);
  assert.doesNotMatch(svg, />Residuals</);
  assert.equal(count(svg, /<circle/g), 118 + 63);
  assertSvgSnapshot("qq-grouseticks-glmm", svg);
  assert.match(qqPlot(mTicks, { residuals: true, residualType: "deviance" }), />deviance residuals</);
});

test("fitted curves of a GLMM on the response scale: per herd, the population curve, observed proportions", () => {
  const svg = fittedCurves(mCbpp, cbpp, { x: "period" });
  assert.match(svg, />Fitted probability by period, one curve per herd \(15\)</);
  assert.match(svg, />population \(random effects at 0\)</);
  assertSvgSnapshot("fitted-curves-cbpp", svg);
  // Bernoulli rows: per (herd, period) the observed proportion of the animals, the same curves
  const b = fittedCurves(mBern, bern, { x: "period" });
  assert.match(b, />Fitted probability by period/);
  // the population curve is plogis(β0 + β_period)
  const pop = [0, ...mCbpp.beta.slice(1)].map((v) => 1 / (1 + Math.exp(-(mCbpp.beta[0] + v))));
  assert.ok(pop.every((p) => p > 0 && p < 0.25));
  // a covariate beside x: no population curve, with a note
  assert.match(
    fittedCurves(mTicks, ticks, { x: "cHEIGHT", group: "LOCATION" }),
    /no population curve: the fixed effects vary with more than cHEIGHT/,
  );
});

test("bad options of the generalized figures raise typed errors", () => {
  const bad: [() => unknown, string][] = [
    // biome-ignore lint/suspicious/noExplicitAny: a wrong value on purpose
    [() => residualPlot(mCbpp, { residualType: "working" as any }), "E_PLOT_BAD_OPTION"],
    [
      () =>
        residualPlot(fitLmm("Reaction ~ Days + (1 | Subject)", loadBundled("sleepstudy")), {
          panels: ["binned"],
        }),
      "E_PLOT_BAD_OPTION",
    ],
    [() => fittedCurves(mCbpp, cbpp, { x: "period", group: "nope" }), "E_PLOT_BAD_OPTION"],
    [() => fittedCurves(mCbpp, cbpp, { x: "nope" }), "E_PLOT_UNKNOWN_COLUMN"],
    [() => fittedCurves(mCbpp, bern, { x: "period" }), "E_PLOT_BAD_MODEL"],
  ];
  for (const [f, c] of bad) assert.equal(code(tryCatch(f)), c);
});

function tryCatch(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  return "no error";
}
