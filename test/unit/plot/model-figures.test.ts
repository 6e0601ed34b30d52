/**
 * The model figures (caterpillar, residuals, QQ, shrinkage): SVG snapshots on the bundled data, the
 * numbers they draw (intervals from condVar, OLS vs conditional estimates), and degenerate models
 * (singular fit, 1,000 groups, a group too small for its own OLS fit, missing values).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { ColumnTable } from "../../../src/data/column-table.ts";
import { MixedError } from "../../../src/errors.ts";
import { fitLmm } from "../../../src/lmm/fit-lmm.ts";
import { caterpillarSpecs } from "../../../src/plot/caterpillar.ts";
import { caterpillar, qqPlot, residualPlot, shrinkage, shrinkageData } from "../../../src/plot/index.ts";
import { runningMean } from "../../../src/plot/residual-plot.ts";
import { rng } from "../../helpers/dense-reference.ts";
import { expectClose } from "../../helpers/expect-close.ts";
import { loadBundled } from "../../helpers/load-bundled.ts";
import { assertSvgSnapshot } from "../../helpers/svg-snapshot.ts";

const sleep = loadBundled("sleepstudy");
const mSleep = fitLmm("Reaction ~ Days + (Days | Subject)", sleep);
const penicillin = loadBundled("Penicillin");
const mPen = fitLmm("diameter ~ 1 + (1 | plate) + (1 | sample)", penicillin);
const dyestuff = loadBundled("Dyestuff");
const mDye = fitLmm("Yield ~ 1 + (1 | Batch)", dyestuff);
const coffee = loadBundled("coffee");
const mCoffee = fitLmm("y ~ x + (x | group)", coffee);

function code(e: unknown): string {
  return e instanceof MixedError ? e.code : String(e);
}

function count(svg: string, re: RegExp): number {
  return (svg.match(re) ?? []).length;
}

test("caterpillar: sleepstudy (Days | Subject), two panels, 18 levels each", () => {
  const svg = caterpillar(mSleep);
  assert.match(svg, /Conditional modes of the random effects with 95% intervals/);
  assert.match(svg, />Subject: Days</);
  assert.equal(count(svg, /<circle/g), 36);
  assertSvgSnapshot("caterpillar-sleepstudy", svg);
});

test("caterpillar: Penicillin crossed plate and sample, one row of panels per factor", () => {
  const svg = caterpillar(mPen, { width: 700 });
  assert.match(svg, /width="700"/);
  assert.match(svg, />plate: \(Intercept\)</);
  assert.match(svg, />sample: \(Intercept\)</);
  assert.equal(count(svg, /<circle/g), 24 + 6);
  assertSvgSnapshot("caterpillar-penicillin", svg);
});

test("caterpillar: intervals are mode ± 1.96 condSD, sorted by the first term", () => {
  const [[intercept, days]] = caterpillarSpecs(mSleep);
  // biome-ignore lint/suspicious/noExplicitAny: Plot marks carry their data
  const rows = (days.plot.marks as any[])[1].data as {
    level: string;
    value: number;
    lo: number;
    hi: number;
  }[];
  const r = mSleep.ranef.Subject;
  const z = 1.959963984540054;
  for (const row of rows) {
    const l = r.levels.indexOf(row.level);
    expectClose(
      [row.lo, row.hi],
      [r.values[l][1] - z * r.condSD![l][1], r.values[l][1] + z * r.condSD![l][1]],
      {
        rtol: 1e-12,
      },
    );
  }
  // biome-ignore lint/suspicious/noExplicitAny: Plot options
  const domain = (intercept.plot.y as any).domain as string[];
  const modes = domain.map((lv) => r.values[r.levels.indexOf(lv)][0]);
  assert.deepEqual(
    modes,
    [...modes].sort((a, b) => b - a),
    "largest intercept at the top",
  );
  assert.throws(
    () => caterpillar(mSleep, { factors: ["Days"] }),
    (e) => code(e) === "E_PLOT_BAD_OPTION",
  );
  assert.throws(
    () => caterpillar(mSleep, { level: 1.5 }),
    (e) => code(e) === "E_PLOT_BAD_OPTION",
  );
});

test("caterpillar: a singular fit (Dyestuff2, θ = 0) draws zero-width intervals", () => {
  const m = fitLmm("Yield ~ 1 + (1 | Batch)", loadBundled("Dyestuff2"));
  assert.ok(m.isSingular);
  const svg = caterpillar(m);
  assert.equal(count(svg, /<circle/g), 6);
});

test("caterpillar: 1,000 groups render without level labels, with a note", () => {
  const r = rng(8);
  const n = 3000;
  const codes = Int32Array.from({ length: n }, (_, i) => i % 1000);
  const b = Float64Array.from({ length: 1000 }, () => r() - 0.5);
  const y = Float64Array.from({ length: n }, (_, i) => 1 + b[codes[i]] + 0.5 * (r() - 0.5));
  const data = new ColumnTable("big", [
    { kind: "numeric", name: "y", values: y, integer: false },
    {
      kind: "factor",
      name: "g",
      codes,
      levels: Array.from({ length: 1000 }, (_, i) => `g${i}`),
      ordered: false,
      contrasts: null,
    },
  ]);
  const m = fitLmm("y ~ 1 + (1 | g)", data);
  const svg = caterpillar(m);
  assert.equal(count(svg, /<circle/g), 1000);
  assert.match(svg, /level labels omitted \(more than 60 levels\)/);
  assert.doesNotMatch(svg, />g999</);
  assert.match(qqPlot(m), /<svg/);
});

test("residualPlot: residuals vs fitted and scale–location for sleepstudy", () => {
  const svg = residualPlot(mSleep);
  assert.match(svg, />Residuals vs fitted</);
  assert.match(svg, />Scale–location</);
  assert.equal(count(svg, /<circle/g), 2 * 180 + 1, "two panels of points and the legend dot");
  assertSvgSnapshot("residuals-sleepstudy", svg);
  const one = residualPlot(mSleep, { panels: ["scale-location"], width: 500, height: 400 });
  assert.doesNotMatch(one, />Residuals vs fitted</);
  assert.throws(
    // biome-ignore lint/suspicious/noExplicitAny: a bad panel name from untyped callers
    () => residualPlot(mSleep, { panels: ["bogus" as any] }),
    (e) => code(e) === "E_PLOT_BAD_OPTION",
  );
});

test("runningMean: centred window means over x-sorted points", () => {
  const x = [5, 4, 3, 2, 1, 0, 6, 7, 8, 9];
  const y = x.map((v) => 2 * v);
  const s = runningMean(x, y);
  assert.equal(s[0].x, 0);
  // window of 2 either side: points 0..2 at the left end → mean of 0, 2, 4
  expectClose(s[0].y, 2, { rtol: 1e-15 });
  expectClose(s[5].y, 10, { rtol: 1e-15 });
  assert.deepEqual(runningMean([1, 2], [1, 2]), []);
});

test("qqPlot: residuals and each random-effect term", () => {
  const svg = qqPlot(mSleep);
  assert.match(svg, />Residuals</);
  assert.match(svg, />Subject: \(Intercept\)</);
  assert.match(svg, />Subject: Days</);
  assert.equal(count(svg, /<circle/g), 180 + 18 + 18);
  assertSvgSnapshot("qq-sleepstudy", svg);
  const pen = qqPlot(mPen, { residuals: false });
  assert.equal(count(pen, /<circle/g), 24 + 6);
  assert.throws(
    () => qqPlot(mPen, { residuals: false, randomEffects: false }),
    (e) => code(e) === "E_PLOT_BAD_OPTION",
  );
});

test("shrinkage: sleepstudy OLS (lmList) → conditional (coef) for intercept and slope", () => {
  const d = shrinkageData(mSleep, sleep);
  assert.deepEqual(d.terms, ["(Intercept)", "Days"]);
  expectClose(d.population, mSleep.beta, { rtol: 0 });
  expectClose(d.conditional, mSleep.coef.Subject.values, { rtol: 1e-14 });
  // subject 308 (lmList: 244.19, 21.76)
  expectClose(d.ols[d.levels.indexOf("308")], [244.19266909090925, 21.76470242424241], { rtol: 1e-10 });
  // shrinkage: conditional slopes are closer to the population slope than the OLS slopes
  const spread = (k: number, v: readonly (readonly number[])[]) =>
    v.reduce((s, r) => s + (r[k] - d.population[k]) ** 2, 0);
  assert.ok(spread(1, d.conditional) < spread(1, d.ols));
  const svg = shrinkage(mSleep, sleep);
  assert.match(svg, /Subject alone \(OLS\)/);
  assert.equal(count(svg, /<circle/g), 18 + 18 + 3, "OLS, conditional, legend");
  assertSvgSnapshot("shrinkage-sleepstudy", svg);
});

test("shrinkage: one term (Dyestuff) is one row per batch; coffee's 100 groups", () => {
  const svg = shrinkage(mDye, dyestuff);
  assert.match(svg, />Batch</);
  assertSvgSnapshot("shrinkage-dyestuff", svg);
  assert.match(shrinkage(mCoffee, coffee), /<svg/);
  assert.throws(
    () => shrinkage(mPen, penicillin, { factor: "nope" }),
    (e) => code(e) === "E_PLOT_BAD_OPTION",
  );
  assert.match(shrinkage(mPen, penicillin, { factor: "sample" }), />sample</);
});

test("shrinkage: a group with one row has no OLS point and is noted; missing values are dropped", () => {
  const r = rng(3);
  const g: number[] = [];
  const x: number[] = [];
  const y: number[] = [];
  for (let k = 0; k < 6; k++)
    for (let i = 0; i < (k === 5 ? 1 : 8); i++) {
      g.push(k);
      x.push(i);
      y.push(k + 0.5 * i + r() - 0.5);
    }
  y[3] = Number.NaN;
  const data = new ColumnTable("sim", [
    { kind: "numeric", name: "y", values: Float64Array.from(y), integer: false },
    { kind: "numeric", name: "x", values: Float64Array.from(x), integer: false },
    {
      kind: "factor",
      name: "g",
      codes: Int32Array.from(g),
      levels: ["a", "b", "c", "d", "e", "f"],
      ordered: false,
      contrasts: null,
    },
  ]);
  const m = fitLmm("y ~ x + (x | g)", data);
  assert.equal(m.nobs, 40);
  const svg = shrinkage(m, data);
  assert.match(svg, /1 of 6 groups have too few observations/);
  assert.equal(count(svg, /<circle/g), 5 + 6 + 3);
});
