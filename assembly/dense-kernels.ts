/**
 * WebAssembly SIMD (f64x2) kernels for the blocked dense Cholesky of src/linalg/dense-cholesky.ts:
 * the rank-k trailing update of the lower triangle and the right triangular solve X ← X·L⁻ᵀ; and
 * the sparse phase of the planned left-looking Cholesky of src/linalg/left-looking-plan.ts.
 *
 * Built by `node scripts/build-wasm.mjs` (asc -O3, SIMD, stub runtime, imported memory) into
 * src/linalg/wasm-kernels-binary.ts and loaded by src/linalg/wasm-dense.ts, which owns the memory
 * layout. Every matrix is column-major f64 inside that memory and is passed as a byte address;
 * `scratch` is a region the loader reserves for these kernels. Nothing here allocates, and the
 * module imports nothing but its memory.
 */

/** Largest panel width trailingUpdate accepts (the loader splits wider ranges). */
const NB: usize = 64;

/**
 * a[i,j] -= Σ_{t∈[k0,k1)} a[i,t]·a[j,t] for f ≤ j ≤ i < n, with f ≥ k1 and k1 − k0 ≤ NB (the
 * loader passes f = k1, or splits a wider range of panel columns into calls with the same f).
 * Entries above the diagonal are neither read nor written.
 *
 * Let m = n − f and nblk = ⌈m/4⌉. The panel rows a[f.., k0..k1) are first copied into `scratch`
 * as nblk blocks of 4 rows, each block holding its kb = k1 − k0 columns one after the other, 4
 * doubles (32 bytes) per column:
 *
 *   pack[b][t][r] = a[f + 4b + r, k0 + t]     (0 for rows ≥ n)
 *
 * so that the t-loop of the micro-kernel reads both operands contiguously. While packing, each
 * block records the byte offsets (t·32) of its panel columns that are not all zero in its 4 rows.
 *
 * The trailing triangle is then covered by 4×4 tiles (row block ib ≥ column block jb). A tile
 * keeps 8 f64x2 accumulators (4 target columns × 2 row pairs); per panel column t it loads the 4
 * row values of block ib as 2 vectors and broadcasts each of the 4 values of block jb, i.e. 16
 * multiply-adds for 6 loads. The t-loop runs over all kb columns when block jb has no zero
 * column, otherwise over jb's list of nonzero columns (a column whose 4 multipliers are all zero
 * contributes nothing; a block without any is skipped entirely). The accumulated sums are
 * subtracted once at the end: with full vectors for an interior tile, and element by element for
 * the tiles on the diagonal (only i ≥ j) and in the ragged last row block (only i < n).
 * Column blocks are the outer loop, so block jb (kb·32 ≤ 2 KB) stays in L1 while the row blocks
 * below it stream from the pack (≈ 0.6 MB at n = 1128), and the target columns are walked down.
 * The t-loop is deliberately not unrolled: with 8 accumulators V8 then runs out of xmm registers
 * and spills (measured 40% slower).
 *
 * Scratch layout (bytes): [0, 128) one tile of sums; then nblk u32 counts; then nblk lists of NB
 * u32 offsets; then the packed panel (16-byte aligned), nblk·kb·32 bytes.
 */
