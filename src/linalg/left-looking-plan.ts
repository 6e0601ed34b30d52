/**
 * Cholesky factorisation of a permuted Schur complement, planned once and evaluated many times:
 *
 *     P (D − Σ_m V_m V_mᵀ) Pᵀ = L Lᵀ,
 *
 * with D block diagonal (S×S blocks, one per level), V_m column-sparse blocks whose pattern is
 * fixed (their values change), and P a fill-reducing order (min-degree.ts). In the mixed model
 * this is the diagonal block L[j][j] of a grouping factor whose blocks to the left, L[j][m], are
 * sparse: D = Λⱼᵀ Aⱼⱼ Λⱼ + I and V_m = L[j][m] (InstEval: 1,128 lecturers, V = the students' block).
 *
 * The symbolic analysis (`buildLeftLookingPlan`) computes the pattern of every leading factor
 * column that stays sparse, and for each target column the list of source and factor columns that
 * update it. The numeric factorisation (`factorLeftLooking`) is left-looking: column jj is built in
 * place in the dense n×n work array from D, then every contribution v·v[jj] is subtracted while the
 * target column sits in cache and the sources are read sequentially from compact arrays. This
 * replaces the scattered right-looking updates into a 10 MB matrix (and the separate downdate and
 * permutation passes) by cache-friendly ones. Once the factor columns become dense the blocked
 * dense kernel finishes the trailing block.
 *
 * The result is the ordinary lower Cholesky factor of the permuted matrix, stored densely in the
 * work array (exact zeros outside the pattern of the sparse columns), so triangular solves with it
 * are the dense ones.
 *
 * The sparse phase runs in WebAssembly (`leftLooking` in assembly/dense-kernels.ts: the same
 * operations in the same order, so the same factor bit for bit) when the plan's numeric arrays
 * live in the memory of the `WasmDense` instance passed as the kernel: build the plan with that
 * instance, or copy a finished one there with `leftLookingPlanInWasm` (sized by
 * `leftLookingWasmBytes`). Otherwise, and without WebAssembly, it runs in JS (`sparsePhase`).
 */
import type { BlockSparse } from "./block-types.ts";
import { choleskyInPlace, type TrailingKernel } from "./dense-cholesky.ts";
import { type LeftLookingArrays, type WasmDense, wasmAllocBytes } from "./wasm-dense.ts";

/**
 * A factor column is stored sparse while it has at most this fraction of nonzeros below the
 * diagonal (or at most `MIN_DENSE` of them); from the first denser one on, the blocked dense kernel
 * takes the trailing block.
 */
const DENSE_SWITCH = 0.3;
const MIN_DENSE = 32;
/**
 * Target columns per block: a block (B·n doubles, 288 KB at n = 1128) stays in the L2 cache while
 * every column that updates it is read once for all its targets there (a cache miss per source
 * segment, not per target).
 */
const BLOCK_COLS = 32;

