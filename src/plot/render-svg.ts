/**
 * Observable Plot options → one standalone SVG string: the core renderer every figure uses.
 *
 * Plot draws the chart (scales, axes, ticks, marks) into an SVG element of a DOM document:
 * `linkedom`'s in Node, or the caller's (`spec.document`, e.g. the browser's `document`). Around it
 * we draw, as plain SVG, what Plot would otherwise emit as HTML: the title, subtitle, a legend and
 * a note. The result is deterministic: a fixed class name, ids renamed to `${idPrefix}-N`,
 * coordinates rounded to 0.01 px, no `<style>` element, all text as `<text>` (selectable).
 */
import * as Plot from "@observablehq/plot";
import { parseHTML } from "linkedom";
import { PlotError } from "./plot-error.ts";
import { el, escapeXml, nestSvg, num, roundCoordinates, stableIds, textWidth } from "./svg-markup.ts";
import { THEME, type Theme } from "./theme.ts";

/** One legend entry, drawn as a short line, a dot or a filled box in `color`. */
export interface LegendItem {
  readonly label: string;
  readonly color: string;
  /** Default "line". */
  readonly kind?: "line" | "dot" | "band";
  /** SVG stroke-dasharray of a "line" swatch, e.g. "4,3". */
  readonly dash?: string;
}

/** Everything around the chart, shared by single figures and composites. */
export interface FrameOptions {
  /** Whole figure, px (default 640 × 400). Integers from 50 to 20,000. */
  readonly width?: number;
  readonly height?: number;
  readonly title?: string;
  /** Title font size, px (default `theme.titleSize`; composites use `theme.panelTitleSize` for panels). */
  readonly titleSize?: number;
  readonly subtitle?: string;
  readonly legend?: readonly LegendItem[];
  /** Small grey text at the bottom (e.g. how many rows with missing values were dropped). */
  readonly note?: string;
  /** A DOM document for Plot to draw into; default a private linkedom document (Node). */
  readonly document?: PlotDocument;
  /** Prefix of the figure's ids (default "mm"): give figures shown on one page distinct prefixes. */
  readonly idPrefix?: string;
  readonly theme?: Theme;
}

export interface FigureSpec extends FrameOptions {
  /**
   * Observable Plot options for the chart: marks, scales, facets, margins. `width`, `height`,
   * `document`, `className` and `style` are set by the renderer; `title`, `subtitle`, `caption`
   * and colour legends would make Plot return HTML, so they are refused: use the spec's own
   * `title`, `subtitle`, `legend` and `note`.
   */
  readonly plot: Plot.PlotOptions;
}

export const DEFAULT_WIDTH = 640;
export const DEFAULT_HEIGHT = 400;
const MIN_SIZE = 50;
const MAX_SIZE = 20000;
const PAD = 10;

/**
 * A DOM document for Observable Plot: a browser's `document`, or linkedom's. Typed loosely (the
 * library compiles without the DOM type library).
 */
export type PlotDocument = object;

/** The part of a DOM element the renderer touches. */
interface DomElement {
  setAttribute(name: string, value: string): void;
  querySelectorAll(selector: string): ArrayLike<{ remove(): void }>;
  readonly outerHTML: string;
}

let defaultDocument: PlotDocument | undefined;

/** The private linkedom document used when the caller passes none. */
export function nodeDocument(): PlotDocument {
  if (defaultDocument === undefined) {
    defaultDocument = parseHTML("<!DOCTYPE html><html><head></head><body></body></html>")
      .document as PlotDocument;
  }
  return defaultDocument;
}

/** Throws E_PLOT_BAD_SIZE unless `v` is an integer number of px from 50 to 20,000. */
export function checkSize(v: number, what: string): number {
  if (!Number.isInteger(v) || v < MIN_SIZE || v > MAX_SIZE) {
    throw new PlotError(
      "E_PLOT_BAD_SIZE",
      `the figure ${what} ${Number.isFinite(v) ? v : String(v)} is not a whole number of pixels from ${MIN_SIZE} to ${MAX_SIZE}`,
      `give a ${what} such as ${what === "width" ? DEFAULT_WIDTH : DEFAULT_HEIGHT}`,
    );
  }
  return v;
}

/** Lay out a legend in rows that fit `width`; returns its markup and height. */
export function legendSvg(
  items: readonly LegendItem[],
  x: number,
  y: number,
  width: number,
  theme: Theme,
): { svg: string; height: number } {
  if (items.length === 0) return { svg: "", height: 0 };
  const fs = theme.fontSize;
  const rowH = Math.round(fs * 1.7);
  const swatch = 18;
  let cx = 0;
  let row = 0;
  const parts: string[] = [];
  for (const it of items) {
    const w = swatch + 5 + textWidth(it.label, fs) + 14;
    if (cx > 0 && cx + w > width) {
      row++;
      cx = 0;
    }
    const sx = x + cx;
    const sy = y + row * rowH + rowH / 2;
    const kind = it.kind ?? "line";
    let mark: string;
    if (kind === "dot") mark = el("circle", { cx: sx + swatch / 2, cy: sy, r: 3.5, fill: it.color });
    else if (kind === "band")
      mark = el("rect", { x: sx, y: sy - 5, width: swatch, height: 10, fill: it.color, "fill-opacity": 0.3 });
    else
      mark = el("line", {
        x1: sx,
        x2: sx + swatch,
        y1: sy,
        y2: sy,
        stroke: it.color,
        "stroke-width": 2,
        "stroke-dasharray": it.dash,
      });
    parts.push(mark, el("text", { x: sx + swatch + 5, y: sy, dy: "0.32em" }, escapeXml(it.label)));
    cx += w;
  }
  return {
    svg: el("g", { "aria-label": "legend", "font-size": fs, "text-anchor": "start" }, parts.join("")),
    height: (row + 1) * rowH,
  };
}