export function trailingUpdate(a: usize, n: usize, k0: usize, k1: usize, f: usize, scratch: usize): void {
  if (f >= n || k0 >= k1) return;
  const kb = k1 - k0;
  const nblk = (n - f + 3) >> 2;
  const colBytes = n << 3;
  const blkBytes = kb << 5;
  const sums = scratch;
  const counts = scratch + 128;
  const lists = counts + (((nblk << 2) + 15) & ~15);
  const pack = lists + nblk * (NB << 2);
  const zero = f64x2.splat(0);

  // pack the panel rows and list each block's nonzero panel columns
  for (let b: usize = 0; b < nblk; b++) {
    const i0 = f + (b << 2);
    const list = lists + b * (NB << 2);
    let src = a + k0 * colBytes + (i0 << 3);
    let dst = pack + b * blkBytes;
    let cnt: usize = 0;
    for (let t: usize = 0; t < kb; t++) {
      if (i0 + 4 <= n) {
        v128.store(dst, v128.load(src));
        v128.store(dst, v128.load(src, 16), 16);
      } else {
        for (let r: usize = 0; r < 4; r++) store<f64>(dst + (r << 3), i0 + r < n ? load<f64>(src + (r << 3)) : 0);
      }
      const nz = v128.or(f64x2.ne(v128.load(dst), zero), f64x2.ne(v128.load(dst, 16), zero));
      store<u32>(list + (cnt << 2), <u32>(t << 5));
      cnt += v128.any_true(nz) ? 1 : 0;
      src += colBytes;
      dst += 32;
    }
    store<u32>(counts + (b << 2), <u32>cnt);
  }

  for (let jb: usize = 0; jb < nblk; jb++) {
    const cnt = <usize>load<u32>(counts + (jb << 2));
    if (cnt == 0) continue;
    const j0 = f + (jb << 2);
    const pb = pack + jb * blkBytes;
    const list = lists + jb * (NB << 2);
    const dense = cnt == kb;
    for (let ib = jb; ib < nblk; ib++) {
      const i0 = f + (ib << 2);
      const pa = pack + ib * blkBytes;
      // acc_ch: target column j0 + c, rows i0 + 2h, i0 + 2h + 1
      let acc00 = zero;
      let acc01 = zero;
      let acc10 = zero;
      let acc11 = zero;
      let acc20 = zero;
      let acc21 = zero;
      let acc30 = zero;
      let acc31 = zero;
      // The two loops below share their body on purpose: the eight accumulators must stay in
      // registers, which a helper function (no multiple returns in wasm) would not allow.
      if (dense) {
        let p = pa;
        let q = pb;
        const end = pa + blkBytes;
        while (p < end) {
          const x0 = v128.load(p);
          const x1 = v128.load(p, 16);
          let y = v128.load64_splat(q);
          acc00 = f64x2.add(acc00, f64x2.mul(x0, y));
          acc01 = f64x2.add(acc01, f64x2.mul(x1, y));
          y = v128.load64_splat(q, 8);
          acc10 = f64x2.add(acc10, f64x2.mul(x0, y));
          acc11 = f64x2.add(acc11, f64x2.mul(x1, y));
          y = v128.load64_splat(q, 16);
          acc20 = f64x2.add(acc20, f64x2.mul(x0, y));
          acc21 = f64x2.add(acc21, f64x2.mul(x1, y));
          y = v128.load64_splat(q, 24);
          acc30 = f64x2.add(acc30, f64x2.mul(x0, y));
          acc31 = f64x2.add(acc31, f64x2.mul(x1, y));
          p += 32;
          q += 32;
        }
      } else {
        for (let e: usize = 0; e < cnt; e++) {
          const off = <usize>load<u32>(list + (e << 2));
          const p = pa + off;
          const q = pb + off;
          const x0 = v128.load(p);
          const x1 = v128.load(p, 16);
          let y = v128.load64_splat(q);
          acc00 = f64x2.add(acc00, f64x2.mul(x0, y));
          acc01 = f64x2.add(acc01, f64x2.mul(x1, y));
          y = v128.load64_splat(q, 8);
          acc10 = f64x2.add(acc10, f64x2.mul(x0, y));
          acc11 = f64x2.add(acc11, f64x2.mul(x1, y));
          y = v128.load64_splat(q, 16);
          acc20 = f64x2.add(acc20, f64x2.mul(x0, y));
          acc21 = f64x2.add(acc21, f64x2.mul(x1, y));
          y = v128.load64_splat(q, 24);
          acc30 = f64x2.add(acc30, f64x2.mul(x0, y));
          acc31 = f64x2.add(acc31, f64x2.mul(x1, y));
        }
      }
      let d = a + j0 * colBytes + (i0 << 3);
      if (ib != jb && i0 + 4 <= n) {
        v128.store(d, f64x2.sub(v128.load(d), acc00));
        v128.store(d, f64x2.sub(v128.load(d, 16), acc01), 16);
        d += colBytes;
        v128.store(d, f64x2.sub(v128.load(d), acc10));
        v128.store(d, f64x2.sub(v128.load(d, 16), acc11), 16);
        d += colBytes;
        v128.store(d, f64x2.sub(v128.load(d), acc20));
        v128.store(d, f64x2.sub(v128.load(d, 16), acc21), 16);
        d += colBytes;
        v128.store(d, f64x2.sub(v128.load(d), acc30));
        v128.store(d, f64x2.sub(v128.load(d, 16), acc31), 16);
      } else {
        // diagonal or ragged tile: sums[c][r], then only the entries with i ≥ j and i < n
        v128.store(sums, acc00);
        v128.store(sums, acc01, 16);
        v128.store(sums, acc10, 32);
        v128.store(sums, acc11, 48);
        v128.store(sums, acc20, 64);
        v128.store(sums, acc21, 80);
        v128.store(sums, acc30, 96);
        v128.store(sums, acc31, 112);
        const rmax = min<usize>(4, n - i0);
        for (let c: usize = 0; c < 4; c++) {
          const r0 = ib == jb ? c : 0;
          for (let r = r0; r < rmax; r++) {
            const x = d + (r << 3);
            store<f64>(x, load<f64>(x) - load<f64>(sums + (((c << 2) + r) << 3)));
          }
          d += colBytes;
        }
      }
    }
  }
}

