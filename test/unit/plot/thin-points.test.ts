/**
 * Thinning of large scatters (src/plot/thin-points.ts): small data untouched, the dense middle
 * capped per grid cell, sparse points (tails, outliers) all kept, deterministic; the residual and
 * QQ figures of a model with 20,000 rows draw a fraction of the points and say so, with the
 * running mean and the QQ line from every point.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { Column, FactorColumn, NumericColumn } from "../../../src/data/column.ts";
import { ColumnTable } from "../../../src/data/column-table.ts";
import { fitLmm } from "../../../src/lmm/fit-lmm.ts";
import { qqPlot, residualPlot } from "../../../src/plot/index.ts";
import { qqData } from "../../../src/plot/qq-points.ts";
import { qqSpec } from "../../../src/plot/qq-plot.ts";
import { residualsFittedSpec } from "../../../src/plot/residual-plot.ts";
import {
  DENSITY_SHADES,
  densityCells,
  densityNote,
  THIN_ABOVE,
  thinNote,
  thinPoints,
} from "../../../src/plot/thin-points.ts";
import { rng } from "../../helpers/dense-reference.ts";

/** Standard normal draws by Box–Muller from the seeded generator. */
function normals(n: number, seed: number): number[] {
  const u = rng(seed);
  return Array.from({ length: n }, () => Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u()));
}

function count(svg: string, re: RegExp): number {
  return (svg.match(re) ?? []).length;
}

test("thinPoints keeps every point up to the threshold", () => {
  const pts = normals(THIN_ABOVE, 1).map((y, i) => ({ x: i, y }));
  const t = thinPoints(
    pts,
    (p) => p.x,
    (p) => p.y,
  );
  assert.equal(t.points.length, THIN_ABOVE);
  assert.equal(thinNote(t), undefined);
});

test("thinPoints caps dense cells, keeps sparse points, and is deterministic", () => {
  const xs = normals(50_000, 2);
  const ys = normals(50_000, 3);
  const pts = xs.map((x, i) => ({ x, y: ys[i], i }));
  const opts = { nx: 100, ny: 80, perCell: 3 };
  const t = thinPoints(
    pts,
    (p) => p.x,
    (p) => p.y,
    opts,
  );
  assert.equal(t.total, 50_000);
  assert.ok(t.points.length < 100 * 80 * 3 && t.points.length < 15_000, `${t.points.length} kept`);
  // input order is kept
  assert.ok(t.points.every((p, k) => k === 0 || p.i > t.points[k - 1].i));
  // every point outside |y| < 3.3 is kept (the tails are sparse)
  const tail = pts.filter((p) => Math.abs(p.y) > 3.3 || Math.abs(p.x) > 3.3);
  const kept = new Set(t.points.map((p) => p.i));
  assert.ok(tail.length > 20);
  assert.ok(tail.every((p) => kept.has(p.i)));
  // the extremes in particular
  for (const pick of [(p: { y: number }) => p.y, (p: { y: number }) => -p.y]) {
    const best = pts.reduce((a, b) => (pick(b) > pick(a) ? b : a));
    assert.ok(kept.has(best.i));
  }
  const again = thinPoints(
    pts,
    (p) => p.x,
    (p) => p.y,
    opts,
  );
  assert.deepEqual(
    again.points.map((p) => p.i),
    t.points.map((p) => p.i),
  );
  assert.match(thinNote(t) ?? "", /^50,000 points, [\d,]+ drawn \(every tail point kept\)$/);
});

function bigData(n: number): ColumnTable {
  const e = normals(n, 5);
  const b = normals(200, 6);
  const u = rng(7);
  const g: number[] = [];
  const x: number[] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const j = i % 200;
    const xi = 10 * u();
    g.push(j);
    x.push(xi);
    y.push(2 + 0.5 * xi + b[j] + e[i]);
  }
  const levels = Array.from({ length: 200 }, (_, j) => `g${j + 1}`);
  const cols: Column[] = [
    {
      kind: "factor",
      name: "g",
      codes: Int32Array.from(g),
      levels,
      ordered: false,
      contrasts: null,
    } as FactorColumn,
    { kind: "numeric", name: "x", values: Float64Array.from(x), integer: false } as NumericColumn,
    { kind: "numeric", name: "y", values: Float64Array.from(y), integer: false } as NumericColumn,
  ];
  return new ColumnTable("big", cols);
}

test("densityCells: dense cells shaded, sparse points kept, every point accounted for", () => {
  const xs = normals(30_000, 8);
  const ys = normals(30_000, 9);
  const pts = xs.map((x, i) => ({ x, y: ys[i] }));
  const t = densityCells(
    pts,
    (p) => p.x,
    (p) => p.y,
  );
  assert.equal(t.cells.reduce((a, c) => a + c.count, 0) + t.points.length, 30_000);
  assert.ok(t.cells.length > 100 && t.cells.length <= 72 * 56);
  assert.ok(t.points.length < 3000, `${t.points.length} sparse points`);
  assert.ok(t.cells.every((c) => c.count > 3 && c.shade >= 0 && c.shade < DENSITY_SHADES));
  assert.equal(Math.max(...t.cells.map((c) => c.shade)), DENSITY_SHADES - 1);
  // the extremes stay points
  const top = pts.reduce((a, b) => (b.y > a.y ? b : a));
  assert.ok(t.points.includes(top));
  assert.match(densityNote(t) ?? "", /^30,000 points: dense cells shaded \(darker = more\)$/);
  const small = densityCells(
    pts.slice(0, 100),
    (p) => p.x,
    (p) => p.y,
  );
  assert.equal(small.points.length, 100);
  assert.equal(densityNote(small), undefined);
});

test("residual and QQ figures of 20,000 rows draw density cells and a thinned QQ curve, and say so", () => {
  const fit = fitLmm("y ~ x + (1 | g)", bigData(20_000));
  const svg = residualPlot(fit);
  const circles = count(svg, /<circle/g);
  assert.ok(circles < 2 * 3000, `${circles} circles`);
  assert.ok(svg.length < 600_000, `${svg.length} characters`);
  assert.match(svg, /20,000 points: dense cells shaded/);
  // the running mean is computed from every point
  const spec = residualsFittedSpec(fit);
  // biome-ignore lint/suspicious/noExplicitAny: Plot marks carry their data
  const marks = spec.plot.marks as any[];
  const dots = marks.find((m) => m.ariaLabel === "dot");
  assert.ok(dots.data.length < 3000, "sparse dots");
  const line = marks.find((m) => m.ariaLabel === "line");
  assert.ok(line.data.length > 60, "running mean over all points (every 1/60)");
  // QQ: the curve is traced by a few hundred points, the extremes all kept, the line from all values
  const q = qqSpec(fit.scaledResiduals, "Residuals", "standardised residuals");
  // biome-ignore lint/suspicious/noExplicitAny: Plot marks carry their data
  const dotsQq = (q.plot.marks as any[])[1].data as { theoretical: number; sample: number }[];
  assert.ok(dotsQq.length < 2500, `${dotsQq.length} QQ points`);
  const all = qqData(fit.scaledResiduals).points;
  for (const k of [0, 1, 2, all.length - 3, all.length - 2, all.length - 1])
    assert.ok(
      dotsQq.some((d) => d.sample === all[k].sample),
      `extreme ${k} kept`,
    );
  assert.match(q.note ?? "", /^20,000 points/);
  const qq = qqPlot(fit);
  assert.ok(count(qq, /<circle/g) < 3000);
});
