/**
 * Conditional covariances of the random effects by selected inversion of the blocked factor
 * (for models too large for the per-level solves of `condVarTerm`, e.g. InstEval).
 *
 * With the random-effects part of L split as [D 0; B T] (D = L[0][0], block diagonal over the
 * levels of the first, largest term; T = the trailing terms' blocks, dense or block diagonal),
 *   Σ = (L Lᵀ)⁻¹,  Σ_T = (T Tᵀ)⁻¹,  Σ_00[l] = D_l⁻ᵀ (I + B_lᵀ Σ_T B_l) D_l⁻¹,
 * where B_l is the column block of B for level l (sparse: the levels of the other factors that
 * co-occur with l). The trailing terms' blocks are diagonal blocks of Σ_T. Exact (no sampling or
 * approximation); cost O(q_T³) for Σ_T plus Σ_l nnz(B_l)² for the first term.
 */
import { type BlkDiagBlock, type Block, toDense } from "../linalg/block-types.ts";
import type { LmmModel } from "./lmm-model.ts";
import { updateL } from "./update-l.ts";

/** Largest trailing order q_T for which Σ_T (q_T² doubles) is formed. */
export const SELECTED_INVERSION_MAX_ORDER = 6000;

/** Order of the trailing part (all random-effects terms but the first, largest). */
export function trailingOrder(model: LmmModel): number {
  let q = 0;
  for (let j = 1; j < model.k; j++) q += model.terms[j].q;
  return q;
}

/**
 * Σ_u = (L Lᵀ)⁻¹ restricted to the per-level S×S diagonal blocks of every internal term j: an
 * array per term of length nl·S² (column-major S×S per level), in the spherical scale (multiply by
 * λ on both sides and σ² for the covariance of b). L must hold the canonical factor (updateL
 * without `objectiveOnly`).
 */
export function selectedInverseBlocks(model: LmmModel): Float64Array[] {
  const { k, terms, L } = model;
  const off: number[] = [];
  let qT = 0;
  for (let j = 1; j < k; j++) {
    off[j] = qT;
    qT += terms[j].q;
  }
  // T: the trailing part of L, dense lower triangular (column-major, leading dimension qT)
  const T = new Float64Array(qT * qT);
  for (let i = 1; i < k; i++) for (let m = 1; m <= i; m++) copyInto(T, qT, off[i], off[m], L[i][m], i === m);
  const W = lowerInverse(T, qT);
  const sigmaT = crossprodLower(W, qT);
  const out: Float64Array[] = [];
  // first term: Σ_00[l] = D⁻ᵀ (I + Bᵀ Σ_T B) D⁻¹
  const t0 = terms[0];
  const S = t0.S;
  const D = L[0][0] as BlkDiagBlock;
  const first = new Float64Array(t0.nl * S * S);
  const rows: number[] = [];
  const vals: number[][] = Array.from({ length: S }, () => []);
  const N = new Float64Array(S * S);
  const Dinv = new Float64Array(S * S);
  for (let l = 0; l < t0.nl; l++) {
    rows.length = 0;
    for (const v of vals) v.length = 0;
    for (let i = 1; i < k; i++) gatherColumns(L[i][0], l, S, off[i], rows, vals);
    // N = I + Bᵀ Σ_T B
    for (let a = 0; a < S; a++)
      for (let b = a; b < S; b++) {
        let s = 0;
        const va = vals[a];
        const vb = vals[b];
        for (let x = 0; x < rows.length; x++) {
          const ra = va[x];
          if (ra === 0) continue;
          const col = rows[x] * qT;
          let inner = 0;
          for (let y = 0; y < rows.length; y++) inner += sigmaT[col + rows[y]] * vb[y];
          s += ra * inner;
        }
        N[b * S + a] = N[a * S + b] = s + (a === b ? 1 : 0);
      }
    // D_l⁻¹ (lower triangular), then D⁻ᵀ N D⁻¹
    const o = l * S * S;
    Dinv.fill(0);
    for (let c = 0; c < S; c++) {
      Dinv[c * S + c] = 1 / D.data[o + c * S + c];
      for (let r = c + 1; r < S; r++) {
        let s = 0;
        for (let x = c; x < r; x++) s += D.data[o + x * S + r] * Dinv[c * S + x];
        Dinv[c * S + r] = -s / D.data[o + r * S + r];
      }
    }
    for (let a = 0; a < S; a++)
      for (let b = 0; b < S; b++) {
        let s = 0;
        for (let x = a; x < S; x++) {
          let inner = 0;
          for (let y = b; y < S; y++) inner += N[y * S + x] * Dinv[b * S + y];
          s += Dinv[a * S + x] * inner;
        }
        first[o + b * S + a] = s;
      }
  }
  out.push(first);
  // trailing terms: diagonal blocks of Σ_T
  for (let j = 1; j < k; j++) {
    const t = terms[j];
    const St = t.S;
    const blk = new Float64Array(t.nl * St * St);
    for (let l = 0; l < t.nl; l++) {
      const r0 = off[j] + l * St;
      for (let a = 0; a < St; a++)
        for (let b = 0; b < St; b++) blk[l * St * St + b * St + a] = sigmaT[(r0 + b) * qT + r0 + a];
    }
    out.push(blk);
  }
  return out;
}