export interface LeftLookingPlan extends LeftLookingArrays {
  /** Order of the matrix (levels × S). */
  readonly n: number;
  /** Size of the diagonal blocks of D. */
  readonly S: number;
  /** order[k] = natural index factorised k-th; inv is its inverse. */
  readonly order: Int32Array;
  readonly inv: Int32Array;
  /**
   * D's entries of target column jj: for e in [jj·S, jj·S + S), row diagRow[e] (−1: above the
   * diagonal, skipped) gets diag[diagIdx[e]].
   */
  readonly diagRow: Int32Array;
  readonly diagIdx: Int32Array;
  /** Scratch of the wasm path: D's n·S values copied into the instance's memory. */
  readonly diagVal: Float64Array;
  /** The column-sparse blocks V_m (values read at each factorisation). */
  readonly sources: readonly BlockSparse[];
  /** Scalar source columns: entries srcPtr[u] .. srcPtr[u+1], sorted by permuted row. */
  readonly srcPtr: Int32Array;
  readonly srcRow: Int32Array;
  /** For each source column, the index of its block in `sources`. */
  readonly srcBlock: Int32Array;
  /** For each entry, its index in that block's `data`. */
  readonly srcIdx: Int32Array;
  /** Scratch: the entries' current values. */
  readonly srcVal: Float64Array;
  /** Number of leading factor columns stored sparse (the dense kernel starts here). */
  readonly nsparse: number;
  /** Below-diagonal pattern of sparse factor column v: pivRow[pivPtr[v] ..], sorted. */
  readonly pivPtr: Int32Array;
  readonly pivRow: Int32Array;
  /** Scratch: the factor's values on that pattern. */
  readonly pivVal: Float64Array;
  /** Target columns are processed in blocks of `B` (block b = columns [b·B, (b+1)·B)). */
  readonly B: number;
  /**
   * Batched updates of target block b from source columns: triples (q0, q1, end) at
   * srcBatch[3·srcBatchPtr[b] ..]: positions q0 ≤ q < q1 of one source column have their rows in
   * block b; each subtracts vals[q..end) · vals[q] from target column rows[q].
   */
  readonly srcBatchPtr: Int32Array;
  readonly srcBatch: Int32Array;
  /** The same for the sparse factor columns left of block b (their values are final then). */
  readonly pivBatchPtr: Int32Array;
  readonly pivBatch: Int32Array;
  /**
   * Per target column jj, the updates from the factor columns left of jj in its own block (applied
   * one target at a time, in order): triples (p, p + 1, end) at tgtPivBatch[3·tgtPivPtr[jj] ..],
   * p a position in pivRow with pivRow[p] = jj, end its column's end (the format of pivBatch).
   */
  readonly tgtPivPtr: Int32Array;
  readonly tgtPivBatch: Int32Array;
  /**
   * The instance whose memory holds the arrays the sparse phase reads and writes (those of
   * LeftLookingArrays), or null (JS arrays). With that instance as the kernel, factorLeftLooking
   * runs the sparse phase in WebAssembly.
   */
  readonly wasm: WasmDense | null;
}

/** The plan arrays that move into wasm memory (all that the sparse phase reads or writes). */
const WASM_INT32 = [
  "diagRow",
  "diagIdx",
  "srcRow",
  "srcBatchPtr",
  "srcBatch",
  "pivPtr",
  "pivRow",
  "pivBatchPtr",
  "pivBatch",
  "tgtPivPtr",
  "tgtPivBatch",
] as const;
const WASM_FLOAT64 = ["diagVal", "srcVal", "pivVal"] as const;

/** Bytes of wasm memory (allocInt32 / alloc views) that `leftLookingPlanInWasm(plan, …)` takes. */
export function leftLookingWasmBytes(plan: LeftLookingPlan): number {
  let bytes = 0;
  for (const key of WASM_INT32) bytes += wasmAllocBytes(plan[key].length, 4);
  for (const key of WASM_FLOAT64) bytes += wasmAllocBytes(plan[key].length, 8);
  return bytes;
}

/**
 * The same plan with the arrays the sparse phase uses copied into views of `wasm` (which must have
 * `leftLookingWasmBytes(plan)` bytes left), so that factorLeftLooking(…, wasm) runs it there.
 */
export function leftLookingPlanInWasm(plan: LeftLookingPlan, wasm: WasmDense): LeftLookingPlan {
  const out: Record<string, unknown> = { ...plan, wasm };
  for (const key of WASM_INT32) {
    const v = wasm.allocInt32(plan[key].length);
    v.set(plan[key]);
    out[key] = v;
  }
  for (const key of WASM_FLOAT64) {
    const v = wasm.alloc(plan[key].length);
    v.set(plan[key]);
    out[key] = v;
  }
  return out as unknown as LeftLookingPlan;
}