/**
 * X ← X·L⁻ᵀ for a rows×n column-major X (leading dimension rows) and a lower n×n column-major L
 * (only its lower triangle is read).
 *
 * Columns of X are finished 4 at a time (s0 .. s0+3): first the small triangle inside the group
 * (column s is divided by L[s,s], then eliminated from the group's later columns where L ≠ 0),
 * then the group is eliminated from every later column t, X[:,t] -= Σ_q X[:,s0+q]·L[t,s0+q].
 * For that step the rows t whose 4 multipliers are not all zero are listed in `scratch` (u32, at
 * most n of them), so exact zeros of a sparse factor cost no arithmetic. The elimination runs
 * over 4-row strips of X (2 f64x2 per column): the group's 4 finished columns stay in 8 vector
 * registers while the listed columns t stream through; then a 2-row strip and a scalar last row.
 */
export function rightSolveLowerTransposed(L: usize, n: usize, X: usize, rows: usize, scratch: usize): void {
  if (rows == 0) return;
  const colL = n << 3;
  const colX = rows << 3;
  const list = scratch;
  const zero = f64x2.splat(0);
  for (let s0: usize = 0; s0 < n; s0 += 4) {
    const w = min<usize>(4, n - s0);
    for (let q: usize = 0; q < w; q++) {
      const s = s0 + q;
      const cs = L + s * colL;
      const xs = X + s * colX;
      const inv = 1 / load<f64>(cs + (s << 3));
      for (let r: usize = 0; r < rows; r++) store<f64>(xs + (r << 3), load<f64>(xs + (r << 3)) * inv);
      for (let t = s + 1; t < s0 + w; t++) {
        const l = load<f64>(cs + (t << 3));
        if (l == 0) continue;
        const xt = X + t * colX;
        for (let r: usize = 0; r < rows; r++)
          store<f64>(xt + (r << 3), load<f64>(xt + (r << 3)) - load<f64>(xs + (r << 3)) * l);
      }
    }
    if (s0 + 4 >= n) break;

    const c0 = L + s0 * colL;
    const c1 = c0 + colL;
    const c2 = c1 + colL;
    const c3 = c2 + colL;
    let cnt: usize = 0;
    let t = s0 + 4;
    for (; t + 2 <= n; t += 2) {
      const o = t << 3;
      const nz = v128.or(
        v128.or(f64x2.ne(v128.load(c0 + o), zero), f64x2.ne(v128.load(c1 + o), zero)),
        v128.or(f64x2.ne(v128.load(c2 + o), zero), f64x2.ne(v128.load(c3 + o), zero)),
      );
      store<u32>(list + (cnt << 2), <u32>t);
      cnt += <usize>(i64x2.extract_lane(nz, 0) & 1);
      store<u32>(list + (cnt << 2), <u32>(t + 1));
      cnt += <usize>(i64x2.extract_lane(nz, 1) & 1);
    }
    if (t < n) {
      const o = t << 3;
      store<u32>(list + (cnt << 2), <u32>t);
      const l = load<f64>(c0 + o) != 0 || load<f64>(c1 + o) != 0 || load<f64>(c2 + o) != 0 || load<f64>(c3 + o) != 0;
      cnt += l ? 1 : 0;
    }
    if (cnt == 0) continue;

    const xs0 = X + s0 * colX;
    let r: usize = 0;
    for (; r + 4 <= rows; r += 4) {
      const ys = xs0 + (r << 3);
      const y00 = v128.load(ys);
      const y01 = v128.load(ys, 16);
      const y10 = v128.load(ys + colX);
      const y11 = v128.load(ys + colX, 16);
      const y20 = v128.load(ys + 2 * colX);
      const y21 = v128.load(ys + 2 * colX, 16);
      const y30 = v128.load(ys + 3 * colX);
      const y31 = v128.load(ys + 3 * colX, 16);
      const xr = X + (r << 3);
      for (let e: usize = 0; e < cnt; e++) {
        const tt = <usize>load<u32>(list + (e << 2));
        const o = tt << 3;
        const l0 = v128.load64_splat(c0 + o);
        const l1 = v128.load64_splat(c1 + o);
        const l2 = v128.load64_splat(c2 + o);
        const l3 = v128.load64_splat(c3 + o);
        const p = xr + tt * colX;
        const s0v = f64x2.add(f64x2.add(f64x2.mul(y00, l0), f64x2.mul(y10, l1)), f64x2.add(f64x2.mul(y20, l2), f64x2.mul(y30, l3)));
        const s1v = f64x2.add(f64x2.add(f64x2.mul(y01, l0), f64x2.mul(y11, l1)), f64x2.add(f64x2.mul(y21, l2), f64x2.mul(y31, l3)));
        v128.store(p, f64x2.sub(v128.load(p), s0v));
        v128.store(p, f64x2.sub(v128.load(p, 16), s1v), 16);
      }
    }
    if (r + 2 <= rows) {
      const ys = xs0 + (r << 3);
      const y0 = v128.load(ys);
      const y1 = v128.load(ys + colX);
      const y2 = v128.load(ys + 2 * colX);
      const y3 = v128.load(ys + 3 * colX);
      const xr = X + (r << 3);
      for (let e: usize = 0; e < cnt; e++) {
        const tt = <usize>load<u32>(list + (e << 2));
        const o = tt << 3;
        const p = xr + tt * colX;
        const sv = f64x2.add(
          f64x2.add(f64x2.mul(y0, v128.load64_splat(c0 + o)), f64x2.mul(y1, v128.load64_splat(c1 + o))),
          f64x2.add(f64x2.mul(y2, v128.load64_splat(c2 + o)), f64x2.mul(y3, v128.load64_splat(c3 + o))),
        );
        v128.store(p, f64x2.sub(v128.load(p), sv));
      }
      r += 2;
    }
    if (r < rows) {
      const ys = xs0 + (r << 3);
      const y0 = load<f64>(ys);
      const y1 = load<f64>(ys + colX);
      const y2 = load<f64>(ys + 2 * colX);
      const y3 = load<f64>(ys + 3 * colX);
      const xr = X + (r << 3);
      for (let e: usize = 0; e < cnt; e++) {
        const tt = <usize>load<u32>(list + (e << 2));
        const o = tt << 3;
        const p = xr + tt * colX;
        const sv = y0 * load<f64>(c0 + o) + y1 * load<f64>(c1 + o) + (y2 * load<f64>(c2 + o) + y3 * load<f64>(c3 + o));
        store<f64>(p, load<f64>(p) - sv);
      }
    }
  }
}

