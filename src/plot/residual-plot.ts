/**
 * Residual diagnostics of a fitted mixed model, side by side: residuals against fitted values
 * (zero line and a running-mean smoother) and the scale–location plot, √|standardised residual|
 * against fitted values (the residuals divided by σ̂; Pearson residuals with prior weights).
 */
import * as Plot from "@observablehq/plot";
import type { LmmFit } from "../lmm/fit-lmm.ts";
import { composePanels } from "./compose-panels.ts";
import { AXIS_MARGINS, axisScale, type FigureOptions, frameOf, titleOr } from "./figure-options.ts";
import { PlotError } from "./plot-error.ts";
import type { FigureSpec, LegendItem } from "./render-svg.ts";
import { paletteColor, THEME, type Theme } from "./theme.ts";

export type ResidualPanel = "fitted" | "scale-location";

export interface ResidualPlotOptions extends FigureOptions {
  /** Which panels, in order (default both). */
  readonly panels?: readonly ResidualPanel[];
}

interface Pt {
  f: number;
  r: number;
}

/** Points beyond this are drawn smaller and fainter. */
const MANY_POINTS = 2000;

/**
 * A centred running mean of `y` over the points sorted by `x` (window ≈ n/8, at least 5 and odd),
 * evaluated at every 1/60 of the points: a simple, deterministic smoother for eyeing a trend.
 */
export function runningMean(x: ArrayLike<number>, y: ArrayLike<number>): { x: number; y: number }[] {
  const n = x.length;
  if (n < 5) return [];
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => x[a] - x[b] || a - b);
  const half = Math.max(2, Math.floor(n / 16));
  const prefix = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) prefix[i + 1] = prefix[i] + y[order[i]];
  const step = Math.max(1, Math.floor(n / 60));
  const out: { x: number; y: number }[] = [];
  for (let i = 0; i < n; i += step) {
    const lo = Math.max(0, i - half);
    const hi = Math.min(n, i + half + 1);
    out.push({ x: x[order[i]], y: (prefix[hi] - prefix[lo]) / (hi - lo) });
  }
  if ((n - 1) % step !== 0) {
    const lo = Math.max(0, n - 1 - half);
    out.push({ x: x[order[n - 1]], y: (prefix[n] - prefix[lo]) / (n - lo) });
  }
  return out;
}

function scatterMarks(pts: Pt[], smooth: { x: number; y: number }[], theme: Theme): Plot.Markish[] {
  const many = pts.length > MANY_POINTS;
  const marks: Plot.Markish[] = [
    Plot.dot(pts, {
      x: "f",
      y: "r",
      fill: paletteColor(3, theme),
      fillOpacity: many ? 0.35 : 0.7,
      r: many ? 1.2 : 2.2,
    }),
  ];
  if (smooth.length > 1)
    marks.push(Plot.line(smooth, { x: "x", y: "y", stroke: paletteColor(4, theme), strokeWidth: 2 }));
  return marks;
}

function checkFit(fit: LmmFit): void {
  const ok = fit.fitted.every(Number.isFinite) && fit.residuals.every(Number.isFinite);
  if (!ok)
    throw new PlotError(
      "E_PLOT_BAD_MODEL",
      "the fit's fitted values or residuals are not finite",
      "check the model's warnings; refit with rescaled variables",
    );
}

/** Residuals against fitted values, with the zero line and a running mean. */
export function residualsFittedSpec(fit: LmmFit, opts: FigureOptions = {}): FigureSpec {
  checkFit(fit);
  const theme = opts.theme ?? THEME;
  const pts: Pt[] = Array.from(fit.fitted, (f, i) => ({ f, r: fit.residuals[i] }));
  return {
    title: titleOr(opts, "Residuals vs fitted"),
    theme: opts.theme,
    document: opts.document,
    plot: {
      ...AXIS_MARGINS,
      x: axisScale("fitted values"),
      y: axisScale("residuals"),
      marks: [
        Plot.ruleY([0], { stroke: theme.reference, strokeDasharray: "5,3" }),
        ...scatterMarks(pts, runningMean(fit.fitted, fit.residuals), theme),
      ],
    },
  };
}

/** √|standardised residuals| against fitted values, with a running mean. */
export function scaleLocationSpec(fit: LmmFit, opts: FigureOptions = {}): FigureSpec {
  checkFit(fit);
  const theme = opts.theme ?? THEME;
  const s = Float64Array.from(fit.scaledResiduals, (v) => Math.sqrt(Math.abs(v)));
  const pts: Pt[] = Array.from(fit.fitted, (f, i) => ({ f, r: s[i] }));
  return {
    title: titleOr(opts, "Scale–location"),
    theme: opts.theme,
    document: opts.document,
    plot: {
      ...AXIS_MARGINS,
      x: axisScale("fitted values"),
      y: { ...axisScale("√|standardised residuals|"), zero: true },
      marks: scatterMarks(pts, runningMean(fit.fitted, s), theme),
    },
  };
}

/** The residual diagnostics as one SVG string (two panels by default). */
export function residualPlot(fit: LmmFit, opts: ResidualPlotOptions = {}): string {
  const theme = opts.theme ?? THEME;
  const panels = opts.panels ?? ["fitted", "scale-location"];
  if (panels.length === 0 || panels.some((p) => p !== "fitted" && p !== "scale-location"))
    throw new PlotError(
      "E_PLOT_BAD_OPTION",
      `residual panels must be 'fitted' and/or 'scale-location' (got ${panels.join(", ") || "none"})`,
    );
  const inner = { theme: opts.theme, document: opts.document };
  const specs = panels.map((p) =>
    p === "fitted" ? residualsFittedSpec(fit, inner) : scaleLocationSpec(fit, inner),
  );
  const legend: LegendItem[] = [
    { label: "observations", color: paletteColor(3, theme), kind: "dot" },
    { label: "running mean", color: paletteColor(4, theme) },
  ];
  return composePanels({
    ...frameOf(opts, 420 * specs.length + 40, 440),
    title: titleOr(opts, `Residual diagnostics: ${fit.formula}`),
    legend,
    rows: 1,
    cols: specs.length,
    panels: specs.map((figure, i) => ({ figure, row: 0, col: i })),
  });
}