/**
 * The conditional covariance of b per input term (`problem.reterms` order) and level, S×S nested
 * arrays, for a fit at `theta` (input θ) with residual SD `sigma`: refactors L at θ (mutating the
 * model's factor, which is all scratch after a fit), then selects. Null when q_T is too large or
 * the factorisation fails.
 */
export function condVarByInputTerm(
  model: LmmModel,
  theta: readonly number[],
  sigma: number,
): number[][][][] | null {
  if (trailingOrder(model) > SELECTED_INVERSION_MAX_ORDER) return null;
  if (model.L[0][0].kind !== "blkdiag") return null;
  if (!updateL(model, theta)) return null;
  const blocks = selectedInverseBlocks(model);
  const sigmaW = sigma / model.sigmaFactor;
  const out: number[][][][] = new Array(model.terms.length);
  model.terms.forEach((t, j) => {
    const S = t.S;
    const lam = t.lambda;
    const zf = Array.from(t.zScale, (m) => sigmaW * m);
    const su = blocks[j];
    const levels: number[][][] = [];
    for (let l = 0; l < t.nl; l++) {
      const o = l * S * S;
      // λ Σ_u λᵀ, then the column scales
      const m: number[][] = [];
      for (let a = 0; a < S; a++) {
        const row: number[] = [];
        for (let c = 0; c < S; c++) {
          let s = 0;
          for (let x = 0; x <= a; x++)
            for (let y = 0; y <= c; y++) s += lam[x * S + a] * su[o + y * S + x] * lam[y * S + c];
          row.push(zf[a] * zf[c] * s);
        }
        m.push(row);
      }
      levels.push(m);
    }
    out[t.input] = levels;
  });
  return out;
}

/** Copy block `b` into the dense qT×qT matrix at (r0, c0); only the lower triangle of a diagonal block. */
function copyInto(T: Float64Array, qT: number, r0: number, c0: number, b: Block, diagonal: boolean): void {
  const d = toDense(b);
  for (let c = 0; c < d.cols; c++)
    for (let r = diagonal ? c : 0; r < d.rows; r++) T[(c0 + c) * qT + r0 + r] = d.data[c * d.rows + r];
}

/** The column block of level l (S columns) of block `b` of L's first block column: rows and values. */
function gatherColumns(
  b: Block,
  l: number,
  S: number,
  rowOffset: number,
  rows: number[],
  vals: number[][],
): void {
  if (b.kind === "dense") {
    for (let r = 0; r < b.rows; r++) {
      rows.push(rowOffset + r);
      for (let s = 0; s < S; s++) vals[s].push(b.data[(l * S + s) * b.rows + r]);
    }
    return;
  }
  if (b.kind === "sparse") {
    const { Sr, Sc } = b;
    for (let q = b.colptr[l]; q < b.colptr[l + 1]; q++) {
      const r0 = rowOffset + b.rowblk[q] * Sr;
      for (let i = 0; i < Sr; i++) {
        rows.push(r0 + i);
        for (let s = 0; s < Sc; s++) vals[s].push(b.data[q * Sr * Sc + s * Sr + i]);
      }
    }
    return;
  }
  throw new Error("selected inversion: a block-diagonal block below the diagonal");
}

/** T⁻¹ of a dense lower-triangular n×n column-major T (column by column, forward substitution). */
function lowerInverse(T: Float64Array, n: number): Float64Array {
  const W = new Float64Array(n * n);
  for (let c = 0; c < n; c++) {
    const o = c * n;
    W[o + c] = 1;
    for (let j = c; j < n; j++) {
      const xj = W[o + j] / T[j * n + j];
      W[o + j] = xj;
      if (xj === 0) continue;
      const tj = j * n;
      for (let i = j + 1; i < n; i++) W[o + i] -= T[tj + i] * xj;
    }
  }
  return W;
}

/** Wᵀ W for a lower-triangular W (column-major), full symmetric result. */
function crossprodLower(W: Float64Array, n: number): Float64Array {
  const out = new Float64Array(n * n);
  for (let a = 0; a < n; a++) {
    const oa = a * n;
    for (let b = a; b < n; b++) {
      const ob = b * n;
      let s = 0;
      for (let r = b; r < n; r++) s += W[oa + r] * W[ob + r];
      out[ob + a] = s;
      out[oa + b] = s;
    }
  }
  return out;
}
