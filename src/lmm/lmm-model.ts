/**
 * The mixed-model structure built once per model: the blocked cross-product matrix
 * A = [Z X y]ᵀ W [Z X y] (algorithm.md §2) and the preallocated blocks of its Cholesky factor L,
 * with storage types chosen by the nesting rule. After construction no evaluation touches the
 * n observations.
 */
import { NumericalError, SpecError, type Warning } from "../errors.ts";
import {
  type BlkDiagBlock,
  type Block,
  type BlockSparse,
  blkDiagBlock,
  type DenseBlock,
  denseBlock,
} from "../linalg/block-types.ts";
import { buildGroupedDowndate, type GroupedDowndate } from "../linalg/grouped-downdate.ts";
import type { TrailingKernel } from "../linalg/dense-cholesky.ts";
import {
  buildLeftLookingPlan,
  type LeftLookingPlan,
  leftLookingPlanInWasm,
  leftLookingWasmBytes,
} from "../linalg/left-looking-plan.ts";
import { levelOrdering } from "../linalg/min-degree.ts";
import { buildProductMap, makeScratch, type ProductMap, type Scratch } from "../linalg/rank-update.ts";
import { blockPattern, maxColumnNnz } from "../linalg/sparse.ts";
import { createWasmDense, type WasmDense } from "../linalg/wasm-dense.ts";
import type { LmmProblem } from "./lmm-problem.ts";
import {
  columnScales,
  constantColumn,
  weightFixedEffects,
  type ResponseScaling,
  scaleFixedEffects,
  scaleResponse,
  scaleResponseLight,
  weightScale,
} from "./working-scale.ts";

/** One random-effects term in the engine's internal order. */
export interface InternalTerm {
  /** Index of the term in `problem.reterms`. */
  readonly input: number;
  readonly S: number;
  readonly nl: number;
  readonly q: number;
  /** Offset of this term's parameters in θ (θ follows the input order). */
  readonly thetaOffset: number;
  /** S×S column-major lower-triangular relative covariance factor (set by updateL). */
  readonly lambda: Float64Array;
  /** Power-of-two multipliers m_s of the columns of z (see `working-scale.ts`; mostly 1). */
  readonly zScale: Float64Array;
  /**
   * z·diag(m) scaled by √w (aliases the input z when unweighted and unscaled; `reweightLmm` never
   * writes into an aliased array, it allocates its own).
   */
  wtz: Float64Array;
  readonly refs: Int32Array;
}

export interface LmmModel {
  /** The input; `refit` replaces it with a copy holding the new response. */
  problem: LmmProblem;
  readonly n: number;
  readonly p: number;
  /** Number of random-effects terms; block index k is the [X y] block. */
  readonly k: number;
  readonly terms: readonly InternalTerm[];
  readonly ntheta: number;
  /** Σ log w (0 without weights), of the working weights w/c (`reweightLmm` updates it). */
  sumLogWeights: number;
  /**
   * √(w/c) of the working weights (null without weights); c = 4^k, see `working-scale.ts`. Always
   * the model's own array (never the caller's).
   */
  sqrtw: Float64Array | null;
  /** √c: σ = √c·σ_work (1 unless the weights are far from 1). */
  sigmaFactor: number;
  /** λ entry = θ entry × thetaFactor (input θ order): √c / m_r, powers of two, mostly 1. */
  readonly thetaFactor: Float64Array;
  /**
   * √w·[X·diag(xScale), working response], n×(p+1) column-major: the exactly rescaled columns and
   * the shifted, projected and scaled response of `working-scale.ts`.
   */
  readonly Xy: Float64Array;
  /** Power-of-two multipliers m of the X columns (β_j = betaShift_j + S·m_j·β''_j). */
  readonly xScale: Float64Array;
  /** Σ log m_j (the REML criterion's log|RX|² is read off L as ldRX2 + 2·Σ log m_j). */
  readonly logXScale: number;
  /** How the working response relates to y; `refit` replaces it. */
  response: ResponseScaling;
  /** A[i][j], j ≤ i; the [X y] row/column is index k. */
  readonly A: Block[][];
  readonly L: Block[][];
  /** maps[i][j][m]: product map for a sparse L[i][j] −= L[i][m] L[j][m]ᵀ. */
  readonly maps: (ProductMap | null)[][][];
  readonly scratch: Scratch;
  /** S×S scratch for λ products. */
  readonly tmp: Float64Array;
  /** θ at the last successful/attempted updateL. */
  readonly theta: Float64Array;
  /** Speed-ups of the objective-only evaluation (see `FastPaths`). */
  readonly fast: FastPaths;
  /**
   * The diagonal blocks the last `updateL` factorised by a plan (objective-only, permuted order),
   * in order; empty after a canonical factorisation. `sphericalModes` can still solve with such a
   * factor when there is exactly one (its permuted factor is then the one left in `fast.work`).
   */
  permuted: number[];
  /** Warnings found while building (or reweighting) the model (collinear random-effects columns). */
  warnings: readonly Warning[];
}

