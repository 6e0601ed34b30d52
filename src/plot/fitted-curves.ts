/**
 * Per-group fitted curves of a GLMM on the response scale (probabilities, rates): for each level of
 * a grouping factor, the model's conditional fitted means μ = g⁻¹(Xβ + Zb) against a column x,
 * joined in x order; the population curve g⁻¹(Xβ) (random effects at zero: lme4's
 * `predict(m, re.form = NA, type = "response")`); and the observed response averaged per group and
 * x (the proportion Σ successes / Σ trials for binomial data, the mean count for Poisson).
 *
 * x may be numeric or a factor (its levels in order, e.g. cbpp's periods). When other covariates
 * make the fitted values vary within one (group, x) cell, the cell's mean is drawn; when they make
 * the population values vary within one x, the population curve is left out (with a note).
 * Observed 0/1 points of single Bernoulli rows are not drawn (they would only show 0 and 1). A
 * group's curve is drawn through at most 80 of its x values (evenly spaced in x order).
 */
import * as Plot from "@observablehq/plot";
import type { DataSource } from "../data/column.ts";
import type { GlmmFit } from "../glmm/fit-glmm.ts";
import { predict } from "../inference/predict.ts";
import { fitInternals } from "../lmm/fit-internals.ts";
import { quote } from "../util/quote.ts";
import { AXIS_MARGINS, axisScale, type FigureOptions, frameOf, titleOr } from "./figure-options.ts";
import { PlotError } from "./plot-error.ts";
import { type FigureSpec, type LegendItem, renderSvg } from "./render-svg.ts";
import { paletteColor, THEME } from "./theme.ts";

export interface FittedCurvesOptions extends FigureOptions {
  /** The x column (numeric or factor). */
  readonly x: string;
  /** The grouping factor (default: the first of `fit.ranef`). */
  readonly group?: string;
}

/** Groups with ≤ this many levels get one colour each. */
const COLOURED_GROUPS = 7;

/** A group's curve is drawn through at most this many of its cells (evenly spaced in x order). */
const CURVE_POINTS = 80;

/** At most `CURVE_POINTS` of a group's cells (sorted by x), evenly spaced, the ends included. */
function curveCells(cells: readonly Cell[]): Cell[] {
  const m = cells.length;
  if (m <= CURVE_POINTS) return [...cells];
  const out: Cell[] = [];
  for (let k = 0; k < CURVE_POINTS; k++) out.push(cells[Math.round((k * (m - 1)) / (CURVE_POINTS - 1))]);
  return out;
}

interface Cell {
  x: number;
  g: string;
  fitted: number;
  observed: number;
  rows: number;
}

function sameWithin(values: number[]): boolean {
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  return hi - lo <= 1e-9 * Math.max(1, Math.abs(hi));
}

