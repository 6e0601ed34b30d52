/**
 * Small multiples per group (the coffee seed, ggplot's `facet_wrap(~group)`): one panel per group
 * with its points, the group's own least-squares line, the mixed model's conditional line
 * (fixef + ranef, from `fit`) and the population line (the fit's fixed effects, or `population`),
 * with a legend. All panels share both axes.
 *
 * Legibility with many groups: at most `maxPanels` panels (default 36: a 6 × 6 grid) are drawn;
 * `groups` chooses which (in the given order), otherwise the groups in level order, `page` (from 1)
 * selecting the next `maxPanels`. Left-out groups are reported as a warning and a note.
 */
import * as Plot from "@observablehq/plot";
import type { DataSource } from "../data/column.ts";
import type { LmmFit } from "../lmm/fit-lmm.ts";
import { quote, quoteList } from "../util/quote.ts";
import { AXIS_MARGINS, axisScale, type XYGroupOptions, titleOr } from "./figure-options.ts";
import { conditionalLines, type Line, type LineSource, olsLine, populationLine } from "./fit-lines.ts";
import { PlotError } from "./plot-error.ts";
import { completeRows } from "./plot-data.ts";
import { type FigureSpec, type LegendItem, renderSvg } from "./render-svg.ts";
import { paletteColor, THEME } from "./theme.ts";

export interface FacetsOptions extends XYGroupOptions {
  /** A mixed model with random effects for `group` and fixed effects (Intercept) + x: conditional and population lines. */
  readonly fit?: LmmFit;
  /** Population line when there is no `fit` (an lm/LMM fit or {intercept, slope}). */
  readonly population?: LineSource;
  /** Groups to show, in this order (default: all, in level order, paged by `maxPanels`). */
  readonly groups?: readonly string[];
  /** Most panels in one figure (default 36). */
  readonly maxPanels?: number;
  /** Which page of `maxPanels` groups (1-based, default 1). */
  readonly page?: number;
  /** Panels per row (default: √panels rounded up, at most width / 110). */
  readonly columns?: number;
}

export const DEFAULT_MAX_PANELS = 36;

interface Seg {
  fx: number;
  fy: number;
  x1: number;
  x2: number;
  y1: number;
  y2: number;
}

function segment(line: Line, lo: number, hi: number, fx: number, fy: number): Seg {
  return {
    fx,
    fy,
    x1: lo,
    x2: hi,
    y1: line.intercept + line.slope * lo,
    y2: line.intercept + line.slope * hi,
  };
}