/**
 * The sparse phase of factorLeftLooking (src/linalg/left-looking-plan.ts; `sparsePhase` there is
 * the JS twin: the same operations in the same order, and wasm has no fused multiply-add, so the
 * results are bit-identical), preceded, per target block while its columns are in cache, by what
 * the JS path does for the whole array first: zeroing `work` and storing D's entries.
 *
 * `work` is the n×n column-major f64 work array; every other pointer is the byte address of the
 * plan array of the same name (i32 or f64, see LeftLookingPlan for the formats). For each block
 * [b0, b1) of B target columns (block index blk):
 *   1. zero its columns; for e ∈ [jj·S, jj·S + S) with diagRow[e] ≥ 0, work[diagRow[e], jj] ←
 *      diagVal[diagIdx[e]];
 *   2. the batched updates of the block from the source columns (srcBatch triples
 *      srcBatchPtr[blk] .. srcBatchPtr[blk + 1], rows/values srcRow/srcVal), then from the sparse
 *      factor columns left of the block (pivBatch, on pivRow/pivVal);
 *   3. only while b0 < nsparse, for each column jj of the block: the updates from the factor
 *      columns of the block left of jj (tgtPivBatch triples tgtPivPtr[jj] .. tgtPivPtr[jj + 1]);
 *      then, for jj < nsparse, the pivot: d = work[jj, jj] must be > 0, work[jj, jj] ← √d, and the
 *      rows pivRow[pivPtr[jj] .. pivPtr[jj + 1]) of column jj are scaled by 1/√d, the results also
 *      stored in pivVal (the later columns' updates read them there).
 * Returns the first jj whose d is not > 0 (NaN included), else −1; the columns ≥ nsparse are then
 * ready for the dense kernel.
 */
