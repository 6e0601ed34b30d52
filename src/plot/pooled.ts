/**
 * Pooled fit (the coffee seed): the scatter of y against x ignoring groups, with the single `lm`
 * line (the library's `fitLm`, `y ~ x`) and its pointwise confidence band
 * ŷ(x) ± t(df, (1 + level)/2) · √([1 x] V [1 x]ᵀ), V = vcov of the fit.
 */
import * as Plot from "@observablehq/plot";
import type { DataSource } from "../data/column.ts";
import { quoteName } from "../formula/deparse.ts";
import { fitLm, type LmFit } from "../lm/fit-lm.ts";
import { qt } from "../special/quantiles.ts";
import { AXIS_MARGINS, axisScale, type FigureOptions, frameOf, titleOr } from "./figure-options.ts";
import { PlotError } from "./plot-error.ts";
import { completeRows } from "./plot-data.ts";
import { type FigureSpec, renderSvg } from "./render-svg.ts";
import { paletteColor, THEME } from "./theme.ts";

export interface PooledOptions extends FigureOptions {
  readonly x: string;
  readonly y: string;
  /** Confidence level of the band (default 0.95). */
  readonly level?: number;
  readonly xLabel?: string;
  readonly yLabel?: string;
}

/** The lm line and band on `npts` x values from `lo` to `hi`. */
export function lmBand(
  fit: LmFit,
  lo: number,
  hi: number,
  level = 0.95,
  npts = 80,
): { x: number; fit: number; lower: number; upper: number }[] {
  if (
    fit.xnames.length !== 2 ||
    fit.xnames[0] !== "(Intercept)" ||
    fit.beta.some((b) => !Number.isFinite(b))
  ) {
    throw new PlotError(
      "E_PLOT_BAD_MODEL",
      `the pooled line needs an lm with an intercept and one slope; ${fit.formula} has ${fit.xnames.join(", ")}`,
    );
  }
  const [b0, b1] = fit.beta;
  const V = fit.vcov;
  const t = fit.dfResidual > 0 ? qt((1 + level) / 2, fit.dfResidual) : Number.NaN;
  const out = [];
  for (let k = 0; k < npts; k++) {
    const x = lo + ((hi - lo) * k) / (npts - 1);
    const yhat = b0 + b1 * x;
    const se = Math.sqrt(Math.max(0, V[0][0] + 2 * x * V[0][1] + x * x * V[1][1]));
    out.push({ x, fit: yhat, lower: yhat - t * se, upper: yhat + t * se });
  }
  return out;
}

export function pooledSpec(data: DataSource, opts: PooledOptions): FigureSpec {
  const theme = opts.theme ?? THEME;
  const level = opts.level ?? 0.95;
  if (!(level > 0 && level < 1))
    throw new PlotError(
      "E_PLOT_BAD_OPTION",
      `the confidence level ${level} is not between 0 and 1`,
      "give e.g. 0.95",
    );
  const rows = completeRows(data, opts);
  const fit = fitLm(`${quoteName(opts.y)} ~ ${quoteName(opts.x)}`, data);
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const v of rows.x) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  const band = lmBand(fit, lo, hi, level);
  const pts = Array.from(rows.x, (x, i) => ({ x, y: rows.y[i] }));
  const blue = paletteColor(3, theme);
  const orange = paletteColor(0, theme);
  const pct = `${Math.round(level * 1000) / 10}%`;
  const marks: Plot.Markish[] = [
    Plot.dot(pts, {
      x: "x",
      y: "y",
      fill: blue,
      fillOpacity: rows.n > 500 ? 0.4 : 0.7,
      r: rows.n > 500 ? 2 : 3,
    }),
  ];
  if (band.every((b) => Number.isFinite(b.lower)))
    marks.push(Plot.areaY(band, { x: "x", y1: "lower", y2: "upper", fill: orange, fillOpacity: 0.3 }));
  marks.push(Plot.line(band, { x: "x", y: "fit", stroke: orange, strokeWidth: 2.5 }));
  const [b0, b1] = fit.beta;
  return {
    ...frameOf(opts, 640, 440),
    title: titleOr(opts, `${opts.y} ~ ${opts.x}: one pooled lm line`),
    subtitle: `${opts.y} = ${b0.toPrecision(4)} ${b1 < 0 ? "−" : "+"} ${Math.abs(b1).toPrecision(4)} · ${opts.x}   (n = ${fit.nobs}, R² = ${fit.rSquared.toFixed(3)}, σ = ${fit.sigma.toPrecision(4)})`,
    legend: [
      { label: "data", color: blue, kind: "dot" },
      { label: "lm line", color: orange },
      { label: `${pct} confidence band`, color: orange, kind: "band" },
    ],
    note: rows.note,
    plot: {
      ...AXIS_MARGINS,
      x: axisScale(opts.xLabel ?? opts.x),
      y: axisScale(opts.yLabel ?? opts.y),
      marks,
    },
  };
}

/** Scatter with the pooled lm line and its confidence band, as an SVG string. */
export function pooled(data: DataSource, opts: PooledOptions): string {
  return renderSvg(pooledSpec(data, opts));
}
