/**
 * Between vs within (the Gasoline seed): side by side, the scatter of group means (the
 * between-group relation of y and x) and the scatter of each row's deviation from its group's
 * means (the within-group relation), each with its least-squares line and slope in the panel title.
 */
import * as Plot from "@observablehq/plot";
import type { DataSource } from "../data/column.ts";
import { composePanels } from "./compose-panels.ts";
import { AXIS_MARGINS, axisScale, frameOf, titleOr, type XYGroupOptions } from "./figure-options.ts";
import { type Line, olsLine } from "./fit-lines.ts";
import { completeRows, type PlotRows } from "./plot-data.ts";
import type { FigureSpec } from "./render-svg.ts";
import { paletteColor, THEME, type Theme } from "./theme.ts";

export type BetweenWithinOptions = XYGroupOptions;

/** Group means and within-group deviations of complete rows. */
export interface BetweenWithinData {
  readonly means: { x: number; y: number; g: string }[];
  readonly deviations: { x: number; y: number; g: string }[];
  readonly between: Line | null;
  readonly within: Line | null;
  readonly rows: PlotRows;
}

export function betweenWithinData(data: DataSource, opts: BetweenWithinOptions): BetweenWithinData {
  const rows = completeRows(data, opts);
  const k = rows.levels.length;
  const sx = new Float64Array(k);
  const sy = new Float64Array(k);
  const cnt = new Float64Array(k);
  for (let i = 0; i < rows.n; i++) {
    sx[rows.g[i]] += rows.x[i];
    sy[rows.g[i]] += rows.y[i];
    cnt[rows.g[i]]++;
  }
  const means: { x: number; y: number; g: string }[] = [];
  for (let j = 0; j < k; j++)
    if (cnt[j] > 0) means.push({ x: sx[j] / cnt[j], y: sy[j] / cnt[j], g: rows.levels[j] });
  const deviations = Array.from({ length: rows.n }, (_, i) => {
    const j = rows.g[i];
    return { x: rows.x[i] - sx[j] / cnt[j], y: rows.y[i] - sy[j] / cnt[j], g: rows.levels[j] };
  });
  return {
    means,
    deviations,
    between: olsLine(
      means.map((m) => m.x),
      means.map((m) => m.y),
    ),
    within: olsLine(
      deviations.map((d) => d.x),
      deviations.map((d) => d.y),
    ),
    rows,
  };
}

function slopeText(l: Line | null): string {
  return l === null ? "no slope (x constant)" : `slope ${l.slope.toPrecision(3).replace("-", "\u2212")}`;
}

function scatterSpec(
  pts: readonly { x: number; y: number }[],
  line: Line | null,
  title: string,
  xLabel: string,
  yLabel: string,
  colour: string,
  theme: Theme,
): FigureSpec {
  const marks: Plot.Markish[] = [
    Plot.dot(pts, {
      x: "x",
      y: "y",
      fill: colour,
      fillOpacity: pts.length > 500 ? 0.35 : 0.75,
      r: pts.length > 500 ? 1.8 : 3,
    }),
  ];
  if (line !== null) {
    let lo = Number.POSITIVE_INFINITY;
    let hi = Number.NEGATIVE_INFINITY;
    for (const p of pts) {
      lo = Math.min(lo, p.x);
      hi = Math.max(hi, p.x);
    }
    const ends = [lo, hi].map((x) => ({ x, y: line.intercept + line.slope * x }));
    marks.push(Plot.line(ends, { x: "x", y: "y", stroke: theme.reference, strokeWidth: 2 }));
  }
  return {
    title,
    theme,
    plot: { ...AXIS_MARGINS, x: axisScale(xLabel), y: axisScale(yLabel), marks },
  };
}

/** The two panels as specs (for composites such as `panel`). */
export function betweenWithinSpecs(
  data: DataSource,
  opts: BetweenWithinOptions,
): { between: FigureSpec; within: FigureSpec; data: BetweenWithinData } {
  const theme = opts.theme ?? THEME;
  const d = betweenWithinData(data, opts);
  const xl = opts.xLabel ?? opts.x;
  const yl = opts.yLabel ?? opts.y;
  return {
    between: scatterSpec(
      d.means,
      d.between,
      `Between ${opts.group}: means (${d.means.length}), ${slopeText(d.between)}`,
      `mean ${xl}`,
      `mean ${yl}`,
      paletteColor(3, theme),
      theme,
    ),
    within: scatterSpec(
      d.deviations,
      d.within,
      `Within ${opts.group}: deviations from means, ${slopeText(d.within)}`,
      `${xl} − ${opts.group} mean`,
      `${yl} − ${opts.group} mean`,
      paletteColor(0, theme),
      theme,
    ),
    data: d,
  };
}

/** Between-group and within-group scatters side by side, as an SVG string. */
export function betweenWithin(data: DataSource, opts: BetweenWithinOptions): string {
  const s = betweenWithinSpecs(data, opts);
  return composePanels({
    ...frameOf(opts, 900, 420),
    title: titleOr(opts, `${opts.y} against ${opts.x}: between and within ${opts.group}`),
    note: s.data.rows.note,
    rows: 1,
    cols: 2,
    panels: [
      { figure: s.between, row: 0, col: 0 },
      { figure: s.within, row: 0, col: 1 },
    ],
  });
}
