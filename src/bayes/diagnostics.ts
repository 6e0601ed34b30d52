/**
 * Convergence diagnostics of MCMC draws as the R package posterior (1.4.0) computes them
 * (Vehtari, Gelman, Simpson, Carpenter & Bürkner 2021). Input: the draws of one scalar as one array
 * per chain (`DrawsByChain`, all of equal length S); results are NaN where posterior gives NA
 * (non-finite draws, (numerically) constant draws, fewer than 3 iterations for ESS).
 *
 * - `rhat(x)`: max of the bulk (rank-normalised split) and tail (rank-normalised split folded
 *   |x − median|) R-hat; `rhatBulk`, `rhatTail`, `rhatBasic(x, split = true)`.
 * - `essBulk(x)`, `essTail(x)` = min(essQuantile(x, 0.05), essQuantile(x, 0.95)),
 *   `essQuantile(x, p)` (ESS of the split indicator x ≤ q_p), `essMean(x)` = `essBasic(x)`,
 *   `essBasic(x, split = true)`, `essSd(x)` (of |x − mean|), `essBelow(x, q)`.
 * - `mcseMean(x)` = sd / √essMean, `mcseSd(x)` (delta method), `mcseQuantile(x, p)` (posterior's
 *   interval of order statistics from a Beta(ess·p + 1, ess·(1 − p) + 1)), `mcseQuantileFromEss`.
 * - `splitChains`, `normalScores`, `unpool`, `rankNormalise` (z = Φ⁻¹((rank − 3/8)/(S + 1/4)), average ranks for ties),
 *   `essOfChains` (the ESS of an n × C matrix, Geyer's initial monotone sequence), `rhatOfChains`.
 * - `quantileSorted(sorted, p)`: R's type-7 quantile; `mad(x)`: R's mad (1.4826 · median |x − median x|); `ebfmi(energy)`:
 *   Σ(E_i − E_{i−1})² / Σ(E_i − Ē)².
 */

import fQuantile from "@stdlib/stats-base-dists-f-quantile";
import { qnorm } from "../special/quantiles.ts";
import { mean, sd } from "../util/stats.ts";
import { LazyMeanAutocovariance } from "./autocovariance.ts";
import { sortFloat64, sortFloat64WithIndex } from "./sort-float64.ts";

/** The draws of one scalar: one array per chain, all of the same length. */
export type DrawsByChain = readonly ArrayLike<number>[];

const EPS = 2.220446049250313e-16;

function checkShape(x: DrawsByChain): number {
  if (x.length === 0) throw new RangeError("no chains given");
  const n = x[0].length;
  for (const c of x)
    if (c.length !== n) throw new RangeError("all chains must have the same number of draws");
  return n;
}

/** posterior's should_return_NA: a non-finite value, or all values within machine epsilon. */
export function isDegenerate(x: DrawsByChain): boolean {
  return degenerate(x);
}

function degenerate(x: DrawsByChain): boolean {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const c of x) {
    for (let i = 0; i < c.length; i++) {
      const v = c[i];
      if (!Number.isFinite(v)) return true;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  return !(Math.abs(hi - lo) >= EPS);
}

export function pooled(x: DrawsByChain): Float64Array {
  const n = x[0].length;
  const out = new Float64Array(n * x.length);
  x.forEach((c, k) => {
    for (let i = 0; i < n; i++) out[k * n + i] = c[i];
  });
  return out;
}

function mapChains(x: DrawsByChain, f: (v: number) => number): Float64Array[] {
  return x.map((c) => {
    const n = c.length;
    const o = new Float64Array(n);
    for (let i = 0; i < n; i++) o[i] = f(c[i]);
    return o;
  });
}

function copyRange(c: ArrayLike<number>, start: number, end: number): Float64Array {
  const o = new Float64Array(end - start);
  for (let i = start; i < end; i++) o[i - start] = c[i];
  return o;
}

/** R's type-7 quantile of sorted values (no NaN) at probability p. */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const index = (n - 1) * p;
  const lo = Math.floor(index);
  const hi = Math.ceil(index);
  const q = sorted[lo];
  if (index > lo && sorted[hi] !== q) {
    const h = index - lo;
    return (1 - h) * q + h * sorted[hi];
  }
  return q;
}

