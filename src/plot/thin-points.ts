/**
 * Deterministic thinning of a large scatter for drawing: the plane (over the points' extents) is
 * cut into a grid of cells about as large as a drawn dot, and each cell keeps at most `perCell`
 * of its points (the first ones in input order). Sparse regions, the tails and the outliers, keep
 * every point; only the dense middle, where the dots overlap into a solid patch anyway, loses
 * points it could not show. Summaries drawn over the points (running means, QQ lines) are computed
 * from all of them before thinning.
 *
 * Below `THIN_ABOVE` points nothing is dropped, so figures of small data are unchanged.
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
  return c >= cells ? cells - 1 : c < 0 ? 0 : c;
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
  return `${t.total.toLocaleString("en-US")} points; ${t.points.length.toLocaleString("en-US")} drawn (dense regions thinned, every point in sparse regions and the tails kept)`;
}
