/**
 * Symmetric rank-k downdates and products `C ← C − A Bᵀ` between the block types of
 * block-types.ts, as used by the blocked Cholesky factorisation of the mixed-model system.
 * Every kernel is allocation-free; callers pass preallocated scratch space.
 */
import type { BlkDiagBlock, Block, BlockSparse, DenseBlock } from "./block-types.ts";
import { findBlock, gatherColumn } from "./sparse.ts";

/** Scratch for sparse column walks; each array must hold the largest scalar column of any operand. */
export interface Scratch {
  rows1: Int32Array;
  vals1: Float64Array;
  rows2: Int32Array;
  vals2: Float64Array;
}

export function makeScratch(size: number): Scratch {
  const m = Math.max(1, size);
  return {
    rows1: new Int32Array(m),
    vals1: new Float64Array(m),
    rows2: new Int32Array(m),
    vals2: new Float64Array(m),
  };
}

/** C ← C − A Aᵀ (lower triangle of a dense C, or within the diagonal blocks of a block-diagonal C). */
export function downdateSymmetric(
  C: BlkDiagBlock | DenseBlock,
  A: BlockSparse | DenseBlock,
  w: Scratch,
): void {
  if (C.kind === "dense") {
    if (A.kind === "dense") syrkLower(C.data, C.rows, A.data, A.cols);
    else denseFromSparse(C, A, w);
  } else if (A.kind === "sparse") blkDiagFromSparse(C, A);
  else blkDiagFromDense(C, A);
}

/** Lower triangle of C (n×n) −= A Aᵀ for column-major A (n×k). */
export function syrkLower(C: Float64Array, n: number, A: Float64Array, k: number): void {
  if (n === 3) {
    // the [X y] block of a model with one covariate: six running sums in registers
    let s00 = 0;
    let s10 = 0;
    let s20 = 0;
    let s11 = 0;
    let s21 = 0;
    let s22 = 0;
    for (let o = 0; o < 3 * k; o += 3) {
      const a0 = A[o];
      const a1 = A[o + 1];
      const a2 = A[o + 2];
      s00 += a0 * a0;
      s10 += a1 * a0;
      s20 += a2 * a0;
      s11 += a1 * a1;
      s21 += a2 * a1;
      s22 += a2 * a2;
    }
    C[0] -= s00;
    C[1] -= s10;
    C[2] -= s20;
    C[4] -= s11;
    C[5] -= s21;
    C[8] -= s22;
    return;
  }
  if (n <= 4) {
    // a few rows (the [X y] block of a small model): one dot product of length k per entry
    for (let j = 0; j < n; j++)
      for (let i = j; i < n; i++) {
        let s = 0;
        for (let c = 0; c < k; c++) s += A[c * n + i] * A[c * n + j];
        C[j * n + i] -= s;
      }
    return;
  }
  let c = 0;
  for (; c + 1 < k; c += 2) {
    const a0 = c * n;
    const a1 = a0 + n;
    for (let j = 0; j < n; j++) {
      const x0 = A[a0 + j];
      const x1 = A[a1 + j];
      if (x0 === 0 && x1 === 0) continue;
      const cj = j * n;
      for (let i = j; i < n; i++) C[cj + i] -= A[a0 + i] * x0 + A[a1 + i] * x1;
    }
  }
  for (; c < k; c++) {
    const a0 = c * n;
    for (let j = 0; j < n; j++) {
      const x0 = A[a0 + j];
      if (x0 === 0) continue;
      const cj = j * n;
      for (let i = j; i < n; i++) C[cj + i] -= A[a0 + i] * x0;
    }
  }
}

function denseFromSparse(C: DenseBlock, A: BlockSparse, w: Scratch): void {
  const n = C.rows;
  const c = C.data;
  const { rows1: rows, vals1: vals } = w;
  for (let cb = 0; cb < A.ncb; cb++) {
    for (let t = 0; t < A.Sc; t++) {
      const cnt = gatherColumn(A, cb, t, rows, vals);
      // rows are increasing: for each pair (a ≥ b) update C[rows[a], rows[b]]
      for (let b = 0; b < cnt; b++) {
        const vb = vals[b];
        if (vb === 0) continue;
        const col = rows[b] * n;
        for (let a = b; a < cnt; a++) c[col + rows[a]] -= vals[a] * vb;
      }
    }
  }
}