/** Compressed lists built by appending (row → items); frozen into CSR by `toCsr`. */
class Lists {
  head: Int32Array;
  next: Int32Array;
  a: Int32Array;
  b: Int32Array;
  size = 0;
  constructor(rows: number) {
    this.head = new Int32Array(rows).fill(-1);
    this.next = new Int32Array(1024);
    this.a = new Int32Array(1024);
    this.b = new Int32Array(1024);
  }
  push(row: number, a: number, b: number): void {
    if (this.size === this.next.length) {
      const grow = (x: Int32Array): Int32Array => {
        const y = new Int32Array(x.length * 2);
        y.set(x);
        return y;
      };
      this.next = grow(this.next);
      this.a = grow(this.a);
      this.b = grow(this.b);
    }
    const e = this.size++;
    this.a[e] = a;
    this.b[e] = b;
    this.next[e] = this.head[row];
    this.head[row] = e;
  }
  toCsr(): { ptr: Int32Array; a: Int32Array; b: Int32Array } {
    const rows = this.head.length;
    const ptr = new Int32Array(rows + 1);
    const a = new Int32Array(this.size);
    const b = new Int32Array(this.size);
    let o = 0;
    for (let r = 0; r < rows; r++) {
      ptr[r] = o;
      for (let e = this.head[r]; e >= 0; e = this.next[e]) {
        a[o] = this.a[e];
        b[o++] = this.b[e];
      }
    }
    ptr[rows] = o;
    return { ptr, a, b };
  }
}

/** Triples (q0, q1, end) per target block, in CSR form. */
class BatchBuilder {
  private readonly lists: number[][];
  constructor(nblocks: number) {
    this.lists = Array.from({ length: nblocks }, () => []);
  }
  /**
   * Split the sorted rows[start..end) into runs by block of B. Runs in block `ownBlock` go to
   * `own` as single targets (row → position, end) instead of a batch.
   */
  addColumn(
    rows: Int32Array,
    start: number,
    end: number,
    B: number,
    ownBlock: number,
    own: Lists | null,
  ): void {
    let q = start;
    while (q < end) {
      const b = Math.floor(rows[q] / B);
      let q1 = q + 1;
      while (q1 < end && Math.floor(rows[q1] / B) === b) q1++;
      if (b === ownBlock && own) for (let x = q; x < q1; x++) own.push(rows[x], x, end);
      else this.lists[b].push(q, q1, end);
      q = q1;
    }
  }
  toCsr(): { ptr: Int32Array; triples: Int32Array } {
    const ptr = new Int32Array(this.lists.length + 1);
    let total = 0;
    for (let b = 0; b < this.lists.length; b++) {
      ptr[b] = total / 3;
      total += this.lists[b].length;
    }
    ptr[this.lists.length] = total / 3;
    const triples = new Int32Array(total);
    let o = 0;
    for (const l of this.lists) {
      triples.set(l, o);
      o += l.length;
    }
    return { ptr, triples };
  }
}

/**
 * Symbolic analysis for `factorLeftLooking`. `order` is a scalar order of the n = nl·S rows
 * (order[k] = natural index factorised k-th); every source block has nl row blocks of size S.
 * With `wasm`, the plan's numeric arrays are allocated there (see leftLookingPlanInWasm).
 */
