/** Options every figure function takes, and the column choices of data figures. */
import type { Warning } from "../errors.ts";
import type { PlotDocument } from "./render-svg.ts";
import type { Theme } from "./theme.ts";

export interface FigureOptions {
  /** Whole figure in px (each figure has its own default). */
  readonly width?: number;
  readonly height?: number;
  /** Default: made from the column names; "" for none. */
  readonly title?: string;
  /** DOM document for Observable Plot (default: linkedom's, in Node). */
  readonly document?: PlotDocument;
  readonly theme?: Theme;
  /** Prefix of the SVG ids (default "mm"): distinct prefixes for figures inlined in one page. */
  readonly idPrefix?: string;
  /** Receives warnings (rows dropped for missing values, groups left out). */
  readonly onWarning?: (w: Warning) => void;
}

/** Which columns a data figure plots. */
export interface XYGroupOptions extends FigureOptions {
  readonly x: string;
  readonly y: string;
  readonly group: string;
  /** Axis labels (default: the column names). */
  readonly xLabel?: string;
  readonly yLabel?: string;
}

/** The title: the caller's (empty string = none), else the default. */
export function titleOr(opts: FigureOptions, fallback: string): string | undefined {
  return opts.title === undefined ? fallback : opts.title === "" ? undefined : opts.title;
}

/** The frame options shared by every figure (size, document, theme, ids). */
export function frameOf(opts: FigureOptions, width: number, height: number) {
  return {
    width: opts.width ?? width,
    height: opts.height ?? height,
    document: opts.document,
    theme: opts.theme,
    idPrefix: opts.idPrefix,
  };
}

const TICK_FORMAT = new Intl.NumberFormat("en-US", { useGrouping: false, maximumFractionDigits: 6 });

/** Tick labels: no digit grouping (years read 1960, not 1,960), a typographic minus. */
export function formatTick(v: number): string {
  return TICK_FORMAT.format(v).replace("-", "\u2212");
}

/** Scale options for an axis titled by `label` (centred, no arrow), with grid lines. */
export function axisScale(label: string) {
  return {
    label,
    labelAnchor: "center" as const,
    labelArrow: "none" as const,
    grid: true,
    nice: true,
    tickFormat: formatTick,
  };
}

/** Margins that leave room for centred axis titles. */
export const AXIS_MARGINS = { marginLeft: 58, marginBottom: 42, marginTop: 12, marginRight: 16 } as const;