interface Frame {
  readonly width: number;
  readonly height: number;
  /** Chart area inside the frame. */
  readonly top: number;
  readonly chartHeight: number;
  /** Title, subtitle, legend and note markup. */
  readonly decorations: string;
  readonly theme: Theme;
  readonly prefix: string;
}

/** Validate the size and lay out title/subtitle/legend (top) and note (bottom). */
export function layoutFrame(opts: FrameOptions): Frame {
  const theme = opts.theme ?? THEME;
  const width = checkSize(opts.width ?? DEFAULT_WIDTH, "width");
  const height = checkSize(opts.height ?? DEFAULT_HEIGHT, "height");
  const parts: string[] = [];
  let top = 4;
  if (opts.title) {
    const titleSize = opts.titleSize ?? theme.titleSize;
    top += titleSize * 1.4;
    parts.push(
      el(
        "text",
        { x: PAD, y: top, "font-size": titleSize, "font-weight": "bold", "text-anchor": "start" },
        escapeXml(opts.title),
      ),
    );
    top += 4;
  }
  if (opts.subtitle) {
    top += theme.fontSize * 1.4;
    parts.push(
      el(
        "text",
        { x: PAD, y: top, "font-size": theme.fontSize, "text-anchor": "start", fill: "#555555" },
        escapeXml(opts.subtitle),
      ),
    );
    top += 2;
  }
  if (opts.legend && opts.legend.length > 0) {
    const lg = legendSvg(opts.legend, PAD, top + 2, width - 2 * PAD, theme);
    parts.push(lg.svg);
    top += lg.height + 2;
  }
  let bottom = height;
  if (opts.note) {
    const fs = theme.fontSize - 1;
    parts.push(
      el(
        "text",
        { x: width - PAD, y: height - 5, "font-size": fs, "text-anchor": "end", fill: "#666666" },
        escapeXml(opts.note),
      ),
    );
    bottom -= fs * 1.6;
  }
  top = Math.round(top);
  const chartHeight = Math.floor(bottom - top);
  if (chartHeight < 40) {
    throw new PlotError(
      "E_PLOT_BAD_SIZE",
      `the figure height ${height} leaves ${Math.max(0, chartHeight)} px for the chart under its title and legend`,
      "give a larger height",
    );
  }
  return {
    width,
    height,
    top,
    chartHeight,
    decorations: parts.join(""),
    theme,
    prefix: opts.idPrefix ?? "mm",
  };
}

/** The outer `<svg>` of a figure: background, decorations, body; ids made stable. */
export function wrapFrame(frame: Frame, body: string, label?: string): string {
  const { width, height, theme } = frame;
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}"` +
    ` font-family="${escapeXml(theme.fontFamily)}" font-size="${num(theme.fontSize)}" fill="${theme.foreground}"` +
    ` color="${theme.foreground}" text-anchor="middle"${label ? ` aria-label="${escapeXml(label)}"` : ""}>` +
    el("rect", { width, height, fill: theme.background }) +
    frame.decorations +
    body +
    "</svg>";
  return stableIds(roundCoordinates(svg), frame.prefix);
}

/** Serialise a DOM element: XMLSerializer where the platform has one (browsers), else outerHTML. */
function serialize(node: DomElement): string {
  const XS = (globalThis as { XMLSerializer?: new () => { serializeToString(n: unknown): string } })
    .XMLSerializer;
  return XS ? new XS().serializeToString(node) : node.outerHTML;
}

/** Run Plot for a chart of `width` × `height` px and return its standalone `<svg>` markup. */
export function plotChartSvg(
  plot: Plot.PlotOptions,
  width: number,
  height: number,
  theme: Theme = THEME,
  document: PlotDocument = nodeDocument(),
): string {
  const bad = (["title", "subtitle", "caption"] as const).filter((k) => plot[k] !== undefined);
  if (bad.length > 0 || plot.color?.legend || plot.symbol?.legend || plot.opacity?.legend || plot.r?.legend) {
    throw new PlotError(
      "E_PLOT_BAD_OPTION",
      `Plot options ${bad.length > 0 ? bad.join(", ") : "legend"} would make Observable Plot return HTML, not SVG`,
      "use the figure spec's title, subtitle, legend and note instead",
    );
  }
  const node = Plot.plot({
    ...plot,
    width,
    height,
    document: document as Plot.PlotOptions["document"],
    className: "mm-plot",
  }) as unknown as DomElement;
  // presentation attributes (not a style attribute): every SVG renderer, resvg included, reads them
  node.setAttribute("font-family", theme.fontFamily);
  node.setAttribute("font-size", String(theme.fontSize));
  // Plot's <style> only matters for HTML embedding (display/max-width); drop it
  for (const s of Array.from(node.querySelectorAll("style"))) s.remove();
  return serialize(node);
}

/**
 * Render a figure: Plot's chart under the title/legend, as one standalone SVG string
 * (`<svg xmlns=…>`; valid XML, real `<text>` elements).
 */
export function renderSvg(spec: FigureSpec): string {
  const frame = layoutFrame(spec);
  const chart = plotChartSvg(spec.plot, frame.width, frame.chartHeight, frame.theme, spec.document);
  return wrapFrame(frame, nestSvg(chart, 0, frame.top, frame.width, frame.chartHeight), spec.title);
}
