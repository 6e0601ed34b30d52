/**
 * Test-only references for the dense and sparse Cholesky tests: a seeded uniform generator, the
 * naive unblocked Cholesky, random sparse SPD matrices, and the product Y·Lᵀ that undoes
 * `rightSolveLowerTransposed`.
 */
import type { BlockSparse } from "../../src/linalg/block-types.ts";

/** Seeded uniform numbers in (0, 1) (Park–Miller). */
export function rng(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 16807) % 2147483647;
    return s / 2147483647;
  };
}

/** Naive unblocked lower Cholesky (reference). */
export function naiveCholesky(A: Float64Array, n: number): Float64Array {
  const L = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    let d = A[j * n + j];
    for (let t = 0; t < j; t++) d -= L[t * n + j] ** 2;
    L[j * n + j] = Math.sqrt(d);
    for (let i = j + 1; i < n; i++) {
      let s = A[j * n + i];
      for (let t = 0; t < j; t++) s -= L[t * n + i] * L[t * n + j];
      L[j * n + i] = s / L[j * n + j];
    }
  }
  return L;
}

/** Random sparse SPD matrix I·shift + Σ_cols v vᵀ with `nnzPerCol` random rows per column. */
export function sparseSpd(
  n: number,
  ncols: number,
  nnzPerCol: number,
  seed: number,
): { A: Float64Array; B: BlockSparse } {
  const r = rng(seed);
  const colptr = new Int32Array(ncols + 1);
  const rows: number[] = [];
  const vals: number[] = [];
  for (let c = 0; c < ncols; c++) {
    const set = new Set<number>();
    while (set.size < nnzPerCol) set.add(Math.floor(r() * n));
    const sorted = [...set].sort((a, b) => a - b);
    for (const x of sorted) {
      rows.push(x);
      vals.push(r() - 0.5);
    }
    colptr[c + 1] = rows.length;
  }
  const B: BlockSparse = {
    kind: "sparse",
    Sr: 1,
    Sc: 1,
    nrb: n,
    ncb: ncols,
    colptr,
    rowblk: Int32Array.from(rows),
    data: Float64Array.from(vals),
  };
  const A = new Float64Array(n * n);
  for (let i = 0; i < n; i++) A[i * n + i] = 1 + r();
  for (let c = 0; c < ncols; c++)
    for (let a = colptr[c]; a < colptr[c + 1]; a++)
      for (let b = colptr[c]; b < colptr[c + 1]; b++) A[rows[b] * n + rows[a]] += vals[a] * vals[b];
  return { A, B };
}

/** Y·Lᵀ for a rows×n column-major Y and lower n×n L (so that Y = X L⁻ᵀ gives back X). */
export function timesLowerTransposed(
  Y: Float64Array,
  L: Float64Array,
  n: number,
  rows: number,
): Float64Array {
  const back = new Float64Array(rows * n);
  for (let c = 0; c < n; c++)
    for (let s = 0; s <= c; s++)
      for (let q = 0; q < rows; q++) back[c * rows + q] += Y[s * rows + q] * L[s * n + c];
  return back;
}
