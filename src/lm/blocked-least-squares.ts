/**
 * Least squares for X = [A B] where A holds the 0/1 indicator columns of one factor (disjoint
 * supports, so AᵀWA = D is diagonal) and B the few other columns: the structure of `y ~ g` with
 * a many-level factor g. A is projected out exactly (weighted group means, applied twice), the
 * small n × b remainder B̃ = (I − P_A) B is factorised by Householder QR, and
 *
 *   b_B = QR solve of (I − P_A) z,   b_A = D⁻¹ Aᵀ(z − B b_B),
 *   cov(B, B) = M = (B̃ᵀB̃)⁻¹,   cov(A, B) = −C M,   cov(A, A) = D⁻¹ + C M Cᵀ,   C = D⁻¹ AᵀB,
 *
 * the last two through triangular solves with B̃'s R factor (C M Cᵀ = ‖R⁻ᵀcᵢ‖²), not through M.
 *
 * Work is O(n·b² + a·b²) and memory O(n·b + a·b) instead of O(n·p²) and O(n·p) for p = a + b.
 * Rank follows R's rule: a column of A with no weight is aliased; a column of B is aliased when
 * what is left of it after A and the earlier columns of B is below 1e-7 of its own norm. That is
 * R's `qr()` column-order rule only when every aliased B column comes after all of A's columns;
 * otherwise `solveBlocked` returns undefined and the caller uses dense QR.
 */
import { qrCoefPivoted, qrDecomposeInPlace, qrUnscaledCovariance } from "../linalg/qr.ts";
import type { LeastSquaresSolution } from "./least-squares.ts";

export interface IndicatorBlock {
  /** Factor level (0-based) of each row. */
  readonly codes: Int32Array;
  /** Original X column of each level's indicator, −1 for a level without one (the baseline). */
  readonly columnOfLevel: Int32Array;
}

/**
 * `B` (n × b, column-major) and `z` must already carry √w in their rows; `sw` is √w (undefined:
 * all 1). `bColumns[k]` is the original X column of B's column k. `B` is not modified.
 */
