/**
 * Householder QR with R's *limited* column pivoting: the decomposition behind R's `qr(X, tol)`
 * (LINPACK `dqrdc2`), used by `lm()` and by lme4's rank check of the fixed-effects matrix.
 *
 * Pivoting rule (the documented behaviour of `dqrdc2`, re-implemented from its description):
 * before column l is reduced, any column whose norm *below row l* (after the reflections so far)
 * has fallen under `tol` × its original norm is moved to the end, shifting the later columns left;
 * columns that are not moved keep their order. The number of columns never moved (at most n) is
 * the rank. A column of zeros always moves (its original norm is taken as 1).
 *
 * Storage follows R's `qr()` (LINPACK form), so `qr`/`qraux` can be compared with R directly:
 * the upper triangle of `qr` holds R, the part below the diagonal of column j holds the
 * Householder vector u (whose first element, u_j, is `qraux[j]`), with H_j = I − u uᵀ / u_j.
 * `qraux[j]` is 0 when no reflection was needed; for columns never reduced (j ≥ n − 1) it holds
 * the remaining column norm, as in R. Matrices are column-major: (i, j) at `j * n + i`.
 *
 * Unlike `dqrdc2`, the remaining column norms are recomputed exactly at every step instead of
 * being downdated; this only matters for columns within rounding error of the `tol` threshold.
 */

import { NumericalError, OptionError } from "../errors.ts";
import { backSolveUpper, crossprodInverseUpper } from "./triangular.ts";

export interface QrDecomposition {
  /** n × p compact factor (column-major): R on and above the diagonal, Householder vectors below. */
  readonly qr: Float64Array;
  /** Length p: first elements of the Householder vectors (R's `qraux`). */
  readonly qraux: Float64Array;
  /** Number of linearly independent columns found (R's `rank`). */
  readonly rank: number;
  /** 0-based original column index of each pivoted column; the first `rank` are the kept ones. */
  readonly pivot: Int32Array;
  readonly n: number;
  readonly p: number;
  readonly tol: number;
  /** Qᵀ y (see {@link qrQty}). */
  qty(y: ArrayLike<number>): Float64Array;
  /** Q y (see {@link qrQy}). */
  qy(y: ArrayLike<number>): Float64Array;
  /** Least-squares coefficients in original column order, NaN for aliased columns. */
  coef(y: ArrayLike<number>): Float64Array;
  fitted(y: ArrayLike<number>): Float64Array;
  residuals(y: ArrayLike<number>): Float64Array;
  /** R's `lm()$effects`: Qᵀ y. */
  effects(y: ArrayLike<number>): Float64Array;
}

/**
 * Factorise the n × p column-major matrix `X` (not modified; a copy is factorised).
 * `tol` is R's `qr(tol =)`: 1e-7 for `lm()` and lme4's rank check.
 * Throws `NumericalError` (E_NUMERIC_NON_FINITE) if X holds NaN or ±Infinity, as R refuses them.
 */
export function qrDecompose(X: ArrayLike<number>, n: number, p: number, tol = 1e-7): QrDecomposition {
  checkDimensions(X.length, n, p);
  return qrDecomposeInPlace(Float64Array.from(X), n, p, tol);
}

/**
 * As {@link qrDecompose} but overwrites `X` with the compact factor (saves one copy of X).
 * `referenceNorms` (length p), when given, replaces each column's own norm in the pivoting test
 * (a column moves when its remaining norm < tol × its reference norm): a projected-out matrix can
 * then be tested against the norms of the columns it came from, as if they were factorised whole.
 */
