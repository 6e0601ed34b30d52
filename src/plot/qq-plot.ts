/**
 * Normal QQ plots of a fitted model: the standardised residuals and the conditional modes of each
 * random-effect term (one panel each), each with R's `qqline` reference line through the
 * quartiles. GLMMs: the conditional modes only by default (their Pearson or deviance residuals
 * are not normal under the model; ask for them with `residuals: true`); GLMs: the residuals
 * (Pearson by default, or deviance as R's `plot(glm)`). Samples of more than a few thousand values
 * are thinned along the curve (every tail point kept; the line uses every value).
 */
import * as Plot from "@observablehq/plot";
import { composePanels } from "./compose-panels.ts";
import { type DiagnosticFit, diagnosticResiduals, type ResidualType } from "./diagnostic-residuals.ts";
import { AXIS_MARGINS, axisScale, type FigureOptions, frameOf, titleOr } from "./figure-options.ts";
import { PlotError } from "./plot-error.ts";
import { qqData } from "./qq-points.ts";
import type { FigureSpec } from "./render-svg.ts";
import { paletteColor, THEME } from "./theme.ts";
import { thinNote, thinPoints } from "./thin-points.ts";

export interface QqPlotOptions extends FigureOptions {
  /** Include the residuals panel (default true; false for GLMMs). */
  readonly residuals?: boolean;
  /** GLM/GLMM residuals: "pearson" (default) or "deviance". Ignored for linear mixed models. */
  readonly residualType?: ResidualType;
  /** Include one panel per random-effect term (default true). */
  readonly randomEffects?: boolean;
}

/** A QQ panel of `values` titled `title`, the y axis labelled `yLabel`. */
export function qqSpec(
  values: ArrayLike<number>,
  title: string,
  yLabel: string,
  opts: FigureOptions = {},
): FigureSpec {
  const theme = opts.theme ?? THEME;
  const q = qqData(values);
  if (q.points.length === 0)
    throw new PlotError("E_PLOT_BAD_MODEL", `no finite values for the QQ plot of ${title}`);
  const marks: Plot.Markish[] = [];
  if (q.points.length >= 2 && Number.isFinite(q.slope)) {
    const t = q.points.map((p) => p.theoretical);
    const ends = [t[0], t[t.length - 1]].map((x) => ({ x, y: q.intercept + q.slope * x }));
    marks.push(
      Plot.line(ends, { x: "x", y: "y", stroke: theme.reference, strokeDasharray: "5,3", strokeWidth: 1.5 }),
    );
  }
  const many = q.points.length > 2000;
  // a QQ sample is a monotone curve: one or two points per cell of the grid trace it
  const thin = thinPoints(
    q.points,
    (p) => p.theoretical,
    (p) => p.sample,
    { perCell: 2 },
  );
  marks.push(
    Plot.dot(thin.points, {
      x: "theoretical",
      y: "sample",
      fill: paletteColor(3, theme),
      fillOpacity: many ? 0.4 : 0.75,
      r: many ? 1.2 : 2.4,
    }),
  );
  return {
    title,
    theme: opts.theme,
    document: opts.document,
    note: thinNote(thin),
    plot: {
      ...AXIS_MARGINS,
      x: axisScale("standard normal quantiles"),
      y: axisScale(yLabel),
      marks,
    },
  };
}

/** The panels: residuals first, then each factor's terms. */
export function qqSpecs(fit: DiagnosticFit, opts: QqPlotOptions = {}): FigureSpec[] {
  const inner = { theme: opts.theme, document: opts.document };
  const specs: FigureSpec[] = [];
  if (opts.residuals ?? fit.kind !== "glmm") {
    const d = diagnosticResiduals(fit, opts.residualType);
    specs.push(qqSpec(d.s, "Residuals", d.sLabel, inner));
  }
  if ((opts.randomEffects ?? true) && fit.kind !== "glm")
    for (const [f, r] of Object.entries(fit.ranef))
      r.terms.forEach((term, s) => {
        specs.push(
          qqSpec(
            r.values.map((v) => v[s]),
            `${f}: ${term}`,
            "conditional modes",
            inner,
          ),
        );
      });
  if (specs.length === 0)
    throw new PlotError(
      "E_PLOT_BAD_OPTION",
      "the QQ figure has no panels: ask for residuals and/or random effects",
    );
  return specs;
}

/** The QQ plots as one SVG string (a grid of panels). */
export function qqPlot(fit: DiagnosticFit, opts: QqPlotOptions = {}): string {
  const specs = qqSpecs(fit, opts);
  const cols = Math.min(3, specs.length);
  const rows = Math.ceil(specs.length / cols);
  return composePanels({
    ...frameOf(opts, 40 + 340 * cols, 50 + 320 * rows),
    title: titleOr(opts, `Normal QQ plots: ${fit.formula}`),
    rows,
    cols,
    panels: specs.map((figure, i) => ({ figure, row: Math.floor(i / cols), col: i % cols })),
  });
}