/** R's median of sorted values (no NaN): the middle one, or the mean of the two middle ones. */
export function medianSorted(sorted: ArrayLike<number>): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const half = Math.floor(n / 2);
  return n % 2 === 1 ? sorted[half] : mean([sorted[half - 1], sorted[half]]);
}

/** Each chain cut into halves of floor(S/2) draws (the middle draw of an odd S is dropped). */
export function splitChains(x: DrawsByChain): Float64Array[] {
  const S = checkShape(x);
  if (S === 1) return x.map((c) => copyRange(c, 0, 1));
  const half = Math.floor(S / 2);
  const second = Math.ceil(S / 2 + 1) - 1; // 0-based start of the second half
  const out: Float64Array[] = [];
  for (const c of x) out.push(copyRange(c, 0, half));
  for (const c of x) out.push(copyRange(c, second, S));
  // posterior keeps the order first halves then second halves (cbind of the two blocks)
  return out;
}

/** Cached z values qnorm((r − 3/8)/(T + 1/4)) for the integer ranks r = 1 … T of the last few T. */
const zTables = new Map<number, Float64Array>();

function zTable(T: number): Float64Array {
  let t = zTables.get(T);
  if (!t) {
    t = new Float64Array(T);
    for (let r = 1; r <= T; r++) t[r - 1] = qnorm((r - 0.375) / (T + 0.25));
    if (zTables.size >= 8) zTables.clear();
    zTables.set(T, t);
  }
  return t;
}

/**
 * Normal scores of pooled values: z = Φ⁻¹((rank − 3/8)/(T + 1/4)) in the order of `values`,
 * average ranks for ties, NaN kept as NaN (R's rank with na.last = "keep"); also returns the
 * values sorted (NaN last).
 */
export function normalScores(values: ArrayLike<number>): { sorted: Float64Array; z: Float64Array } {
  const N = values.length;
  const sorted = new Float64Array(N);
  for (let i = 0; i < N; i++) sorted[i] = values[i];
  const idx = new Int32Array(N);
  for (let i = 0; i < N; i++) idx[i] = i;
  const T = sortFloat64WithIndex(sorted, idx);
  const z = new Float64Array(N);
  for (let k = T; k < N; k++) z[idx[k]] = Number.NaN;
  const table = T === N ? zTable(T) : null;
  let i = 0;
  while (i < T) {
    let j = i + 1;
    while (j < T && sorted[j] === sorted[i]) j++;
    // ranks i + 1 … j share their average
    const v = j === i + 1 && table ? table[i] : qnorm(((i + 1 + j) / 2 - 0.375) / (T + 0.25));
    for (let k = i; k < j; k++) z[idx[k]] = v;
    i = j;
  }
  return { sorted, z };
}

/** Cuts pooled values (chain after chain, n each) back into per-chain views. */
export function unpool(values: Float64Array, chains: number): Float64Array[] {
  const n = values.length / chains;
  return Array.from({ length: chains }, (_, k) => values.subarray(k * n, (k + 1) * n));
}

/** Rank normalisation of all draws pooled, keeping the chain layout (see `normalScores`). */
export function rankNormalise(x: DrawsByChain): Float64Array[] {
  checkShape(x);
  return unpool(normalScores(pooled(x)).z, x.length);
}

function chainMeans(x: DrawsByChain): Float64Array {
  return Float64Array.from(x, (c) => mean(c));
}

/** Basic R-hat of the chains as given (no split, no rank normalisation). */
export function rhatOfChains(x: DrawsByChain): number {
  const n = checkShape(x);
  if (degenerate(x)) return Number.NaN;
  const means = chainMeans(x);
  const vars = Float64Array.from(x, (c) => sd(c) ** 2);
  const varBetween = n * sd(means) ** 2;
  const varWithin = mean(vars);
  return Math.sqrt((varBetween / varWithin + n - 1) / n);
}

