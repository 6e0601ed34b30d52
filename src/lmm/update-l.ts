/**
 * Per-evaluation work (algorithm.md §3-§4): install θ into the λ factors, form
 * L ← Λᵀ A Λ + I blockwise, run the blocked left-looking Cholesky factorisation with per-type
 * kernels, and read the profiled ML deviance / REML criterion off L's diagonal.
 */
import type { BlkDiagBlock, BlockSparse, DenseBlock } from "../linalg/block-types.ts";
import { choleskyInPlace, rightSolveLowerTransposed } from "../linalg/dense-cholesky.ts";
import { applyGroupedDowndate } from "../linalg/grouped-downdate.ts";
import { factorLeftLooking } from "../linalg/left-looking-plan.ts";
import { cholBlkDiag, downdateProduct, downdateSymmetric, rightSolveBlkDiag } from "../linalg/rank-update.ts";
import type { InternalTerm, LmmModel } from "./lmm-model.ts";

/**
 * Copy θ (input order) into each term's λ (lower triangle, column-major), times the power-of-two
 * `thetaFactor` of the working scale (exact; 1 for ordinary data).
 */
export function installTheta(model: LmmModel, theta: ArrayLike<number>): void {
  if (theta.length !== model.ntheta)
    throw new Error(`θ has length ${theta.length}, expected ${model.ntheta}`);
  const f = model.thetaFactor;
  for (const t of model.terms) {
    const S = t.S;
    let o = t.thetaOffset;
    for (let c = 0; c < S; c++) for (let r = c; r < S; r++, o++) t.lambda[c * S + r] = theta[o] * f[o];
  }
  model.theta.set(theta as ArrayLike<number>);
}

/**
 * Factor L for θ. Returns false when a Cholesky pivot is not positive (L is then unusable;
 * callers substitute the initial objective).
 *
 * With `objectiveOnly`, dense diagonal blocks that have a left-looking plan (`model.fast.plans`:
 * a fill-reducing order, all blocks to their left sparse) are factorised in that order by the
 * plan: L[j][j] then holds only the diagonal of the permuted factor, and the blocks L[i][j] below
 * it have their columns permuted. Everything `logDets` / `criterionFromL` read is invariant under
 * that permutation (up to rounding), but the other blocks of L are not the canonical factor: call
 * `updateL` without the flag before reading estimates off L — except β (`fixefFromL`, read off
 * L[k][k], which is the same) and the conditional modes (`sphericalModes` solves with the permuted
 * factor when exactly one block was planned, `model.permuted`, and refuses otherwise).
 *
 * With `modesOnly` the [X y] diagonal block L[k][k] is neither formed nor factorised (A[k][k] is
 * not read): what is left is log|L_ZZ|² (`logDets(...).ldL2`) and what `sphericalModes` needs for
 * a given β — the other pieces of `logDets` and β̂ (`fixefFromL`) are then meaningless.
 */
