/**
 * Residual diagnostics of a fitted model, side by side: residuals against fitted values (zero line
 * and a running-mean smoother) and the scale–location plot, √|standardised residual| against
 * fitted values.
 * - Linear mixed models: raw residuals against fitted values; standardised = divided by σ̂
 *   (Pearson residuals with prior weights).
 * - GLMMs and GLMs: Pearson (default, lme4's `plot(glmer)`) or deviance residuals against the
 *   linear predictor (see diagnostic-residuals.ts).
 * - Bernoulli responses (0/1): the binned residual plot (Gelman & Hill; `arm::binnedplot`) in
 *   place of both, since raw residuals of 0/1 data only trace two curves.
 * Scatters of more than a few thousand points are thinned in their dense middle (thin-points.ts);
 * the running means use every point.
 */
import * as Plot from "@observablehq/plot";
import { binnedResiduals, defaultBinCount } from "./binned-residuals.ts";
import { composePanels } from "./compose-panels.ts";
import {
  type DiagnosticFit,
  type DiagnosticResiduals,
  diagnosticResiduals,
  type ResidualType,
} from "./diagnostic-residuals.ts";
import { AXIS_MARGINS, axisScale, type FigureOptions, frameOf, titleOr } from "./figure-options.ts";
import { PlotError } from "./plot-error.ts";
import type { FigureSpec, LegendItem } from "./render-svg.ts";
import { paletteColor, THEME, type Theme } from "./theme.ts";
import { DENSITY_SHADES, densityCells, densityNote } from "./thin-points.ts";

export type ResidualPanel = "fitted" | "scale-location" | "binned";

