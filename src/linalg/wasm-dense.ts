/**
 * Loader for the WebAssembly SIMD kernels of the dense Cholesky (assembly/dense-kernels.ts, bytes
 * in wasm-kernels-binary.ts): the trailing update of a blocked factorisation and X ← X·L⁻ᵀ, with
 * the same contracts as their JS counterparts in dense-cholesky.ts, and the sparse left-looking
 * phase of factorLeftLooking (left-looking-plan.ts). Browser-safe and synchronous.
 *
 * Memory layout of an instance (imported memory, sized once, never grown):
 *
 *   [0, scratch)            the kernels' scratch: packed panel, zero-column lists, one tile
 *   [scratch, end)          the bump-allocated Float64Array / Int32Array views handed out by
 *                           alloc() / allocInt32(), each starting on an 8-byte boundary
 *
 * The scratch is sized for the largest n an allocation of `doubles` can hold (n² ≤ doubles);
 * `extraBytes` (e.g. a left-looking plan's arrays, see leftLookingWasmBytes) adds room for views
 * without enlarging it.
 */
import { WASM_KERNELS_BASE64 } from "./wasm-kernels-binary.ts";

export interface WasmDense {
  /**
   * Float64Array view of `length` doubles inside the module memory (bump allocation; the memory is
   * sized at creation and never grows, so views stay valid). Throws if out of space.
   */
  alloc(length: number): Float64Array;
  /** Int32Array view of `length` values, allocated like alloc() (and from the same space). */
  allocInt32(length: number): Int32Array;
  /** Same contract as trailingUpdate in dense-cholesky.ts; `a` must be a view from alloc(). */
  trailingUpdate(a: Float64Array, n: number, k0: number, k1: number): void;
  /** Same contract as rightSolveLowerTransposed; L and X must be views from alloc(). */
  rightSolveLowerTransposed(L: Float64Array, n: number, X: Float64Array, rows: number): void;
  /**
   * The sparse phase of factorLeftLooking in WebAssembly (`leftLooking` in dense-kernels.ts):
   * zeroes `work` (n×n), stores D's entries, and factorises the plan's leading sparse columns,
   * applying their updates (and the sources') to every column. Returns −1, or the first column
   * whose pivot is not positive. `work` and every array of `p` must be views from this instance;
   * their lengths are checked, their contents (the plan's indices) are trusted.
   */
  leftLooking(work: Float64Array, p: LeftLookingArrays): number;
}

/**
 * What the wasm sparse phase reads of a left-looking plan (see LeftLookingPlan for the meaning);
 * srcVal and diagVal hold the current values, pivVal receives the factor's sparse columns.
 */
export interface LeftLookingArrays {
  readonly n: number;
  readonly S: number;
  readonly nsparse: number;
  readonly B: number;
  readonly diagRow: Int32Array;
  readonly diagIdx: Int32Array;
  readonly diagVal: Float64Array;
  readonly srcRow: Int32Array;
  readonly srcVal: Float64Array;
  readonly srcBatchPtr: Int32Array;
  readonly srcBatch: Int32Array;
  readonly pivPtr: Int32Array;
  readonly pivRow: Int32Array;
  readonly pivVal: Float64Array;
  readonly pivBatchPtr: Int32Array;
  readonly pivBatch: Int32Array;
  readonly tgtPivPtr: Int32Array;
  readonly tgtPivBatch: Int32Array;
}

/** Bytes an alloc() / allocInt32() of `length` elements of `bytesPerElement` bytes takes. */
export function wasmAllocBytes(length: number, bytesPerElement: 4 | 8): number {
  return Math.ceil((length * bytesPerElement) / 8) * 8;
}

/** The part of the WebAssembly JS API used here (lib "dom" is not in this project's tsconfig). */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
  Memory: new (desc: { initial: number; maximum: number }) => { buffer: ArrayBuffer };
}

interface KernelExports {
  trailingUpdate(a: number, n: number, k0: number, k1: number, from: number, scratch: number): void;
  rightSolveLowerTransposed(L: number, n: number, X: number, rows: number, scratch: number): void;
  /** (work, n, nsparse, B, S, then the addresses of the plan arrays in dense-kernels.ts's order). */
  leftLooking(...args: number[]): number;
}

/** Panel width the wasm trailing update handles per call (its lists hold this many columns). */
const NB = 64;
const PAGE = 65536;
const MAX_PAGES = 65536;

let compiled: { api: WasmApi; module: object } | null | undefined;

