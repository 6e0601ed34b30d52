/**
 * The shared look of every figure: the Okabe–Ito colour-blind-safe palette, a generic font stack,
 * sizes. Figures take colours from here, never literals, so all figures (and the HTML report) agree.
 */

/**
 * Okabe & Ito (2008) "Color Universal Design": distinguishable under the common colour-vision
 * deficiencies. Ordered for use as categorical colours (black last: it is the population/reference
 * colour, `THEME.reference`).
 */
export const OKABE_ITO: readonly string[] = Object.freeze([
  "#E69F00", // orange
  "#56B4E9", // sky blue
  "#009E73", // bluish green
  "#0072B2", // blue
  "#D55E00", // vermillion
  "#CC79A7", // reddish purple
  "#F0E442", // yellow (weak on white: used last)
  "#000000", // black
]);

export interface Theme {
  /** Categorical colours, in order of use. */
  readonly palette: readonly string[];
  /** Data that is context, not the point (background lines, points of other groups). */
  readonly muted: string;
  /** Population / pooled / reference lines. */
  readonly reference: string;
  /** Text and axes. */
  readonly foreground: string;
  readonly background: string;
  /** A generic stack: DejaVu Sans where installed (and in PNG output), else the platform's sans-serif. */
  readonly fontFamily: string;
  /** Tick labels and legends, px. */
  readonly fontSize: number;
  /** Figure title, px. */
  readonly titleSize: number;
  /** Panel titles (facets, composite panels), px. */
  readonly panelTitleSize: number;
}

export const THEME: Theme = Object.freeze({
  palette: OKABE_ITO,
  muted: "#B8B8B8",
  reference: "#000000",
  foreground: "#222222",
  background: "#FFFFFF",
  fontFamily: "DejaVu Sans, Helvetica Neue, Helvetica, Arial, sans-serif",
  fontSize: 11,
  titleSize: 15,
  panelTitleSize: 12,
});

/** The i-th categorical colour (cycles; black is skipped while cycling so it stays the reference). */
export function paletteColor(i: number, theme: Theme = THEME): string {
  const cats = theme.palette.filter((c) => c !== theme.reference);
  const list = cats.length > 0 ? cats : theme.palette;
  return list[((i % list.length) + list.length) % list.length];
}
