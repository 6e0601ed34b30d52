/**
 * Kenward–Roger tests of fixed effects, as lmerTest with `ddf = "Kenward-Roger"` (which calls
 * pbkrtest):
 * - t-tests (`summary(m, ddf = "Kenward-Roger")`): the standard error from the adjusted covariance
 *   Φ_A (pbkrtest's `vcovAdj`), the df from pbkrtest's `Lb_ddf` (computed from the unadjusted Φ,
 *   the P_i and W), t = estimate / adjusted SE;
 * - F-tests of Lβ = 0 (`anova(m, ddf = "Kenward-Roger")`, lmerTest's `contestMD` through
 *   pbkrtest's `KRmodcomp`): the Wald statistic with Φ_A divided by q = rank(L), multiplied by
 *   Kenward and Roger's scaling λ; the p-value of the scaled statistic on (q, m) df. lmerTest's
 *   Sum Sq and Mean Sq use the statistic before scaling (`unscaledF`).
 *
 * The adjustment itself is in kenward-roger-adjustment.ts. Only REML fits are accepted, as lmerTest
 * (it stops with "Kenward-Roger's method is only available for REML model fits").
 */
import { SpecError } from "../errors.ts";
import { choleskyInPlace } from "../linalg/dense-cholesky.ts";
import type { LmmFit } from "../lmm/fit-lmm.ts";
import { pf, pt } from "../special/distributions.ts";
import { type KenwardRogerAdjustment, kenwardRogerAdjustment } from "./kenward-roger-adjustment.ts";
import type { CoefTest, ContrastFTest } from "./satterthwaite.ts";

/** Kenward–Roger's df and F scaling for the hypothesis Lβ = 0 (pbkrtest's formulas). */
export interface KenwardRogerDdf {
  /** Number of rows of L (its rank). */
  readonly q: number;
  /** The denominator df m. */
  readonly df: number;
  /** The F scaling λ (1 when m is within 0.01 of 2, as pbkrtest). */
  readonly scaling: number;
  readonly A1: number;
  readonly A2: number;
}

/** L·M·Lᵀ for the q×p rows of L and a p×p row-major M. */
function sandwich(rows: readonly ArrayLike<number>[], M: Float64Array, p: number): Float64Array {
  const q = rows.length;
  const ML = rows.map((l) => {
    const v = new Float64Array(p);
    for (let a = 0; a < p; a++) {
      let s = 0;
      for (let b = 0; b < p; b++) s += M[a * p + b] * l[b];
      v[a] = s;
    }
    return v;
  });
  const out = new Float64Array(q * q);
  for (let i = 0; i < q; i++)
    for (let j = 0; j < q; j++) {
      let s = 0;
      for (let a = 0; a < p; a++) s += rows[i][a] * ML[j][a];
      out[i * q + j] = s;
    }
  return out;
}

/** Inverse of a small symmetric positive-definite matrix, or null if it is not positive definite. */
function inverseSpd(S: Float64Array, q: number): Float64Array | null {
  const L = Float64Array.from(S);
  if (choleskyInPlace(L, q) !== -1) return null;
  // column-major lower L (the row-major input is symmetric)
  const inv = new Float64Array(q * q);
  for (let j = 0; j < q; j++) {
    const e = new Float64Array(q);
    e[j] = 1;
    for (let c = 0; c < q; c++) {
      e[c] /= L[c * q + c];
      for (let r = c + 1; r < q; r++) e[r] -= L[c * q + r] * e[c];
    }
    for (let c = q - 1; c >= 0; c--) {
      let s = e[c];
      for (let r = c + 1; r < q; r++) s -= L[c * q + r] * e[r];
      e[c] = s / L[c * q + c];
    }
    for (let i = 0; i < q; i++) inv[i * q + j] = e[i];
  }
  return inv;
}

function mulSmall(A: Float64Array, B: Float64Array, q: number): Float64Array {
  const C = new Float64Array(q * q);
  for (let i = 0; i < q; i++)
    for (let k = 0; k < q; k++) {
      const a = A[i * q + k];
      for (let j = 0; j < q; j++) C[i * q + j] += a * B[k * q + j];
    }
  return C;
}

function checkRows(rows: readonly ArrayLike<number>[], p: number): void {
  for (const l of rows)
    if (l.length !== p)
      throw new SpecError(
        "E_SPEC_UNSUPPORTED",
        `each row of the contrast matrix needs ${p} entries, one per fixed effect`,
      );
}

function notFullRank(): never {
  throw new SpecError(
    "E_SPEC_UNSUPPORTED",
    "the contrast matrix L is not of full row rank, so L Φ Lᵀ cannot be inverted for the Kenward-Roger test",
    "drop the linearly dependent rows of L",
  );
}