function decodeBase64(s: string): Uint8Array {
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** The compiled module (once), or null when this engine lacks WebAssembly or its SIMD proposal. */
function kernelModule(): { api: WasmApi; module: object } | null {
  if (compiled !== undefined) return compiled;
  compiled = null;
  const api = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
  if (typeof api !== "object" || typeof atob !== "function") return null;
  try {
    compiled = { api, module: new api.Module(decodeBase64(WASM_KERNELS_BASE64)) };
  } catch {
    compiled = null; // CompileError: no SIMD (or no synchronous compilation here)
  }
  return compiled;
}

/** Bytes of kernel scratch for matrices of order ≤ nmax (see the layout in dense-kernels.ts). */
function scratchBytes(nmax: number): number {
  const nblk = Math.ceil(nmax / 4) + 1;
  const lists = 128 + nblk * 4 + 16 + nblk * NB * 4;
  const pack = nblk * NB * 32;
  const solveList = (nmax + 4) * 4;
  return Math.ceil((Math.max(lists + pack, solveList) + 64) / 64) * 64;
}

/**
 * A fresh instance whose memory holds at least `doubles` Float64 values plus `extraBytes` bytes
 * for alloc() / allocInt32() (plus the kernels' own scratch), or null when WebAssembly or SIMD is
 * unavailable (then callers keep the JS kernels). Synchronous (new WebAssembly.Module / Instance;
 * the module is compiled once). Throws a RangeError when a size is not a non-negative integer, the
 * memory would exceed 4 GiB, or the engine cannot allocate it.
 */
export function createWasmDense(doubles: number, extraBytes = 0): WasmDense | null {
  if (!Number.isInteger(doubles) || doubles < 0) throw new RangeError(`createWasmDense: bad size ${doubles}`);
  if (!Number.isInteger(extraBytes) || extraBytes < 0)
    throw new RangeError(`createWasmDense: bad extra size ${extraBytes}`);
  const compiledModule = kernelModule();
  if (compiledModule === null) return null;
  const { api, module } = compiledModule;
  const heapStart = scratchBytes(Math.floor(Math.sqrt(doubles)));
  const end = heapStart + doubles * 8 + Math.ceil(extraBytes / 8) * 8;
  const pages = Math.ceil(end / PAGE);
  if (pages > MAX_PAGES) throw new RangeError(`createWasmDense: ${doubles} doubles exceed the 4 GiB memory`);
  const memory = new api.Memory({ initial: pages, maximum: pages });
  let k: KernelExports;
  try {
    k = new api.Instance(module, { env: { memory } }).exports as unknown as KernelExports;
  } catch {
    return null;
  }
  const buffer = memory.buffer;
  let top = heapStart;

  const addr = (v: Float64Array | Int32Array, need: number, what: string): number => {
    if (v.buffer !== buffer || v.byteOffset < heapStart)
      throw new TypeError(`wasm kernel: ${what} is not a view from alloc()`);
    if (v.length < need) throw new RangeError(`wasm kernel: ${what} holds ${v.length} < ${need} elements`);
    return v.byteOffset;
  };
  const take = (length: number, bytesPerElement: 4 | 8): number => {
    if (!Number.isInteger(length) || length < 0) throw new RangeError(`alloc: bad length ${length}`);
    const bytes = wasmAllocBytes(length, bytesPerElement);
    if (top + bytes > end) throw new RangeError(`alloc: ${length} elements exceed the wasm memory`);
    const at = top;
    top += bytes;
    return at;
  };

  return {
    alloc(length: number): Float64Array {
      return new Float64Array(buffer, take(length, 8), length);
    },
    allocInt32(length: number): Int32Array {
      return new Int32Array(buffer, take(length, 4), length);
    },
    trailingUpdate(a: Float64Array, n: number, k0: number, k1: number): void {
      if (k1 >= n || k0 >= k1) return;
      const p = addr(a, n * n, "a");
      for (let t = k0; t < k1; t += NB) k.trailingUpdate(p, n, t, Math.min(k1, t + NB), k1, 0);
    },
    rightSolveLowerTransposed(L: Float64Array, n: number, X: Float64Array, rows: number): void {
      if (n <= 0 || rows <= 0) return;
      k.rightSolveLowerTransposed(addr(L, n * n, "L"), n, addr(X, rows * n, "X"), rows, 0);
    },
    leftLooking(work: Float64Array, p: LeftLookingArrays): number {
      const { n, S, nsparse, B } = p;
      if (!(Number.isInteger(n) && n >= 0 && Number.isInteger(S) && S >= 1 && Number.isInteger(B) && B >= 1))
        throw new RangeError("leftLooking: bad n, S or B");
      if (!(Number.isInteger(nsparse) && nsparse >= 0 && nsparse <= n))
        throw new RangeError("leftLooking: bad nsparse");
      const nb = Math.ceil(n / B);
      const nd = n * S;
      const srcBatchPtr = addr(p.srcBatchPtr, nb + 1, "srcBatchPtr");
      const pivBatchPtr = addr(p.pivBatchPtr, nb + 1, "pivBatchPtr");
      const pivPtr = addr(p.pivPtr, nsparse + 1, "pivPtr");
      const tgtPivPtr = addr(p.tgtPivPtr, n + 1, "tgtPivPtr");
      const nPiv = p.pivPtr[nsparse];
      if (p.srcRow.length !== p.srcVal.length)
        throw new RangeError("leftLooking: srcRow and srcVal differ in length");
      return k.leftLooking(
        addr(work, n * n, "work"),
        n,
        nsparse,
        B,
        S,
        addr(p.diagRow, nd, "diagRow"),
        addr(p.diagIdx, nd, "diagIdx"),
        addr(p.diagVal, nd, "diagVal"),
        addr(p.srcRow, 0, "srcRow"),
        addr(p.srcVal, 0, "srcVal"),
        srcBatchPtr,
        addr(p.srcBatch, 3 * p.srcBatchPtr[nb], "srcBatch"),
        pivPtr,
        addr(p.pivRow, nPiv, "pivRow"),
        addr(p.pivVal, nPiv, "pivVal"),
        pivBatchPtr,
        addr(p.pivBatch, 3 * p.pivBatchPtr[nb], "pivBatch"),
        tgtPivPtr,
        addr(p.tgtPivBatch, 3 * p.tgtPivPtr[n], "tgtPivBatch"),
      );
    },
  };
}
