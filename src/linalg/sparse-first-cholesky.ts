/**
 * Cholesky factorisation of a dense-stored but sparse symmetric matrix that has been permuted by a
 * fill-reducing ordering (min-degree.ts): the leading columns, whose factor columns are still
 * sparse, are eliminated one at a time with scattered rank-1 updates that touch only nonzeros; as
 * soon as the factor columns become dense the blocked dense kernel takes over the trailing block.
 * The result is the ordinary lower Cholesky factor of the permuted matrix, stored densely.
 */
import { choleskyInPlace } from "./dense-cholesky.ts";

/**
 * Switch to the dense kernel once a factor column has more than this fraction of nonzeros below
 * the diagonal (the scattered updates cost several times more per flop than the blocked kernel).
 */
const DENSE_SWITCH = 0.3;

/**
 * dst ← P C Pᵀ (lower triangle), where C is symmetric n×n with its lower triangle stored
 * column-major in `src`, and row/column k of the result is row/column `order[k]` of C.
 */
export function gatherPermuted(src: Float64Array, dst: Float64Array, n: number, order: Int32Array): void {
  for (let k = 0; k < n; k++) {
    const oj = order[k];
    const cj = oj * n;
    const dk = k * n;
    for (let r = k; r < n; r++) {
      const oi = order[r];
      dst[dk + r] = oi >= oj ? src[cj + oi] : src[oi * n + oj];
    }
  }
}

/**
 * In-place lower Cholesky factorisation of `a` (n×n column-major, lower triangle), exploiting exact
 * zeros in the leading columns. `rows`/`vals` are scratch of length ≥ n. Returns -1 on success,
 * otherwise the column whose pivot was not positive.
 */
export function choleskySparseFirst(
  a: Float64Array,
  n: number,
  rows: Int32Array,
  vals: Float64Array,
): number {
  for (let v = 0; v < n; v++) {
    const cv = v * n;
    const d = a[cv + v];
    if (!(d > 0)) return v;
    const s = Math.sqrt(d);
    a[cv + v] = s;
    const inv = 1 / s;
    let cnt = 0;
    for (let i = v + 1; i < n; i++) {
      const x = a[cv + i];
      if (x !== 0) {
        const y = x * inv;
        a[cv + i] = y;
        rows[cnt] = i;
        vals[cnt++] = y;
      }
    }
    if (cnt > DENSE_SWITCH * (n - v - 1) && cnt > 32) {
      // dense from here on: apply this column's update as the first step of the blocked kernel
      return choleskyInPlace(a, n, v + 1, v);
    }
    for (let b = 0; b < cnt; b++) {
      const vb = vals[b];
      const col = rows[b] * n;
      for (let x = b; x < cnt; x++) a[col + rows[x]] -= vals[x] * vb;
    }
  }
  return -1;
}
