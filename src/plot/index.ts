/**
 * mixedmodels/plot: figures of data and fitted models as SVG strings (PNG from the Node layer:
 * `svgToPng` in mixedmodels/node, `mixed plot … -o FILE.png`). A separate entry so that a user who
 * never plots never loads the plotting library; it imports the core, never the other way.
 *
 * ## Foundation (for every figure)
 * - `renderSvg(spec)`: Observable Plot options (`spec.plot`) + frame (`width`, `height`, `title`,
 *   `subtitle`, `legend: LegendItem[]`, `note`, `document`, `idPrefix`, `theme`) → one standalone,
 *   deterministic SVG string (fixed class, ids `${idPrefix}-N`, coordinates to 0.01 px, real
 *   `<text>`). Plot draws into linkedom's document in Node, or `spec.document` (a browser's).
 *   Titles/legends are drawn by us as SVG (Plot's own are HTML), so don't put `title`/`caption`/
 *   colour `legend` in `spec.plot` (E_PLOT_BAD_OPTION).
 * - `composePanels({rows, cols, panels: [{figure, row, col, rowSpan?, colSpan?}], title, …})`:
 *   several panels (SVG strings or `FigureSpec`s, rendered at their cell size) on a grid in one SVG.
 * - `THEME` / `OKABE_ITO` / `paletteColor(i)`: the colour-blind-safe palette, the reference
 *   (population) colour, a grey for context data, a generic font stack, sizes.
 * - Internal helpers for figure authors (import them from their files; not part of the entry):
 *   figure-options.ts `axisScale(label)`, `AXIS_MARGINS`, `formatTick`, `titleOr`, `frameOf`;
 *   plot-data.ts `completeRows(data, {x, y, group, onWarning})` (numeric x/y, group codes,
 *   incomplete rows dropped with a `rows_dropped` warning and a `note`), `numericValues`,
 *   `groupValues`, `plotColumn`; fit-lines.ts `olsLine(x, y)`, `populationLine(fit |
 *   {intercept, slope}, x)`, `conditionalLines(fit, group, x)`; render-svg.ts `checkSize`,
 *   `layoutFrame`/`wrapFrame`/`plotChartSvg` (to wrap a chart drawn some other way), `legendSvg`;
 *   svg-markup.ts `el`, `escapeXml`, `stableIds`, `nestSvg`; theme.ts `paletteColor(i)`.
 * - Errors: `PlotError` with codes E_PLOT_UNKNOWN_COLUMN, E_PLOT_NON_NUMERIC, E_PLOT_NO_COMPLETE_ROWS,
 *   E_PLOT_BAD_SIZE (sizes are whole px from 50 to 20,000), E_PLOT_UNKNOWN_KIND, E_PLOT_BAD_MODEL,
 *   E_PLOT_BAD_OPTION.
 * - Every figure function: `(data or fit, options: FigureOptions & …) => string`; options
 *   `width`, `height`, `title` ("" = none; default from column names), `document`, `theme`,
 *   `idPrefix`, `onWarning`. Each also has a `…Spec` form returning a `FigureSpec` for composites.
 *
 * ## Adding a figure to `mixed plot`
 * The CLI dispatches through the `PLOT_KINDS` table in src/cli/commands/plot.ts: one entry per
 * KIND (`{ summary, needsFormula, make(ctx) => svg }`); unknown kinds fail with
 * E_PLOT_UNKNOWN_KIND listing the table's keys.
 *
 * ## Generalized models
 * `residualPlot`, `qqPlot`, `caterpillar` and `shrinkage` also take GLMM fits (`fitGlmm`), the first
 * two GLM fits (`fitGlm`): Pearson residuals by default (`residualType: "deviance"` for deviance
 * residuals) against the linear predictor; binned residuals (`binnedResiduals`, Gelman & Hill /
 * arm) for 0/1 responses; QQ of the conditional modes; shrinkage against per-group GLMs
 * (`groupGlm`). `fittedCurves(glmmFit, data, {x})`: per-group fitted curves on the response scale.
 *
 * ## Large data
 * Scatters of more than `THIN_ABOVE` (4,000) points are drawn thinned (thin-points.ts): residual
 * clouds as shaded density cells plus the sparse points, QQ curves with a few points per grid cell
 * (every tail point kept). Smoothers and reference lines use every point.
 *
 * Snapshot tests: test/helpers/svg-snapshot.ts (`assertSvgSnapshot(name, svg)`,
 * test/snapshots/plot/<name>.svg, `UPDATE_SNAPSHOTS=1` to write).
 */

// foundation (figure authors inside the library also use the helpers named above, from their files)
export type { Theme } from "./theme.ts";
export { OKABE_ITO, THEME } from "./theme.ts";
export type { FigureSpec, FrameOptions, LegendItem, PlotDocument } from "./render-svg.ts";
export { renderSvg } from "./render-svg.ts";
/** Observable Plot, the library the figures are drawn with (its marks, for `renderSvg` specs). */
export * as Plot from "@observablehq/plot";
export type { CompositeSpec, PanelCell } from "./compose-panels.ts";
export { composePanels } from "./compose-panels.ts";
export type { FigureOptions, XYGroupOptions } from "./figure-options.ts";
export type { Line, LineSource } from "./fit-lines.ts";
export { PlotError } from "./plot-error.ts";

// data figures
export type { TrajectoriesOptions } from "./trajectories.ts";
export { trajectories, trajectoriesSpec } from "./trajectories.ts";
export type { BetweenWithinOptions } from "./between-within.ts";
export { betweenWithin, betweenWithinSpecs } from "./between-within.ts";
export type { FacetsOptions } from "./facets.ts";
export { facets, facetsSpec } from "./facets.ts";
export type { PooledOptions } from "./pooled.ts";
export { pooled, pooledSpec } from "./pooled.ts";
export type { PanelOptions } from "./panel.ts";
export { panel } from "./panel.ts";

// model figures (fitted LmmFit; GlmmFit and GlmFit for the diagnostics → SVG)
export type { DiagnosticFit, ResidualType } from "./diagnostic-residuals.ts";
export type { CaterpillarOptions } from "./caterpillar.ts";
export { caterpillar } from "./caterpillar.ts";
export type { ResidualPanel, ResidualPlotOptions } from "./residual-plot.ts";
export { residualPlot } from "./residual-plot.ts";
export type { QqPlotOptions } from "./qq-plot.ts";
export { qqPlot } from "./qq-plot.ts";
export type { ShrinkageData, ShrinkageOptions } from "./shrinkage.ts";
export { shrinkage, shrinkageData } from "./shrinkage.ts";
export type { FittedCurvesOptions } from "./fitted-curves.ts";
export { fittedCurves } from "./fitted-curves.ts";
export type { ResidualBin } from "./binned-residuals.ts";
export { binnedResiduals } from "./binned-residuals.ts";

// inference figures (profiles, bootstrap replicates)
export type { ProfileZetaOptions } from "./profile-zeta.ts";
export { profileZeta } from "./profile-zeta.ts";
export type { BootstrapDensitiesOptions } from "./bootstrap-densities.ts";
export { bootstrapDensities } from "./bootstrap-densities.ts";

// posterior draws (trace, rank and density plots)
export type { PosteriorDraws, PosteriorPlotOptions } from "./posterior-plots.ts";
export { posteriorDensity, rankPlot, tracePlot } from "./posterior-plots.ts";
