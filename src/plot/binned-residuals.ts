/**
 * Binned residuals (Gelman & Hill 2007, §5.6; the algorithm of R's `arm::binned.resids` and the
 * bin count of `arm::binnedplot`): the residuals of a Bernoulli model are 0/1 minus a probability,
 * so their raw scatter only shows two curves. Cut the fitted values into bins of about equal
 * counts, and per bin plot the average residual against the average fitted value with ±2 standard
 * errors (2·sd/√n of the bin's residuals): if the model is right, about 95% of the bin means fall
 * inside the band.
 */
export interface ResidualBin {
  /** Mean fitted value and mean residual of the bin. */
  readonly xbar: number;
  readonly ybar: number;
  readonly n: number;
  /** Range of the bin's fitted values. */
  readonly xlo: number;
  readonly xhi: number;
  /** 2·sd(residuals in the bin)/√n (0 for a bin of one). */
  readonly twoSe: number;
}

/** `arm::binnedplot`'s default number of bins: ⌊√n⌋ for n ≥ 100, 10 for 10 < n < 100, else ⌊n/2⌋. */
export function defaultBinCount(n: number): number {
  if (n >= 100) return Math.floor(Math.sqrt(n));
  if (n > 10) return 10;
  return Math.max(1, Math.floor(n / 2));
}

/**
 * The bins of `arm::binned.resids(x, y, nclass)`: break points halfway between the order
 * statistics at ⌊n·k/nclass⌋ and the next (moved down past ties), duplicates merged; bins are
 * left-open intervals as R's `cut`.
 */
export function binnedResiduals(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  nclass: number = defaultBinCount(x.length),
): ResidualBin[] {
  const n = x.length;
  if (n === 0) return [];
  const sorted = Float64Array.from(x).sort();
  let k = Math.max(1, Math.floor(nclass));
  const idx: number[] = [];
  for (let i = 1; i < k; i++) idx.push(Math.floor((n * i) / k));
  if (idx.some((v) => v === 0)) k = 1;
  const breaks: number[] = [Number.NEGATIVE_INFINITY];
  const min = sorted[0];
  if (k > 1) {
    for (let i = 0; i < k - 1; i++) {
      // R's 1-based x.sort[b] and x.sort[b + 1]
      let lo = sorted[idx[i] - 1];
      const hi = sorted[idx[i]];
      if (lo === hi) {
        if (lo === min) lo = Number.NEGATIVE_INFINITY;
        else {
          let below = Number.NEGATIVE_INFINITY;
          for (let j = 0; j < n; j++) if (sorted[j] < lo) below = sorted[j];
          lo = below;
        }
      }
      breaks.push((lo + hi) / 2);
    }
  } else breaks.push((min + sorted[n - 1]) / 2);
  breaks.push(Number.POSITIVE_INFINITY);
  const uniq = breaks.filter((b, i) => i === 0 || b !== breaks[i - 1]);
  // R's unique() keeps first occurrences anywhere; the breaks are non-decreasing, so adjacent is enough
  const bins = uniq.length - 1;
  const members: number[][] = Array.from({ length: bins }, () => []);
  for (let t = 0; t < n; t++) {
    // cut(): (b[j], b[j + 1]]
    let lo = 0;
    let hi = bins - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (x[t] <= uniq[mid + 1]) hi = mid;
      else lo = mid + 1;
    }
    members[lo].push(t);
  }
  const out: ResidualBin[] = [];
  for (const items of members) {
    const m = items.length;
    if (m === 0) {
      out.push({
        xbar: Number.NaN,
        ybar: Number.NaN,
        n: 0,
        xlo: Number.NaN,
        xhi: Number.NaN,
        twoSe: Number.NaN,
      });
      continue;
    }
    let sx = 0;
    let sy = 0;
    let xlo = Number.POSITIVE_INFINITY;
    let xhi = Number.NEGATIVE_INFINITY;
    for (const t of items) {
      sx += x[t];
      sy += y[t];
      if (x[t] < xlo) xlo = x[t];
      if (x[t] > xhi) xhi = x[t];
    }
    const ybar = sy / m;
    let ss = 0;
    for (const t of items) ss += (y[t] - ybar) ** 2;
    const sd = m > 1 ? Math.sqrt(ss / (m - 1)) : 0;
    out.push({ xbar: sx / m, ybar, n: m, xlo, xhi, twoSe: (2 * sd) / Math.sqrt(m) });
  }
  return out;
}