function blkDiagFromSparse(C: BlkDiagBlock, A: BlockSparse): void {
  const S = C.S;
  const SS = S * S;
  const { Sr, Sc } = A;
  const bs = Sr * Sc;
  for (let cb = 0; cb < A.ncb; cb++) {
    for (let k = A.colptr[cb]; k < A.colptr[cb + 1]; k++) {
      const off = A.rowblk[k] * SS;
      const d = k * bs;
      for (let cc = 0; cc < S; cc++)
        for (let r = cc; r < S; r++) {
          let s = 0;
          for (let t = 0; t < Sc; t++) s += A.data[d + t * Sr + r] * A.data[d + t * Sr + cc];
          C.data[off + cc * S + r] -= s;
        }
    }
  }
}

function blkDiagFromDense(C: BlkDiagBlock, A: DenseBlock): void {
  const S = C.S;
  const n = A.rows;
  for (let l = 0; l < C.nblk; l++) {
    const off = l * S * S;
    for (let cc = 0; cc < S; cc++)
      for (let r = cc; r < S; r++) {
        let s = 0;
        const ri = l * S + r;
        const ci = l * S + cc;
        for (let t = 0; t < A.cols; t++) s += A.data[t * n + ri] * A.data[t * n + ci];
        C.data[off + cc * S + r] -= s;
      }
  }
}

/** Precomputed index triples (target block, left block, right block) for sparse ← sparse·sparseᵀ. */
export type ProductMap = Int32Array;

/** Build the product map; null when a product falls outside the target's pattern. */
export function buildProductMap(C: BlockSparse, A: BlockSparse, B: BlockSparse): ProductMap | null {
  const out: number[] = [];
  for (let cb = 0; cb < A.ncb; cb++) {
    for (let kb = B.colptr[cb]; kb < B.colptr[cb + 1]; kb++) {
      const colBlk = B.rowblk[kb];
      for (let ka = A.colptr[cb]; ka < A.colptr[cb + 1]; ka++) {
        const kc = findBlock(C, A.rowblk[ka], colBlk);
        if (kc < 0) return null;
        out.push(kc, ka, kb);
      }
    }
  }
  return Int32Array.from(out);
}

/** C ← C − A Bᵀ for any operand types (dense or sparse target). */
export function downdateProduct(
  C: BlockSparse | DenseBlock,
  A: BlockSparse | DenseBlock,
  B: BlockSparse | DenseBlock,
  w: Scratch,
  map: ProductMap | null,
): void {
  if (C.kind === "sparse") {
    if (A.kind !== "sparse" || B.kind !== "sparse" || !map)
      throw new Error("sparse target needs sparse operands");
    sparseProduct(C, A, B, map);
    return;
  }
  if (A.kind === "dense" && B.kind === "dense") gemmNT(C, A, B);
  else if (A.kind === "sparse" && B.kind === "sparse") sparseSparse(C, A, B, w);
  else if (A.kind === "dense" && B.kind === "sparse") denseSparse(C, A, B, w);
  else sparseDense(C, A as BlockSparse, B as DenseBlock, w);
}

function sparseProduct(C: BlockSparse, A: BlockSparse, B: BlockSparse, map: ProductMap): void {
  const Sa = A.Sr;
  const Sb = B.Sr;
  const St = A.Sc;
  const csz = C.Sr * C.Sc;
  const asz = Sa * St;
  const bsz = Sb * St;
  for (let m = 0; m < map.length; m += 3) {
    const oc = map[m] * csz;
    const oa = map[m + 1] * asz;
    const ob = map[m + 2] * bsz;
    for (let c = 0; c < Sb; c++)
      for (let r = 0; r < Sa; r++) {
        let s = 0;
        for (let t = 0; t < St; t++) s += A.data[oa + t * Sa + r] * B.data[ob + t * Sb + c];
        C.data[oc + c * Sa + r] -= s;
      }
  }
}

