/**
 * Tests of fixed effects with Satterthwaite's denominator degrees of freedom, as lmerTest:
 * t-tests of each coefficient (`summary(m)` of an lmerModLmerTest) and F-tests of a contrast
 * matrix L (`contestMD`): the F statistic of Lβ = 0 decomposed along the eigenvectors of L C Lᵀ,
 * each direction with its own Satterthwaite df, combined into the F test's df as lmerTest does
 * (Fai & Cornelius 1996).
 */
import type { LmmFit } from "../lmm/fit-lmm.ts";
import { symmetricEigen } from "../linalg/symmetric-eigen.ts";
import { pf, pt } from "../special/distributions.ts";
import { contrastDf, type VarparAnalysis, varparAnalysis } from "./varpar.ts";

/** One coefficient's test: estimate, standard error, df, t and two-sided p. */
export interface CoefTest {
  readonly name: string;
  readonly estimate: number;
  readonly stdError: number;
  readonly df: number;
  readonly tValue: number;
  readonly pValue: number;
}

/** t-tests of every fixed effect with Satterthwaite's df (lmerTest's summary table). */
export function satterthwaiteTests(fit: LmmFit): CoefTest[] {
  const v = varparAnalysis(fit);
  const p = fit.xnames.length;
  return fit.xnames.map((name, j) => {
    const l = new Float64Array(p);
    l[j] = 1;
    const { df } = contrastDf(v, l);
    const t = fit.beta[j] / fit.se[j];
    return {
      name,
      estimate: fit.beta[j],
      stdError: fit.se[j],
      df,
      tValue: t,
      pValue: 2 * pt(-Math.abs(t), df),
    };
  });
}

/** An F-test of Lβ = 0. */
export interface ContrastFTest {
  readonly numDF: number;
  readonly denDF: number;
  readonly F: number;
  readonly pValue: number;
  /**
   * Kenward–Roger only: the Wald F before the scaling λ (`F` is λ times it); lmerTest's Sum Sq
   * and Mean Sq are σ² times this one.
   */
  readonly unscaledF?: number;
}

/** lmerTest's combination of the per-direction df ν_m into the F statistic's df. */
function fStatDdf(nu: readonly number[]): number {
  if (nu.length === 1) return nu[0];
  let same = true;
  for (let i = 1; i < nu.length; i++) if (!(Math.abs(nu[i] - nu[i - 1]) < 1e-8)) same = false;
  if (same) return nu.reduce((a, b) => a + b, 0) / nu.length;
  if (nu.some((x) => x <= 2)) return 2;
  const E = nu.reduce((a, x) => a + x / (x - 2), 0);
  return (2 * E) / (E - nu.length);
}

/** F-test of Lβ = 0 (`rows` of L, each of length p) with Satterthwaite's df. */
export function contrastFTest(v: VarparAnalysis, rows: readonly Float64Array[]): ContrastFTest {
  const { p, C, beta } = v;
  const q0 = rows.length;
  // V = L C Lᵀ
  const VL = new Float64Array(q0 * q0);
  for (let a = 0; a < q0; a++)
    for (let b = 0; b <= a; b++) {
      let s = 0;
      for (let i = 0; i < p; i++) {
        if (rows[a][i] === 0) continue;
        let r = 0;
        for (let j = 0; j < p; j++) r += C[i * p + j] * rows[b][j];
        s += rows[a][i] * r;
      }
      VL[a * q0 + b] = s;
      VL[b * q0 + a] = s;
    }
  const eig = symmetricEigen(VL, q0);
  const dmax = Math.max(eig.values[0], 0);
  let q = 0;
  while (q < q0 && eig.values[q] > 1e-8 * dmax && eig.values[q] > 0) q++;
  let t2 = 0;
  const nu: number[] = [];
  for (let m = 0; m < q; m++) {
    // direction m of Pᵀ L
    const l = new Float64Array(p);
    for (let a = 0; a < q0; a++) {
      const w = eig.vectors[m * q0 + a];
      if (w !== 0) for (let i = 0; i < p; i++) l[i] += w * rows[a][i];
    }
    let lb = 0;
    for (let i = 0; i < p; i++) lb += l[i] * beta[i];
    t2 += (lb * lb) / eig.values[m];
    nu.push(contrastDf(v, l).df);
  }
  const F = t2 / q;
  const denDF = fStatDdf(nu);
  return { numDF: q, denDF, F, pValue: pf(F, q, denDF, false) };
}

/** F-test of Lβ = 0 for a fit (see {@link contrastFTest}). */
export function satterthwaiteFTest(fit: LmmFit, rows: readonly Float64Array[]): ContrastFTest {
  return contrastFTest(varparAnalysis(fit), rows);
}
