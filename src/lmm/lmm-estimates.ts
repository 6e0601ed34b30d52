/**
 * Estimates recovered from the factor L at θ̂ (algorithm.md §7): β̂, the spherical conditional
 * modes u, the random effects b = λu, vcov(β̂) and the conditional covariance of b per level.
 */
import type { BlkDiagBlock, BlockSparse, DenseBlock } from "../linalg/block-types.ts";
import { backSolveTransposed, forwardSolve } from "../linalg/dense-cholesky.ts";
import type { LmmModel } from "./lmm-model.ts";

/** β̂ from L_XXᵀ β = c_β (L must be current); written into `into` when given. */
export function fixefFromL(model: LmmModel, into?: Float64Array): Float64Array {
  const { p, k } = model;
  const m = p + 1;
  const x = (model.L[k][k] as DenseBlock).data;
  const beta = into ?? new Float64Array(p);
  for (let j = 0; j < p; j++) beta[j] = x[j * m + p];
  for (let j = p - 1; j >= 0; j--) {
    let s = beta[j];
    for (let i = j + 1; i < p; i++) s -= x[j * m + i] * beta[i];
    beta[j] = s / x[j * m + j];
  }
  return beta;
}

/**
 * Spherical conditional modes u per internal term (length q_j each); written into the arrays of
 * `into` when given (as this function returned them).
 */
export function sphericalModes(model: LmmModel, beta: Float64Array, into?: Float64Array[]): Float64Array[] {
  const { p, k, L, terms } = model;
  const m = p + 1;
  const v = terms.map((t, j) => {
    const d = (L[k][j] as DenseBlock).data;
    const out = into ? into[j] : new Float64Array(t.q);
    for (let c = 0; c < t.q; c++) {
      let s = d[c * m + p];
      for (let r = 0; r < p; r++) s -= d[c * m + r] * beta[r];
      out[c] = s;
    }
    return out;
  });
  const perm = model.permuted;
  if (perm.length > 1)
    throw new Error(
      "sphericalModes: L was factorised with several permuted blocks (objective-only); only the last one's factor is kept: factor canonically",
    );
  for (let i = k - 1; i >= 0; i--) {
    if (perm.length === 1 && perm[0] === i) solvePermutedTransposed(model, i, v[i]);
    else solveDiagTransposed(L[i][i] as BlkDiagBlock | DenseBlock, v[i]);
    for (let j = 0; j < i; j++) subtractTransposedProduct(L[i][j] as BlockSparse | DenseBlock, v[i], v[j]);
  }
  return v;
}

/**
 * x ← M⁻ᵀ x for a diagonal block j factorised by its plan: the factor is M = Pᵀ L̃ with L̃ the lower
 * factor of the permuted block (left in `fast.work`) and the blocks below j hold S·M⁻ᵀ (columns in
 * the plan's order), so x arrives in the plan's order: solve L̃ᵀ y = x, then x[order[c]] = y[c].
 */
function solvePermutedTransposed(model: LmmModel, j: number, x: Float64Array): void {
  const planned = model.fast.plans[j];
  if (!planned) throw new Error(`block ${j} has no plan`);
  const n = x.length;
  const y = Float64Array.from(x);
  backSolveTransposed(model.fast.work, n, y);
  const order = planned.plan.order;
  for (let c = 0; c < n; c++) x[order[c]] = y[c];
}

/** x ← D⁻ᵀ x for a factored diagonal block. */
export function solveDiagTransposed(D: BlkDiagBlock | DenseBlock, x: Float64Array): void {
  if (D.kind === "dense") {
    backSolveTransposed(D.data, D.rows, x);
    return;
  }
  const S = D.S;
  const SS = S * S;
  for (let l = 0; l < D.nblk; l++) {
    const o = l * SS;
    for (let j = S - 1; j >= 0; j--) {
      let s = x[l * S + j];
      for (let i = j + 1; i < S; i++) s -= D.data[o + j * S + i] * x[l * S + i];
      x[l * S + j] = s / D.data[o + j * S + j];
    }
  }
}

/** x ← D⁻¹ x for a factored diagonal block. */
export function solveDiag(D: BlkDiagBlock | DenseBlock, x: Float64Array): void {
  if (D.kind === "dense") {
    forwardSolve(D.data, D.rows, x);
    return;
  }
  const S = D.S;
  const SS = S * S;
  for (let l = 0; l < D.nblk; l++) {
    const o = l * SS;
    for (let j = 0; j < S; j++) {
      const xj = x[l * S + j] / D.data[o + j * S + j];
      x[l * S + j] = xj;
      for (let i = j + 1; i < S; i++) x[l * S + i] -= D.data[o + j * S + i] * xj;
    }
  }
}