/** The figure as a spec (for composites); `fittedCurves` renders it. */
export function fittedCurvesSpec(fit: GlmmFit, data: DataSource, opts: FittedCurvesOptions): FigureSpec {
  const theme = opts.theme ?? THEME;
  const internals = fitInternals(fit);
  if (internals === undefined)
    throw new PlotError("E_PLOT_BAD_MODEL", "this fit was not made by fitGlmm: its rows are not known");
  const frameRows = internals.design.frame.rows;
  const group = opts.group ?? Object.keys(fit.ranef)[0];
  const gcol = data.column(group);
  const reterm = internals.design.reterms.find((t) => t.factor === group);
  if (!(group in fit.ranef) || gcol === undefined || reterm === undefined)
    throw new PlotError(
      "E_PLOT_BAD_OPTION",
      `the model has no grouping factor ${quote(group)}`,
      `its grouping factors: ${Object.keys(fit.ranef).join(", ")}`,
    );
  const levelOf = (i: number): string =>
    gcol.kind === "factor" ? gcol.levels[gcol.codes[i]] : String(gcol.values[i]);
  // the data must be the fitted data: every used row there, with the group the fit saw
  const wrong =
    frameRows.length !== fit.nobs ||
    frameRows.some((r, t) => r >= data.nrow || levelOf(r) !== reterm.levels[reterm.refs[t]]);
  if (wrong)
    throw new PlotError(
      "E_PLOT_BAD_MODEL",
      `the data ${quote(data.name)} (${data.nrow} rows) are not the data the model was fitted to`,
      "pass the data the model was fitted to",
    );
  const xcol = data.column(opts.x);
  if (xcol === undefined)
    throw new PlotError(
      "E_PLOT_UNKNOWN_COLUMN",
      `there is no column ${quote(opts.x)}`,
      `columns: ${data.names.join(", ")}`,
    );
  const xOf = (i: number): number => (xcol.kind === "factor" ? xcol.codes[i] + 1 : xcol.values[i]);
  const population = predict(fit, data, { re: "none", type: "response" }).fit;

  // cells (group, x): mean conditional fit, observed proportion/mean, rows
  const cells = new Map<
    string,
    { x: number; g: string; f: number[]; ys: number; ws: number; rows: number }
  >();
  const popByX = new Map<number, number[]>();
  for (let t = 0; t < fit.nobs; t++) {
    const i = frameRows[t];
    const x = xOf(i);
    if (!Number.isFinite(x)) continue;
    const g = levelOf(i);
    const key = `${g}\u0000${x}`;
    let c = cells.get(key);
    if (c === undefined) {
      c = { x, g, f: [], ys: 0, ws: 0, rows: 0 };
      cells.set(key, c);
    }
    c.f.push(fit.fitted[t]);
    c.ys += fit.y[t] * fit.priorWeights[t];
    c.ws += fit.priorWeights[t];
    c.rows++;
    const p = popByX.get(x);
    if (p === undefined) popByX.set(x, [population[i]]);
    else p.push(population[i]);
  }
  const cellList: Cell[] = [...cells.values()]
    .map((c) => ({
      x: c.x,
      g: c.g,
      fitted: c.f.reduce((a, b) => a + b, 0) / c.f.length,
      observed: c.ys / c.ws,
      rows: c.rows,
    }))
    .sort((a, b) => (a.g < b.g ? -1 : a.g > b.g ? 1 : a.x - b.x));
  if (cellList.length === 0)
    throw new PlotError("E_PLOT_NO_COMPLETE_ROWS", `no rows with a value of ${quote(opts.x)}`);
  const groups = [...new Set(cellList.map((c) => c.g))];
  const binomial = fit.family === "binomial";
  const bernoulliSingles =
    binomial && fit.priorWeights.every((w) => w === 1) && cellList.every((c) => c.rows === 1);
  const notes: string[] = [];

  const marks: Plot.Markish[] = [];
  const legend: LegendItem[] = [];
  const coloured = groups.length <= COLOURED_GROUPS;
  const base = paletteColor(3, theme);
  const opacity = coloured ? 0.9 : Math.max(0.2, Math.min(0.7, 10 / Math.sqrt(groups.length + 1)));
  const byGroup = new Map<string, Cell[]>();
  for (const c of cellList) {
    const list = byGroup.get(c.g);
    if (list === undefined) byGroup.set(c.g, [c]);
    else list.push(c);
  }
  const curves = groups.flatMap((g) => curveCells(byGroup.get(g)!));
  if (coloured) {
    groups.forEach((g, k) => {
      const own = byGroup.get(g)!;
      const colour = paletteColor(k, theme);
      marks.push(Plot.line(curveCells(own), { x: "x", y: "fitted", stroke: colour, strokeWidth: 1.8 }));
      if (!bernoulliSingles) marks.push(Plot.dot(own, { x: "x", y: "observed", stroke: colour, r: 2.8 }));
      legend.push({ label: g, color: colour });
    });
  } else {
    marks.push(
      Plot.line(curves, {
        x: "x",
        y: "fitted",
        z: "g",
        stroke: base,
        strokeOpacity: opacity,
        strokeWidth: 1,
      }),
    );
    if (!bernoulliSingles)
      marks.push(
        Plot.dot(cellList, {
          x: "x",
          y: "observed",
          fill: base,
          fillOpacity: Math.min(0.8, opacity + 0.1),
          r: 1.6,
        }),
      );
    legend.push({ label: `conditional fit, one line per ${group}`, color: base });
    if (!bernoulliSingles) legend.push({ label: "observed", color: base, kind: "dot" });
  }
  if (bernoulliSingles) notes.push("single 0/1 observations not drawn");
  const xs = [...popByX.keys()].sort((a, b) => a - b);
  if (xs.every((x) => sameWithin(popByX.get(x)!))) {
    // the population curve through at most 400 of its x values (evenly spaced, the ends included)
    const step = Math.max(1, (xs.length - 1) / 399);
    const picked = xs.length <= 400 ? xs : Array.from({ length: 400 }, (_, k) => xs[Math.round(k * step)]);
    const pop = picked.map((x) => ({ x, y: popByX.get(x)![0] }));
    marks.push(
      Plot.line(pop, { x: "x", y: "y", stroke: theme.reference, strokeWidth: 2.5, strokeDasharray: "6,3" }),
    );
    legend.push({ label: "population (random effects at 0)", color: theme.reference, dash: "6,3" });
  } else notes.push(`no population curve: the fixed effects vary with more than ${opts.x}`);
  if (coloured && !bernoulliSingles) notes.push("circles: observed, lines: conditional fit");

  const scale = binomial ? "probability" : "mean";
  const xAxis =
    xcol.kind === "factor"
      ? {
          ...axisScale(opts.x),
          nice: false,
          ticks: xcol.levels.map((_, k) => k + 1),
          tickFormat: (v: number) => xcol.levels[v - 1] ?? "",
          inset: 12,
        }
      : axisScale(opts.x);
  return {
    ...frameOf(opts, 720, 460),
    title: titleOr(opts, `Fitted ${scale} by ${opts.x}, one curve per ${group} (${groups.length})`),
    subtitle: `${fit.formula} (${fit.family}, ${fit.link} link), response scale`,
    legend,
    note: notes.length > 0 ? notes.join("; ") : undefined,
    plot: {
      ...AXIS_MARGINS,
      x: xAxis,
      y: {
        ...axisScale(
          binomial ? "probability (observed proportion, fitted)" : "count (observed mean, fitted)",
        ),
        zero: true,
      },
      marks,
    },
  };
}

/** Per-group fitted curves of a GLMM on the response scale, as an SVG string. */
export function fittedCurves(fit: GlmmFit, data: DataSource, opts: FittedCurvesOptions): string {
  return renderSvg(fittedCurvesSpec(fit, data, opts));
}
