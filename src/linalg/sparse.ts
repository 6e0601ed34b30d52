/**
 * Construction helpers for block-sparse matrices (see `BlockSparse` in block-types.ts).
 */
import type { BlockSparse } from "./block-types.ts";

/**
 * The block pattern of the pairs (rowBlock[t], colBlock[t]), t < n, deduplicated and sorted by
 * column block then row block; `pos[t]` is the index of observation t's block in that pattern.
 */
export function blockPattern(
  rowBlock: Int32Array,
  colBlock: Int32Array,
  nrb: number,
  ncb: number,
  Sr: number,
  Sc: number,
): { matrix: BlockSparse; pos: Int32Array } {
  const n = rowBlock.length;
  // counting sort by column block, then sort rows within each column and deduplicate
  const count = new Int32Array(ncb + 1);
  for (let t = 0; t < n; t++) count[colBlock[t] + 1]++;
  for (let c = 0; c < ncb; c++) count[c + 1] += count[c];
  const order = new Int32Array(n);
  const next = count.slice(0, ncb);
  for (let t = 0; t < n; t++) order[next[colBlock[t]]++] = t;
  const colptr = new Int32Array(ncb + 1);
  const rows: number[] = [];
  const pos = new Int32Array(n);
  const mark = new Int32Array(nrb).fill(-1);
  const seg: number[] = [];
  for (let c = 0; c < ncb; c++) {
    seg.length = 0;
    for (let k = count[c]; k < count[c + 1]; k++) {
      const r = rowBlock[order[k]];
      if (mark[r] !== c) {
        mark[r] = c;
        seg.push(r);
      }
    }
    seg.sort((a, b) => a - b);
    const start = rows.length;
    for (let k = 0; k < seg.length; k++) rows.push(seg[k]);
    colptr[c + 1] = rows.length;
    for (let k = count[c]; k < count[c + 1]; k++) {
      const t = order[k];
      pos[t] = start + lowerBound(seg, rowBlock[t]);
    }
  }
  const rowblk = Int32Array.from(rows);
  const matrix: BlockSparse = {
    kind: "sparse",
    Sr,
    Sc,
    nrb,
    ncb,
    colptr,
    rowblk,
    data: new Float64Array(rowblk.length * Sr * Sc),
  };
  return { matrix, pos };
}

function lowerBound(a: readonly number[], x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index k of row block `rb` in column block `cb`, or -1. */
export function findBlock(m: BlockSparse, rb: number, cb: number): number {
  let lo = m.colptr[cb];
  let hi = m.colptr[cb + 1];
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (m.rowblk[mid] < rb) lo = mid + 1;
    else hi = mid;
  }
  return lo < m.colptr[cb + 1] && m.rowblk[lo] === rb ? lo : -1;
}

/** Largest number of scalar nonzeros in one scalar column. */
export function maxColumnNnz(m: BlockSparse): number {
  let mx = 0;
  for (let c = 0; c < m.ncb; c++) mx = Math.max(mx, (m.colptr[c + 1] - m.colptr[c]) * m.Sr);
  return mx;
}

/**
 * Gather scalar column `t` of column block `cb` into (rows, vals); returns the count.
 */
export function gatherColumn(
  m: BlockSparse,
  cb: number,
  t: number,
  rows: Int32Array,
  vals: Float64Array,
): number {
  const { Sr, Sc } = m;
  const bs = Sr * Sc;
  let cnt = 0;
  for (let k = m.colptr[cb]; k < m.colptr[cb + 1]; k++) {
    const r0 = m.rowblk[k] * Sr;
    const d0 = k * bs + t * Sr;
    for (let s = 0; s < Sr; s++) {
      rows[cnt] = r0 + s;
      vals[cnt++] = m.data[d0 + s];
    }
  }
  return cnt;
}
