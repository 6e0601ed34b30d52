/**
 * Storage types for the blocks of the blocked cross-product matrix A and its Cholesky factor L.
 * All numeric storage is column-major Float64Array.
 */

/** ℓ dense S×S blocks on the diagonal (S = 1 is a plain diagonal). Block l at `data[l*S*S]`. */
export interface BlkDiagBlock {
  readonly kind: "blkdiag";
  readonly S: number;
  readonly nblk: number;
  readonly data: Float64Array;
}

/**
 * Block-sparse matrix in compressed-column form over column blocks: column block c (width Sc) has
 * row blocks `rowblk[colptr[c] .. colptr[c+1])`, each a dense Sr×Sc block stored column-major at
 * `data[k*Sr*Sc]`. Row blocks within a column block are sorted increasingly. With Sr = Sc = 1 this
 * is ordinary CSC.
 */
export interface BlockSparse {
  readonly kind: "sparse";
  readonly Sr: number;
  readonly Sc: number;
  /** Number of row blocks and column blocks. */
  readonly nrb: number;
  readonly ncb: number;
  readonly colptr: Int32Array;
  readonly rowblk: Int32Array;
  readonly data: Float64Array;
}

/** Dense rows×cols column-major matrix (leading dimension = rows). */
export interface DenseBlock {
  readonly kind: "dense";
  readonly rows: number;
  readonly cols: number;
  readonly data: Float64Array;
}

export type Block = BlkDiagBlock | BlockSparse | DenseBlock;

export function denseBlock(rows: number, cols: number): DenseBlock {
  return { kind: "dense", rows, cols, data: new Float64Array(rows * cols) };
}

export function blkDiagBlock(S: number, nblk: number): BlkDiagBlock {
  return { kind: "blkdiag", S, nblk, data: new Float64Array(S * S * nblk) };
}

/** Number of scalar rows / columns of a block. */
export function blockRows(b: Block): number {
  return b.kind === "dense" ? b.rows : b.kind === "sparse" ? b.nrb * b.Sr : b.nblk * b.S;
}

export function blockCols(b: Block): number {
  return b.kind === "dense" ? b.cols : b.kind === "sparse" ? b.ncb * b.Sc : b.nblk * b.S;
}

/** Copy a block to a dense array (tests and diagnostics; not for hot paths). */
export function toDense(b: Block): DenseBlock {
  const rows = blockRows(b);
  const cols = blockCols(b);
  const out = denseBlock(rows, cols);
  const o = out.data;
  if (b.kind === "dense") {
    o.set(b.data);
  } else if (b.kind === "blkdiag") {
    const S = b.S;
    for (let l = 0; l < b.nblk; l++)
      for (let c = 0; c < S; c++)
        for (let r = 0; r < S; r++) o[(l * S + c) * rows + l * S + r] = b.data[l * S * S + c * S + r];
  } else {
    const { Sr, Sc } = b;
    for (let cb = 0; cb < b.ncb; cb++)
      for (let k = b.colptr[cb]; k < b.colptr[cb + 1]; k++) {
        const rb = b.rowblk[k];
        for (let c = 0; c < Sc; c++)
          for (let r = 0; r < Sr; r++)
            o[(cb * Sc + c) * rows + rb * Sr + r] = b.data[k * Sr * Sc + c * Sr + r];
      }
  }
  return out;
}