export function leftLooking(
  work: usize,
  n: usize,
  nsparse: usize,
  B: usize,
  S: usize,
  diagRow: usize,
  diagIdx: usize,
  diagVal: usize,
  srcRow: usize,
  srcVal: usize,
  srcBatchPtr: usize,
  srcBatch: usize,
  pivPtr: usize,
  pivRow: usize,
  pivVal: usize,
  pivBatchPtr: usize,
  pivBatch: usize,
  tgtPivPtr: usize,
  tgtPivBatch: usize,
): i32 {
  const colBytes = n << 3;
  let blk: usize = 0;
  for (let b0: usize = 0; b0 < n; b0 += B) {
    const b1 = min<usize>(n, b0 + B);
    memory.fill(work + b0 * colBytes, 0, (b1 - b0) * colBytes);
    for (let e = b0 * S; e < b1 * S; e++) {
      const r = load<i32>(diagRow + (e << 2));
      if (r < 0) continue;
      const col = work + (e / S) * colBytes;
      store<f64>(col + (<usize>r << 3), load<f64>(diagVal + (<usize>load<u32>(diagIdx + (e << 2)) << 3)));
    }
    const bp = blk << 2;
    applyBatch(work, colBytes, srcRow, srcVal, srcBatch, load<u32>(srcBatchPtr + bp), load<u32>(srcBatchPtr + bp, 4));
    applyBatch(work, colBytes, pivRow, pivVal, pivBatch, load<u32>(pivBatchPtr + bp), load<u32>(pivBatchPtr + bp, 4));
    blk++;
    if (b0 >= nsparse) continue;
    for (let jj = b0; jj < b1; jj++) {
      const col = work + jj * colBytes;
      const tp = tgtPivPtr + (jj << 2);
      applyBatch(work, colBytes, pivRow, pivVal, tgtPivBatch, load<u32>(tp), load<u32>(tp, 4));
      if (jj >= nsparse) continue;
      const dp = col + (jj << 3);
      const d = load<f64>(dp);
      if (!(d > 0)) return <i32>jj;
      const sq = sqrt<f64>(d);
      store<f64>(dp, sq);
      const rinv = 1 / sq;
      const p1 = <usize>load<u32>(pivPtr + (jj << 2), 4);
      for (let p = <usize>load<u32>(pivPtr + (jj << 2)); p < p1; p++) {
        const x = col + (<usize>load<u32>(pivRow + (p << 2)) << 3);
        const v = load<f64>(x) * rinv;
        store<f64>(x, v);
        store<f64>(pivVal + (p << 3), v);
      }
    }
  }
  return -1;
}

/**
 * The triples (q0, q1, end) at triples[3·t0 .. 3·t1): for q0 ≤ q < q1 with f = vals[q] ≠ 0,
 * target column rows[q] −= f · vals[q .. end) on the rows rows[q .. end). Kept a function (inlined
 * into its three call sites the module would grow by ≈ 490 bytes, past 4 KB).
 */
@noinline
function applyBatch(work: usize, colBytes: usize, rows: usize, vals: usize, triples: usize, t0: u32, t1: u32): void {
  const tEnd = triples + <usize>t1 * 12;
  for (let t = triples + <usize>t0 * 12; t < tEnd; t += 12) {
    const q1 = <usize>load<u32>(t, 4);
    const end = rows + (<usize>load<u32>(t, 8) << 2);
    for (let q = <usize>load<u32>(t); q < q1; q++) {
      const f = load<f64>(vals + (q << 3));
      if (f == 0) continue;
      const rq = rows + (q << 2);
      scatterAxpy(work + <usize>load<u32>(rq) * colBytes, rq, vals + (q << 3), end, f);
    }
  }
}

/**
 * col[rows[p]] −= vals[p]·f for the i32 rows from `rp` to `rEnd` (strictly increasing, so the two
 * updates of a step never alias) and the f64 values from `vp`. Two entries per step: one f64x2
 * product and one u64 load of the two rows, then two scalar read-modify-writes (≈ 12% faster on
 * InstEval than one entry per step; four per step gain nothing more).
 */
@inline
function scatterAxpy(col: usize, rp: usize, vp: usize, rEnd: usize, f: f64): void {
  const fv = f64x2.splat(f);
  while (rp + 8 <= rEnd) {
    const v = f64x2.mul(v128.load(vp), fv);
    const rr = load<u64>(rp);
    const x0 = col + (<usize>(<u32>rr) << 3);
    const x1 = col + (<usize>(<u32>(rr >> 32)) << 3);
    store<f64>(x0, load<f64>(x0) - f64x2.extract_lane(v, 0));
    store<f64>(x1, load<f64>(x1) - f64x2.extract_lane(v, 1));
    rp += 8;
    vp += 16;
  }
  if (rp < rEnd) {
    const x = col + (<usize>load<u32>(rp) << 3);
    store<f64>(x, load<f64>(x) - load<f64>(vp) * f);
    rp += 4;
    vp += 8;
  }
}
