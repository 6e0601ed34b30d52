/**
 * Extended mode (beyond lme4 and MixedModels.jl): adaptive Gauss–Hermite quadrature for any
 * random-effects structure whose blocks of linked random effects are small (`re-components.ts`).
 * The likelihood factorises over the components c; for each one (d_c effects) a d_c-dimensional
 * product rule centred at the conditional modes u0_c and scaled by the Cholesky factor L_c of the
 * component's block of H = Λᵀ Zᵀ W Z Λ + I at the PIRLS working weights (u = u0_c + L_c⁻ᵀ z):
 *
 *     devc0_c = ‖u0_c‖² + Σ_{t in c} devresid_t(u0)
 *     D_AGQ   = Σ_c [ devc0_c + 2 log|L_c| − 2 log Σ_k W_k exp((‖z_k‖² + devc0_c − devc_c(u_k)) / 2) ]
 *
 * with W_k the product of the one-dimensional weights (nAGQ^d_c points). H is block diagonal over
 * the components (no observation links two), so L_c is the component's block of the factor the
 * engine holds, formed here densely from Z, Λ and the working weights. For a single scalar term
 * this is lme4's rule (`agqDeviance`), for a single vector term `agqDevianceVector`; nAGQ = 1
 * gives the Laplace approximation. Same deviance-residual convention as lme4's AGQ.
 */
import { gaussHermite } from "./gauss-hermite.ts";
import type { GlmmWork } from "./pirls.ts";
import type { ReComponents } from "./re-components.ts";

/** The product grid of nAGQ^d points: nodes (row-major, d per point), weights W_k and ‖z_k‖². */
interface Grid {
  readonly z: Float64Array;
  readonly w: Float64Array;
  readonly zz: Float64Array;
  readonly size: number;
}

function productGrid(nAGQ: number, d: number): Grid {
  const { z: nodes, w: weights } = gaussHermite(nAGQ);
  const size = nAGQ ** d;
  const z = new Float64Array(size * d);
  const w = new Float64Array(size);
  const zz = new Float64Array(size);
  for (let k = 0; k < size; k++) {
    let W = 1;
    let s = 0;
    for (let a = 0, rest = k; a < d; a++, rest = Math.floor(rest / nAGQ)) {
      const i = rest % nAGQ;
      const v = nodes[i];
      z[k * d + a] = v;
      W *= weights[i];
      s += v * v;
    }
    w[k] = W;
    zz[k] = s;
  }
  return { z, w, zz, size };
}

