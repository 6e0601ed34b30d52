/**
 * Exact rescaling by powers of two: a column whose values are near 1e308 or 1e-320 is brought
 * to magnitude ~1 (and back) without rounding, so least squares neither overflows nor loses
 * subnormal digits. Multiplying by 2^e is exact unless the result leaves the double range.
 */

/** The exponent e with 2^e ≈ `maxAbs` (0 for 0 or non-finite). */
export function pow2Exponent(maxAbs: number): number {
  if (!(maxAbs > 0) || !Number.isFinite(maxAbs)) return 0;
  return Math.round(Math.log2(maxAbs));
}

/** x · 2^e, in two exact steps so that 2^e itself need not be representable. */
export function timesPow2(x: number, e: number): number {
  const h = Math.trunc(e / 2);
  return x * 2 ** h * 2 ** (e - h);
}

/** Multiply `v` (in place) by 2^e. */
export function scaleByPow2(v: Float64Array, e: number): void {
  if (e === 0) return;
  const h = Math.trunc(e / 2);
  const f1 = 2 ** h;
  const f2 = 2 ** (e - h);
  for (let i = 0; i < v.length; i++) v[i] = v[i] * f1 * f2;
}

/** The power of two 2^⌊log₂ x⌋ for finite x > 0 (1 for 0 or non-finite x). */
export function pow2Floor(x: number): number {
  if (!(x > 0) || !Number.isFinite(x)) return 1;
  let e = Math.floor(Math.log2(x));
  // log2 may round across a power of two: correct by one step either way
  if (2 ** e > x) e--;
  else if (2 ** (e + 1) <= x) e++;
  return 2 ** Math.max(-1074, Math.min(1023, e));
}

/** Largest |v[i]| over [from, to) (NaN when any entry is NaN). */
export function maxAbs(v: ArrayLike<number>, from = 0, to = v.length): number {
  let m = 0;
  for (let i = from; i < to; i++) {
    const a = Math.abs(v[i]);
    if (a > m || Number.isNaN(a)) m = a;
  }
  return m;
}

/** Largest finite |v[i]| (0 when there is none): missing (NaN) and infinite entries are skipped. */
export function maxAbsFinite(v: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < v.length; i++) {
    const a = Math.abs(v[i]);
    if (a > m && a !== Number.POSITIVE_INFINITY) m = a;
  }
  return m;
}