export function qrDecomposeInPlace(
  X: Float64Array,
  n: number,
  p: number,
  tol = 1e-7,
  referenceNorms?: ArrayLike<number>,
): QrDecomposition {
  checkDimensions(X.length, n, p);
  for (let i = 0; i < X.length; i++) {
    if (!Number.isFinite(X[i])) {
      throw new NumericalError(
        "E_NUMERIC_NON_FINITE",
        `cannot compute a QR decomposition: element (${(i % n) + 1}, ${Math.floor(i / n) + 1}) of the matrix is ${X[i]}`,
        "remove missing or infinite values before fitting",
      );
    }
  }
  const a = X;
  const qraux = new Float64Array(p);
  const original = new Float64Array(p);
  const pivot = new Int32Array(p);
  for (let j = 0; j < p; j++) {
    const nrm = columnNorm(a, n, j, 0);
    qraux[j] = nrm;
    const ref = referenceNorms ? referenceNorms[j] : nrm;
    original[j] = ref === 0 ? 1 : ref;
    pivot[j] = j;
  }
  let active = p; // columns [active, p) have been moved to the end
  const steps = Math.min(n, p);
  for (let l = 0; l < steps; l++) {
    while (l < active && qraux[l] < original[l] * tol) {
      moveColumnToEnd(a, n, p, l, qraux, original, pivot);
      active--;
    }
    if (l === n - 1) break; // nothing below the diagonal to annihilate
    reflectColumn(a, n, p, l, qraux);
  }
  const rank = Math.min(active, n);
  const tolerance = tol;
  const d: QrDecomposition = {
    qr: a,
    qraux,
    rank,
    pivot,
    n,
    p,
    tol: tolerance,
    qty: (y) => qrQty(d, y),
    qy: (y) => qrQy(d, y),
    coef: (y) => qrCoef(d, y),
    fitted: (y) => qrFitted(d, y),
    residuals: (y) => qrResiduals(d, y),
    effects: (y) => qrQty(d, y),
  };
  return d;
}

function checkDimensions(len: number, n: number, p: number): void {
  if (!Number.isInteger(n) || !Number.isInteger(p) || n < 0 || p < 0 || len !== n * p) {
    throw new OptionError(`matrix of length ${len} does not have ${n} × ${p} elements`);
  }
}

/** Euclidean norm of rows [from, n) of column j, scaled against overflow/underflow. */
function columnNorm(a: Float64Array, n: number, j: number, from: number): number {
  const c = j * n;
  let scale = 0;
  for (let i = from; i < n; i++) scale = Math.max(scale, Math.abs(a[c + i]));
  if (scale === 0) return 0;
  let s = 0;
  for (let i = from; i < n; i++) {
    const v = a[c + i] / scale;
    s += v * v;
  }
  return scale * Math.sqrt(s);
}

/** Move column l to position p − 1, shifting columns l+1..p−1 one place left (with their bookkeeping). */
function moveColumnToEnd(
  a: Float64Array,
  n: number,
  p: number,
  l: number,
  qraux: Float64Array,
  original: Float64Array,
  pivot: Int32Array,
): void {
  const col = a.slice(l * n, (l + 1) * n);
  a.copyWithin(l * n, (l + 1) * n, p * n);
  a.set(col, (p - 1) * n);
  const [q, o, v] = [qraux[l], original[l], pivot[l]];
  qraux.copyWithin(l, l + 1);
  original.copyWithin(l, l + 1);
  pivot.copyWithin(l, l + 1);
  qraux[p - 1] = q;
  original[p - 1] = o;
  pivot[p - 1] = v;
}

/**
 * Householder reflection zeroing rows l+1.. of column l; applies it to columns l+1..p−1 and
 * refreshes their remaining norms (rows l+1..) in `qraux`.
 */
function reflectColumn(a: Float64Array, n: number, p: number, l: number, qraux: Float64Array): void {
  const cl = l * n;
  let nrm = columnNorm(a, n, l, l);
  if (nrm === 0) {
    qraux[l] = 0;
    return;
  }
  if (a[cl + l] < 0) nrm = -nrm;
  for (let i = l; i < n; i++) a[cl + i] /= nrm;
  a[cl + l] += 1;
  const ull = a[cl + l];
  for (let j = l + 1; j < p; j++) {
    const cj = j * n;
    let t = 0;
    for (let i = l; i < n; i++) t += a[cl + i] * a[cj + i];
    t = -t / ull;
    a[cj + l] += t * a[cl + l];
    let ss = 0;
    for (let i = l + 1; i < n; i++) {
      const v = a[cj + i] + t * a[cl + i];
      a[cj + i] = v;
      ss += v * v;
    }
    // Plain sum of squares unless it over/underflowed; then the scaled (two-pass) norm.
    qraux[j] = ss < Number.MAX_VALUE && ss > 1e-280 ? Math.sqrt(ss) : columnNorm(a, n, j, l + 1);
  }
  qraux[l] = ull;
  a[cl + l] = -nrm;
}

