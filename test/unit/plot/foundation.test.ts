/** The plotting foundation: renderer, composite layout, ids, column access and its typed errors. */
import assert from "node:assert/strict";
import { test } from "node:test";
import * as Plot from "@observablehq/plot";
import type { ColumnTable } from "../../../src/data/column-table.ts";
import { parseCsv } from "../../../src/data/parse-csv.ts";
import { MixedError } from "../../../src/errors.ts";
import { olsLine, populationLine } from "../../../src/plot/fit-lines.ts";
import { composePanels, OKABE_ITO, PlotError, renderSvg } from "../../../src/plot/index.ts";
import { completeRows } from "../../../src/plot/plot-data.ts";
import { nestSvg, roundCoordinates, stableIds } from "../../../src/plot/svg-markup.ts";
import { normalizeSvg } from "../../helpers/svg-snapshot.ts";

const pts = [
  { x: 1, y: 2 },
  { x: 2, y: 3.5 },
  { x: 3, y: 3 },
];
const spec = {
  title: "A & B <test>",
  legend: [{ label: "points", color: OKABE_ITO[0], kind: "dot" as const }],
  plot: { marks: [Plot.dot(pts, { x: "x", y: "y" }), Plot.lineY([1, 2, 3])], clip: true },
};

function code(e: unknown): string {
  return e instanceof MixedError ? e.code : String(e);
}