/** ESS of the chains as given (no split), as posterior's internal `.ess`. */
export function essOfChains(x: DrawsByChain): number {
  const n = checkShape(x);
  const C = x.length;
  if (n < 3 || degenerate(x)) return Number.NaN;
  const acov = new LazyMeanAutocovariance(x);
  const meanVar = (acov.at(0) * n) / (n - 1);
  let varPlus = (meanVar * (n - 1)) / n;
  if (C > 1) varPlus += sd(chainMeans(x)) ** 2;
  const rho = new Float64Array(n);
  let t = 0;
  let rhoEven = 1;
  rho[0] = rhoEven;
  let rhoOdd = 1 - (meanVar - acov.at(1)) / varPlus;
  rho[1] = rhoOdd;
  while (t < n - 5 && !Number.isNaN(rhoEven + rhoOdd) && rhoEven + rhoOdd > 0) {
    t += 2;
    rhoEven = 1 - (meanVar - acov.at(t)) / varPlus;
    rhoOdd = 1 - (meanVar - acov.at(t + 1)) / varPlus;
    if (rhoEven + rhoOdd >= 0) {
      rho[t] = rhoEven;
      rho[t + 1] = rhoOdd;
    }
  }
  const maxT = t;
  if (rhoEven > 0) rho[maxT] = rhoEven;
  t = 0;
  while (t <= maxT - 4) {
    t += 2;
    if (rho[t] + rho[t + 1] > rho[t - 2] + rho[t - 1]) {
      rho[t] = (rho[t - 2] + rho[t - 1]) / 2;
      rho[t + 1] = rho[t];
    }
  }
  const S = C * n;
  // R's sum(rho_hat_t[1:max_t]): for max_t = 0 the index 1:0 selects the first element
  let sum = 0;
  if (maxT === 0) sum = rho[0];
  else for (let k = 0; k < maxT; k++) sum += rho[k];
  let tau = -1 + 2 * sum + rho[maxT];
  tau = Math.max(tau, 1 / Math.log10(S));
  return S / tau;
}

/** Bulk R-hat: basic R-hat of the rank-normalised split chains. */
export function rhatBulk(x: DrawsByChain): number {
  return rhatOfChains(rankNormalise(splitChains(x)));
}

/** Tail R-hat: basic R-hat of the rank-normalised split folded draws |x − median(x)|. */
export function rhatTail(x: DrawsByChain, med: number = medianSorted(sortFloat64(pooled(x)))): number {
  checkShape(x);
  const folded = mapChains(x, (v) => Math.abs(v - med));
  return rhatOfChains(rankNormalise(splitChains(folded)));
}

/** posterior's `rhat`: max(rhatBulk, rhatTail) (NaN if either is). */
export function rhat(x: DrawsByChain): number {
  const b = rhatBulk(x);
  const t = rhatTail(x);
  return Number.isNaN(b) || Number.isNaN(t) ? Number.NaN : Math.max(b, t);
}

/** posterior's `rhat_basic`: basic R-hat of the split (default) or unsplit chains. */
export function rhatBasic(x: DrawsByChain, split = true): number {
  return rhatOfChains(split ? splitChains(x) : x);
}

/** posterior's `ess_basic`: ESS of the split (default) or unsplit chains. */
export function essBasic(x: DrawsByChain, split = true): number {
  return essOfChains(split ? splitChains(x) : x);
}

/** posterior's `ess_mean` (= ess_basic with split chains). */
export function essMean(x: DrawsByChain): number {
  return essOfChains(splitChains(x));
}

/** posterior's `ess_bulk`: ESS of the rank-normalised split chains. */
export function essBulk(x: DrawsByChain): number {
  checkShape(x);
  return essOfChains(rankNormalise(splitChains(x)));
}

/** posterior's `ess_quantile` at probability p: ESS of the split indicator x ≤ q_p (type 7). */
export function essQuantile(x: DrawsByChain, p: number): number {
  checkShape(x);
  if (degenerate(x)) return Number.NaN;
  return essBelow(x, quantileSorted(sortFloat64(pooled(x)), p));
}

/** ESS of the split indicator x ≤ q (posterior's ess_quantile once q is known). */
export function essBelow(x: DrawsByChain, q: number): number {
  return essOfChains(splitChains(mapChains(x, (v) => (v <= q ? 1 : 0))));
}