export function facetsSpec(data: DataSource, opts: FacetsOptions): FigureSpec {
  const theme = opts.theme ?? THEME;
  const rows = completeRows(data, opts);
  const maxPanels = opts.maxPanels ?? DEFAULT_MAX_PANELS;
  const page = opts.page ?? 1;
  if (!Number.isInteger(maxPanels) || maxPanels < 1 || maxPanels > 400)
    throw new PlotError("E_PLOT_BAD_OPTION", `maxPanels ${maxPanels} is not a whole number from 1 to 400`);
  if (!Number.isInteger(page) || page < 1)
    throw new PlotError("E_PLOT_BAD_OPTION", `page ${page} is not a whole number from 1`);
  const present = new Set<number>(rows.g);
  const all = rows.levels.filter((_, j) => present.has(j));
  let shown: string[];
  if (opts.groups !== undefined) {
    const unknown = opts.groups.filter((g) => !all.includes(g));
    if (unknown.length > 0 || opts.groups.length === 0)
      throw new PlotError(
        "E_PLOT_BAD_OPTION",
        opts.groups.length === 0
          ? "no groups chosen"
          : `group${unknown.length > 1 ? "s" : ""} ${quoteList(unknown)} not in column ${quote(opts.group)}`,
        `groups: ${quoteList(all)}`,
      );
    shown = [...new Set(opts.groups)].slice(0, maxPanels);
  } else {
    const pages = Math.ceil(all.length / maxPanels);
    if (page > pages)
      throw new PlotError(
        "E_PLOT_BAD_OPTION",
        `page ${page} does not exist: ${all.length} groups make ${pages} page${pages > 1 ? "s" : ""} of ${maxPanels}`,
      );
    shown = all.slice((page - 1) * maxPanels, page * maxPanels);
  }
  const notes: string[] = [];
  if (rows.note) notes.push(rows.note);
  if (shown.length < all.length) {
    const msg =
      opts.groups !== undefined
        ? `${shown.length} of ${all.length} groups shown`
        : `groups ${(page - 1) * maxPanels + 1}–${(page - 1) * maxPanels + shown.length} of ${all.length} shown (page ${page} of ${Math.ceil(all.length / maxPanels)})`;
    notes.push(msg);
    // a subset the caller chose is noted on the figure, not warned about
    if (opts.groups === undefined)
      opts.onWarning?.({ code: "groups_omitted", message: `${msg}; choose groups with 'groups' or 'page'` });
  }
  const maxWidth = opts.width ?? 900;
  const ncol =
    opts.columns ?? Math.max(1, Math.min(Math.ceil(Math.sqrt(shown.length)), Math.floor(maxWidth / 110)));
  // by default a few panels do not stretch across a wide figure
  const width = opts.width ?? Math.min(900, Math.max(480, 80 + ncol * 190));
  const nrow = Math.ceil(shown.length / ncol);
  const cell = new Map(shown.map((g, i) => [g, { fx: i % ncol, fy: Math.floor(i / ncol) }]));
  const pts: { x: number; y: number; fx: number; fy: number }[] = [];
  const ranges = new Map<string, [number, number]>();
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  const xs = new Map<string, number[]>();
  const ys = new Map<string, number[]>();
  for (let i = 0; i < rows.n; i++) {
    const g = rows.levels[rows.g[i]];
    const c = cell.get(g);
    if (c === undefined) continue;
    pts.push({ x: rows.x[i], y: rows.y[i], ...c });
    const r = ranges.get(g) ?? [Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY];
    ranges.set(g, [Math.min(r[0], rows.x[i]), Math.max(r[1], rows.x[i])]);
    lo = Math.min(lo, rows.x[i]);
    hi = Math.max(hi, rows.x[i]);
    if (!xs.has(g)) {
      xs.set(g, []);
      ys.set(g, []);
    }
    xs.get(g)!.push(rows.x[i]);
    ys.get(g)!.push(rows.y[i]);
  }
  const own: Seg[] = [];
  const cond: Seg[] = [];
  const popl: Seg[] = [];
  const conditional = opts.fit === undefined ? undefined : conditionalLines(opts.fit, opts.group, opts.x);
  const popSource = opts.fit ?? opts.population;
  const population = popSource === undefined ? undefined : populationLine(popSource, opts.x);
  for (const g of shown) {
    const { fx, fy } = cell.get(g)!;
    const [a, b] = ranges.get(g)!;
    const l = olsLine(xs.get(g)!, ys.get(g)!);
    if (l !== null) own.push(segment(l, a, b, fx, fy));
    const cl = conditional?.get(g);
    if (cl !== undefined) cond.push(segment(cl, a, b, fx, fy));
    if (population !== undefined) popl.push(segment(population, lo, hi, fx, fy));
  }
  const blue = paletteColor(3, theme);
  const orange = paletteColor(0, theme);
  const seg = (d: Seg[], stroke: string, extra: Record<string, unknown> = {}) =>
    Plot.link(d, {
      x1: "x1",
      x2: "x2",
      y1: "y1",
      y2: "y2",
      fx: "fx",
      fy: "fy",
      stroke,
      strokeWidth: 1.8,
      ...extra,
    });
  const marks: Plot.Markish[] = [
    Plot.frame({ stroke: "#DDDDDD" }),
    Plot.dot(pts, { x: "x", y: "y", fx: "fx", fy: "fy", fill: "#777777", fillOpacity: 0.7, r: 1.8 }),
  ];
  const legend: LegendItem[] = [{ label: "data", color: "#777777", kind: "dot" }];
  if (popl.length > 0) {
    marks.push(seg(popl, theme.reference, { strokeDasharray: "5,3", strokeWidth: 1.4 }));
    legend.push({ label: "population (fixed effects)", color: theme.reference, dash: "5,3" });
  }
  // the conditional line drawn wide underneath, the group's own OLS line thin on top: where
  // shrinkage is small the two coincide and both stay visible
  if (cond.length > 0) {
    marks.push(seg(cond, blue, { strokeWidth: 3, strokeOpacity: 0.8 }));
    legend.push({ label: "mixed model (fixef + ranef)", color: blue });
  }
  marks.push(seg(own, orange, { strokeWidth: 1.3 }));
  legend.push({ label: "own OLS line", color: orange });
  const labels = shown.map((g) => ({ g, ...cell.get(g)! }));
  marks.push(
    Plot.text(labels, {
      fx: "fx",
      fy: "fy",
      text: "g",
      frameAnchor: "top-left",
      dx: 4,
      dy: 3,
      fontSize: Math.max(8, theme.fontSize - 1),
      fill: theme.foreground,
    }),
  );
  const height = opts.height ?? Math.min(4000, Math.max(300, 90 + nrow * 120));
  return {
    width,
    height,
    document: opts.document,
    theme: opts.theme,
    idPrefix: opts.idPrefix,
    title: titleOr(opts, `${opts.y} against ${opts.x} per ${opts.group}`),
    legend,
    note: notes.length > 0 ? notes.join("; ") : undefined,
    plot: {
      ...AXIS_MARGINS,
      x: { ...axisScale(opts.xLabel ?? opts.x), grid: false, ticks: 3 },
      y: { ...axisScale(opts.yLabel ?? opts.y), grid: false, ticks: 4 },
      fx: { axis: null, domain: Array.from({ length: ncol }, (_, i) => i) },
      fy: { axis: null, domain: Array.from({ length: nrow }, (_, i) => i) },
      facet: { marginTop: 0 },
      marks,
    },
  };
}

/** Small multiples per group, as an SVG string. */
export function facets(data: DataSource, opts: FacetsOptions): string {
  return renderSvg(facetsSpec(data, opts));
}