export function updateL(
  model: LmmModel,
  theta: ArrayLike<number>,
  objectiveOnly = false,
  modesOnly = false,
): boolean {
  installTheta(model, theta);
  const { k, terms, A, L } = model;
  const fast = model.fast;
  for (let j = 0; j < k; j++) {
    const tj = terms[j];
    const planned = objectiveOnly ? fast.plans[j] : null;
    // a planned block is built by the plan itself from D = Λᵀ A Λ + I, kept block diagonal
    const Djj = planned ? planned.diag : (L[j][j] as BlkDiagBlock | DenseBlock);
    scaleInflate(Djj, A[j][j] as BlkDiagBlock, tj, model.tmp);
    for (let i = j + 1; i < k; i++)
      scaleOff(L[i][j] as BlockSparse | DenseBlock, A[i][j] as BlockSparse, terms[i], tj);
    scaleXyRow(L[k][j] as DenseBlock, A[k][j] as DenseBlock, tj);
  }
  if (!modesOnly) (L[k][k] as DenseBlock).data.set((A[k][k] as DenseBlock).data);
  const w = model.scratch;
  model.permuted = [];
  for (let j = 0; j <= (modesOnly ? k - 1 : k); j++) {
    const Ljj = L[j][j] as BlkDiagBlock | DenseBlock;
    const planned = objectiveOnly && j < k ? fast.plans[j] : null;
    if (planned && Ljj.kind === "dense") {
      if (factorLeftLooking(planned.plan, planned.diag.data, fast.work, fast.wasm) >= 0) return false;
      finishPermuted(model, Ljj, planned.plan.order, j);
      model.permuted.push(j);
      continue;
    }
    const gd = j < k ? fast.grouped[j] : null;
    for (let m = 0; m < j; m++) {
      if (m === 0 && gd && Ljj.kind === "dense") {
        const f = terms[0].lambda[0] * terms[j].lambda[0];
        const l0 = terms[0].lambda[0];
        applyGroupedDowndate(Ljj.data, gd, f * f, l0 * l0);
      } else downdateSymmetric(Ljj, L[j][m] as BlockSparse | DenseBlock, w);
    }
    if (Ljj.kind === "blkdiag") {
      if (!cholBlkDiag(Ljj)) return false;
    } else if (choleskyInPlace(Ljj.data, Ljj.rows, 0, 0, j < k ? fast.kernel[j] : null) >= 0) return false;
    for (let i = j + 1; i <= k; i++) {
      const Lij = L[i][j] as BlockSparse | DenseBlock;
      const maps = model.maps[i][j];
      for (let m = 0; m < j; m++)
        downdateProduct(
          Lij,
          L[i][m] as BlockSparse | DenseBlock,
          L[j][m] as BlockSparse | DenseBlock,
          w,
          maps?.[m] ?? null,
        );
      if (Ljj.kind === "blkdiag") rightSolveBlkDiag(Lij, Ljj);
      else {
        if (Lij.kind !== "dense") throw new Error("sparse block below a dense diagonal block");
        rightSolveLowerTransposed(Ljj.data, Ljj.rows, Lij.data, Lij.rows);
      }
    }
  }
  return true;
}

/**
 * With the permuted factor of L[j][j] in `fast.work`: copy its diagonal into L[j][j], then form
 * the blocks below it with permuted columns.
 */
function finishPermuted(model: LmmModel, Ljj: DenseBlock, order: Int32Array, j: number): void {
  const { k, L, maps, scratch } = model;
  const { work, colWork } = model.fast;
  const n = Ljj.rows;
  for (let s = 0; s < n; s++) Ljj.data[s * n + s] = work[s * n + s];
  for (let i = j + 1; i <= k; i++) {
    const Lij = L[i][j] as DenseBlock;
    for (let m = 0; m < j; m++)
      downdateProduct(
        Lij,
        L[i][m] as BlockSparse | DenseBlock,
        L[j][m] as BlockSparse | DenseBlock,
        scratch,
        maps[i][j]?.[m] ?? null,
      );
    const r = Lij.rows;
    const x = Lij.data;
    // permute the columns into colWork (in the kernel's memory when there is one), solve, copy back
    for (let c = 0; c < n; c++) {
      const src = order[c] * r;
      const dst = c * r;
      for (let t = 0; t < r; t++) colWork[dst + t] = x[src + t];
    }
    const view = colWork.subarray(0, r * n);
    if (model.fast.wasm) model.fast.wasm.rightSolveLowerTransposed(work, n, view, r);
    else rightSolveLowerTransposed(work, n, view, r);
    x.set(view);
  }
}

/** Pieces of the objective read off L (algorithm.md §4), on the working scale (see `criterionFromL`). */
export interface LogDets {
  /** log|Λᵀ Zᵀ W Z Λ + I| (lme4 `ldL2`). */
  readonly ldL2: number;
  /** log|L_XX|² (lme4 `ldRX2`). */
  readonly ldRX2: number;
  /** Penalised weighted residual sum of squares r². */
  readonly pwrss: number;
}

export function logDets(model: LmmModel): LogDets {
  const { k, L, p } = model;
  let ldL2 = 0;
  for (let j = 0; j < k; j++) {
    const b = L[j][j] as BlkDiagBlock | DenseBlock;
    if (b.kind === "blkdiag") {
      const S = b.S;
      const SS = S * S;
      for (let l = 0; l < b.nblk; l++)
        for (let s = 0; s < S; s++) ldL2 += Math.log(b.data[l * SS + s * S + s]);
    } else {
      const nn = b.rows;
      for (let s = 0; s < nn; s++) ldL2 += Math.log(b.data[s * nn + s]);
    }
  }
  const x = (L[k][k] as DenseBlock).data;
  const m = p + 1;
  let ldRX2 = 0;
  for (let s = 0; s < p; s++) ldRX2 += Math.log(x[s * m + s]);
  const r = x[p * m + p];
  return { ldL2: 2 * ldL2, ldRX2: 2 * ldRX2, pwrss: r * r };
}

