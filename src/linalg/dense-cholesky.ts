/**
 * In-place lower Cholesky factorisation of a dense symmetric positive-definite matrix stored
 * column-major (n×n, leading dimension n); only the lower triangle is read and written.
 *
 * Blocked right-looking algorithm: each panel of NB columns is factorised left-looking (diagonal
 * block and the rows below it together), then the trailing lower triangle is updated with a
 * register-blocked rank-NB kernel (2 columns × 4 panel columns per pass). No allocation.
 */

const NB = 64;
/**
 * Panel width with a fast trailing kernel: narrower panels move flops from the JS panel code into
 * the kernel (measured at n = 750: NB 64 → 29 ms, 32 → 13 ms, 16 → 11 ms).
 */
export const KERNEL_PANEL = 16;

/** A faster trailing update for the arrays it owns (the WebAssembly SIMD kernel, wasm-dense.ts). */
export interface TrailingKernel {
  /** a[i,j] −= Σ_{t∈[k0,k1)} a[i,t] a[j,t] for k1 ≤ j ≤ i < n (lower triangle only). */
  trailingUpdate(a: Float64Array, n: number, k0: number, k1: number): void;
}

/**
 * Factorise `a` in place. Returns -1 on success, otherwise the 0-based column whose pivot was not
 * positive (the matrix is then partially overwritten).
 *
 * With `start` > 0 the first `start` columns are taken as already factorised (the continuation of
 * a right-looking factorisation, e.g. after the sparse phase of `factorLeftLooking`); the updates
 * from columns [`pending`, `start`) are applied to the trailing lower triangle first, those from
 * earlier columns are assumed applied. With a `kernel` (which must own `a`), the trailing updates
 * run in it, with panels of KERNEL_PANEL columns.
 */
export function choleskyInPlace(
  a: Float64Array,
  n: number,
  start = 0,
  pending = start,
  kernel: TrailingKernel | null = null,
): number {
  if (kernel) {
    if (pending < start) kernel.trailingUpdate(a, n, pending, start);
    for (let k0 = start; k0 < n; k0 += KERNEL_PANEL) {
      const k1 = Math.min(n, k0 + KERNEL_PANEL);
      const fail = panel(a, n, k0, k1);
      if (fail >= 0) return fail;
      kernel.trailingUpdate(a, n, k0, k1);
    }
    return -1;
  }
  if (pending < start) trailingUpdate(a, n, pending, start);
  for (let k0 = start; k0 < n; k0 += NB) {
    const k1 = Math.min(n, k0 + NB);
    const fail = panel(a, n, k0, k1);
    if (fail >= 0) return fail;
    trailingUpdate(a, n, k0, k1);
  }
  return -1;
}

/** Factorise columns [k0, k1) (all rows ≥ k0) given that earlier panels are already applied. */
function panel(a: Float64Array, n: number, k0: number, k1: number): number {
  for (let j = k0; j < k1; j++) {
    const cj = j * n;
    let t = k0;
    // two earlier panel columns per pass: column j is read and written half as often
    for (; t + 1 < j; t += 2) {
      const ct = t * n;
      const ct1 = ct + n;
      const x0 = a[ct + j];
      const x1 = a[ct1 + j];
      if (x0 === 0 && x1 === 0) continue;
      for (let i = j; i < n; i++) a[cj + i] -= a[ct + i] * x0 + a[ct1 + i] * x1;
    }
    for (; t < j; t++) {
      const ct = t * n;
      const x = a[ct + j];
      if (x === 0) continue;
      for (let i = j; i < n; i++) a[cj + i] -= a[ct + i] * x;
    }
    const d = a[cj + j];
    if (!(d > 0)) return j;
    const s = Math.sqrt(d);
    a[cj + j] = s;
    const inv = 1 / s;
    for (let i = j + 1; i < n; i++) a[cj + i] *= inv;
  }
  return -1;
}