/** Kenward–Roger's denominator df (and F scaling) for Lβ = 0, from Φ, the P_i and W. */
export function kenwardRogerDdf(
  adj: KenwardRogerAdjustment,
  rows: readonly ArrayLike<number>[],
): KenwardRogerDdf {
  const { p, d, Phi, PhiPPhi, W } = adj;
  checkRows(rows, p);
  const q = rows.length;
  const Sinv = inverseSpd(sandwich(rows, Phi, p), q);
  if (!Sinv) notFullRank();
  // D_i = (LΦLᵀ)⁻¹ LΦP_iΦLᵀ: tr(D_i) = tr(ΘΦP_iΦ), tr(D_iD_j) = tr(ΘΦP_iΦΘΦP_jΦ)
  const D = PhiPPhi.map((M) => mulSmall(Sinv, sandwich(rows, M, p), q));
  const tr = D.map((Di) => {
    let s = 0;
    for (let i = 0; i < q; i++) s += Di[i * q + i];
    return s;
  });
  let A1 = 0;
  let A2 = 0;
  for (let i = 0; i < d; i++)
    for (let j = 0; j < d; j++) {
      const w = W[i * d + j];
      if (w === 0) continue;
      A1 += w * tr[i] * tr[j];
      let s = 0;
      for (let a = 0; a < q; a++) for (let b = 0; b < q; b++) s += D[i][a * q + b] * D[j][b * q + a];
      A2 += w * s;
    }
  const B = (A1 + 6 * A2) / (2 * q);
  const g = ((q + 1) * A1 - (q + 4) * A2) / ((q + 2) * A2);
  const den = 3 * q + 2 * (1 - g);
  const c1 = g / den;
  const c2 = (q - g) / den;
  const c3 = (q + 2 - g) / den;
  let V0 = 1 + c1 * B;
  const V1 = 1 - c2 * B;
  const V2 = 1 - c3 * B;
  if (Math.abs(V0) < 1e-10) V0 = 0;
  const x = 1 - A2 / q;
  const ratio = Math.abs(x) < 1e-14 && Math.abs(V1) < 1e-14 ? 1 : x / V1;
  const rho = ((ratio * ratio) / q) * (V0 / V2);
  const df = 4 + (q + 2) / (q * rho - 1);
  const scaling = Math.abs(df - 2) < 0.01 ? 1 : (df * x) / (df - 2);
  return { q, df, scaling, A1, A2 };
}

/** t-tests of every coefficient from an adjustment (`names` of the p coefficients). */
export function kenwardRogerCoefTable(adj: KenwardRogerAdjustment, names: readonly string[]): CoefTest[] {
  const { p, beta, PhiA } = adj;
  return names.map((name, j) => {
    const l = new Float64Array(p);
    l[j] = 1;
    const { df } = kenwardRogerDdf(adj, [l]);
    const se = Math.sqrt(PhiA[j * p + j]);
    const t = beta[j] / se;
    return { name, estimate: beta[j], stdError: se, df, tValue: t, pValue: 2 * pt(-Math.abs(t), df) };
  });
}

/** F-test of Lβ = 0 from an adjustment. */
export function kenwardRogerContrastTest(
  adj: KenwardRogerAdjustment,
  rows: readonly ArrayLike<number>[],
): ContrastFTest {
  const { p, beta, PhiA } = adj;
  const { q, df, scaling } = kenwardRogerDdf(adj, rows);
  const Vinv = inverseSpd(sandwich(rows, PhiA, p), q);
  if (!Vinv) notFullRank();
  const lb = rows.map((l) => {
    let s = 0;
    for (let a = 0; a < p; a++) s += l[a] * beta[a];
    return s;
  });
  let wald = 0;
  for (let i = 0; i < q; i++) for (let j = 0; j < q; j++) wald += lb[i] * Vinv[i * q + j] * lb[j];
  const unscaledF = wald / q;
  const F = scaling * unscaledF;
  return { numDF: q, denDF: df, F, pValue: pf(F, q, df, false), unscaledF };
}

/** t-tests of every fixed effect with the Kenward–Roger adjusted covariance and df. */
export function kenwardRogerTests(fit: LmmFit): CoefTest[] {
  return kenwardRogerCoefTable(kenwardRogerAdjustment(fit), fit.xnames);
}

/** F-test of Lβ = 0 with the Kenward–Roger adjusted covariance, scaling and df. */
export function kenwardRogerFTest(fit: LmmFit, rows: readonly Float64Array[]): ContrastFTest {
  return kenwardRogerContrastTest(kenwardRogerAdjustment(fit), rows);
}