/**
 * Structures built once that make `evaluate` cheaper without changing its value (beyond
 * rounding). Only the objective-only evaluation uses `plans`; the canonical `updateL` never does.
 */
export interface FastPaths {
  /**
   * plans[j]: left-looking factorisation plan of a dense L[j][j] in a fill-reducing order, when
   * every block to its left is sparse, with the block-diagonal scratch for D = Λᵀ A[j][j] Λ + I;
   * or null to factorise in the natural order.
   */
  readonly plans: ({ readonly plan: LeftLookingPlan; readonly diag: BlkDiagBlock } | null)[];
  /**
   * grouped[j]: precomputed downdate of a dense L[j][j] by the sparse L[j][0], or null. It is built
   * from the *values* of A[j][0] and A[0][0]: `reweightLmm` rebuilds it (or drops it) with A.
   */
  readonly grouped: (GroupedDowndate | null)[];
  /** Scratch: the permuted factor of the largest planned block (q²). */
  readonly work: Float64Array;
  /** Scratch: a column-permuted copy of the largest block below a planned block. */
  readonly colWork: Float64Array;
  /**
   * The WebAssembly SIMD kernels when some dense diagonal block is large enough to gain from them
   * and the engine supports them; `work`, `colWork` and the data of the large dense L[j][j] then
   * live in its memory. Null otherwise (the JS kernels run).
   */
  readonly wasm: WasmDense | null;
  /** kernel[j]: the trailing kernel for the canonical factorisation of a dense L[j][j], or null. */
  readonly kernel: (TrailingKernel | null)[];
}

/** Dense diagonal blocks of at least this order use the WebAssembly kernels. */
const WASM_MIN_ORDER = 128;

/**
 * A block L[i][j] below the diagonal is stored sparse when A[i][j] has at most this density (and
 * the nesting rule allows it). In the first block column the pattern of L is that of A (L[0][0] is
 * block diagonal) and the products it enters meet another sparse block, so sparse pays up to a
 * much higher density there (InstEval: students × dept:service at 14%).
 */
const DENSITY_THRESHOLD = 0.1;
const DENSITY_THRESHOLD_FIRST = 0.5;

/** Number of θ parameters of a term with S columns (full lower triangle). */
export function nthetaOf(S: number): number {
  return (S * (S + 1)) / 2;
}

export interface CreateLmmOptions {
  /**
   * The model will be refilled with new weights many times (`reweightLmm`, e.g. by PIRLS): skip
   * the fast paths precomputed from A's values (the grouped downdate, which every refill would
   * rebuild or drop) and plan the dense blocks' factorisation instead.
   */
  readonly reweighted?: boolean;
}