/** Apply reflection j (if any) to `v` in place: v ← H_j v. */
function applyReflection(d: QrDecomposition, j: number, v: Float64Array): void {
  const uj = d.qraux[j];
  if (uj === 0) return;
  const { n, qr } = d;
  const c = j * n;
  let t = uj * v[j];
  for (let i = j + 1; i < n; i++) t += qr[c + i] * v[i];
  t = -t / uj;
  v[j] += t * uj;
  for (let i = j + 1; i < n; i++) v[i] += t * qr[c + i];
}

function checkLength(d: QrDecomposition, y: ArrayLike<number>): void {
  if (y.length !== d.n) throw new OptionError(`vector of length ${y.length} does not match ${d.n} rows`);
}

/** Qᵀ y using the first `rank` reflections (R's `qr.qty`). */
export function qrQty(d: QrDecomposition, y: ArrayLike<number>): Float64Array {
  checkLength(d, y);
  const v = Float64Array.from(y);
  const k = Math.min(d.rank, d.n - 1);
  for (let j = 0; j < k; j++) applyReflection(d, j, v);
  return v;
}

/** Q y using the first `rank` reflections (R's `qr.qy`). */
export function qrQy(d: QrDecomposition, y: ArrayLike<number>): Float64Array {
  checkLength(d, y);
  const v = Float64Array.from(y);
  const k = Math.min(d.rank, d.n - 1);
  for (let j = k - 1; j >= 0; j--) applyReflection(d, j, v);
  return v;
}

/**
 * Least-squares coefficients (R's `qr.coef`), length p in the original column order;
 * aliased columns (pivot positions ≥ rank) get NaN, as R's NA.
 */
export function qrCoef(d: QrDecomposition, y: ArrayLike<number>): Float64Array {
  const b = qrCoefPivoted(d, y);
  const out = new Float64Array(d.p).fill(Number.NaN);
  for (let k = 0; k < d.rank; k++) out[d.pivot[k]] = b[k];
  return out;
}

/** Coefficients of the first `rank` pivoted columns, in pivoted order (length rank). */
export function qrCoefPivoted(d: QrDecomposition, y: ArrayLike<number>): Float64Array {
  return backSolveUpper(d.qr, d.n, d.rank, qrQty(d, y));
}

/** Fitted values X b̂ = Q [ (Qᵀy)₁..rank ; 0 ] (R's `qr.fitted`). */
export function qrFitted(d: QrDecomposition, y: ArrayLike<number>): Float64Array {
  const z = qrQty(d, y);
  z.fill(0, d.rank);
  return qrQy(d, z);
}

/** Residuals y − X b̂ = Q [ 0 ; (Qᵀy)rank+1..n ] (R's `qr.resid`). */
export function qrResiduals(d: QrDecomposition, y: ArrayLike<number>): Float64Array {
  const z = qrQty(d, y);
  z.fill(0, 0, Math.min(d.rank, d.n));
  return qrQy(d, z);
}

/** The leading rank × rank block of R (upper triangular, column-major, pivoted order). */
export function qrR(d: QrDecomposition): Float64Array {
  const k = d.rank;
  const out = new Float64Array(k * k);
  for (let j = 0; j < k; j++) for (let i = 0; i <= j; i++) out[j * k + i] = d.qr[j * d.n + i];
  return out;
}

/**
 * (RᵀR)⁻¹ for the first `rank` pivoted columns: `summary.lm`'s `cov.unscaled`
 * (`chol2inv(qr$qr[1:rank, 1:rank])`). Rank × rank, column-major, in pivoted order:
 * row/column k belongs to original column `pivot[k]`.
 */
export function qrUnscaledCovariance(d: QrDecomposition): Float64Array {
  return crossprodInverseUpper(d.qr, d.n, d.rank);
}