/**
 * The criterion from the current L: ML deviance or REML criterion (prior weights: − Σ log w), on
 * the user's scale: the working response is y/S and the working X is X·diag(m)
 * (`working-scale.ts`), so pwrss is S² times, and |RX|² is Π m_j⁻² times, what L holds.
 */
export function criterionFromL(model: LmmModel, reml: boolean, working = false): number {
  const { ldL2, ldRX2, pwrss } = logDets(model);
  const nu = reml ? model.n - model.p : model.n;
  const base = ldL2 + nu * (1 + Math.log((2 * Math.PI * pwrss) / nu));
  const crit = (reml ? base + ldRX2 : base) - model.sumLogWeights;
  // the optimiser minimises the working criterion: adding the constants first would round its
  // values differently at every scale of y (they are large when y is far from 1)
  return working ? crit : crit + scaleConstant(model, reml);
}

/** Criterion on the user's scale − working criterion: 2ν·log S (− 2·Σ log m_j for REML). */
export function scaleConstant(model: LmmModel, reml: boolean): number {
  const nu = reml ? model.n - model.p : model.n;
  return 2 * nu * model.response.logScale - (reml ? 2 * model.logXScale : 0);
}

/**
 * Ratio of the largest to the smallest diagonal entry of the factor (random-effects blocks and the
 * fixed-effects part of L_XX, without the response entry): ε times its square bounds the relative
 * rounding of the criterion and the estimates from below.
 */
export function diagonalRange(model: LmmModel): number {
  const { k, L, p } = model;
  let mx = 0;
  let mn = Number.POSITIVE_INFINITY;
  const see = (v: number): void => {
    const a = Math.abs(v);
    if (a > mx) mx = a;
    if (a < mn) mn = a;
  };
  for (let j = 0; j < k; j++) {
    const b = L[j][j] as BlkDiagBlock | DenseBlock;
    if (b.kind === "blkdiag") {
      const S = b.S;
      for (let l = 0; l < b.nblk; l++) for (let s = 0; s < S; s++) see(b.data[l * S * S + s * S + s]);
    } else for (let s = 0; s < b.rows; s++) see(b.data[s * b.rows + s]);
  }
  const x = (L[k][k] as DenseBlock).data;
  for (let s = 0; s < p; s++) see(x[s * (p + 1) + s]);
  return mx / mn;
}

/** Result of one evaluation: `ok = false` when the factorisation failed (value is then NaN). */
export interface Evaluation {
  readonly ok: boolean;
  readonly value: number;
}

/** updateL + criterion (`working`: without the constant of the working scale, see `criterionFromL`). */
export function evaluate(
  model: LmmModel,
  theta: ArrayLike<number>,
  reml: boolean,
  working = false,
): Evaluation {
  if (!updateL(model, theta, true)) return { ok: false, value: Number.NaN };
  const value = criterionFromL(model, reml, working);
  return Number.isFinite(value) ? { ok: true, value } : { ok: false, value: Number.NaN };
}

/** The profiled objective at θ (NaN if the factorisation fails). */
export function objective(model: LmmModel, theta: ArrayLike<number>, reml: boolean): number {
  return evaluate(model, theta, reml).value;
}

// ---------------------------------------------------------------- step 1: copy, scale, inflate