/** Build A and allocate L. Throws SpecError for inconsistent input dimensions. */
export function createLmm(problem: LmmProblem, options: CreateLmmOptions = {}): LmmModel {
  const n = problem.y.length;
  const p = problem.xnames.length;
  if (problem.X.length !== n * p)
    throw new SpecError("E_SPEC_UNSUPPORTED", `X has ${problem.X.length} entries, expected n×p = ${n * p}`);
  if (problem.reterms.length === 0)
    throw new SpecError("E_SPEC_NO_RANDOM_EFFECTS", "the model has no random-effects terms");
  const { sqrtw, sumLogWeights, wc } = workingWeights(problem.weights, n);
  const sigmaFactor = Math.sqrt(wc);
  // θ offsets in input order
  const offsets: number[] = [];
  let ntheta = 0;
  for (const rt of problem.reterms) {
    const S = rt.cnames.length;
    if (rt.refs.length !== n || rt.z.length !== S * n)
      throw new SpecError(
        "E_SPEC_UNSUPPORTED",
        `random-effects term "${rt.name}" has inconsistent dimensions`,
      );
    offsets.push(ntheta);
    ntheta += nthetaOf(S);
  }
  const thetaFactor = new Float64Array(ntheta);
  const order = problem.reterms
    .map((rt, i) => ({ i, q: rt.levels.length * rt.cnames.length }))
    .sort((a, b) => b.q - a.q || a.i - b.i)
    .map((e) => e.i);
  const terms: InternalTerm[] = order.map((i) => {
    const rt = problem.reterms[i];
    const S = rt.cnames.length;
    const zScale = columnScales(rt.z, S, n);
    const wtz = weightedZ(rt.z, zScale, sqrtw, n, null);
    for (let c = 0, o = offsets[i]; c < S; c++)
      for (let r = c; r < S; r++, o++) thetaFactor[o] = sigmaFactor / zScale[r];
    return {
      input: i,
      S,
      zScale,
      nl: rt.levels.length,
      q: rt.levels.length * S,
      thetaOffset: offsets[i],
      lambda: new Float64Array(S * S),
      wtz,
      refs: rt.refs,
    };
  });
  const k = terms.length;
  const Xy = new Float64Array(n * (p + 1));
  const xScale = scaleFixedEffects(problem.X, problem.xnames, n, sqrtw, Xy);
  let logXScale = 0;
  for (const mj of xScale) logXScale += Math.log(mj);
  // XᵀWX first (the response's least-squares projection uses it), then the response column
  const Akk = xyDiag(Xy, n, p);
  const response = scaleResponse(problem.y, problem.offset, problem.X, xScale, n, sqrtw, Xy, Akk.data, p + 1);
  fillXyDiag(Akk, Xy, n, p, p);

  const A: Block[][] = [];
  for (let i = 0; i <= k; i++) A.push([]);
  for (let i = 0; i < k; i++) {
    A[i][i] = blkDiagBlock(terms[i].S, terms[i].nl);
    fillDiagBlock(A[i][i] as BlkDiagBlock, terms[i]);
    for (let j = 0; j < i; j++) A[i][j] = offBlock(terms[i], terms[j]);
  }
  for (let j = 0; j < k; j++) A[k][j] = xyRow(terms[j], Xy, n, p);
  A[k][k] = Akk;
  checkFinite(A, problem);
  const warnings = collinearWarnings(A, terms, problem);

  const nested = (i: number, j: number): boolean => {
    const b = A[i][j] as BlockSparse;
    for (let c = 0; c < b.ncb; c++) if (b.colptr[c + 1] - b.colptr[c] > 1) return false;
    return true;
  };
  // L storage types (algorithm.md §2.4)
  const diagBlk: boolean[] = [];
  for (let i = 0; i < k; i++) {
    let ok = true;
    for (let j = 0; j < i; j++) if (!nested(i, j)) ok = false;
    diagBlk.push(ok);
  }
  const L: Block[][] = [];
  const maps: (ProductMap | null)[][][] = [];
  for (let i = 0; i <= k; i++) {
    L.push([]);
    maps.push([]);
  }
  let maxNnz = 1;
  for (let j = 0; j < k; j++) {
    const tj = terms[j];
    L[j][j] = diagBlk[j] ? blkDiagBlock(tj.S, tj.nl) : denseBlock(tj.q, tj.q);
    const chainBlk = diagBlk.slice(0, j + 1).every((x) => x);
    for (let i = j + 1; i < k; i++) {
      const a = A[i][j] as BlockSparse;
      maxNnz = Math.max(maxNnz, maxColumnNnz(a));
      const density = a.rowblk.length / (a.nrb * a.ncb);
      let sparse = chainBlk && density <= (j === 0 ? DENSITY_THRESHOLD_FIRST : DENSITY_THRESHOLD);
      for (let m = 0; m < j && sparse; m++)
        if (L[i][m].kind !== "sparse" || L[j][m].kind !== "sparse") sparse = false;
      const mp: (ProductMap | null)[] = [];
      if (sparse) {
        const target = { ...a, data: new Float64Array(a.data.length) } as BlockSparse;
        for (let m = 0; m < j && sparse; m++) {
          const map = buildProductMap(target, L[i][m] as BlockSparse, L[j][m] as BlockSparse);
          if (!map) sparse = false;
          mp.push(map);
        }
        if (sparse) L[i][j] = target;
      }
      if (!sparse) L[i][j] = denseBlock(terms[i].q, tj.q);
      maps[i][j] = sparse ? mp : [];
    }
    L[k][j] = denseBlock(p + 1, tj.q);
  }
  L[k][k] = denseBlock(p + 1, p + 1);
  let maxS = 1;
  for (const t of terms) maxS = Math.max(maxS, t.S);
  const fast = buildFastPaths(terms, A, L, options.reweighted ?? false);
  return {
    problem,
    n,
    p,
    k,
    terms,
    ntheta,
    sumLogWeights,
    sqrtw,
    sigmaFactor,
    thetaFactor,
    Xy,
    xScale,
    logXScale,
    response,
    A,
    L,
    maps,
    scratch: makeScratch(maxNnz),
    tmp: new Float64Array(maxS * maxS),
    theta: new Float64Array(ntheta).fill(Number.NaN),
    permuted: [],
    fast,
    warnings,
  };
}

/** √(w/c), Σ log(w/c) and c for prior weights w (validated); the model's own arrays. */
function workingWeights(
  w: Float64Array | undefined | null,
  n: number,
  into: Float64Array | null = null,
): { sqrtw: Float64Array | null; sumLogWeights: number; wc: number } {
  if (!w) return { sqrtw: null, sumLogWeights: 0, wc: 1 };
  if (w.length !== n)
    throw new SpecError("E_SPEC_UNSUPPORTED", `the weights have length ${w.length}, expected ${n}`);
  for (let t = 0; t < n; t++)
    if (!(w[t] > 0) || !Number.isFinite(w[t]))
      throw new SpecError(
        "E_SPEC_UNSUPPORTED",
        `prior weight ${w[t]} at row ${t + 1} is not positive and finite`,
      );
  const wc = weightScale(w);
  const sqrtw = into ?? new Float64Array(n);
  let sumLogWeights = 0;
  for (let t = 0; t < n; t++) {
    const wt = w[t] / wc;
    if (!(wt > 0) || !Number.isFinite(wt))
      throw new NumericalError(
        "E_NUMERIC_OVERFLOW",
        `the prior weights span too wide a range (${Math.min(...w)} to ${Math.max(...w)}) for double precision`,
        "rescale the weights, or drop the rows whose weight is negligible",
      );
    sqrtw[t] = Math.sqrt(wt);
    sumLogWeights += Math.log(wt);
  }
  return { sqrtw, sumLogWeights, wc };
}

