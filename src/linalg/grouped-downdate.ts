/**
 * The downdate C ← C − V Vᵀ of a dense block by a sparse block whose columns are fixed sparse
 * vectors times per-column scalars that take few distinct values. In the mixed model, for two
 * scalar terms with the first block diagonal, column s of L[j,0] is a_s · λ_0 λ_j / √(1 + λ_0² d_s)
 * with a_s column s of A[j,0] and d_s = A[0,0][s], so
 *
 *     V Vᵀ = Σ_g c_g(θ) G_g,   G_g = Σ_{s : d_s = δ_g} a_s a_sᵀ,   c_g = λ_0² λ_j² / (1 + λ_0² δ_g),
 *
 * with G_g precomputed once. Balanced designs (every subject sees the same number of items) have a
 * single group, turning Σ_s nnz(a_s)² scattered updates per evaluation into one dense pass.
 */
import type { BlockSparse } from "./block-types.ts";

export interface GroupedDowndate {
  /** Order of the dense target. */
  readonly n: number;
  /** Distinct values δ_g of the per-column scalar. */
  readonly values: Float64Array;
  /** Lower triangles of G_g, column-major n×n each, group g at offset g·n². */
  readonly G: Float64Array;
}

/** Largest Σ_g n² entries held by the precomputed G_g (64 MB). */
const MAX_ENTRIES = 8 << 20;

/**
 * Precompute G_g for a scalar (Sr = Sc = 1) sparse A (n rows) and per-column values `d`, or null
 * when grouping does not pay: more than `maxGroups` distinct values, too much memory, or a dense
 * pass per group costing more than a quarter of the sparse updates it replaces.
 */
export function buildGroupedDowndate(A: BlockSparse, d: Float64Array, maxGroups = 8): GroupedDowndate | null {
  if (A.Sr !== 1 || A.Sc !== 1) return null;
  const n = A.nrb;
  const index = new Map<number, number>();
  const group = new Int32Array(A.ncb);
  let pairs = 0;
  for (let c = 0; c < A.ncb; c++) {
    let g = index.get(d[c]);
    if (g === undefined) {
      if (index.size >= maxGroups) return null;
      g = index.size;
      index.set(d[c], g);
    }
    group[c] = g;
    const cnt = A.colptr[c + 1] - A.colptr[c];
    pairs += (cnt * (cnt + 1)) / 2;
  }
  const ng = index.size;
  if (ng * n * n > MAX_ENTRIES || 4 * ng * ((n * (n + 1)) / 2) > pairs) return null;
  const values = new Float64Array(ng);
  for (const [v, g] of index) values[g] = v;
  const G = new Float64Array(ng * n * n);
  for (let c = 0; c < A.ncb; c++) {
    const o = group[c] * n * n;
    const k0 = A.colptr[c];
    const k1 = A.colptr[c + 1];
    for (let b = k0; b < k1; b++) {
      const vb = A.data[b];
      const col = o + A.rowblk[b] * n;
      for (let a = b; a < k1; a++) G[col + A.rowblk[a]] += A.data[a] * vb;
    }
  }
  return { n, values, G };
}

/** C (lower triangle, n×n) −= Σ_g coef(δ_g) G_g, with coef_g = f2 / (1 + l2 δ_g). */
export function applyGroupedDowndate(C: Float64Array, gd: GroupedDowndate, f2: number, l2: number): void {
  const { n, values, G } = gd;
  const nn = n * n;
  for (let g = 0; g < values.length; g++) {
    const c = f2 / (1 + l2 * values[g]);
    if (c === 0) continue;
    const o = g * nn;
    for (let j = 0; j < n; j++) {
      const cj = j * n;
      for (let i = j; i < n; i++) C[cj + i] -= c * G[o + cj + i];
    }
  }
}