export function solveBlocked(
  n: number,
  p: number,
  block: IndicatorBlock,
  B: Float64Array,
  bColumns: readonly number[],
  sw: Float64Array | undefined,
  z: Float64Array,
  tol = 1e-7,
): LeastSquaresSolution | undefined {
  const b = bColumns.length;
  const nl = block.columnOfLevel.length;
  // A's columns in original order; aOfLevel maps a level to its A index.
  const aColumns: number[] = [];
  const aOfLevel = new Int32Array(nl).fill(-1);
  const order = Array.from({ length: nl }, (_, l) => l)
    .filter((l) => block.columnOfLevel[l] >= 0)
    .sort((x, y) => block.columnOfLevel[x] - block.columnOfLevel[y]);
  for (const l of order) {
    aOfLevel[l] = aColumns.length;
    aColumns.push(block.columnOfLevel[l]);
  }
  const a = aColumns.length;
  const rowA = new Int32Array(n);
  for (let i = 0; i < n; i++) rowA[i] = block.codes[i] >= 0 ? aOfLevel[block.codes[i]] : -1;
  const val = (i: number): number => (sw ? sw[i] : 1);
  const D = new Float64Array(a);
  for (let i = 0; i < n; i++) if (rowA[i] >= 0) D[rowA[i]] += val(i) * val(i);

  const sums = new Float64Array(a);
  const project = (v: Float64Array, off: number): void => {
    for (let pass = 0; pass < 2; pass++) {
      sums.fill(0);
      for (let i = 0; i < n; i++) if (rowA[i] >= 0) sums[rowA[i]] += val(i) * v[off + i];
      for (let k = 0; k < a; k++) sums[k] = D[k] > 0 ? sums[k] / D[k] : 0;
      for (let i = 0; i < n; i++) if (rowA[i] >= 0) v[off + i] -= val(i) * sums[rowA[i]];
    }
  };

  const refNorms = new Float64Array(b);
  for (let k = 0; k < b; k++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += B[k * n + i] ** 2;
    refNorms[k] = Math.sqrt(s);
  }
  const Bt = B.slice();
  for (let k = 0; k < b; k++) project(Bt, k * n);
  const zt = z.slice();
  project(zt, 0);

  const qr = qrDecomposeInPlace(Bt, n, b, tol, refNorms);
  const rb = qr.rank;
  let lastA = -1;
  for (let k = 0; k < a; k++) if (D[k] > 0) lastA = Math.max(lastA, aColumns[k]);
  for (let k = rb; k < b; k++) if (bColumns[qr.pivot[k]] < lastA) return undefined;

  const bB = rb > 0 ? qrCoefPivoted(qr, zt) : new Float64Array(0);
  const r = z.slice();
  for (let k = 0; k < rb; k++) {
    const c = qr.pivot[k] * n;
    const bk = bB[k];
    for (let i = 0; i < n; i++) r[i] -= B[c + i] * bk;
  }
  const bA = new Float64Array(a);
  for (let i = 0; i < n; i++) if (rowA[i] >= 0) bA[rowA[i]] += val(i) * r[i];
  // C = D⁻¹ Aᵀ B (a × rb, row-major, pivoted order of B).
  const C = new Float64Array(a * rb);
  for (let k = 0; k < rb; k++) {
    const c = qr.pivot[k] * n;
    for (let i = 0; i < n; i++) if (rowA[i] >= 0) C[rowA[i] * rb + k] += val(i) * B[c + i];
  }
  for (let k = 0; k < a; k++) {
    if (D[k] > 0) {
      bA[k] /= D[k];
      for (let l = 0; l < rb; l++) C[k * rb + l] /= D[k];
    }
  }
  // With M = R⁻¹R⁻ᵀ: V = C R⁻¹ (rows vᵢ = R⁻ᵀcᵢ) and W = C M = V R⁻ᵀ (rows R⁻¹vᵢ), by triangular
  // solves: forming C M Cᵀ from M would square the conditioning of B (e.g. x and x + 10⁶).
  const M = rb > 0 ? qrUnscaledCovariance(qr) : new Float64Array(0);
  const Rf = qr.qr;
  const V = new Float64Array(a * rb);
  const W = new Float64Array(a * rb);
  for (let k = 0; k < a; k++) {
    const o = k * rb;
    for (let l = 0; l < rb; l++) {
      let s = C[o + l];
      for (let m = 0; m < l; m++) s -= Rf[l * n + m] * V[o + m];
      V[o + l] = s / Rf[l * n + l];
    }
    for (let l = rb - 1; l >= 0; l--) {
      let s = V[o + l];
      for (let m = l + 1; m < rb; m++) s -= Rf[m * n + l] * W[o + m];
      W[o + l] = s / Rf[l * n + l];
    }
  }

  // Where each original column went: A index (≥ 0) or −(B pivot position) − 1; aliased: NaN coef.
  const coef = new Float64Array(p).fill(Number.NaN);
  const slot = new Int32Array(p);
  const isEstimable = new Uint8Array(p);
  for (let k = 0; k < a; k++) {
    slot[aColumns[k]] = k;
    if (D[k] > 0) {
      coef[aColumns[k]] = bA[k];
      isEstimable[aColumns[k]] = 1;
    }
  }
  for (let k = 0; k < b; k++) slot[bColumns[qr.pivot[k]]] = -k - 1;
  for (let k = 0; k < rb; k++) {
    coef[bColumns[qr.pivot[k]]] = bB[k];
    isEstimable[bColumns[qr.pivot[k]]] = 1;
  }
  const estimable: number[] = [];
  const aliased: number[] = [];
  for (let j = 0; j < p; j++) (isEstimable[j] ? estimable : aliased).push(j);

  const covUnscaled = (i: number, j: number): number => {
    const si = slot[i];
    const sj = slot[j];
    if (si < 0 && sj < 0) return M[(-sj - 1) * rb + (-si - 1)];
    if (si >= 0 && sj < 0) return -W[si * rb + (-sj - 1)];
    if (si < 0 && sj >= 0) return -W[sj * rb + (-si - 1)];
    let s = si === sj ? 1 / D[si] : 0;
    for (let l = 0; l < rb; l++) s += V[si * rb + l] * V[sj * rb + l];
    return s;
  };
  return { rank: estimable.length, coef, estimable, aliased, covUnscaled };
}
