/**
 * Autocovariance of a series with denominator n (Geyer's "biased" estimate):
 * acov(t) = (1/n) Σ_{i=1}^{n−t} (x_i − x̄)(x_{i+t} − x̄), t = 0 … n − 1.
 *
 * `autocovariance(x, out?)` uses a radix-2 FFT with zero padding to a power of two ≥ 2n
 * (O(n log n)) for long series and the direct sum for short ones; both agree to rounding.
 * `meanAutocovariance(chains, out?)` averages the autocovariances of several equally long series
 * (what the ESS needs), transforming two series per complex FFT and inverting once.
 * `LazyMeanAutocovariance` gives the same values lag by lag, summing directly for the first
 * `DIRECT_LAGS` lags and switching to the FFT beyond (Geyer's truncation usually stops within a
 * few lags, so the ESS of a well-mixed chain never pays for the transform).
 */

/** Series shorter than this use the direct O(n²) sum. */
const DIRECT_BELOW = 64;

interface FftPlan {
  readonly size: number;
  readonly cos: Float64Array;
  readonly sin: Float64Array;
  readonly rev: Uint32Array;
}

const plans = new Map<number, FftPlan>();

function plan(size: number): FftPlan {
  let p = plans.get(size);
  if (p) return p;
  const half = size >> 1;
  const cos = new Float64Array(half);
  const sin = new Float64Array(half);
  for (let k = 0; k < half; k++) {
    cos[k] = Math.cos((2 * Math.PI * k) / size);
    sin[k] = Math.sin((2 * Math.PI * k) / size);
  }
  const rev = new Uint32Array(size);
  let bits = 0;
  while (1 << bits < size) bits++;
  for (let i = 0; i < size; i++) {
    let r = 0;
    for (let b = 0; b < bits; b++) if (i & (1 << b)) r |= 1 << (bits - 1 - b);
    rev[i] = r;
  }
  p = { size, cos, sin, rev };
  plans.set(size, p);
  return p;
}

/** In-place complex FFT (sign −1 forward, +1 inverse, unnormalised). */
function fft(re: Float64Array, im: Float64Array, pl: FftPlan, sign: number): void {
  const n = pl.size;
  const rev = pl.rev;
  for (let i = 0; i < n; i++) {
    const j = rev[i];
    if (j > i) {
      let t = re[i];
      re[i] = re[j];
      re[j] = t;
      t = im[i];
      im[i] = im[j];
      im[j] = t;
    }
  }
  for (let len = 2; len <= n; len <<= 1) {
    const half = len >> 1;
    const step = n / len;
    for (let start = 0; start < n; start += len) {
      for (let k = 0; k < half; k++) {
        const wr = pl.cos[k * step];
        const wi = sign * pl.sin[k * step];
        const a = start + k;
        const b = a + half;
        const xr = re[b] * wr - im[b] * wi;
        const xi = re[b] * wi + im[b] * wr;
        re[b] = re[a] - xr;
        im[b] = im[a] - xi;
        re[a] += xr;
        im[a] += xi;
      }
    }
  }
}

/** Autocovariance (denominator n) of `x` at lags 0 … n − 1, written into `out` (allocated if absent). */
export function autocovariance(x: ArrayLike<number>, out?: Float64Array): Float64Array {
  const n = x.length;
  const res = out ?? new Float64Array(n);
  if (n === 0) return res;
  let m = 0;
  for (let i = 0; i < n; i++) m += x[i];
  m /= n;
  if (n < DIRECT_BELOW) {
    for (let t = 0; t < n; t++) {
      let s = 0;
      for (let i = 0; i + t < n; i++) s += (x[i] - m) * (x[i + t] - m);
      res[t] = s / n;
    }
    return res;
  }
  let size = 1;
  while (size < 2 * n) size <<= 1;
  const pl = plan(size);
  const re = new Float64Array(size);
  const im = new Float64Array(size);
  for (let i = 0; i < n; i++) re[i] = x[i] - m;
  fft(re, im, pl, -1);
  for (let i = 0; i < size; i++) {
    re[i] = re[i] * re[i] + im[i] * im[i];
    im[i] = 0;
  }
  fft(re, im, pl, 1);
  const scale = 1 / (size * n);
  for (let t = 0; t < n; t++) res[t] = re[t] * scale;
  return res;
}