/** a[i,j] -= Σ_{t∈[k0,k1)} a[i,t] a[j,t] for k1 ≤ j ≤ i < n. */
function trailingUpdate(a: Float64Array, n: number, k0: number, k1: number): void {
  let j = k1;
  for (; j + 1 < n; j += 2) {
    const cj = j * n;
    const cj1 = cj + n;
    let t = k0;
    for (; t + 3 < k1; t += 4) {
      const c0 = t * n;
      const c1 = c0 + n;
      const c2 = c1 + n;
      const c3 = c2 + n;
      const x0 = a[c0 + j];
      const x1 = a[c1 + j];
      const x2 = a[c2 + j];
      const x3 = a[c3 + j];
      const y0 = a[c0 + j + 1];
      const y1 = a[c1 + j + 1];
      const y2 = a[c2 + j + 1];
      const y3 = a[c3 + j + 1];
      // exact zeros (panels of a fill-reduced factor): nothing to update
      if (x0 === 0 && x1 === 0 && x2 === 0 && x3 === 0 && y0 === 0 && y1 === 0 && y2 === 0 && y3 === 0)
        continue;
      a[cj + j] -= x0 * x0 + x1 * x1 + x2 * x2 + x3 * x3;
      for (let i = j + 1; i < n; i++) {
        const a0 = a[c0 + i];
        const a1 = a[c1 + i];
        const a2 = a[c2 + i];
        const a3 = a[c3 + i];
        a[cj + i] -= a0 * x0 + a1 * x1 + a2 * x2 + a3 * x3;
        a[cj1 + i] -= a0 * y0 + a1 * y1 + a2 * y2 + a3 * y3;
      }
    }
    for (; t < k1; t++) {
      const ct = t * n;
      const x = a[ct + j];
      const y = a[ct + j + 1];
      a[cj + j] -= x * x;
      for (let i = j + 1; i < n; i++) {
        const v = a[ct + i];
        a[cj + i] -= v * x;
        a[cj1 + i] -= v * y;
      }
    }
  }
  if (j < n) {
    const cj = j * n;
    for (let t = k0; t < k1; t++) {
      const x = a[t * n + j];
      a[cj + j] -= x * x;
    }
  }
}

/** Solve L x = b in place (L lower n×n column-major, forward substitution). */
export function forwardSolve(L: Float64Array, n: number, b: Float64Array, off = 0): void {
  for (let j = 0; j < n; j++) {
    const cj = j * n;
    const x = b[off + j] / L[cj + j];
    b[off + j] = x;
    if (x !== 0) for (let i = j + 1; i < n; i++) b[off + i] -= L[cj + i] * x;
  }
}

/** Solve Lᵀ x = b in place (L lower n×n column-major, back substitution). */
export function backSolveTransposed(L: Float64Array, n: number, b: Float64Array, off = 0): void {
  for (let j = n - 1; j >= 0; j--) {
    const cj = j * n;
    let s = b[off + j];
    for (let i = j + 1; i < n; i++) s -= L[cj + i] * b[off + i];
    b[off + j] = s / L[cj + j];
  }
}

/**
 * X ← X L⁻ᵀ for a rows×n column-major X (leading dimension rows) and lower n×n L. Column-oriented
 * (reads L by columns, contiguously): column s of the result is X[:,s] / L[s,s], which is then
 * eliminated from every later column t with L[t,s] ≠ 0 (exact zeros of a sparse factor are skipped).
 */
export function rightSolveLowerTransposed(L: Float64Array, n: number, X: Float64Array, rows: number): void {
  for (let s = 0; s < n; s++) {
    const cs = s * n;
    const xs = s * rows;
    const inv = 1 / L[cs + s];
    for (let r = 0; r < rows; r++) X[xs + r] *= inv;
    let t = s + 1;
    for (; t + 1 < n; t += 2) {
      const l0 = L[cs + t];
      const l1 = L[cs + t + 1];
      if (l0 === 0 && l1 === 0) continue;
      const xt = t * rows;
      for (let r = 0; r < rows; r++) {
        const v = X[xs + r];
        X[xt + r] -= v * l0;
        X[xt + rows + r] -= v * l1;
      }
    }
    if (t < n) {
      const l = L[cs + t];
      const xt = t * rows;
      if (l !== 0) for (let r = 0; r < rows; r++) X[xt + r] -= X[xs + r] * l;
    }
  }
}
