/**
 * Trajectories (the Gasoline seed's "variation at baseline and over time"): one line of y against
 * x per group. With `highlight` those groups are drawn in colour on top of the others in grey; with
 * 7 groups or fewer every group gets its own colour; otherwise all lines share one colour. An
 * optional population line (a fitted model's fixed effects, or {intercept, slope}) is drawn on top.
 */
import * as Plot from "@observablehq/plot";
import type { DataSource } from "../data/column.ts";
import { quote, quoteList } from "../util/quote.ts";
import { type LineSource, populationLine } from "./fit-lines.ts";
import { AXIS_MARGINS, axisScale, type XYGroupOptions, frameOf, titleOr } from "./figure-options.ts";
import { PlotError } from "./plot-error.ts";
import { completeRows } from "./plot-data.ts";
import { type FigureSpec, type LegendItem, renderSvg } from "./render-svg.ts";
import { paletteColor, THEME } from "./theme.ts";

export interface TrajectoriesOptions extends XYGroupOptions {
  /** Group levels to draw in colour (others in grey). */
  readonly highlight?: readonly string[];
  /** Population line: an LmmFit/LmFit whose fixed effects are (Intercept) and x, or {intercept, slope}. */
  readonly population?: LineSource;
}

interface Pt {
  x: number;
  y: number;
  g: string;
}

/** Groups with ≤ this many levels get one colour each (the palette has 7 non-black colours). */
const COLOURED_GROUPS = 7;

/** The figure as a spec (for composites); `trajectories` renders it. */
export function trajectoriesSpec(data: DataSource, opts: TrajectoriesOptions): FigureSpec {
  const theme = opts.theme ?? THEME;
  const rows = completeRows(data, opts);
  const order = Array.from({ length: rows.n }, (_, i) => i).sort(
    (a, b) => rows.g[a] - rows.g[b] || rows.x[a] - rows.x[b],
  );
  const pts: Pt[] = order.map((i) => ({ x: rows.x[i], y: rows.y[i], g: rows.levels[rows.g[i]] }));
  const present = [...new Set(order.map((i) => rows.g[i]))].sort((a, b) => a - b).map((c) => rows.levels[c]);
  const highlight = opts.highlight ?? [];
  const unknown = highlight.filter((h) => !present.includes(h));
  if (unknown.length > 0) {
    throw new PlotError(
      "E_PLOT_BAD_OPTION",
      `highlighted group${unknown.length > 1 ? "s" : ""} ${quoteList(unknown)} not in column ${quote(opts.group)}`,
      `groups: ${quoteList(present)}`,
    );
  }
  const marks: Plot.Markish[] = [];
  const legend: LegendItem[] = [];
  const dots = rows.n <= 2000;
  const colourOf = new Map<string, string>();
  const coloured = highlight.length > 0 ? highlight : present.length <= COLOURED_GROUPS ? present : [];
  for (const [i, h] of coloured.entries()) colourOf.set(h, paletteColor(i, theme));
  const background = pts.filter((p) => !colourOf.has(p.g));
  const foreground = pts.filter((p) => colourOf.has(p.g));
  if (background.length > 0) {
    const many = highlight.length === 0;
    const stroke = many ? paletteColor(3, theme) : theme.muted;
    const opacity = many ? Math.max(0.25, Math.min(0.8, 12 / Math.sqrt(present.length + 1))) : 0.8;
    marks.push(
      Plot.line(background, { x: "x", y: "y", z: "g", stroke, strokeOpacity: opacity, strokeWidth: 1 }),
    );
    if (dots)
      marks.push(Plot.dot(background, { x: "x", y: "y", fill: stroke, fillOpacity: opacity, r: 1.5 }));
  }
  for (const [g, colour] of colourOf) {
    const own = foreground.filter((p) => p.g === g);
    marks.push(Plot.line(own, { x: "x", y: "y", stroke: colour, strokeWidth: 2 }));
    if (dots) marks.push(Plot.dot(own, { x: "x", y: "y", fill: colour, r: 2.2 }));
    legend.push({ label: g, color: colour });
  }
  if (opts.population !== undefined) {
    const line = populationLine(opts.population, opts.x);
    let lo = Number.POSITIVE_INFINITY;
    let hi = Number.NEGATIVE_INFINITY;
    for (const v of rows.x) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    const ends = [lo, hi].map((x) => ({ x, y: line.intercept + line.slope * x }));
    marks.push(
      Plot.line(ends, { x: "x", y: "y", stroke: theme.reference, strokeWidth: 2.5, strokeDasharray: "6,3" }),
    );
    legend.push({ label: "population (fixed effects)", color: theme.reference, dash: "6,3" });
  }
  return {
    ...frameOf(opts, 720, 440),
    title: titleOr(opts, `${opts.y} by ${opts.x}, one line per ${opts.group} (${present.length})`),
    legend,
    note: rows.note,
    plot: {
      ...AXIS_MARGINS,
      x: axisScale(opts.xLabel ?? opts.x),
      y: axisScale(opts.yLabel ?? opts.y),
      marks,
    },
  };
}

/** One line of y against x per group, as an SVG string. */
export function trajectories(data: DataSource, opts: TrajectoriesOptions): string {
  return renderSvg(trajectoriesSpec(data, opts));
}
