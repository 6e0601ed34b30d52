/**
 * The data figures on the bundled datasets (SVG snapshots, test/snapshots/plot/), and the edge
 * cases: one group, 1,000 groups, missing values, bad columns.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { ColumnTable } from "../../../src/data/column-table.ts";
import type { Column, FactorColumn, NumericColumn } from "../../../src/data/column.ts";
import { fitLmm, MixedError, type Warning } from "../../../src/index.ts";
import { betweenWithinData } from "../../../src/plot/between-within.ts";
import { betweenWithin, facets, panel, pooled, trajectories } from "../../../src/plot/index.ts";
import { lmBand } from "../../../src/plot/pooled.ts";
import { fitLm } from "../../../src/lm/fit-lm.ts";
import { rng } from "../../helpers/dense-reference.ts";
import { loadBundled } from "../../helpers/load-bundled.ts";
import { assertSvgSnapshot } from "../../helpers/svg-snapshot.ts";

const gasoline = loadBundled("Gasoline");
const coffee = loadBundled("coffee");
const sleepstudy = loadBundled("sleepstudy");
const coffeeFit = fitLmm("y ~ x + (x | group)", coffee);
const sleepFit = fitLmm("Reaction ~ Days + (Days | Subject)", sleepstudy);

function code(e: unknown): string {
  return e instanceof MixedError ? e.code : String(e);
}

function size(svg: string): [number, number] {
  const m = /^<svg [^>]*width="(\d+)" height="(\d+)"/.exec(svg);
  assert.ok(m, "an <svg> with width and height");
  return [Number(m[1]), Number(m[2])];
}

function texts(svg: string): string[] {
  return [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
}

test("trajectories: Gasoline LCarPCap by Year per Country, highlighted countries and the population line", () => {
  const fit = fitLmm("LCarPCap ~ Year + (1 | Country)", gasoline);
  const svg = trajectories(gasoline, {
    x: "Year",
    y: "LCarPCap",
    group: "Country",
    highlight: ["JAPAN", "U.S.A.", "TURKEY"],
    population: fit,
  });
  assert.deepEqual(size(svg), [720, 440]);
  const t = texts(svg);
  for (const s of ["Year", "LCarPCap", "JAPAN", "population (fixed effects)", "1960", "1978"])
    assert.ok(t.includes(s), s);
  assertSvgSnapshot("gasoline-trajectories", svg);
});

test("trajectories: sleepstudy (18 subjects, one colour) at a chosen size and title", () => {
  const svg = trajectories(sleepstudy, {
    x: "Days",
    y: "Reaction",
    group: "Subject",
    width: 500,
    height: 320,
    title: "Reaction time by day",
    population: { intercept: 251.4, slope: 10.47 },
  });
  assert.deepEqual(size(svg), [500, 320]);
  assert.ok(texts(svg).includes("Reaction time by day"));
  assertSvgSnapshot("sleepstudy-trajectories", svg);
});

test("between-within: Gasoline LCarPCap against LIncomeP; slopes are the OLS slopes of means and deviations", () => {
  const d = betweenWithinData(gasoline, { x: "LIncomeP", y: "LCarPCap", group: "Country" });
  assert.equal(d.means.length, 18);
  assert.equal(d.deviations.length, 342);
  // the within slope is the fixed-effects (country dummies) slope of lm(LCarPCap ~ LIncomeP + Country)
  const fe = fitLm("LCarPCap ~ LIncomeP + Country", gasoline);
  assert.ok(Math.abs(d.within!.slope - fe.beta[1]) < 1e-10);
  const svg = betweenWithin(gasoline, { x: "LIncomeP", y: "LCarPCap", group: "Country" });
  assert.ok(
    texts(svg).some((s) => s.startsWith("Within Country") && s.includes(d.within!.slope.toPrecision(3))),
  );
  assertSvgSnapshot("gasoline-between-within", svg);
});

test("between-within: coffee y ~ x by group", () => {
  assertSvgSnapshot("coffee-between-within", betweenWithin(coffee, { x: "x", y: "y", group: "group" }));
});

test("facets: coffee, first page of 36 of 100 groups with own, conditional and population lines", () => {
  const warnings: Warning[] = [];
  const svg = facets(coffee, {
    x: "x",
    y: "y",
    group: "group",
    fit: coffeeFit,
    onWarning: (w) => warnings.push(w),
  });
  assert.deepEqual(
    warnings.map((w) => w.code),
    ["groups_omitted"],
  );
  const t = texts(svg);
  for (const s of ["own OLS line", "mixed model (fixef + ranef)", "population (fixed effects)", "1", "36"])
    assert.ok(t.includes(s), s);
  assert.ok(!t.includes("37"));
  assert.ok(t.some((s) => s.includes("groups 1–36 of 100 shown (page 1 of 3)")));
  assertSvgSnapshot("coffee-facets", svg);
});

test("facets: chosen groups, and a later page", () => {
  const svg = facets(coffee, { x: "x", y: "y", group: "group", fit: coffeeFit, groups: ["7", "42", "99"] });
  const t = texts(svg);
  assert.ok(t.includes("42") && t.includes("99") && !t.includes("1"));
  assertSvgSnapshot("coffee-facets-groups", svg);
  const p3 = texts(facets(coffee, { x: "x", y: "y", group: "group", page: 3 }));
  assert.ok(p3.includes("73") && p3.includes("100") && !p3.includes("72"));
  assert.throws(
    () => facets(coffee, { x: "x", y: "y", group: "group", page: 4 }),
    (e) => code(e) === "E_PLOT_BAD_OPTION",
  );
  assert.throws(
    () => facets(coffee, { x: "x", y: "y", group: "group", groups: ["7", "nope"] }),
    (e) => code(e) === "E_PLOT_BAD_OPTION" && /'nope'/.test((e as Error).message),
  );
});

test("facets: sleepstudy, all 18 subjects on one page", () => {
  const warnings: Warning[] = [];
  const svg = facets(sleepstudy, {
    x: "Days",
    y: "Reaction",
    group: "Subject",
    fit: sleepFit,
    onWarning: (w) => warnings.push(w),
  });
  assert.deepEqual(warnings, []);
  assertSvgSnapshot("sleepstudy-facets", svg);
});

test("pooled: coffee y ~ x with the lm line and its 95% band (R: predict(lm, interval = 'confidence'))", () => {
  const fit = fitLm("y ~ x", coffee);
  const band = lmBand(fit, 0, 1, 0.95, 2);
  // at x = 0 the band is beta0 ± t(0.975, 998) · se(beta0)
  const t = 1.962343846;
  assert.ok(Math.abs(band[0].upper - (fit.beta[0] + t * fit.se[0])) < 1e-6);
  assert.ok(Math.abs(band[0].lower - (fit.beta[0] - t * fit.se[0])) < 1e-6);
  const svg = pooled(coffee, { x: "x", y: "y" });
  assert.ok(texts(svg).includes("95% confidence band"));
  assertSvgSnapshot("coffee-pooled", svg);
});

test("panel: the Gasoline composite (trajectories on top, between and within below)", () => {
  const fit = fitLmm("LCarPCap ~ Year + (1 | Country)", gasoline);
  const svg = panel(gasoline, {
    x: "Year",
    y: "LCarPCap",
    group: "Country",
    covariate: "LIncomeP",
    highlight: ["JAPAN", "U.S.A."],
    population: fit,
  });
  assert.deepEqual(size(svg), [960, 820]);
  const ids = [...svg.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]);
  assert.equal(new Set(ids).size, ids.length, "ids unique across panels");
  assertSvgSnapshot("gasoline-panel", svg);
});

// ---- edge cases ----

function numeric(name: string, values: ArrayLike<number>): NumericColumn {
  return { kind: "numeric", name, values: Float64Array.from(values), integer: false };
}

function factor(name: string, codes: ArrayLike<number>, levels: string[]): FactorColumn {
  return { kind: "factor", name, codes: Int32Array.from(codes), levels, ordered: false, contrasts: null };
}

function synthetic(groups: number, perGroup: number, seed: number): ColumnTable {
  const u = rng(seed);
  const g: number[] = [];
  const x: number[] = [];
  const y: number[] = [];
  for (let j = 0; j < groups; j++) {
    const a = 10 * (u() - 0.5);
    const b = 1 + (u() - 0.5);
    for (let t = 0; t < perGroup; t++) {
      g.push(j);
      x.push(t);
      y.push(a + b * t + (u() - 0.5));
    }
  }
  const levels = Array.from({ length: groups }, (_, j) => `g${j + 1}`);
  return new ColumnTable("synthetic", [factor("g", g, levels), numeric("x", x), numeric("y", y)] as Column[]);
}

test("one group: every figure renders", () => {
  const d = synthetic(1, 8, 7);
  const opts = { x: "x", y: "y", group: "g" };
  assertSvgSnapshot("one-group-trajectories", trajectories(d, opts));
  const bw = betweenWithin(d, opts);
  assert.ok(texts(bw).some((s) => s.includes("means (1), no slope")));
  assertSvgSnapshot("one-group-facets", facets(d, { ...opts, population: { intercept: 0, slope: 1 } }));
  assert.ok(pooled(d, opts).startsWith("<svg"));
  assert.ok(panel(d, opts).startsWith("<svg"));
});

test("1,000 groups: trajectories in one colour; facets page 36 panels with a warning", () => {
  const d = synthetic(1000, 5, 11);
  const opts = { x: "x", y: "y", group: "g" };
  const tr = trajectories(d, { ...opts, highlight: ["g500"] });
  assert.ok(texts(tr).includes("g500"));
  assert.ok(tr.length < 2_000_000, `${tr.length} bytes`);
  const warnings: Warning[] = [];
  const f = facets(d, { ...opts, onWarning: (w) => warnings.push(w) });
  assert.ok(texts(f).includes("g36") && !texts(f).includes("g37"));
  assert.match(warnings[0].message, /groups 1–36 of 1000 shown \(page 1 of 28\)/);
  assert.ok(betweenWithin(d, opts).startsWith("<svg"));
  assert.ok(panel(d, opts).startsWith("<svg"));
});

test("missing values: incomplete rows dropped, counted in a note and a rows_dropped warning", () => {
  const xs = Float64Array.from((coffee.require("x") as NumericColumn).values);
  const ys = Float64Array.from((coffee.require("y") as NumericColumn).values);
  const gc = coffee.require("group") as FactorColumn;
  const codes = Int32Array.from(gc.codes);
  for (let i = 0; i < 1000; i += 50) xs[i] = Number.NaN; // 20 rows
  for (let i = 7; i < 1000; i += 100) ys[i] = Number.NaN; // 10 rows
  codes[3] = -1;
  const d = new ColumnTable("coffee_na", [
    factor("group", codes, [...gc.levels]),
    numeric("x", xs),
    numeric("y", ys),
  ]);
  const opts = { x: "x", y: "y", group: "group" };
  for (const fig of [trajectories, betweenWithin, facets, pooled, panel] as const) {
    const warnings: Warning[] = [];
    const svg = fig(d, { ...opts, onWarning: (w) => warnings.push(w) });
    assert.ok(
      texts(svg).some((s) => s.includes("31 of 1000 rows with missing or non-finite values dropped")),
      fig.name,
    );
    assert.ok(
      warnings.some((w) => w.code === "rows_dropped"),
      fig.name,
    );
  }
  assertSvgSnapshot("coffee-missing-pooled", pooled(d, opts));
});

test("bad columns are typed errors in every figure", () => {
  const figs = [trajectories, betweenWithin, facets, pooled, panel] as const;
  for (const fig of figs) {
    assert.throws(
      () => fig(coffee, { x: "X", y: "y", group: "group" }),
      (e) => code(e) === "E_PLOT_UNKNOWN_COLUMN",
      fig.name,
    );
    assert.throws(
      () => fig(coffee, { x: "group", y: "y", group: "group" }),
      (e) => code(e) === "E_PLOT_NON_NUMERIC",
      fig.name,
    );
    assert.throws(
      () => fig(coffee, { x: "x", y: "y", group: "group", width: 10 }),
      (e) => code(e) === "E_PLOT_BAD_SIZE",
      fig.name,
    );
  }
  for (const fig of [trajectories, betweenWithin, facets, panel] as const)
    assert.throws(
      () => fig(coffee, { x: "x", y: "y", group: "grp" }),
      (e) => code(e) === "E_PLOT_UNKNOWN_COLUMN",
      fig.name,
    );
  const empty = new ColumnTable("empty", [
    factor("g", [0, 0], ["a"]),
    numeric("x", [1, Number.NaN]),
    numeric("y", [Number.NaN, 2]),
  ]);
  for (const fig of figs)
    assert.throws(
      () => fig(empty, { x: "x", y: "y", group: "g" }),
      (e) => code(e) === "E_PLOT_NO_COMPLETE_ROWS",
      fig.name,
    );
  assert.throws(
    () =>
      trajectories(gasoline, {
        x: "Year",
        y: "LCarPCap",
        group: "Country",
        population: fitLmm("LCarPCap ~ Year + LIncomeP + (1 | Country)", gasoline),
      }),
    (e) => code(e) === "E_PLOT_BAD_MODEL",
  );
  assert.throws(
    () => facets(coffee, { x: "x", y: "y", group: "b0", fit: coffeeFit }),
    (e) => code(e) === "E_PLOT_BAD_MODEL",
  );
});
