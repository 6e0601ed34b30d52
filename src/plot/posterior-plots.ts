/**
 * Figures of posterior draws from several chains (the sampler's output): trace plots (each chain's
 * draws by iteration), rank plots (Vehtari et al. 2021: histograms of each chain's ranks among all
 * draws; flat when the chains mix) and densities (one kernel density per chain). One panel per
 * variable; chains in the colour-blind-safe palette.
 */
import * as Plot from "@observablehq/plot";
import { composePanels } from "./compose-panels.ts";
import { AXIS_MARGINS, axisScale, type FigureOptions, frameOf, titleOr } from "./figure-options.ts";
import { kde } from "./kde.ts";
import { PlotError } from "./plot-error.ts";
import type { FigureSpec, LegendItem } from "./render-svg.ts";
import { paletteColor, THEME } from "./theme.ts";

/** Draws by chain: `chains[c][k]` holds chain c's draws of `variables[k]`, in iteration order. */
export interface PosteriorDraws {
  readonly variables: readonly string[];
  readonly chains: readonly (readonly ArrayLike<number>[])[];
}

export interface PosteriorPlotOptions extends FigureOptions {
  /** Variables to show (default: all, at most `maxVariables`). */
  readonly variables?: readonly string[];
  /** Default 12: the first variables when none are named. */
  readonly maxVariables?: number;
  /** Rank plots: number of bins (default 20). */
  readonly bins?: number;
}

type Kind = "trace" | "rank" | "density";

function chosen(d: PosteriorDraws, opts: PosteriorPlotOptions): number[] {
  if (d.chains.length === 0) throw new PlotError("E_PLOT_BAD_MODEL", "there are no chains to plot");
  const names = opts.variables ?? d.variables.slice(0, opts.maxVariables ?? 12);
  return names.map((n) => {
    const k = d.variables.indexOf(n);
    if (k < 0)
      throw new PlotError(
        "E_PLOT_BAD_OPTION",
        `no variable '${n}' among the draws`,
        `variables: ${d.variables.slice(0, 20).join(", ")}${d.variables.length > 20 ? ", …" : ""}`,
      );
    return k;
  });
}

function panel(d: PosteriorDraws, k: number, kind: Kind, opts: PosteriorPlotOptions): FigureSpec {
  const theme = opts.theme ?? THEME;
  const name = d.variables[k];
  const marks: Plot.Markish[] = [];
  let x = axisScale("iteration");
  let y = axisScale(name);
  if (kind === "trace") {
    d.chains.forEach((ch, c) => {
      const v = ch[k];
      const pts = Array.from({ length: v.length }, (_, i) => ({ i: i + 1, v: v[i] }));
      marks.push(
        Plot.line(pts, {
          x: "i",
          y: "v",
          stroke: paletteColor(c, theme),
          strokeWidth: 0.7,
          strokeOpacity: 0.8,
        }),
      );
    });
  } else if (kind === "density") {
    x = axisScale(name);
    y = axisScale("density");
    d.chains.forEach((ch, c) => {
      const den = kde(ch[k]);
      const pts = den.x.map((t, i) => ({ t, y: den.y[i] }));
      marks.push(Plot.line(pts, { x: "t", y: "y", stroke: paletteColor(c, theme), strokeWidth: 1.6 }));
    });
  } else {
    // ranks among all draws (ties averaged), binned per chain
    const bins = opts.bins ?? 20;
    const all: { v: number; c: number }[] = [];
    d.chains.forEach((ch, c) => {
      for (let i = 0; i < ch[k].length; i++) all.push({ v: ch[k][i], c });
    });
    all.sort((a, b) => a.v - b.v);
    const total = all.length;
    const counts = d.chains.map(() => new Array<number>(bins).fill(0));
    let i = 0;
    while (i < total) {
      let j = i;
      while (j + 1 < total && all[j + 1].v === all[i].v) j++;
      const rank = (i + j) / 2; // 0-based average rank
      for (let t = i; t <= j; t++) counts[all[t].c][Math.min(bins - 1, Math.floor((rank / total) * bins))]++;
      i = j + 1;
    }
    x = axisScale("rank (bins of all draws)");
    y = axisScale("count");
    const expected = total / d.chains.length / bins;
    marks.push(Plot.ruleY([expected], { stroke: theme.reference, strokeDasharray: "5,3" }));
    counts.forEach((cs, c) => {
      const pts = cs.flatMap((n, b) => [
        { b, n },
        { b: b + 1, n },
      ]);
      marks.push(Plot.line(pts, { x: "b", y: "n", stroke: paletteColor(c, theme), strokeWidth: 1.4 }));
    });
  }
  return { title: name, theme: opts.theme, document: opts.document, plot: { ...AXIS_MARGINS, x, y, marks } };
}

function figure(d: PosteriorDraws, kind: Kind, title: string, opts: PosteriorPlotOptions): string {
  const ks = chosen(d, opts);
  const specs = ks.map((k) => panel(d, k, kind, opts));
  const cols = Math.min(kind === "trace" ? 2 : 3, specs.length);
  const rows = Math.ceil(specs.length / cols);
  const legend: LegendItem[] = d.chains.map((_, c) => ({
    label: `chain ${c + 1}`,
    color: paletteColor(c, opts.theme ?? THEME),
    kind: "line",
  }));
  return composePanels({
    ...frameOf(opts, 40 + (kind === "trace" ? 480 : 320) * cols, 80 + 240 * rows),
    title: titleOr(opts, title),
    legend,
    rows,
    cols,
    panels: specs.map((f, i) => ({ figure: f, row: Math.floor(i / cols), col: i % cols })),
  });
}

/** Trace plots: each chain's draws by iteration. */
export function tracePlot(d: PosteriorDraws, opts: PosteriorPlotOptions = {}): string {
  return figure(d, "trace", "Trace plots", opts);
}

/** Rank plots: per chain, the histogram of its draws' ranks among all chains (flat = mixing). */
export function rankPlot(d: PosteriorDraws, opts: PosteriorPlotOptions = {}): string {
  return figure(d, "rank", "Rank plots (flat when the chains mix)", opts);
}

/** Posterior densities, one curve per chain. */
export function posteriorDensity(d: PosteriorDraws, opts: PosteriorPlotOptions = {}): string {
  return figure(d, "density", "Posterior densities by chain", opts);
}
