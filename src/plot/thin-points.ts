/**
 * Deterministic thinning of large scatters for drawing (thousands of SVG dots make big, slow
 * figures that show no more than a few hundred would). Two ways, both over a grid of cells on the
 * points' extents:
 * - `thinPoints`: each cell keeps at most `perCell` of its points (the first in input order). For
 *   points along a curve (QQ plots) a grid of dot-sized cells keeps the curve's shape, every point
 *   of its sparse tails, and a few hundred points in all.
 * - `densityCells`: for clouds (residuals against fitted values), cells holding more than `sparse`
 *   points are drawn as one shaded rectangle (darker = more points, in a few steps of log count),
 *   and the points of the other cells individually: the dense middle becomes a density map, the
 *   tails and outliers stay points.
 * Summaries drawn over the points (running means, QQ lines) are computed from all of them.
 *
 * Below `THIN_ABOVE` points nothing changes, so figures of small data are as before.
 */

/** Scatters with more points than this are thinned. */
export const THIN_ABOVE = 4000;

export interface ThinOptions {
  /** Grid cells across x (default 220) and y (default 160): a few px each on a 400-px panel. */
  readonly nx?: number;
  readonly ny?: number;
  /** Points kept per cell (default 4: overlapping faint dots are opaque by then). */
  readonly perCell?: number;
  /** Thin only above this many points (default `THIN_ABOVE`). */
  readonly above?: number;
}

export interface Thinned<T> {
  /** The points kept, in input order. */
  readonly points: T[];
  /** How many points there were. */
  readonly total: number;
}

function extent(v: ArrayLike<number>): [number, number] {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < v.length; i++) {
    const x = v[i];
    if (x < lo) lo = x;
    if (x > hi) hi = x;
  }
  return [lo, hi];
}

function cellIndex(v: number, lo: number, hi: number, cells: number): number {
  if (!(hi > lo)) return 0;
  const c = Math.floor(((v - lo) / (hi - lo)) * cells);
  return Math.min(cells - 1, Math.max(0, c));
}

/**
 * The points to draw of the scatter (`x(p)`, `y(p)` finite numbers): all of them up to `above`,
 * else at most `perCell` per grid cell.
 */
export function thinPoints<T>(
  points: readonly T[],
  x: (p: T) => number,
  y: (p: T) => number,
  opts: ThinOptions = {},
): Thinned<T> {
  const total = points.length;
  if (total <= (opts.above ?? THIN_ABOVE)) return { points: [...points], total };
  const nx = opts.nx ?? 220;
  const ny = opts.ny ?? 160;
  const perCell = opts.perCell ?? 4;
  const xs = Float64Array.from(points, x);
  const ys = Float64Array.from(points, y);
  const [x0, x1] = extent(xs);
  const [y0, y1] = extent(ys);
  const counts = new Uint16Array(nx * ny);
  const kept: T[] = [];
  for (let i = 0; i < total; i++) {
    const c = cellIndex(xs[i], x0, x1, nx) * ny + cellIndex(ys[i], y0, y1, ny);
    if (counts[c] < perCell) {
      counts[c]++;
      kept.push(points[i]);
    }
  }
  return { points: kept, total };
}

/** A figure note saying how many points are drawn, when some were thinned out; else undefined. */
export function thinNote(t: {
  readonly points: readonly unknown[];
  readonly total: number;
}): string | undefined {
  if (t.points.length === t.total) return undefined;
  return `${t.total.toLocaleString("en-US")} points, ${t.points.length.toLocaleString("en-US")} drawn (every tail point kept)`;
}

/** A shaded cell of a density map (data coordinates) with its point count and shade class. */
export interface DensityCell {
  readonly x1: number;
  readonly x2: number;
  readonly y1: number;
  readonly y2: number;
  readonly count: number;
  /** 0 (lightest) to `DENSITY_SHADES - 1` (darkest), by log count. */
  readonly shade: number;
}

/** Shade steps of the density cells. */
export const DENSITY_SHADES = 5;

export interface DensityOptions {
  /** Grid cells across x (default 72) and y (default 56): about 5 px on a 400-px panel. */
  readonly nx?: number;
  readonly ny?: number;
  /** Cells with at most this many points draw them as points (default 3). */
  readonly sparse?: number;
  /** Apply only above this many points (default `THIN_ABOVE`). */
  readonly above?: number;
}

export interface DensityThinned<T> {
  /** Points drawn individually (all of them at or below the threshold), in input order. */
  readonly points: T[];
  /** Shaded cells (none at or below the threshold). */
  readonly cells: DensityCell[];
  readonly total: number;
}

/** Points in sparse cells and shaded dense cells (see the file comment). */
export function densityCells<T>(
  points: readonly T[],
  x: (p: T) => number,
  y: (p: T) => number,
  opts: DensityOptions = {},
): DensityThinned<T> {
  const total = points.length;
  if (total <= (opts.above ?? THIN_ABOVE)) return { points: [...points], cells: [], total };
  const nx = opts.nx ?? 72;
  const ny = opts.ny ?? 56;
  const sparse = opts.sparse ?? 3;
  const xs = Float64Array.from(points, x);
  const ys = Float64Array.from(points, y);
  const [x0, x1] = extent(xs);
  const [y0, y1] = extent(ys);
  const cellOf = new Int32Array(total);
  const counts = new Int32Array(nx * ny);
  for (let i = 0; i < total; i++) {
    const c = cellIndex(xs[i], x0, x1, nx) * ny + cellIndex(ys[i], y0, y1, ny);
    cellOf[i] = c;
    counts[c]++;
  }
  const kept: T[] = [];
  for (let i = 0; i < total; i++) if (counts[cellOf[i]] <= sparse) kept.push(points[i]);
  let max = 0;
  for (const c of counts) if (c > max) max = c;
  const dx = x1 > x0 ? (x1 - x0) / nx : 1;
  const dy = y1 > y0 ? (y1 - y0) / ny : 1;
  const cells: DensityCell[] = [];
  // shades by log count from just above `sparse` to the fullest cell
  const lo = Math.log(sparse + 1);
  const span = Math.max(1e-12, Math.log(max) - lo);
  for (let a = 0; a < nx; a++)
    for (let b = 0; b < ny; b++) {
      const count = counts[a * ny + b];
      if (count <= sparse) continue;
      const shade = Math.min(
        DENSITY_SHADES - 1,
        Math.floor(((Math.log(count) - lo) / span) * DENSITY_SHADES),
      );
      cells.push({
        x1: x0 + a * dx,
        x2: x0 + (a + 1) * dx,
        y1: y0 + b * dy,
        y2: y0 + (b + 1) * dy,
        count,
        shade,
      });
    }
  return { points: kept, cells, total };
}

/** A figure note for a density map; undefined when nothing was shaded. */
export function densityNote(t: DensityThinned<unknown>): string | undefined {
  if (t.cells.length === 0) return undefined;
  return `${t.total.toLocaleString("en-US")} points: dense cells shaded (darker = more)`;
}