/**
 * z·diag(m)·√w (n×S row-major). Returns z itself when unweighted and unscaled; otherwise writes
 * into `into` when given and not z (never into the caller's z), else into a new array.
 */
function weightedZ(
  z: Float64Array,
  zScale: Float64Array,
  sqrtw: Float64Array | null,
  n: number,
  into: Float64Array | null,
): Float64Array {
  if (!sqrtw && zScale.every((m) => m === 1)) return z;
  const S = zScale.length;
  const out = into && into !== z ? into : new Float64Array(z.length);
  for (let t = 0; t < n; t++)
    for (let s = 0; s < S; s++) out[t * S + s] = z[t * S + s] * zScale[s] * (sqrtw ? sqrtw[t] : 1);
  return out;
}

function collinearWarnings(A: Block[][], terms: readonly InternalTerm[], problem: LmmProblem): Warning[] {
  const warnings: Warning[] = [];
  for (let i = 0; i < terms.length; i++) {
    const rt = problem.reterms[terms[i].input];
    const dep = dependentColumn(A[i][i] as BlkDiagBlock);
    if (dep >= 0)
      warnings.push({
        code: "random_effects_collinear",
        message:
          `the columns of the random-effects term '${rt.name}' are linearly dependent ('${rt.cnames[dep]}' is a ` +
          "combination of the columns before it): its covariance matrix is not identifiable, so its variances and " +
          "correlations are arbitrary (the fixed effects and the likelihood are not affected); drop the redundant column",
      });
  }
  return warnings;
}

/** Per model, what reweighting needs of X that does not change: the constant column (or −1). */
const xFacts = new WeakMap<LmmModel, { constCol: number }>();

/** Per model, the observation → block maps of the sparse off-diagonal blocks of A (built on first reweight). */
const offPositions = new WeakMap<LmmModel, Int32Array[][]>();

/**
 * Refill every block of A in place, on its existing sparsity pattern, for new prior weights `w`
 * (null: unweighted) and optionally a new response `y` (kept by reference; default the current
 * one): √w, Σ log w, the weight scale c (θ and σ factors), the weighted z and [X y], every A block,
 * and what the fast paths derived from A's values (the grouped downdate) are recomputed exactly as
 * `createLmm` computes them, so the model equals one built from scratch with these weights (bit
 * for bit; with `light`, the response is only scaled by a power of two, `scaleResponseLight`, the
 * cheap refill PIRLS repeats at every step, `refillWorking`: it leaves `sumLogWeights` NaN). The weights are copied: the model never aliases or writes the caller's arrays. L is
 * left stale (`model.theta` is reset to NaN): call `updateL` before reading anything off L.
 */
export function reweightLmm(
  model: LmmModel,
  w: Float64Array | null,
  y?: Float64Array,
  opts: { readonly light?: boolean; readonly modesOnly?: boolean } = {},
): void {
  if (opts.light && w) {
    refillWorking(model, w, y ?? model.problem.y, opts.modesOnly ?? false);
    return;
  }
  const { n, p, k, terms, A, Xy, problem } = model;
  // the model's own √w buffer is reused (it is never the caller's array)
  const { sqrtw, sumLogWeights, wc } = workingWeights(w, n, model.sqrtw);
  model.sqrtw = sqrtw;
  model.sumLogWeights = sumLogWeights;
  model.sigmaFactor = Math.sqrt(wc);
  for (const t of terms) {
    const rt = problem.reterms[t.input];
    t.wtz = weightedZ(rt.z, t.zScale, sqrtw, n, t.wtz);
    for (let c = 0, o = t.thetaOffset; c < t.S; c++)
      for (let r = c; r < t.S; r++, o++) model.thetaFactor[o] = model.sigmaFactor / t.zScale[r];
  }
  let cached = xFacts.get(model);
  if (!cached) {
    cached = { constCol: constantColumn(problem.X, n, p) };
    xFacts.set(model, cached);
  }
  weightFixedEffects(problem.X, problem.xnames, n, sqrtw, model.xScale, Xy);
  const Akk = A[k][k] as DenseBlock;
  fillXDiag(Akk, Xy, n, p);
  const yNew = y ?? problem.y;
  model.response = opts.light
    ? scaleResponseLight(yNew, problem.offset, p, n, sqrtw, Xy)
    : scaleResponse(
        yNew,
        problem.offset,
        problem.X,
        model.xScale,
        n,
        sqrtw,
        Xy,
        Akk.data,
        p + 1,
        cached.constCol,
      );
  fillXyDiag(Akk, Xy, n, p, p);
  let pos = offPositions.get(model);
  if (!pos) {
    pos = terms.map((ti, i) =>
      terms.slice(0, i).map((tj) => blockPattern(ti.refs, tj.refs, ti.nl, tj.nl, ti.S, tj.S).pos),
    );
    offPositions.set(model, pos);
  }
  for (let i = 0; i < k; i++) {
    fillDiagBlock(A[i][i] as BlkDiagBlock, terms[i]);
    for (let j = 0; j < i; j++) fillOffBlock(A[i][j] as BlockSparse, pos[i][j], terms[i], terms[j]);
  }
  for (let j = 0; j < k; j++) fillXyRow(A[k][j] as DenseBlock, terms[j], Xy, n, p, 0);
  model.problem = { ...problem, y: yNew, weights: w ? Float64Array.from(w) : undefined };
  checkFinite(A, model.problem);
  model.warnings = collinearWarnings(A, terms, model.problem);
  const g = model.fast.grouped;
  for (let j = 0; j < k; j++)
    if (g[j]) g[j] = buildGroupedDowndate(A[j][0] as BlockSparse, (A[0][0] as BlkDiagBlock).data);
  model.theta.fill(Number.NaN);
}