/** D_AGQ over the components at the state PIRLS left (u = modes at θ, β; working weights `wts`). */
export function agqDevianceComponents(
  work: GlmmWork,
  theta: ArrayLike<number>,
  nAGQ: number,
  comps: ReComponents,
): number {
  const { model, problem, prior, fixed, u, wts, mu, uOff } = work;
  const reterms = problem.reterms;
  const k = reterms.length;
  const fam = problem.family;
  const y = problem.y;
  // per input term: S, its offset in u (engine order) and λ (S×S lower, column-major)
  const S = reterms.map((rt) => rt.cnames.length);
  const uBase = new Int32Array(k);
  model.terms.forEach((t, j) => {
    uBase[t.input] = uOff[j];
  });
  const lam: Float64Array[] = [];
  for (let i = 0, o = 0; i < k; i++) {
    const s = S[i];
    const m = new Float64Array(s * s);
    for (let c = 0; c < s; c++) for (let r = c; r < s; r++, o++) m[c * s + r] = theta[o];
    lam.push(m);
  }
  const grids = new Map<number, Grid>();
  let D = 0;
  for (const comp of comps.components) {
    const d = comp.dim;
    const rows = comp.rows;
    const m = rows.length;
    // A = Z Λ restricted to the component (m × d, dense, row-major)
    const A = new Float64Array(m * d);
    for (let q = 0; q < m; q++) {
      const t = rows[q];
      for (let i = 0; i < k; i++) {
        const s = S[i];
        const z = reterms[i].z;
        const L = lam[i];
        const off = comps.localOffset[i][reterms[i].refs[t]];
        for (let c = 0; c < s; c++) {
          let v = 0;
          for (let a = c; a < s; a++) v += z[t * s + a] * L[c * s + a];
          A[q * d + off + c] += v;
        }
      }
    }
    // H = Aᵀ W A + I and its lower Cholesky factor (in place, row-major lower triangle)
    const H = new Float64Array(d * d);
    for (let q = 0; q < m; q++) {
      const w = wts[rows[q]];
      const o = q * d;
      for (let a = 0; a < d; a++) {
        const va = A[o + a];
        if (va === 0) continue;
        for (let b = 0; b <= a; b++) H[a * d + b] += w * va * A[o + b];
      }
    }
    let logDet = 0;
    for (let a = 0; a < d; a++) {
      H[a * d + a] += 1;
      for (let b = 0; b <= a; b++) {
        let s = H[a * d + b];
        for (let c = 0; c < b; c++) s -= H[a * d + c] * H[b * d + c];
        if (a === b) {
          const r = Math.sqrt(s);
          H[a * d + a] = r;
          logDet += Math.log(r);
        } else H[a * d + b] = s / H[b * d + b];
      }
    }
    // M = L⁻ᵀ (upper triangular; column a solves Lᵀ x = e_a), B = A M
    const M = new Float64Array(d * d);
    for (let a = 0; a < d; a++)
      for (let r = a; r >= 0; r--) {
        let s = r === a ? 1 : 0;
        for (let c = r + 1; c <= a; c++) s -= H[c * d + r] * M[c * d + a];
        M[r * d + a] = s / H[r * d + r];
      }
    const B = new Float64Array(m * d);
    for (let q = 0; q < m; q++)
      for (let a = 0; a < d; a++) {
        let s = 0;
        for (let c = 0; c <= a; c++) s += A[q * d + c] * M[c * d + a];
        B[q * d + a] = s;
      }
    // the modes, η at the modes, and devc0
    const u0 = new Float64Array(d);
    for (let j = 0; j < comp.levels.length; j++) {
      const i = comp.terms[j];
      const l = comp.levels[j];
      const off = comps.localOffset[i][l];
      for (let c = 0; c < S[i]; c++) u0[off + c] = u[uBase[i] + l * S[i] + c];
    }
    let devc0 = 0;
    for (let a = 0; a < d; a++) devc0 += u0[a] * u0[a];
    const eta0 = new Float64Array(m);
    for (let q = 0; q < m; q++) {
      const t = rows[q];
      let e = fixed[t];
      for (let a = 0; a < d; a++) e += A[q * d + a] * u0[a];
      eta0[q] = e;
      devc0 += fam.devResid(y[t], mu[t], prior[t]);
    }
    let grid = grids.get(d);
    if (!grid) {
      grid = productGrid(nAGQ, d);
      grids.set(d, grid);
    }
    let mult = 0;
    for (let p = 0; p < grid.size; p++) {
      const W = grid.w[p];
      if (W === 0) continue;
      const zo = p * d;
      let devc = 0;
      for (let a = 0; a < d; a++) {
        let s = u0[a];
        for (let c = a; c < d; c++) s += M[a * d + c] * grid.z[zo + c];
        devc += s * s;
      }
      for (let q = 0; q < m; q++) {
        const t = rows[q];
        let e = eta0[q];
        for (let a = 0; a < d; a++) e += B[q * d + a] * grid.z[zo + a];
        devc += fam.devResid(y[t], fam.linkinv(e), prior[t]);
      }
      mult += W * Math.exp((grid.zz[p] + devc0 - devc) / 2);
    }
    D += devc0 + 2 * logDet - 2 * Math.log(mult);
  }
  return D;
}