function scaleInflate(
  dst: BlkDiagBlock | DenseBlock,
  src: BlkDiagBlock,
  t: InternalTerm,
  tmp: Float64Array,
): void {
  const S = t.S;
  const lam = t.lambda;
  const a = src.data;
  if (dst.kind === "blkdiag" && S === 1) {
    const l2 = lam[0] * lam[0];
    const d = dst.data;
    for (let l = 0; l < t.nl; l++) d[l] = a[l] * l2 + 1;
    return;
  }
  if (dst.kind === "blkdiag" && S === 2) {
    // λ = [p 0; q r]: λᵀ A λ + I written out (lower triangle and its mirror)
    const p = lam[0];
    const q = lam[1];
    const r = lam[3];
    const d = dst.data;
    for (let o = 0; o < 4 * t.nl; o += 4) {
      const a00 = a[o];
      const a10 = a[o + 1];
      const a11 = a[o + 3];
      const m10 = r * (a10 * p + a11 * q);
      d[o] = a00 * p * p + 2 * a10 * p * q + a11 * q * q + 1;
      d[o + 1] = m10;
      d[o + 2] = m10;
      d[o + 3] = a11 * r * r + 1;
    }
    return;
  }
  const SS = S * S;
  const out = dst.data;
  if (dst.kind === "dense") out.fill(0);
  const ld = dst.kind === "dense" ? dst.rows : S;
  for (let l = 0; l < t.nl; l++) {
    const o = l * SS;
    // tmp = A_l λ
    for (let c = 0; c < S; c++)
      for (let r = 0; r < S; r++) {
        let s = 0;
        for (let u = c; u < S; u++) s += a[o + u * S + r] * lam[c * S + u];
        tmp[c * S + r] = s;
      }
    const base = dst.kind === "dense" ? l * S * ld + l * S : o;
    // out = λᵀ tmp + I (lower triangle)
    for (let c = 0; c < S; c++)
      for (let r = c; r < S; r++) {
        let s = 0;
        for (let u = r; u < S; u++) s += lam[r * S + u] * tmp[c * S + u];
        out[base + c * ld + r] = s + (r === c ? 1 : 0);
      }
  }
}

function scaleOff(dst: BlockSparse | DenseBlock, src: BlockSparse, ti: InternalTerm, tj: InternalTerm): void {
  const Si = ti.S;
  const Sj = tj.S;
  const li = ti.lambda;
  const lj = tj.lambda;
  const a = src.data;
  const bs = Si * Sj;
  if (Si === 1 && Sj === 1) {
    const f = li[0] * lj[0];
    if (dst.kind === "sparse") {
      const d = dst.data;
      for (let x = 0; x < a.length; x++) d[x] = a[x] * f;
    } else {
      const d = dst.data;
      d.fill(0);
      const m = dst.rows;
      for (let c = 0; c < src.ncb; c++)
        for (let x = src.colptr[c]; x < src.colptr[c + 1]; x++) d[c * m + src.rowblk[x]] = a[x] * f;
    }
    return;
  }
  if (dst.kind === "dense") dst.data.fill(0);
  const d = dst.data;
  const m = dst.kind === "dense" ? dst.rows : Si;
  for (let cb = 0; cb < src.ncb; cb++)
    for (let x = src.colptr[cb]; x < src.colptr[cb + 1]; x++) {
      const o = x * bs;
      const base = dst.kind === "dense" ? cb * Sj * m + src.rowblk[x] * Si : o;
      // λ_iᵀ B λ_j
      for (let c = 0; c < Sj; c++)
        for (let r = 0; r < Si; r++) {
          let s = 0;
          for (let u = r; u < Si; u++) {
            const liv = li[r * Si + u];
            if (liv === 0) continue;
            let bl = 0;
            for (let v = c; v < Sj; v++) bl += a[o + v * Si + u] * lj[c * Sj + v];
            s += liv * bl;
          }
          d[base + c * m + r] = s;
        }
    }
}

function scaleXyRow(dst: DenseBlock, src: DenseBlock, t: InternalTerm): void {
  const S = t.S;
  const lam = t.lambda;
  const m = dst.rows;
  const a = src.data;
  const d = dst.data;
  if (S === 1) {
    const f = lam[0];
    for (let x = 0; x < a.length; x++) d[x] = a[x] * f;
    return;
  }
  if (S === 2) {
    // columns (c0, c0+1) of a level: [a0 a1] λ = [a0·p + a1·q, a1·r]
    const p = lam[0];
    const q = lam[1];
    const r = lam[3];
    for (let o0 = 0; o0 < 2 * m * t.nl; o0 += 2 * m) {
      const o1 = o0 + m;
      for (let x = 0; x < m; x++) {
        const a1 = a[o1 + x];
        d[o0 + x] = a[o0 + x] * p + a1 * q;
        d[o1 + x] = a1 * r;
      }
    }
    return;
  }
  for (let l = 0; l < t.nl; l++) {
    const c0 = l * S;
    for (let c = 0; c < S; c++) {
      const oc = (c0 + c) * m;
      for (let r = 0; r < m; r++) {
        let s = 0;
        for (let u = c; u < S; u++) s += a[(c0 + u) * m + r] * lam[c * S + u];
        d[oc + r] = s;
      }
    }
  }
}