/** y ← y − Bᵀ x. */
function subtractTransposedProduct(B: BlockSparse | DenseBlock, x: Float64Array, y: Float64Array): void {
  if (B.kind === "dense") {
    const r = B.rows;
    for (let c = 0; c < B.cols; c++) {
      let s = 0;
      for (let i = 0; i < r; i++) s += B.data[c * r + i] * x[i];
      y[c] -= s;
    }
    return;
  }
  const { Sr, Sc } = B;
  for (let cb = 0; cb < B.ncb; cb++)
    for (let t = 0; t < Sc; t++) {
      let s = 0;
      for (let q = B.colptr[cb]; q < B.colptr[cb + 1]; q++) {
        const o = q * Sr * Sc + t * Sr;
        const r0 = B.rowblk[q] * Sr;
        for (let i = 0; i < Sr; i++) s += B.data[o + i] * x[r0 + i];
      }
      y[cb * Sc + t] -= s;
    }
}

/** y ← y − B x. */
function subtractProduct(B: BlockSparse | DenseBlock, x: Float64Array, y: Float64Array): void {
  if (B.kind === "dense") {
    const r = B.rows;
    for (let c = 0; c < B.cols; c++) {
      const xc = x[c];
      if (xc === 0) continue;
      for (let i = 0; i < r; i++) y[i] -= B.data[c * r + i] * xc;
    }
    return;
  }
  const { Sr, Sc } = B;
  for (let cb = 0; cb < B.ncb; cb++)
    for (let t = 0; t < Sc; t++) {
      const xc = x[cb * Sc + t];
      if (xc === 0) continue;
      for (let q = B.colptr[cb]; q < B.colptr[cb + 1]; q++) {
        const o = q * Sr * Sc + t * Sr;
        const r0 = B.rowblk[q] * Sr;
        for (let i = 0; i < Sr; i++) y[r0 + i] -= B.data[o + i] * xc;
      }
    }
}

/** σ² (L_XX L_XXᵀ)⁻¹, p×p row-major nested arrays. */
export function vcovFromL(model: LmmModel, sigma: number): number[][] {
  const { p, k } = model;
  const m = p + 1;
  const x = (model.L[k][k] as DenseBlock).data;
  // Linv = L_XX⁻¹ (lower), column by column
  const inv = new Float64Array(p * p);
  for (let c = 0; c < p; c++) {
    const e = new Float64Array(p);
    e[c] = 1;
    for (let j = 0; j < p; j++) {
      const xj = e[j] / x[j * m + j];
      e[j] = xj;
      for (let i = j + 1; i < p; i++) e[i] -= x[j * m + i] * xj;
    }
    inv.set(e, c * p);
  }
  const s2 = sigma * sigma;
  const out: number[][] = [];
  for (let a = 0; a < p; a++) {
    const row: number[] = [];
    for (let b = 0; b < p; b++) {
      let s = 0;
      for (let r = 0; r < p; r++) s += inv[a * p + r] * inv[b * p + r];
      row.push(s2 * s);
    }
    out.push(row);
  }
  return out;
}

/**
 * Conditional covariance σ² λ E_lᵀ (L_ZZ L_ZZᵀ)⁻¹ E_l λᵀ of b for every level of internal term j,
 * S×S column-major per level (length nl·S²).
 */
export function condVarTerm(model: LmmModel, j: number, sigma: number): Float64Array {
  const { terms, L, k } = model;
  if (model.permuted.length > 0)
    throw new Error("condVarTerm needs the canonical factor (updateL without objectiveOnly)");
  const t = terms[j];
  const S = t.S;
  const lam = t.lambda;
  const out = new Float64Array(t.nl * S * S);
  const xs: Float64Array[][] = [];
  for (let s = 0; s < S; s++) xs.push(terms.map((tt) => new Float64Array(tt.q)));
  for (let l = 0; l < t.nl; l++) {
    for (let s = 0; s < S; s++) {
      const x = xs[s];
      for (let i = j; i < k; i++) x[i].fill(0);
      // column s of E_l λᵀ: entries λ[s, r] at rows l·S + r
      for (let r = 0; r < S; r++) x[j][l * S + r] = lam[r * S + s];
      for (let i = j; i < k; i++) {
        for (let mm = j; mm < i; mm++) subtractProduct(L[i][mm] as BlockSparse | DenseBlock, x[mm], x[i]);
        solveDiag(L[i][i] as BlkDiagBlock | DenseBlock, x[i]);
      }
    }
    for (let a = 0; a < S; a++)
      for (let b = 0; b < S; b++) {
        let s = 0;
        for (let i = j; i < k; i++) {
          const xa = xs[a][i];
          const xb = xs[b][i];
          for (let r = 0; r < xa.length; r++) s += xa[r] * xb[r];
        }
        out[l * S * S + b * S + a] = sigma * sigma * s;
      }
  }
  return out;
}