/** posterior's `ess_tail`: min(essQuantile(x, 0.05), essQuantile(x, 0.95)). */
export function essTail(x: DrawsByChain): number {
  const a = essQuantile(x, 0.05);
  const b = essQuantile(x, 0.95);
  return Number.isNaN(a) || Number.isNaN(b) ? Number.NaN : Math.min(a, b);
}

/** posterior's `ess_sd`: essMean of the absolute deviations |x − mean(x)|. */
export function essSd(x: DrawsByChain): number {
  checkShape(x);
  const m = mean(pooled(x));
  return essMean(mapChains(x, (v) => Math.abs(v - m)));
}

/** posterior's `mcse_mean`: sd(all draws) / √essMean. */
export function mcseMean(x: DrawsByChain): number {
  checkShape(x);
  return sd(pooled(x)) / Math.sqrt(essMean(x));
}

/** posterior's `mcse_sd` (delta method on the variance, with essMean of the squared deviations). */
export function mcseSd(x: DrawsByChain): number {
  checkShape(x);
  const all = pooled(x);
  const m = mean(all);
  const c2 = mapChains(x, (v) => (v - m) ** 2);
  const ess = essMean(c2);
  let e2 = 0;
  let e4 = 0;
  for (let i = 0; i < all.length; i++) {
    const c = (all[i] - m) ** 2;
    e2 += c;
    e4 += c * c;
  }
  e2 /= all.length;
  e4 /= all.length;
  const varVar = (e4 - e2 * e2) / ess;
  return Math.sqrt(varVar / e2 / 4);
}

/** R's qbeta(p, a, b) through the F quantile: X = d1 F / (d1 F + d2), d1 = 2a, d2 = 2b. */
function qbeta(p: number, a: number, b: number): number {
  const f = fQuantile(p, 2 * a, 2 * b);
  return (2 * a * f) / (2 * a * f + 2 * b);
}

/** The two normal probabilities of ±1 sd (posterior's constants). */
const MCSE_PROBS = [0.1586553, 0.8413447] as const;

/** posterior's `mcse_quantile` at probability p. */
export function mcseQuantile(x: DrawsByChain, p: number): number {
  checkShape(x);
  return mcseQuantileFromEss(sortFloat64(pooled(x)), p, essQuantile(x, p));
}

/**
 * The quantile MCSE from the sorted pooled draws and essQuantile(x, p): half the distance between
 * the order statistics at the 15.9% and 84.1% quantiles of Beta(ess·p + 1, ess·(1 − p) + 1).
 */
export function mcseQuantileFromEss(sorted: Float64Array, p: number, ess: number): number {
  if (Number.isNaN(ess)) return Number.NaN;
  const S = sorted.length;
  const a1 = qbeta(MCSE_PROBS[0], ess * p + 1, ess * (1 - p) + 1);
  const a2 = qbeta(MCSE_PROBS[1], ess * p + 1, ess * (1 - p) + 1);
  const th1 = sorted[Math.max(Math.floor(a1 * S), 1) - 1];
  const th2 = sorted[Math.min(Math.ceil(a2 * S), S) - 1];
  return (th2 - th1) / 2;
}

/** R's `mad`: 1.4826 · median(|x − median(x)|). */
export function mad(x: ArrayLike<number>): number {
  const n = x.length;
  const s = new Float64Array(n);
  for (let i = 0; i < n; i++) s[i] = x[i];
  const m = medianSorted(sortFloat64(s));
  for (let i = 0; i < n; i++) s[i] = Math.abs(x[i] - m);
  return 1.4826 * medianSorted(sortFloat64(s));
}

/** E-BFMI of one chain's energies: Σ(E_i − E_{i−1})² / Σ(E_i − Ē)² (NaN with fewer than 2). */
export function ebfmi(energy: ArrayLike<number>): number {
  const n = energy.length;
  if (n < 2) return Number.NaN;
  const m = mean(energy);
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    den += (energy[i] - m) ** 2;
    if (i > 0) num += (energy[i] - energy[i - 1]) ** 2;
  }
  return num / den;
}