/**
 * Mean over the series of their autocovariances (denominator n), lags 0 … n − 1. The series must
 * have equal length. Two real series a, b share one complex transform z = a + ib, since
 * |A_k|² + |B_k|² = (|Z_k|² + |Z_{N−k}|²) / 2, and the summed power spectrum is inverted once.
 */
export function meanAutocovariance(series: readonly ArrayLike<number>[], out?: Float64Array): Float64Array {
  const C = series.length;
  const n = C > 0 ? series[0].length : 0;
  const res = out ?? new Float64Array(n);
  if (n === 0 || C === 0) return res;
  if (n < DIRECT_BELOW) {
    const buf = new Float64Array(n);
    res.fill(0);
    for (const x of series) {
      autocovariance(x, buf);
      for (let t = 0; t < n; t++) res[t] += buf[t];
    }
    for (let t = 0; t < n; t++) res[t] /= C;
    return res;
  }
  let size = 1;
  while (size < 2 * n) size <<= 1;
  const pl = plan(size);
  const re = new Float64Array(size);
  const im = new Float64Array(size);
  const power = new Float64Array(size);
  for (let c = 0; c < C; c += 2) {
    re.fill(0);
    im.fill(0);
    const a = series[c];
    let ma = 0;
    for (let i = 0; i < n; i++) ma += a[i];
    ma /= n;
    for (let i = 0; i < n; i++) re[i] = a[i] - ma;
    if (c + 1 < C) {
      const b = series[c + 1];
      let mb = 0;
      for (let i = 0; i < n; i++) mb += b[i];
      mb /= n;
      for (let i = 0; i < n; i++) im[i] = b[i] - mb;
    }
    fft(re, im, pl, -1);
    for (let k = 0; k < size; k++) {
      const j = k === 0 ? 0 : size - k;
      power[k] += 0.5 * (re[k] * re[k] + im[k] * im[k] + re[j] * re[j] + im[j] * im[j]);
    }
  }
  im.fill(0);
  fft(power, im, pl, 1);
  const scale = 1 / (size * n * C);
  for (let t = 0; t < n; t++) res[t] = power[t] * scale;
  return res;
}

/** Lags computed by direct sums before `LazyMeanAutocovariance` switches to the FFT. */
export const DIRECT_LAGS = 48;

export class LazyMeanAutocovariance {
  private readonly series: readonly ArrayLike<number>[];
  private readonly n: number;
  private readonly centred: Float64Array[];
  private readonly values: Float64Array;
  private known = 0;

  constructor(series: readonly ArrayLike<number>[]) {
    this.series = series;
    this.n = series.length > 0 ? series[0].length : 0;
    const n = this.n;
    this.values = new Float64Array(n);
    this.centred = series.map((x) => {
      let m = 0;
      for (let i = 0; i < n; i++) m += x[i];
      m /= n;
      const y = new Float64Array(n);
      for (let i = 0; i < n; i++) y[i] = x[i] - m;
      return y;
    });
  }

  /** Mean autocovariance at lag t (0 ≤ t < n). */
  at(t: number): number {
    if (t < this.known) return this.values[t];
    const n = this.n;
    if (t >= DIRECT_LAGS && n >= DIRECT_BELOW) {
      meanAutocovariance(this.series, this.values);
      this.known = n;
      return this.values[t];
    }
    const C = this.centred.length;
    while (this.known <= t) {
      const lag = this.known;
      let s = 0;
      for (const y of this.centred) {
        let c = 0;
        for (let i = 0; i + lag < n; i++) c += y[i] * y[i + lag];
        s += c;
      }
      this.values[lag] = s / (n * C);
      this.known++;
    }
    return this.values[t];
  }
}