/** Per model, its own copy of the weights of the last light refill (reused across refills). */
const lightWeights = new WeakMap<LmmModel, Float64Array>();

/** Weights within [1/DEAD_ZONE, DEAD_ZONE]: their mean log₂ is too, so `weightScale` returns 1. */
const W_LO = 2 ** -10;
const W_HI = 2 ** 10;

/**
 * The light refill of `reweightLmm` (new working weights and response at every PIRLS step): the
 * same A as the full refill with `scaleResponseLight`, without the per-call allocations — the
 * model's copy of the weights is one buffer reused — and without Σ log w (`sumLogWeights` is NaN:
 * the profiled criterion is not defined for working weights, and PIRLS reads only L). The weight
 * scale c is 1 without a logarithm when every weight lies in the dead zone (then so does the mean
 * of their log₂, exactly, so `weightScale` would return 1 too). With `modesOnly` the [X y]
 * diagonal block A[k][k] is left as it was (stale): enough for `updateL` with `modesOnly`, which
 * never reads it.
 */
function refillWorking(model: LmmModel, w: Float64Array, yNew: Float64Array, modesOnly: boolean): void {
  const { n, p, k, terms, A, Xy, problem } = model;
  if (w.length !== n)
    throw new SpecError("E_SPEC_UNSUPPORTED", `the weights have length ${w.length}, expected ${n}`);
  let lo = Number.POSITIVE_INFINITY;
  let hi = 0;
  for (let t = 0; t < n; t++) {
    const v = w[t];
    if (!(v > 0) || !Number.isFinite(v))
      throw new SpecError(
        "E_SPEC_UNSUPPORTED",
        `prior weight ${v} at row ${t + 1} is not positive and finite`,
      );
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  let sqrtw = model.sqrtw;
  if (lo >= W_LO && hi <= W_HI && sqrtw) {
    // c = 1: √(w/1) = √w
    for (let t = 0; t < n; t++) sqrtw[t] = Math.sqrt(w[t]);
    model.sigmaFactor = 1;
  } else {
    const ww = workingWeights(w, n, sqrtw);
    sqrtw = ww.sqrtw as Float64Array;
    model.sigmaFactor = Math.sqrt(ww.wc);
  }
  model.sqrtw = sqrtw;
  model.sumLogWeights = Number.NaN;
  for (const t of terms) {
    const rt = problem.reterms[t.input];
    if (t.S === 1 && t.zScale[0] === 1 && t.wtz !== rt.z) {
      const z = rt.z;
      const out = t.wtz;
      for (let r = 0; r < n; r++) out[r] = z[r] * sqrtw[r];
    } else t.wtz = weightedZ(rt.z, t.zScale, sqrtw, n, t.wtz);
    for (let c = 0, o = t.thetaOffset; c < t.S; c++)
      for (let r = c; r < t.S; r++, o++) model.thetaFactor[o] = model.sigmaFactor / t.zScale[r];
  }
  // √w·X·diag(m) as `weightFixedEffects` writes it; it runs again only to throw its error
  const X = problem.X;
  const xs = model.xScale;
  let bad = 0;
  for (let j = 0; j < p; j++) {
    const mj = xs[j];
    const o = j * n;
    for (let t = 0; t < n; t++) {
      const v = X[o + t] * mj * sqrtw[t];
      Xy[o + t] = v;
      bad += v * 0; // NaN once some v is not finite
    }
  }
  if (bad !== 0) weightFixedEffects(X, problem.xnames, n, sqrtw, xs, Xy);
  const Akk = A[k][k] as DenseBlock;
  if (!modesOnly) fillXDiag(Akk, Xy, n, p);
  model.response = scaleResponseLight(yNew, problem.offset, p, n, sqrtw, Xy);
  if (!modesOnly) fillXyDiag(Akk, Xy, n, p, p);
  let pos = offPositions.get(model);
  if (!pos) {
    pos = terms.map((ti, i) =>
      terms.slice(0, i).map((tj) => blockPattern(ti.refs, tj.refs, ti.nl, tj.nl, ti.S, tj.S).pos),
    );
    offPositions.set(model, pos);
  }
  for (let i = 0; i < k; i++) {
    fillDiagBlock(A[i][i] as BlkDiagBlock, terms[i]);
    for (let j = 0; j < i; j++) fillOffBlock(A[i][j] as BlockSparse, pos[i][j], terms[i], terms[j]);
  }
  for (let j = 0; j < k; j++) {
    if (terms[j].S === 1) fillXyRowScalar(A[k][j] as DenseBlock, terms[j], Xy, n, p);
    else fillXyRow(A[k][j] as DenseBlock, terms[j], Xy, n, p, 0);
  }
  let wb = lightWeights.get(model);
  if (!wb) {
    wb = new Float64Array(n);
    lightWeights.set(model, wb);
  }
  wb.set(w);
  if (model.problem.y !== yNew || model.problem.weights !== wb)
    model.problem = { ...problem, y: yNew, weights: wb };
  let acc = 0;
  for (const row of A)
    for (const b of row) {
      const d = b.data;
      for (let e = 0; e < d.length; e++) acc += d[e] * 0; // NaN once some entry is not finite
    }
  if (acc !== 0) checkFinite(A, model.problem);
  // scalar terms have no columns to be collinear
  if (model.warnings.length > 0 || terms.some((t) => t.S > 1))
    model.warnings = collinearWarnings(A, terms, model.problem);
  const g = model.fast.grouped;
  for (let j = 0; j < k; j++)
    if (g[j]) g[j] = buildGroupedDowndate(A[j][0] as BlockSparse, (A[0][0] as BlkDiagBlock).data);
  model.theta.fill(Number.NaN);
}

/**
 * `fillXyRow` (all rows) for a scalar term, row by row of A[k][j] so that Xy is read in order:
 * every entry sums the same products in the same order.
 */
function fillXyRowScalar(b: DenseBlock, t: InternalTerm, Xy: Float64Array, n: number, p: number): void {
  const m = p + 1;
  const { refs, wtz } = t;
  const d = b.data;
  d.fill(0);
  for (let r = 0; r < m; r++) {
    const o = r * n;
    for (let row = 0; row < n; row++) {
      const z = wtz[row];
      if (z === 0) continue;
      d[refs[row] * m + r] += Xy[o + row] * z;
    }
  }
}

/**
 * Everything a light refill (`reweightLmm` with `light`) leaves in the model: restoring it
 * (`restoreRefill`) puts the model back into the state of that refill, bit for bit, for the cost
 * of copying arrays instead of recomputing A (PIRLS restarts every evaluation from the same
 * linear predictor, so its first refill repeats).
 */
export interface RefillSnapshot {
  readonly sqrtw: Float64Array;
  readonly weights: Float64Array;
  readonly wtz: Float64Array[];
  readonly Xy: Float64Array;
  readonly thetaFactor: Float64Array;
  readonly A: Float64Array[];
  sigmaFactor: number;
  response: ResponseScaling;
  problem: LmmProblem;
  warnings: readonly Warning[];
}

/** Copy the state of the last light refill (into `into`'s arrays when given, as `snapshotRefill` made them). */
export function snapshotRefill(model: LmmModel, into?: RefillSnapshot): RefillSnapshot {
  const weights = lightWeights.get(model);
  if (!weights || !model.sqrtw) throw new Error("snapshotRefill: the model has had no light refill");
  const copy = (src: Float64Array, dst: Float64Array | undefined): Float64Array => {
    if (!dst) return Float64Array.from(src);
    dst.set(src);
    return dst;
  };
  const blocks: Float64Array[] = [];
  for (const row of model.A) for (const b of row) blocks.push(b.data);
  const snap: RefillSnapshot = {
    sqrtw: copy(model.sqrtw, into?.sqrtw),
    weights: copy(weights, into?.weights),
    wtz: model.terms.map((t, j) => copy(t.wtz, into?.wtz[j])),
    Xy: copy(model.Xy, into?.Xy),
    thetaFactor: copy(model.thetaFactor, into?.thetaFactor),
    A: blocks.map((d, i) => copy(d, into?.A[i])),
    sigmaFactor: model.sigmaFactor,
    response: model.response,
    problem: model.problem,
    warnings: model.warnings,
  };
  return snap;
}

/** Put the model back into the state `snapshotRefill` copied (L is left stale, as by a refill). */
export function restoreRefill(model: LmmModel, snap: RefillSnapshot): void {
  const weights = lightWeights.get(model);
  if (!weights || !model.sqrtw) throw new Error("restoreRefill: the model has had no light refill");
  model.sqrtw.set(snap.sqrtw);
  weights.set(snap.weights);
  model.terms.forEach((t, j) => {
    t.wtz.set(snap.wtz[j]);
  });
  model.Xy.set(snap.Xy);
  model.thetaFactor.set(snap.thetaFactor);
  let i = 0;
  for (const row of model.A) for (const b of row) b.data.set(snap.A[i++]);
  model.sigmaFactor = snap.sigmaFactor;
  model.sumLogWeights = Number.NaN;
  model.response = snap.response;
  model.problem = snap.problem;
  model.warnings = snap.warnings;
  const g = model.fast.grouped;
  for (let j = 0; j < model.k; j++)
    if (g[j]) g[j] = buildGroupedDowndate(model.A[j][0] as BlockSparse, (model.A[0][0] as BlkDiagBlock).data);
  model.theta.fill(Number.NaN);
}

/** Relative pivot below which a random-effects column counts as a combination of the others. */
const COLLINEAR_TOL = 1e-10;

/**
 * First column of a term whose Gram matrix Σ_levels ZᵀWZ (S×S) has a negligible pivot in an
 * unpivoted Cholesky factorisation (the column is a combination of those before it), or −1.
 */
function dependentColumn(b: BlkDiagBlock): number {
  const S = b.S;
  if (S === 1) return -1;
  const G = new Float64Array(S * S);
  for (let l = 0; l < b.nblk; l++) for (let e = 0; e < S * S; e++) G[e] += b.data[l * S * S + e];
  for (let j = 0; j < S; j++) {
    const orig = G[j * S + j];
    let d = orig;
    for (let t = 0; t < j; t++) d -= G[t * S + j] * G[t * S + j];
    if (!(d > COLLINEAR_TOL * orig)) return j;
    const r = Math.sqrt(d);
    G[j * S + j] = r;
    for (let i = j + 1; i < S; i++) {
      let x = G[j * S + i];
      for (let t = 0; t < j; t++) x -= G[t * S + i] * G[t * S + j];
      G[j * S + i] = x / r;
    }
  }
  return -1;
}

/** Throw E_NUMERIC_OVERFLOW when a cross-product overflowed (huge weights or random-effect covariates). */
function checkFinite(A: Block[][], problem: LmmProblem): void {
  for (const row of A)
    for (const b of row) {
      if (!b) continue;
      for (const v of b.data)
        if (!Number.isFinite(v))
          throw new NumericalError(
            "E_NUMERIC_OVERFLOW",
            "a cross-product of the model matrices overflows: the numbers are outside the range of double precision",
            problem.weights
              ? "rescale the prior weights (only their ratios matter for the fixed effects) or the covariates in the random-effects terms"
              : "rescale the covariates in the random-effects terms (e.g. change their units)",
          );
    }
}

function buildFastPaths(
  terms: readonly InternalTerm[],
  A: Block[][],
  L: Block[][],
  reweighted: boolean,
): FastPaths {
  const k = terms.length;
  const plans: FastPaths["plans"][number][] = [];
  const grouped: (GroupedDowndate | null)[] = [];
  let work = 0;
  let colWork = 0;
  for (let j = 0; j < k; j++) {
    const t = terms[j];
    let planned: FastPaths["plans"][number] = null;
    let gd: GroupedDowndate | null = null;
    if (j > 0 && L[j][j].kind === "dense") {
      const parts: BlockSparse[] = [];
      for (let m = 0; m < j; m++) {
        const b = L[j][m];
        if (b.kind === "sparse") parts.push(b);
      }
      if (!reweighted && t.S === 1 && terms[0].S === 1 && L[j][0].kind === "sparse")
        gd = buildGroupedDowndate(A[j][0] as BlockSparse, (A[0][0] as BlkDiagBlock).data);
      // a fill-reducing order when one pays; else, for a large block with no grouped downdate,
      // the natural order: the plan still turns the scattered downdate into blocked left-looking
      // updates (in the WebAssembly kernel when there is one)
      let lev = parts.length === j ? levelOrdering(parts, t.nl) : null;
      if (!lev && !gd && parts.length === j && t.q >= WASM_MIN_ORDER)
        lev = Int32Array.from({ length: t.nl }, (_, l) => l);
      if (lev) {
        const order = new Int32Array(t.q);
        for (let l = 0; l < t.nl; l++) for (let s = 0; s < t.S; s++) order[l * t.S + s] = lev[l] * t.S + s;
        work = Math.max(work, t.q * t.q);
        for (let i = j + 1; i <= k; i++) {
          const b = L[i][j] as DenseBlock;
          colWork = Math.max(colWork, b.rows * b.cols);
        }
        planned = { plan: buildLeftLookingPlan(t.q, t.S, order, parts), diag: blkDiagBlock(t.S, t.nl) };
      }
    }
    plans.push(planned);
    grouped.push(gd);
  }
  // large dense diagonal blocks and the plans' scratch move into WebAssembly memory
  const big: number[] = [];
  let doubles = 0;
  for (let j = 0; j < k; j++) {
    const b = L[j][j];
    if (b.kind === "dense" && b.rows >= WASM_MIN_ORDER) {
      big.push(j);
      doubles += b.rows * b.rows;
    }
  }
  let planBytes = 0;
  for (const p of plans) if (p) planBytes += leftLookingWasmBytes(p.plan);
  const wasm = big.length > 0 ? wasmOrNull(doubles + work + colWork, planBytes) : null;
  const kernel: (TrailingKernel | null)[] = new Array(k).fill(null);
  if (!wasm)
    return { plans, grouped, work: new Float64Array(work), colWork: new Float64Array(colWork), wasm, kernel };
  for (const j of big) {
    const q = (L[j][j] as DenseBlock).rows;
    L[j][j] = { kind: "dense", rows: q, cols: q, data: wasm.alloc(q * q) };
    kernel[j] = wasm;
  }
  // the plans' numeric arrays too: their sparse phase then runs in the kernel as well
  for (let j = 0; j < k; j++) {
    const p = plans[j];
    if (p) plans[j] = { plan: leftLookingPlanInWasm(p.plan, wasm), diag: p.diag };
  }
  return { plans, grouped, work: wasm.alloc(work), colWork: wasm.alloc(colWork), wasm, kernel };
}

/** The kernels with room for `doubles` + `bytes`, or null (no SIMD, or memory beyond 4 GiB). */
function wasmOrNull(doubles: number, bytes: number): WasmDense | null {
  try {
    return createWasmDense(doubles, bytes);
  } catch {
    return null; // the JS kernels work on ordinary arrays of any size the engine allows
  }
}

/** A[i][i] = Z_iᵀ W Z_i (S×S per level), recomputed into `b` from the weighted z. */
function fillDiagBlock(b: BlkDiagBlock, t: InternalTerm): void {
  const { S, refs, wtz } = t;
  const d = b.data;
  d.fill(0);
  const SS = S * S;
  for (let r = 0; r < refs.length; r++) {
    const o = refs[r] * SS;
    for (let c = 0; c < S; c++) {
      const zc = wtz[r * S + c];
      for (let s = 0; s < S; s++) d[o + c * S + s] += wtz[r * S + s] * zc;
    }
  }
}

function offBlock(ti: InternalTerm, tj: InternalTerm): BlockSparse {
  const { matrix, pos } = blockPattern(ti.refs, tj.refs, ti.nl, tj.nl, ti.S, tj.S);
  fillOffBlock(matrix, pos, ti, tj);
  return matrix;
}

/** A[i][j] = Z_iᵀ W Z_j on its pattern (`pos[t]`: the block of observation t). */
function fillOffBlock(matrix: BlockSparse, pos: Int32Array, ti: InternalTerm, tj: InternalTerm): void {
  const Si = ti.S;
  const Sj = tj.S;
  const bs = Si * Sj;
  const d = matrix.data;
  d.fill(0);
  for (let r = 0; r < pos.length; r++) {
    const o = pos[r] * bs;
    for (let c = 0; c < Sj; c++) {
      const zc = tj.wtz[r * Sj + c];
      for (let s = 0; s < Si; s++) d[o + c * Si + s] += ti.wtz[r * Si + s] * zc;
    }
  }
}

/** A[k][j] = [X y]ᵀ W Z_j, (p+1)×q_j. */
export function xyRow(t: InternalTerm, Xy: Float64Array, n: number, p: number): DenseBlock {
  const m = p + 1;
  const b = denseBlock(m, t.q);
  fillXyRow(b, t, Xy, n, p, 0);
  return b;
}

/** Accumulate rows [r0, p] of A[k][j] (r0 = p recomputes only the y row). */
export function fillXyRow(
  b: DenseBlock,
  t: InternalTerm,
  Xy: Float64Array,
  n: number,
  p: number,
  r0: number,
): void {
  const m = p + 1;
  const { S, refs, wtz } = t;
  const d = b.data;
  for (let c = 0; c < t.q; c++) for (let r = r0; r < m; r++) d[c * m + r] = 0;
  for (let row = 0; row < n; row++) {
    const base = refs[row] * S;
    for (let s = 0; s < S; s++) {
      const z = wtz[row * S + s];
      if (z === 0) continue;
      const o = (base + s) * m;
      for (let r = r0; r < m; r++) d[o + r] += Xy[r * n + row] * z;
    }
  }
}

/** A[k][k] = [X y]ᵀ W [X y] (full symmetric). */
export function xyDiag(Xy: Float64Array, n: number, p: number): DenseBlock {
  const m = p + 1;
  const b = denseBlock(m, m);
  fillXyDiag(b, Xy, n, p, 0);
  return b;
}

/** The X part (first p rows and columns) of A[k][k], each entry summed as `fillXyDiag` sums it. */
function fillXDiag(b: DenseBlock, Xy: Float64Array, n: number, p: number): void {
  const m = p + 1;
  for (let c = 0; c < p; c++)
    for (let r = 0; r <= c; r++) {
      let s = 0;
      for (let t = 0; t < n; t++) s += Xy[r * n + t] * Xy[c * n + t];
      b.data[c * m + r] = s;
      b.data[r * m + c] = s;
    }
}

export function fillXyDiag(b: DenseBlock, Xy: Float64Array, n: number, p: number, c0: number): void {
  const m = p + 1;
  for (let c = c0; c < m; c++)
    for (let r = 0; r < m; r++) {
      let s = 0;
      for (let t = 0; t < n; t++) s += Xy[r * n + t] * Xy[c * n + t];
      b.data[c * m + r] = s;
      b.data[r * m + c] = s;
    }
}