export function buildLeftLookingPlan(
  n: number,
  S: number,
  order: Int32Array,
  sources: readonly BlockSparse[],
  wasm: WasmDense | null = null,
): LeftLookingPlan {
  if (order.length !== n || n % S !== 0) throw new Error("left-looking plan: order does not match n");
  const inv = new Int32Array(n);
  for (let k = 0; k < n; k++) inv[order[k]] = k;
  // D: the entries of each level's block at rows ≥ the column
  const SS = S * S;
  const diagRow = new Int32Array(n * S);
  const diagIdx = new Int32Array(n * S);
  for (let jj = 0; jj < n; jj++) {
    const c = order[jj];
    const s = c % S;
    const l0 = c - s;
    const base = (l0 / S) * SS;
    for (let s2 = 0; s2 < S; s2++) {
      const r = inv[l0 + s2];
      diagRow[jj * S + s2] = r >= jj ? r : -1;
      diagIdx[jj * S + s2] = s2 >= s ? base + s * S + s2 : base + s2 * S + s;
    }
  }

  // source columns, entries sorted by permuted row
  let ncols = 0;
  let nent = 0;
  for (const b of sources) {
    if (b.Sr !== S || b.nrb * S !== n) throw new Error("left-looking plan: source block has the wrong rows");
    ncols += b.ncb * b.Sc;
    nent += b.colptr[b.ncb] * b.Sr * b.Sc;
  }
  const srcPtr = new Int32Array(ncols + 1);
  const srcRow = new Int32Array(nent);
  const srcIdx = new Int32Array(nent);
  const srcBlock = new Int32Array(ncols);
  const tmpRow = new Int32Array(n);
  const tmpIdx = new Int32Array(n);
  const perm: number[] = [];
  let u = 0;
  let o = 0;
  sources.forEach((b, bi) => {
    const { Sr, Sc } = b;
    const bs = Sr * Sc;
    for (let cb = 0; cb < b.ncb; cb++)
      for (let c = 0; c < Sc; c++) {
        let cnt = 0;
        for (let x = b.colptr[cb]; x < b.colptr[cb + 1]; x++)
          for (let r = 0; r < Sr; r++) {
            tmpRow[cnt] = inv[b.rowblk[x] * Sr + r];
            tmpIdx[cnt++] = x * bs + c * Sr + r;
          }
        perm.length = cnt;
        for (let t = 0; t < cnt; t++) perm[t] = t;
        perm.sort((p, q) => tmpRow[p] - tmpRow[q]);
        srcPtr[u] = o;
        srcBlock[u] = bi;
        for (let t = 0; t < cnt; t++) {
          srcRow[o] = tmpRow[perm[t]];
          srcIdx[o++] = tmpIdx[perm[t]];
        }
        u++;
      }
  });
  srcPtr[ncols] = o;
  // transposed, for the symbolic analysis only: for each permuted row, the positions holding it
  const tgtSrcPtr = new Int32Array(n + 1);
  for (let p = 0; p < nent; p++) tgtSrcPtr[srcRow[p] + 1]++;
  for (let r = 0; r < n; r++) tgtSrcPtr[r + 1] += tgtSrcPtr[r];
  const fillAt = tgtSrcPtr.slice(0, n);
  const tgtSrcPos = new Int32Array(nent);
  const tgtSrcEnd = new Int32Array(nent);
  for (let c = 0; c < ncols; c++)
    for (let p = srcPtr[c]; p < srcPtr[c + 1]; p++) {
      const e = fillAt[srcRow[p]]++;
      tgtSrcPos[e] = p;
      tgtSrcEnd[e] = srcPtr[c + 1];
    }

  // symbolic factorisation of the leading sparse columns
  const mark = new Int32Array(n).fill(-1);
  const list = new Int32Array(n);
  const piv = new Lists(n);
  let pivRow = new Int32Array(1024);
  const pivPtrList: number[] = [0];
  let nsparse = n;
  for (let jj = 0; jj < n; jj++) {
    let cnt = 0;
    const c = order[jj];
    const l0 = c - (c % S);
    for (let s = 0; s < S; s++) {
      const r = inv[l0 + s];
      if (r > jj && mark[r] !== jj) {
        mark[r] = jj;
        list[cnt++] = r;
      }
    }
    for (let e = tgtSrcPtr[jj]; e < tgtSrcPtr[jj + 1]; e++)
      for (let p = tgtSrcPos[e] + 1; p < tgtSrcEnd[e]; p++) {
        const r = srcRow[p];
        if (mark[r] !== jj) {
          mark[r] = jj;
          list[cnt++] = r;
        }
      }
    for (let e = piv.head[jj]; e >= 0; e = piv.next[e]) {
      const end = piv.b[e];
      for (let p = piv.a[e] + 1; p < end; p++) {
        const r = pivRow[p];
        if (mark[r] !== jj) {
          mark[r] = jj;
          list[cnt++] = r;
        }
      }
    }
    if (cnt > DENSE_SWITCH * (n - jj - 1) && cnt > MIN_DENSE) {
      nsparse = jj;
      break;
    }
    const sorted = list.subarray(0, cnt).sort();
    const start = pivPtrList[jj];
    if (start + cnt > pivRow.length) {
      const grown = new Int32Array(Math.max(2 * pivRow.length, start + cnt));
      grown.set(pivRow);
      pivRow = grown;
    }
    pivRow.set(sorted, start);
    pivPtrList.push(start + cnt);
    for (let t = 0; t < cnt; t++) piv.push(sorted[t], start + t, start + cnt);
  }
  const nnzPiv = pivPtrList[pivPtrList.length - 1];
  const pivPtr = Int32Array.from(pivPtrList);
  const B = BLOCK_COLS;
  const nblocks = Math.ceil(n / B);
  // runs of positions per block: from the sources (all batched) and the factor columns (batched
  // in later blocks, one target at a time in their own block)
  const srcRuns = new BatchBuilder(nblocks);
  for (let c = 0; c < ncols; c++) srcRuns.addColumn(srcRow, srcPtr[c], srcPtr[c + 1], B, -1, null);
  const pivRuns = new BatchBuilder(nblocks);
  const own = new Lists(n);
  for (let v = 0; v < nsparse; v++)
    pivRuns.addColumn(pivRow, pivPtr[v], pivPtr[v + 1], B, Math.floor(v / B), own);
  const tp = own.toCsr();
  const tgtPivBatch = new Int32Array(3 * tp.a.length);
  for (let e = 0; e < tp.a.length; e++) {
    tgtPivBatch[3 * e] = tp.a[e];
    tgtPivBatch[3 * e + 1] = tp.a[e] + 1;
    tgtPivBatch[3 * e + 2] = tp.b[e];
  }
  const sb = srcRuns.toCsr();
  const pb = pivRuns.toCsr();
  const plan: LeftLookingPlan = {
    n,
    S,
    order,
    inv,
    diagRow,
    diagIdx,
    diagVal: new Float64Array(n * S),
    sources,
    srcPtr,
    srcRow,
    srcBlock,
    srcIdx,
    srcVal: new Float64Array(nent),
    nsparse,
    pivPtr,
    pivRow: pivRow.slice(0, nnzPiv),
    pivVal: new Float64Array(nnzPiv),
    B,
    srcBatchPtr: sb.ptr,
    srcBatch: sb.triples,
    pivBatchPtr: pb.ptr,
    pivBatch: pb.triples,
    tgtPivPtr: tp.ptr,
    tgtPivBatch,
    wasm: null,
  };
  return wasm ? leftLookingPlanInWasm(plan, wasm) : plan;
}