export interface ResidualPlotOptions extends FigureOptions {
  /**
   * Which panels, in order: default ["fitted", "scale-location"], or ["binned"] for a Bernoulli
   * response of a GLM/GLMM.
   */
  readonly panels?: readonly ResidualPanel[];
  /** GLM/GLMM: "pearson" (default) or "deviance" residuals. Ignored for linear mixed models. */
  readonly residualType?: ResidualType;
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

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/**
 * The scatter's marks: every point up to a few thousand; beyond, the dense middle as shaded cells
 * and the sparse points (tails, outliers) as dots (thin-points.ts). A note says so when shaded.
 */
export function scatterMarks(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  smooth: { x: number; y: number }[],
  theme: Theme,
): { marks: Plot.Markish[]; note: string | undefined } {
  const all: Pt[] = Array.from(x, (f, i) => ({ f, r: y[i] }));
  const thin = densityCells(
    all,
    (p) => p.f,
    (p) => p.r,
  );
  const many = all.length > MANY_POINTS;
  const colour = paletteColor(3, theme);
  const marks: Plot.Markish[] = [];
  for (let k = 0; k < DENSITY_SHADES; k++) {
    const cells = thin.cells.filter((c) => c.shade === k);
    if (cells.length > 0)
      marks.push(
        Plot.rect(cells, {
          x1: "x1",
          x2: "x2",
          y1: "y1",
          y2: "y2",
          fill: colour,
          fillOpacity: 0.3 + (0.65 * k) / (DENSITY_SHADES - 1),
        }),
      );
  }
  marks.push(
    Plot.dot(thin.points, {
      x: "f",
      y: "r",
      fill: colour,
      fillOpacity: thin.cells.length > 0 ? 0.6 : many ? 0.35 : 0.7,
      r: many ? 1.2 : 2.2,
    }),
  );
  if (smooth.length > 1)
    marks.push(Plot.line(smooth, { x: "x", y: "y", stroke: paletteColor(4, theme), strokeWidth: 2 }));
  return { marks, note: densityNote(thin) };
}

/** Residuals against fitted values (or the linear predictor), with the zero line and a running mean. */
export function residualsFittedSpec(
  fit: DiagnosticFit,
  opts: FigureOptions & { readonly residualType?: ResidualType } = {},
  d: DiagnosticResiduals = diagnosticResiduals(fit, opts.residualType),
): FigureSpec {
  const theme = opts.theme ?? THEME;
  const sc = scatterMarks(d.x, d.r, runningMean(d.x, d.r), theme);
  return {
    title: titleOr(
      opts,
      d.generalized ? `${capitalise(d.rLabel)} vs linear predictor` : "Residuals vs fitted",
    ),
    theme: opts.theme,
    document: opts.document,
    note: sc.note,
    plot: {
      ...AXIS_MARGINS,
      x: axisScale(d.xLabel),
      y: axisScale(d.rLabel),
      marks: [Plot.ruleY([0], { stroke: theme.reference, strokeDasharray: "5,3" }), ...sc.marks],
    },
  };
}

/** √|standardised residuals| against fitted values (or the linear predictor), with a running mean. */
export function scaleLocationSpec(
  fit: DiagnosticFit,
  opts: FigureOptions & { readonly residualType?: ResidualType } = {},
  d: DiagnosticResiduals = diagnosticResiduals(fit, opts.residualType),
): FigureSpec {
  const theme = opts.theme ?? THEME;
  const s = Float64Array.from(d.s, (v) => Math.sqrt(Math.abs(v)));
  const sc = scatterMarks(d.x, s, runningMean(d.x, s), theme);
  return {
    title: titleOr(opts, "Scale–location"),
    theme: opts.theme,
    document: opts.document,
    note: sc.note,
    plot: {
      ...AXIS_MARGINS,
      x: axisScale(d.xLabel),
      y: { ...axisScale(`√|${d.sLabel}|`), zero: true },
      marks: sc.marks,
    },
  };
}

/**
 * The binned residual plot of a GLM/GLMM (Gelman & Hill; `arm::binnedplot(fitted(m),
 * residuals(m, type = "response"))`): mean response residual y − μ per bin of fitted values μ
 * (⌊√n⌋ bins of about equal counts for n ≥ 100) with the ±2 SE band of each bin.
 */
export function binnedResidualsSpec(
  fit: DiagnosticFit,
  opts: FigureOptions & { readonly bins?: number } = {},
  d: DiagnosticResiduals = diagnosticResiduals(fit),
): FigureSpec {
  const theme = opts.theme ?? THEME;
  const nclass = opts.bins ?? defaultBinCount(d.mu.length);
  const bins = binnedResiduals(d.mu, d.response, nclass).filter((b) => b.n > 0);
  const band = bins.map((b) => ({ x: b.xbar, lo: -b.twoSe, hi: b.twoSe }));
  const grey = theme.muted;
  return {
    title: titleOr(opts, "Binned residuals"),
    subtitle: `${bins.length} bins of about ${Math.round(d.mu.length / Math.max(1, bins.length))} observations`,
    theme: opts.theme,
    document: opts.document,
    plot: {
      ...AXIS_MARGINS,
      x: axisScale("expected values (fitted probability)"),
      y: axisScale("average residual (y − fitted)"),
      marks: [
        Plot.areaY(band, { x: "x", y1: "lo", y2: "hi", fill: grey, fillOpacity: 0.18 }),
        Plot.line(band, { x: "x", y: "hi", stroke: grey, strokeWidth: 1 }),
        Plot.line(band, { x: "x", y: "lo", stroke: grey, strokeWidth: 1 }),
        Plot.ruleY([0], { stroke: theme.reference, strokeDasharray: "5,3" }),
        Plot.dot(bins, { x: "xbar", y: "ybar", fill: paletteColor(3, theme), r: 2.6 }),
      ],
    },
  };
}

/** The residual diagnostics as one SVG string (two panels by default; binned residuals for 0/1 data). */
export function residualPlot(fit: DiagnosticFit, opts: ResidualPlotOptions = {}): string {
  const theme = opts.theme ?? THEME;
  const d = diagnosticResiduals(fit, opts.residualType);
  const panels = opts.panels ?? (d.bernoulli ? ["binned"] : ["fitted", "scale-location"]);
  const known = ["fitted", "scale-location", "binned"];
  if (panels.length === 0 || panels.some((p) => !known.includes(p)))
    throw new PlotError(
      "E_PLOT_BAD_OPTION",
      `residual panels must be among 'fitted', 'scale-location' and 'binned' (got ${panels.join(", ") || "none"})`,
    );
  if (panels.includes("binned") && !d.generalized)
    throw new PlotError(
      "E_PLOT_BAD_OPTION",
      "binned residuals are for generalized models (fitGlm, fitGlmm), not linear mixed models",
      "ask for the 'fitted' and 'scale-location' panels",
    );
  const inner = { theme: opts.theme, document: opts.document };
  const specs = panels.map((p) =>
    p === "fitted"
      ? residualsFittedSpec(fit, inner, d)
      : p === "scale-location"
        ? scaleLocationSpec(fit, inner, d)
        : binnedResidualsSpec(fit, inner, d),
  );
  const scatter = panels.some((p) => p !== "binned");
  const legend: LegendItem[] = [];
  if (scatter)
    legend.push(
      { label: "observations", color: paletteColor(3, theme), kind: "dot" },
      { label: "running mean", color: paletteColor(4, theme) },
    );
  if (panels.includes("binned"))
    legend.push(
      { label: "bin mean residual", color: paletteColor(3, theme), kind: "dot" },
      { label: "±2 SE", color: theme.muted, kind: "band" },
    );
  const subtitle =
    fit.kind === "lmm"
      ? undefined
      : `${fit.family} family, ${fit.link} link: ${scatter ? d.rLabel : "response residuals y − μ"}`;
  return composePanels({
    ...frameOf(opts, 420 * specs.length + 40, 440),
    title: titleOr(opts, `Residual diagnostics: ${fit.formula}`),
    subtitle,
    legend,
    rows: 1,
    cols: specs.length,
    panels: specs.map((figure, i) => ({ figure, row: 0, col: i })),
  });
}