test("renderSvg: one standalone SVG of the requested size, real text, escaped title", () => {
  const svg = renderSvg({ ...spec, width: 300, height: 200 });
  assert.match(
    svg,
    /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="300" height="200" viewBox="0 0 300 200"/,
  );
  assert.match(svg, /<text[^>]*>A &amp; B &lt;test&gt;<\/text>/);
  assert.match(svg, /<text[^>]*>points<\/text>/);
  assert.ok((svg.match(/<text/g) ?? []).length > 5, "tick labels are <text>");
  assert.doesNotMatch(svg, /<style|<figure|<div|<h2/);
  assert.doesNotMatch(svg, /\d\.\d{3,}"/, "coordinates rounded");
});

test("renderSvg is deterministic: same output twice, ids independent of earlier figures", () => {
  const a = renderSvg(spec);
  renderSvg(spec); // advances Plot's clip-path counter
  const b = renderSvg(spec);
  assert.equal(a, b);
  assert.match(a, /<clipPath id="mm-1">/);
  assert.match(a, /clip-path="url\(#mm-1\)"/);
  assert.match(renderSvg({ ...spec, idPrefix: "fig2" }), /<clipPath id="fig2-1">/);
});

test("renderSvg: bad sizes and HTML-producing options are typed errors", () => {
  for (const [w, h] of [
    [0, 100],
    [100.5, 100],
    [Number.NaN, 100],
    [100, 30000],
  ]) {
    assert.throws(
      () => renderSvg({ ...spec, width: w, height: h }),
      (e) => code(e) === "E_PLOT_BAD_SIZE",
    );
  }
  assert.throws(
    () => renderSvg({ ...spec, height: 60 }),
    (e) => code(e) === "E_PLOT_BAD_SIZE",
  );
  assert.throws(
    () => renderSvg({ plot: { ...spec.plot, title: "x" } }),
    (e) => e instanceof PlotError && e.code === "E_PLOT_BAD_OPTION",
  );
});

test("composePanels: panels placed on the grid, ids unique across panels", () => {
  const one = renderSvg({ ...spec, width: 300, height: 200 });
  const svg = composePanels({
    title: "Composite",
    width: 600,
    height: 500,
    rows: 2,
    cols: 2,
    panels: [
      { figure: one, row: 0, col: 0, colSpan: 2 },
      { figure: spec, row: 1, col: 0 },
      { figure: spec, row: 1, col: 1 },
    ],
  });
  const nested = [...svg.matchAll(/<svg x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)"/g)];
  // 3 panels, each holding Plot's chart svg
  assert.equal(nested.length, 6);
  const ids = [...svg.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]);
  assert.equal(new Set(ids).size, ids.length);
  assert.equal(ids.length, 3);
  // first panel spans the full width, bottom panels half each
  assert.equal(Number(nested[0][3]), 600 - 16);
  assert.ok(Math.abs(Number(nested[2][3]) - (600 - 24) / 2) < 0.01);
  assert.throws(
    () => composePanels({ rows: 1, cols: 1, panels: [{ figure: one, row: 0, col: 1 }] }),
    (e) => code(e) === "E_PLOT_BAD_OPTION",
  );
});

test("stableIds renames ids and references in one pass; nestSvg adds a viewBox", () => {
  const s = '<svg><clipPath id="a1"/><clipPath id="a10"/><g clip-path="url(#a10)"/><use href="#a1"/></svg>';
  assert.equal(
    stableIds(s, "p"),
    '<svg><clipPath id="p-1"/><clipPath id="p-2"/><g clip-path="url(#p-2)"/><use href="#p-1"/></svg>',
  );
  assert.equal(
    nestSvg('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="20"><g/></svg>', 1, 2, 30, 40),
    '<svg x="1" y="2" width="30" height="40" viewBox="0 0 10 20"><g/></svg>',
  );
  assert.equal(
    roundCoordinates('<path d="M1.23456,2L3,4.005"/><text>1.23456</text>'),
    '<path d="M1.23,2L3,4.01"/><text>1.23456</text>',
  );
});

const csv = "g,x,y,f\na,1,2,u\na,2,,u\nb,3,4,v\n,4,5,v\nb,NA,6,v\n";
const table = (): ColumnTable => parseCsv(csv, { name: "small" });

test("completeRows drops incomplete rows with a warning; unknown / factor columns are typed errors", () => {
  const warnings: string[] = [];
  const r = completeRows(table(), { x: "x", y: "y", group: "g", onWarning: (w) => warnings.push(w.code) });
  assert.equal(r.n, 2);
  assert.equal(r.dropped, 3);
  assert.deepEqual(Array.from(r.x), [1, 3]);
  assert.deepEqual(
    Array.from(r.g, (c) => r.levels[c]),
    ["a", "b"],
  );
  assert.deepEqual(warnings, ["rows_dropped"]);
  assert.match(r.note ?? "", /3 of 5 rows/);
  assert.throws(
    () => completeRows(table(), { x: "xx", y: "y" }),
    (e) => code(e) === "E_PLOT_UNKNOWN_COLUMN" && /did you mean 'x'/.test((e as Error).message),
  );
  assert.throws(
    () => completeRows(table(), { x: "f", y: "y" }),
    (e) => code(e) === "E_PLOT_NON_NUMERIC",
  );
  const empty = parseCsv("x,y\n1,NA\nNA,2\n", { name: "empty" });
  assert.throws(
    () => completeRows(empty, { x: "x", y: "y" }),
    (e) => code(e) === "E_PLOT_NO_COMPLETE_ROWS",
  );
});

test("olsLine and populationLine", () => {
  const l = olsLine([0, 1, 2], [1, 3, 5]);
  assert.ok(l !== null && Math.abs(l.intercept - 1) < 1e-12 && Math.abs(l.slope - 2) < 1e-12);
  assert.equal(olsLine([1, 1], [2, 3]), null);
  assert.deepEqual(populationLine({ intercept: 1, slope: 2 }, "x"), { intercept: 1, slope: 2 });
  assert.throws(
    () => populationLine({ intercept: Number.NaN, slope: 2 }, "x"),
    (e) => code(e) === "E_PLOT_BAD_MODEL",
  );
});

test("normalizeSvg: one element per line, numbers to 1 decimal, ids renamed", () => {
  assert.equal(
    normalizeSvg('<svg><clipPath id="zz-9"/><path d="M1.26,2.04" clip-path="url(#zz-9)"/></svg>'),
    '<svg>\n<clipPath id="id1"/>\n<path d="M1.3,2" clip-path="url(#id1)"/>\n</svg>\n',
  );
});

test("the core never imports the plotting layer (plot imports the core, not the other way)", async () => {
  const { build } = await import("esbuild");
  for (const entry of ["src/index.ts", "src/engine.ts"]) {
    const r = await build({
      entryPoints: [entry],
      bundle: true,
      platform: "browser",
      format: "esm",
      write: false,
      logLevel: "silent",
      metafile: true,
    });
    const inputs = Object.keys(r.metafile.inputs);
    assert.deepEqual(
      inputs.filter(
        (p) => p.startsWith("src/plot/") || /node_modules\/(@observablehq|linkedom|@resvg)/.test(p),
      ),
      [],
      entry,
    );
  }
});

test("a caller-supplied document (as a browser passes its own) gives the same figure", async () => {
  const { parseHTML } = await import("linkedom");
  const { document } = parseHTML("<!DOCTYPE html><html><body></body></html>");
  assert.equal(renderSvg({ ...spec, document }), renderSvg(spec));
});
