/**
 * Densities of parametric-bootstrap replicates (one panel per parameter: standard deviations,
 * correlations, σ and fixed effects), each with the fitted value (solid) and the percentile
 * interval (dashed), as one looks at `bootMer` output.
 */
import * as Plot from "@observablehq/plot";
import type { BootstrapTable } from "../inference/bootstrap.ts";
import { quantile7 } from "../report/quantile.ts";
import { composePanels } from "./compose-panels.ts";
import { AXIS_MARGINS, axisScale, type FigureOptions, frameOf, titleOr } from "./figure-options.ts";
import { kde } from "./kde.ts";
import { PlotError } from "./plot-error.ts";
import type { FigureSpec } from "./render-svg.ts";
import { paletteColor, THEME } from "./theme.ts";

export interface BootstrapDensitiesOptions extends FigureOptions {
  /** Columns to show (default: every column but θ and the criterion). */
  readonly parameters?: readonly string[];
  /** The fitted values, by column name, marked on each panel. */
  readonly estimates?: Readonly<Record<string, number>>;
  /** Level of the percentile interval (default 0.95). */
  readonly level?: number;
}

export function bootstrapDensitySpecs(
  table: BootstrapTable,
  opts: BootstrapDensitiesOptions = {},
): FigureSpec[] {
  const theme = opts.theme ?? THEME;
  const level = opts.level ?? 0.95;
  const names = opts.parameters ?? table.columns.filter((c) => !c.startsWith("theta_") && c !== "objective");
  return names.map((name, i) => {
    const c = table.columns.indexOf(name);
    if (c < 0)
      throw new PlotError(
        "E_PLOT_BAD_OPTION",
        `the bootstrap table has no column '${name}'`,
        `columns: ${table.columns.join(", ")}`,
      );
    const v = table.rows.map((r) => r[c]).filter(Number.isFinite);
    if (v.length < 2) throw new PlotError("E_PLOT_BAD_MODEL", `fewer than 2 finite replicates of '${name}'`);
    v.sort((a, b) => a - b);
    const d = kde(v);
    const pts = d.x.map((x, k) => ({ x, y: d.y[k] }));
    const a = (1 - level) / 2;
    const marks: Plot.Markish[] = [
      Plot.areaY(pts, { x: "x", y: "y", fill: paletteColor(i, theme), fillOpacity: 0.25 }),
      Plot.line(pts, { x: "x", y: "y", stroke: paletteColor(i, theme), strokeWidth: 1.8 }),
      Plot.ruleX([quantile7(v, a), quantile7(v, 1 - a)], { stroke: theme.reference, strokeDasharray: "5,3" }),
    ];
    const est = opts.estimates?.[name];
    if (est !== undefined && Number.isFinite(est))
      marks.push(Plot.ruleX([est], { stroke: theme.reference, strokeWidth: 1.8 }));
    return {
      title: name,
      theme: opts.theme,
      document: opts.document,
      plot: { ...AXIS_MARGINS, x: axisScale(name), y: axisScale("density"), marks },
    } satisfies FigureSpec;
  });
}

/** The replicates' densities as one SVG string. */
export function bootstrapDensities(table: BootstrapTable, opts: BootstrapDensitiesOptions = {}): string {
  const specs = bootstrapDensitySpecs(table, opts);
  const cols = Math.min(3, specs.length);
  const rows = Math.ceil(specs.length / cols);
  return composePanels({
    ...frameOf(opts, 40 + 320 * cols, 50 + 260 * rows),
    title: titleOr(opts, `Parametric bootstrap: ${table.rows.length} replicates (seed ${table.seed})`),
    rows,
    cols,
    panels: specs.map((figure, i) => ({ figure, row: Math.floor(i / cols), col: i % cols })),
  });
}