/**
 * Factorise P (D − Σ V_m V_mᵀ) Pᵀ into `work` (n×n column-major, lower triangle; the rest is
 * zeroed), reading the current values of the plan's source blocks. `diag` holds D as S×S blocks
 * (block l at l·S², lower triangle read). Returns -1 on success, else the permuted column whose
 * pivot was not positive. The dense phase runs in `kernel` when given (it must own `work`); the
 * sparse phase too when `kernel` is the instance holding the plan's arrays (`plan.wasm`).
 */
export function factorLeftLooking(
  plan: LeftLookingPlan,
  diag: Float64Array,
  work: Float64Array,
  kernel: TrailingKernel | null = null,
): number {
  const { n, S, nsparse } = plan;
  if (diag.length < n * S)
    throw new RangeError(`factorLeftLooking: diag holds ${diag.length} < ${n * S} values`);
  gatherSources(plan);
  let fail: number;
  if (plan.wasm !== null && plan.wasm === kernel) {
    plan.diagVal.set(diag.subarray(0, n * S));
    fail = plan.wasm.leftLooking(work, plan);
  } else {
    fillDiag(plan, diag, work);
    fail = sparsePhase(plan, work);
  }
  if (fail >= 0) return fail;
  return nsparse < n ? choleskyInPlace(work, n, nsparse, nsparse, kernel) : -1;
}

/** Phase 1: the sources' current values into srcVal. */
function gatherSources(plan: LeftLookingPlan): void {
  const { srcPtr, srcVal, srcIdx, srcBlock, sources } = plan;
  for (let c = 0; c + 1 < srcPtr.length; c++) {
    const d = sources[srcBlock[c]].data;
    for (let p = srcPtr[c]; p < srcPtr[c + 1]; p++) srcVal[p] = d[srcIdx[p]];
  }
}

/** Phase 1 of the JS path: work ← 0, then D's entries (the wasm path does this per block). */
function fillDiag(plan: LeftLookingPlan, diag: Float64Array, work: Float64Array): void {
  const { n, S, diagRow, diagIdx } = plan;
  work.fill(0, 0, n * n);
  for (let jj = 0; jj < n; jj++) {
    const col = jj * n;
    for (let e = jj * S; e < jj * S + S; e++) {
      const r = diagRow[e];
      if (r >= 0) work[col + r] = diag[diagIdx[e]];
    }
  }
}

