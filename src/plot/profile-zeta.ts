/**
 * lme4's profile zeta plot (`xyplot(profile(m))`): for each parameter, ζ — the signed square root of
 * the ML deviance's rise with that parameter held fixed — against the parameter, with the
 * confidence limits where ζ crosses ±z (dashed) and the straight line a quadratic (Wald-like)
 * profile would follow through the estimate (dotted). A curved ζ shows where a Wald interval fails.
 */
import * as Plot from "@observablehq/plot";
import type { ProfileResult } from "../inference/confint-result.ts";
import { composePanels } from "./compose-panels.ts";
import { AXIS_MARGINS, axisScale, type FigureOptions, frameOf, titleOr } from "./figure-options.ts";
import { PlotError } from "./plot-error.ts";
import type { FigureSpec } from "./render-svg.ts";
import { paletteColor, THEME } from "./theme.ts";

export type ProfileZetaOptions = FigureOptions;

/** One panel per parameter. */
export function profileZetaSpecs(prof: ProfileResult, opts: ProfileZetaOptions = {}): FigureSpec[] {
  const theme = opts.theme ?? THEME;
  const specs = prof.curves
    .filter((c) => c.x.length >= 2)
    .map((c, i) => {
      const pts = c.x.map((x, k) => ({ x, zeta: c.zeta[k] }));
      const lo = prof.lower[prof.parameters.indexOf(c.parameter)];
      const hi = prof.upper[prof.parameters.indexOf(c.parameter)];
      // the straight line through the estimate with the slope of the profile's ends (a quadratic deviance)
      const slope =
        Number.isFinite(lo) && Number.isFinite(hi) && hi > lo ? (2 * prof.z) / (hi - lo) : Number.NaN;
      const marks: Plot.Markish[] = [
        Plot.ruleY([-prof.z, prof.z], { stroke: theme.reference, strokeDasharray: "5,3" }),
        Plot.ruleY([0], { stroke: "#bbbbbb" }),
      ];
      if (Number.isFinite(slope)) {
        const ends = [c.x[0], c.x[c.x.length - 1]].map((x) => ({ x, zeta: slope * (x - c.estimate) }));
        marks.push(Plot.line(ends, { x: "x", y: "zeta", stroke: "#888888", strokeDasharray: "2,3" }));
      }
      marks.push(
        Plot.line(pts, { x: "x", y: "zeta", stroke: paletteColor(i, theme), strokeWidth: 2 }),
        Plot.dot(pts, { x: "x", y: "zeta", fill: paletteColor(i, theme), r: 2 }),
      );
      return {
        title: c.parameter,
        theme: opts.theme,
        document: opts.document,
        plot: { ...AXIS_MARGINS, x: axisScale(c.parameter), y: axisScale("ζ"), marks },
      } satisfies FigureSpec;
    });
  if (specs.length === 0) throw new PlotError("E_PLOT_BAD_MODEL", "the profile has no curves to plot");
  return specs;
}

/** The zeta plots of a profile as one SVG string. */
export function profileZeta(prof: ProfileResult, opts: ProfileZetaOptions = {}): string {
  const specs = profileZetaSpecs(prof, opts);
  const cols = Math.min(3, specs.length);
  const rows = Math.ceil(specs.length / cols);
  return composePanels({
    ...frameOf(opts, 40 + 320 * cols, 50 + 280 * rows),
    title: titleOr(opts, `Profile zeta plots (ML deviance), ${Math.round(prof.level * 100)}% limits dashed`),
    rows,
    cols,
    panels: specs.map((figure, i) => ({ figure, row: Math.floor(i / cols), col: i % cols })),
  });
}