/** C (m×n) −= A (m×k) Bᵀ (B n×k), all dense column-major. */
export function gemmNT(C: DenseBlock, A: DenseBlock, B: DenseBlock): void {
  const m = C.rows;
  const n = C.cols;
  const k = A.cols;
  const a = A.data;
  const b = B.data;
  const c = C.data;
  if (m <= 4) {
    // a few rows (the [X y] block of a small model): one dot product of length k per entry
    for (let j = 0; j < n; j++)
      for (let i = 0; i < m; i++) {
        let s = 0;
        for (let t = 0; t < k; t++) s += a[t * m + i] * b[t * n + j];
        c[j * m + i] -= s;
      }
    return;
  }
  for (let t = 0; t < k; t++) {
    const at = t * m;
    const bt = t * n;
    for (let j = 0; j < n; j++) {
      const x = b[bt + j];
      if (x === 0) continue;
      const cj = j * m;
      for (let i = 0; i < m; i++) c[cj + i] -= a[at + i] * x;
    }
  }
}

function sparseSparse(C: DenseBlock, A: BlockSparse, B: BlockSparse, w: Scratch): void {
  const m = C.rows;
  const c = C.data;
  if (A.Sr === 1 && A.Sc === 1 && B.Sr === 1 && B.Sc === 1) {
    // scalar CSC: no gathers
    const { colptr: ap, rowblk: ar, data: ad } = A;
    const { colptr: bp, rowblk: br, data: bd } = B;
    for (let cb = 0; cb < A.ncb; cb++) {
      const a0 = ap[cb];
      const a1 = ap[cb + 1];
      if (a0 === a1) continue;
      for (let q = bp[cb]; q < bp[cb + 1]; q++) {
        const x = bd[q];
        const col = br[q] * m;
        for (let p = a0; p < a1; p++) c[col + ar[p]] -= ad[p] * x;
      }
    }
    return;
  }
  for (let cb = 0; cb < A.ncb; cb++) {
    for (let t = 0; t < A.Sc; t++) {
      const na = gatherColumn(A, cb, t, w.rows1, w.vals1);
      if (na === 0) continue;
      const nb = gatherColumn(B, cb, t, w.rows2, w.vals2);
      for (let q = 0; q < nb; q++) {
        const x = w.vals2[q];
        const col = w.rows2[q] * m;
        for (let p = 0; p < na; p++) c[col + w.rows1[p]] -= w.vals1[p] * x;
      }
    }
  }
}

function denseSparse(C: DenseBlock, A: DenseBlock, B: BlockSparse, w: Scratch): void {
  const m = C.rows;
  const c = C.data;
  const a = A.data;
  if (B.Sr === 1 && B.Sc === 1) {
    // scalar CSC: no gather
    const { colptr, rowblk } = B;
    const bd = B.data;
    for (let cb = 0; cb < B.ncb; cb++) {
      const at = cb * m;
      for (let q = colptr[cb]; q < colptr[cb + 1]; q++) {
        const x = bd[q];
        const col = rowblk[q] * m;
        for (let i = 0; i < m; i++) c[col + i] -= a[at + i] * x;
      }
    }
    return;
  }
  for (let cb = 0; cb < B.ncb; cb++) {
    for (let t = 0; t < B.Sc; t++) {
      const nb = gatherColumn(B, cb, t, w.rows2, w.vals2);
      const at = (cb * B.Sc + t) * m;
      for (let q = 0; q < nb; q++) {
        const x = w.vals2[q];
        const col = w.rows2[q] * m;
        for (let i = 0; i < m; i++) c[col + i] -= a[at + i] * x;
      }
    }
  }
}

function sparseDense(C: DenseBlock, A: BlockSparse, B: DenseBlock, w: Scratch): void {
  const m = C.rows;
  const n = C.cols;
  const c = C.data;
  const b = B.data;
  for (let cb = 0; cb < A.ncb; cb++) {
    for (let t = 0; t < A.Sc; t++) {
      const na = gatherColumn(A, cb, t, w.rows1, w.vals1);
      const bt = (cb * A.Sc + t) * n;
      for (let p = 0; p < na; p++) {
        const x = w.vals1[p];
        const r = w.rows1[p];
        for (let j = 0; j < n; j++) c[j * m + r] -= x * b[bt + j];
      }
    }
  }
}