/**
 * Phase 2 in JS: the left-looking loop over target blocks, the batched updates of every block
 * and the factorisation of the sparse columns. Returns −1 or the failing column.
 */
function sparsePhase(plan: LeftLookingPlan, work: Float64Array): number {
  const { n, srcRow, srcVal, nsparse, pivPtr, pivRow, pivVal, B } = plan;
  const { srcBatchPtr, srcBatch, pivBatchPtr, pivBatch, tgtPivPtr, tgtPivBatch } = plan;
  for (let b0 = 0, blk = 0; b0 < n; b0 += B, blk++) {
    const b1 = Math.min(n, b0 + B);
    applyBatch(work, n, srcRow, srcVal, srcBatch, srcBatchPtr[blk], srcBatchPtr[blk + 1]);
    applyBatch(work, n, pivRow, pivVal, pivBatch, pivBatchPtr[blk], pivBatchPtr[blk + 1]);
    if (b0 >= nsparse) continue;
    for (let jj = b0; jj < b1; jj++) {
      const col = jj * n;
      // factor columns of this block left of jj (also for the first dense columns)
      applyBatch(work, n, pivRow, pivVal, tgtPivBatch, tgtPivPtr[jj], tgtPivPtr[jj + 1]);
      if (jj >= nsparse) continue;
      const d = work[col + jj];
      if (!(d > 0)) return jj;
      const sq = Math.sqrt(d);
      work[col + jj] = sq;
      const rinv = 1 / sq;
      for (let p = pivPtr[jj]; p < pivPtr[jj + 1]; p++) {
        const r = col + pivRow[p];
        const v = work[r] * rinv;
        work[r] = v;
        pivVal[p] = v;
      }
    }
  }
  return -1;
}

/**
 * The phases of factorLeftLooking one at a time, for bench/left-looking.ts (not API): gather,
 * then either fillDiag + sparse (JS) or sparseWasm (zeroing, D and the sparse phase in wasm); the
 * dense phase is choleskyInPlace(work, n, nsparse, nsparse, kernel).
 * @internal
 */
export const leftLookingPhases = {
  gather: gatherSources,
  fillDiag,
  sparse: sparsePhase,
  sparseWasm(plan: LeftLookingPlan, diag: Float64Array, work: Float64Array): number {
    if (!plan.wasm) throw new Error("leftLookingPhases.sparseWasm: the plan is not in wasm memory");
    plan.diagVal.set(diag.subarray(0, plan.n * plan.S));
    return plan.wasm.leftLooking(work, plan);
  },
};

/** The batched updates triples[3·t0 .. 3·t1) of one target block (see `srcBatch`). */
function applyBatch(
  work: Float64Array,
  n: number,
  rows: Int32Array,
  vals: Float64Array,
  triples: Int32Array,
  t0: number,
  t1: number,
): void {
  for (let t = 3 * t0; t < 3 * t1; t += 3) {
    const q1 = triples[t + 1];
    const end = triples[t + 2];
    for (let q = triples[t]; q < q1; q++) {
      const f = vals[q];
      if (f === 0) continue;
      scatterAxpy(work, rows[q] * n, rows, vals, q, end, f);
    }
  }
}

/**
 * work[col + rows[p]] −= vals[p]·f for p in [p0, end), rows strictly increasing (so the four
 * updates of one unrolled step never alias; unrolled, V8 runs this ~1.5× faster).
 */
function scatterAxpy(
  work: Float64Array,
  col: number,
  rows: Int32Array,
  vals: Float64Array,
  p0: number,
  end: number,
  f: number,
): void {
  let p = p0;
  for (; p + 3 < end; p += 4) {
    const r0 = col + rows[p];
    const r1 = col + rows[p + 1];
    const r2 = col + rows[p + 2];
    const r3 = col + rows[p + 3];
    const v0 = vals[p] * f;
    const v1 = vals[p + 1] * f;
    const v2 = vals[p + 2] * f;
    const v3 = vals[p + 3] * f;
    work[r0] -= v0;
    work[r1] -= v1;
    work[r2] -= v2;
    work[r3] -= v3;
  }
  for (; p < end; p++) work[col + rows[p]] -= vals[p] * f;
}
