/**
 * Loader for the WebAssembly SIMD kernels of the dense Cholesky (assembly/dense-kernels.ts, bytes
 * in wasm-kernels-binary.ts): the trailing update of a blocked factorisation and X ← X·L⁻ᵀ, with
 * the same contracts as their JS counterparts in dense-cholesky.ts. Browser-safe and synchronous.
 *
 * Memory layout of an instance (imported memory, sized once, never grown):
 *
 *   [0, scratch)            the kernels' scratch: packed panel, zero-column lists, one tile
 *   [scratch, end)          the bump-allocated Float64Array views handed out by alloc()
 *
 * The scratch is sized for the largest n an allocation can hold (n² ≤ doubles).
 */
import { WASM_KERNELS_BASE64 } from "./wasm-kernels-binary.ts";

export interface WasmDense {
  /**
   * Float64Array view of `length` doubles inside the module memory (bump allocation; the memory is
   * sized at creation and never grows, so views stay valid). Throws if out of space.
   */
  alloc(length: number): Float64Array;
  /** Same contract as trailingUpdate in dense-cholesky.ts; `a` must be a view from alloc(). */
  trailingUpdate(a: Float64Array, n: number, k0: number, k1: number): void;
  /** Same contract as rightSolveLowerTransposed; L and X must be views from alloc(). */
  rightSolveLowerTransposed(L: Float64Array, n: number, X: Float64Array, rows: number): void;
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
 * A fresh instance whose memory holds at least `doubles` Float64 values for alloc() (plus the
 * kernel's own scratch), or null when WebAssembly or SIMD is unavailable (then callers keep the JS
 * kernels). Synchronous (new WebAssembly.Module / Instance; the module is compiled once). Throws a
 * RangeError when `doubles` is not a non-negative integer, the memory would exceed 4 GiB, or the
 * engine cannot allocate it.
 */
export function createWasmDense(doubles: number): WasmDense | null {
  if (!Number.isInteger(doubles) || doubles < 0) throw new RangeError(`createWasmDense: bad size ${doubles}`);
  const compiledModule = kernelModule();
  if (compiledModule === null) return null;
  const { api, module } = compiledModule;
  const heapStart = scratchBytes(Math.floor(Math.sqrt(doubles)));
  const pages = Math.ceil((heapStart + doubles * 8) / PAGE);
  if (pages > MAX_PAGES) throw new RangeError(`createWasmDense: ${doubles} doubles exceed the 4 GiB memory`);
  const memory = new api.Memory({ initial: pages, maximum: pages });
  let k: KernelExports;
  try {
    k = new api.Instance(module, { env: { memory } }).exports as unknown as KernelExports;
  } catch {
    return null;
  }
  const buffer = memory.buffer;
  const end = heapStart + doubles * 8;
  let top = heapStart;

  const addr = (v: Float64Array, need: number, what: string): number => {
    if (v.buffer !== buffer || v.byteOffset < heapStart)
      throw new TypeError(`wasm kernel: ${what} is not a view from alloc()`);
    if (v.length < need) throw new RangeError(`wasm kernel: ${what} holds ${v.length} < ${need} doubles`);
    return v.byteOffset;
  };

  return {
    alloc(length: number): Float64Array {
      if (!Number.isInteger(length) || length < 0) throw new RangeError(`alloc: bad length ${length}`);
      if (top + length * 8 > end) throw new RangeError(`alloc: ${length} doubles exceed the wasm memory`);
      const v = new Float64Array(buffer, top, length);
      top += length * 8;
      return v;
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
  };
}