/** Cholesky of each S×S block in place (lower). Returns false if a pivot is not positive. */
export function cholBlkDiag(C: BlkDiagBlock): boolean {
  const S = C.S;
  const d = C.data;
  if (S === 1) {
    for (let l = 0; l < C.nblk; l++) {
      const v = d[l];
      if (!(v > 0)) return false;
      d[l] = Math.sqrt(v);
    }
    return true;
  }
  const SS = S * S;
  for (let l = 0; l < C.nblk; l++) {
    const o = l * SS;
    for (let j = 0; j < S; j++) {
      for (let t = 0; t < j; t++) {
        const x = d[o + t * S + j];
        for (let i = j; i < S; i++) d[o + j * S + i] -= d[o + t * S + i] * x;
      }
      const v = d[o + j * S + j];
      if (!(v > 0)) return false;
      const s = Math.sqrt(v);
      d[o + j * S + j] = s;
      for (let i = j + 1; i < S; i++) d[o + j * S + i] /= s;
    }
  }
  return true;
}

/** X ← X D⁻ᵀ where D is block-diagonal lower triangular (the factor of a BlkDiagBlock). */
export function rightSolveBlkDiag(X: BlockSparse | DenseBlock, D: BlkDiagBlock): void {
  const S = D.S;
  const SS = S * S;
  const d = D.data;
  if (X.kind === "dense" && S === 1) {
    const m = X.rows;
    const x = X.data;
    for (let l = 0; l < D.nblk; l++) {
      const inv = 1 / d[l];
      const o = l * m;
      for (let r = 0; r < m; r++) x[o + r] *= inv;
    }
    return;
  }
  if (X.kind === "dense" && S === 2) {
    const m = X.rows;
    const x = X.data;
    for (let l = 0; l < D.nblk; l++) {
      const o = l * 4;
      const inv0 = 1 / d[o];
      const d10 = d[o + 1];
      const inv1 = 1 / d[o + 3];
      const x0 = 2 * l * m;
      const x1 = x0 + m;
      for (let r = 0; r < m; r++) {
        const v = x[x0 + r] * inv0;
        x[x0 + r] = v;
        x[x1 + r] = (x[x1 + r] - v * d10) * inv1;
      }
    }
    return;
  }
  if (X.kind === "dense") {
    const m = X.rows;
    const x = X.data;
    for (let l = 0; l < D.nblk; l++) {
      const o = l * SS;
      for (let t = 0; t < S; t++) {
        const xt = (l * S + t) * m;
        for (let s = 0; s < t; s++) {
          const v = d[o + s * S + t];
          const xs = (l * S + s) * m;
          for (let r = 0; r < m; r++) x[xt + r] -= x[xs + r] * v;
        }
        const inv = 1 / d[o + t * S + t];
        for (let r = 0; r < m; r++) x[xt + r] *= inv;
      }
    }
    return;
  }
  const Sr = X.Sr;
  const bs = Sr * S;
  const x = X.data;
  if (S === 1 && Sr === 1) {
    for (let cb = 0; cb < X.ncb; cb++) {
      const inv = 1 / d[cb];
      for (let k = X.colptr[cb]; k < X.colptr[cb + 1]; k++) x[k] *= inv;
    }
    return;
  }
  for (let cb = 0; cb < X.ncb; cb++) {
    const o = cb * SS;
    for (let k = X.colptr[cb]; k < X.colptr[cb + 1]; k++) {
      const xb = k * bs;
      for (let t = 0; t < S; t++) {
        for (let s = 0; s < t; s++) {
          const v = d[o + s * S + t];
          for (let r = 0; r < Sr; r++) x[xb + t * Sr + r] -= x[xb + s * Sr + r] * v;
        }
        const inv = 1 / d[o + t * S + t];
        for (let r = 0; r < Sr; r++) x[xb + t * Sr + r] *= inv;
      }
    }
  }
}

export type { Block };
