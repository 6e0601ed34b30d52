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

/** Per-row constants of the η forms of the deviance residual (kind 1 binomial-logit, 2 Poisson-log). */
function rowConstants(y: Float64Array, kind: 1 | 2): Float64Array {
  const out = new Float64Array(y.length);
  for (let r = 0; r < y.length; r++) {
    const v = y[r];
    const ylogy = v > 0 ? v * Math.log(v) : 0;
    out[r] = kind === 1 ? ylogy + (v < 1 ? (1 - v) * Math.log(1 - v) : 0) : ylogy - v;
  }
  return out;
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
  // binomial-logit and Poisson-log: the deviance residual from η directly, with a per-row constant
  // c: 2w(c + log(1 + e^η) − yη), c = y log y + (1 − y) log(1 − y) (|η| ≤ 30, where the inverse
  // link does not clamp), and 2w(c − yη + e^η), c = y log y − y (η > −36, where e^η > ε); one exp
  // (and one log1p) per row and point instead of the inverse link's and the residual's
  const kind =
    fam.family === "binomial" && fam.link === "logit"
      ? 1
      : fam.family === "poisson" && fam.link === "log"
        ? 2
        : 0;
  const cst = kind === 0 ? null : rowConstants(y, kind);
  const grids = new Map<number, Grid>();
  const { z: z1, w: w1 } = gaussHermite(nAGQ);
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
    // the product grid as the outer axes 1..d−1 (a grid of nAGQ^(d−1) points) times the inner axis
    // 0: with M upper triangular, z_0 moves only u_0, and η by B[·, 0] z_0, so the outer point's
    // part of ‖u‖² and of η is computed once for its nAGQ inner nodes
    let grid = grids.get(d - 1);
    if (!grid) {
      grid = productGrid(nAGQ, d - 1);
      grids.set(d - 1, grid);
    }
    const e0 = d - 1;
    const etaOuter = new Float64Array(m);
    const b0 = new Float64Array(m);
    for (let q = 0; q < m; q++) b0[q] = B[q * d];
    let mult = 0;
    for (let p = 0; p < grid.size; p++) {
      const Wo = grid.w[p];
      if (Wo === 0) continue;
      const zo = p * e0; // outer coordinate a ≥ 1 is grid.z[zo + a − 1]
      let penOuter = 0;
      for (let a = 1; a < d; a++) {
        let v = u0[a];
        for (let c = a; c < d; c++) v += M[a * d + c] * grid.z[zo + c - 1];
        penOuter += v * v;
      }
      let uBase = u0[0];
      for (let c = 1; c < d; c++) uBase += M[c] * grid.z[zo + c - 1];
      for (let q = 0; q < m; q++) {
        let e = eta0[q];
        for (let a = 1; a < d; a++) e += B[q * d + a] * grid.z[zo + a - 1];
        etaOuter[q] = e;
      }
      for (let i = 0; i < nAGQ; i++) {
        const W = Wo * w1[i];
        if (W === 0) continue;
        const z0 = z1[i];
        const v = uBase + M[0] * z0;
        let devc = penOuter + v * v;
        for (let q = 0; q < m; q++) {
          const t = rows[q];
          const e = etaOuter[q] + b0[q] * z0;
          if (cst !== null && kind === 1 && e <= 30 && e >= -30)
            devc +=
              2 *
              prior[t] *
              (cst[t] + (e > 0 ? e + Math.log1p(Math.exp(-e)) : Math.log1p(Math.exp(e))) - y[t] * e);
          else if (cst !== null && kind === 2 && e > -36)
            devc += 2 * prior[t] * (cst[t] - y[t] * e + Math.exp(e));
          else devc += fam.devResid(y[t], fam.linkinv(e), prior[t]);
        }
        mult += W * Math.exp((grid.zz[p] + z0 * z0 + devc0 - devc) / 2);
      }
    }
    D += devc0 + 2 * logDet - 2 * Math.log(mult);
  }
  return D;
}
