/**
 * Adaptive Gauss–Hermite quadrature of the GLMM likelihood for a single scalar random-effects term
 * (algorithm.md §9; lme4's rule): the integral factorises over the levels l of the grouping factor,
 * each centred at its conditional mode u0_l and scaled by sd_l = 1 / L_l (L[0][0] is diagonal):
 *
 *     devc0_l = u0_l² + Σ_{t in l} devresid_t(u0)
 *     mult_l  = Σ_k w_k exp((z_k² + devc0_l − devc_l(u0_l + z_k sd_l)) / 2)
 *     D_AGQ   = Σ_l devc0_l − 2 Σ_l (log mult_l + log sd_l)
 *
 * with the deviance residuals (relative to the saturated model), as lme4 computes it: −D_AGQ/2 is
 * lme4's reported logLik for nAGQ > 1, and adding the saturated log-likelihood gives the full one.
 */
import type { BlkDiagBlock } from "../linalg/block-types.ts";
import { gaussHermite } from "./gauss-hermite.ts";
import type { GlmmWork } from "./pirls.ts";

/** D_AGQ at the state PIRLS left (u = modes at θ, β; L factored there). */
export function agqDeviance(work: GlmmWork, theta: ArrayLike<number>, nAGQ: number): number {
  const { model, n, problem, prior, fixed, u } = work;
  const t = model.terms[0];
  const nl = t.nl;
  const L0 = model.L[0][0] as BlkDiagBlock;
  const lam = theta[t.thetaOffset];
  const z = problem.reterms[t.input].z;
  const refs = t.refs;
  const fam = problem.family;
  const y = problem.y;
  const { z: nodes, w: weights } = gaussHermite(nAGQ);
  const devc0 = new Float64Array(nl);
  const sd = new Float64Array(nl);
  for (let l = 0; l < nl; l++) {
    devc0[l] = u[l] * u[l];
    sd[l] = 1 / L0.data[l];
  }
  for (let r = 0; r < n; r++) devc0[refs[r]] += fam.devResid(y[r], work.mu[r], prior[r]);
  // binomial-logit: the deviance residual from η directly, 2w·(y log y + (1−y) log(1−y) + log(1 + e^η) − yη),
  // one exp and one log1p per row and node instead of the inverse link's exp and two logs
  // (|η| > 30, where the inverse link clamps μ, takes the general route)
  const ylogy = fam.family === "binomial" && fam.link === "logit" ? binomialEntropyTerms(work) : null;
  const mult = new Float64Array(nl);
  const devc = new Float64Array(nl);
  for (let k = 0; k < nodes.length; k++) {
    const zk = nodes[k];
    if (zk === 0) {
      for (let l = 0; l < nl; l++) mult[l] += weights[k];
      continue;
    }
    for (let l = 0; l < nl; l++) {
      const ul = u[l] + zk * sd[l];
      devc[l] = ul * ul;
    }
    for (let r = 0; r < n; r++) {
      const l = refs[r];
      const eta = fixed[r] + z[r] * lam * (u[l] + zk * sd[l]);
      devc[l] +=
        ylogy !== null && eta <= 30 && eta >= -30
          ? 2 * prior[r] * (ylogy[r] + softplus(eta) - y[r] * eta)
          : fam.devResid(y[r], fam.linkinv(eta), prior[r]);
    }
    for (let l = 0; l < nl; l++) mult[l] += weights[k] * Math.exp((zk * zk + devc0[l] - devc[l]) / 2);
  }
  let D = 0;
  for (let l = 0; l < nl; l++) D += devc0[l] - 2 * (Math.log(mult[l]) + Math.log(sd[l]));
  return D;
}

/** Largest number of quadrature points per level (nAGQ^S) of the extended mode. */
export const MAX_AGQ_GRID = 10_000;

/**
 * Extended mode (beyond lme4 and MixedModels.jl): adaptive Gauss–Hermite quadrature for a single
 * *vector-valued* random-effects term (S columns): per level l an S-dimensional product rule,
 * centred at the conditional mode u0_l and scaled by the level's S×S block L_l of the factor of
 * Λᵀ Zᵀ W Z Λ + I (u = u0_l + L_l⁻ᵀ z):
 *
 *     D_AGQ = Σ_l devc0_l + 2 Σ_l log|L_l| − 2 Σ_l log Σ_k W_k exp((‖z_k‖² + devc0_l − devc_l(u_k)) / 2)
 *
 * with W_k the product of the one-dimensional weights (nAGQ^S points per level). For S = 1 this is
 * `agqDeviance` (up to rounding). Same deviance-residual convention as lme4's scalar AGQ.
 */
export function agqDevianceVector(work: GlmmWork, theta: ArrayLike<number>, nAGQ: number): number {
  const { model, n, problem, prior, fixed, u } = work;
  const t = model.terms[0];
  const S = t.S;
  const SS = S * S;
  const nl = t.nl;
  const L0 = model.L[0][0] as BlkDiagBlock;
  const lam = new Float64Array(SS);
  for (let c = 0, o = t.thetaOffset; c < S; c++) for (let r = c; r < S; r++, o++) lam[c * S + r] = theta[o];
  const zmat = problem.reterms[t.input].z;
  const refs = t.refs;
  const fam = problem.family;
  const y = problem.y;
  const { z: nodes, w: weights } = gaussHermite(nAGQ);
  const devc0 = new Float64Array(nl);
  let logDet = 0;
  for (let l = 0; l < nl; l++) {
    let s = 0;
    for (let a = 0; a < S; a++) {
      s += u[l * S + a] * u[l * S + a];
      logDet += Math.log(L0.data[l * SS + a * S + a]);
    }
    devc0[l] = s;
  }
  for (let r = 0; r < n; r++) devc0[refs[r]] += fam.devResid(y[r], work.mu[r], prior[r]);
  const mult = new Float64Array(nl);
  const devc = new Float64Array(nl);
  const uk = new Float64Array(nl * S); // u at the current grid point, per level
  const bk = new Float64Array(nl * S); // λ u
  const idx = new Int32Array(S);
  const zk = new Float64Array(S);
  const npts = nAGQ ** S;
  for (let k = 0; k < npts; k++) {
    let W = 1;
    let zz = 0;
    for (let a = 0, rest = k; a < S; a++, rest = Math.floor(rest / nAGQ)) {
      idx[a] = rest % nAGQ;
      zk[a] = nodes[idx[a]];
      W *= weights[idx[a]];
      zz += zk[a] * zk[a];
    }
    if (W === 0) continue;
    for (let l = 0; l < nl; l++) {
      // δ = L_l⁻ᵀ z (back substitution with the lower-triangular block), u = u0 + δ
      const o = l * SS;
      for (let a = S - 1; a >= 0; a--) {
        let s = zk[a];
        // L[c][a] (row c, column a) times δ_c = uk_c − u0_c, already solved for c > a
        for (let c = a + 1; c < S; c++) s -= L0.data[o + a * S + c] * (uk[l * S + c] - u[l * S + c]);
        uk[l * S + a] = u[l * S + a] + s / L0.data[o + a * S + a];
      }
      let d = 0;
      for (let a = 0; a < S; a++) {
        d += uk[l * S + a] * uk[l * S + a];
        let s = 0;
        for (let c = 0; c <= a; c++) s += lam[c * S + a] * uk[l * S + c];
        bk[l * S + a] = s;
      }
      devc[l] = d;
    }
    for (let r = 0; r < n; r++) {
      const l = refs[r];
      let eta = fixed[r];
      for (let a = 0; a < S; a++) eta += zmat[r * S + a] * bk[l * S + a];
      devc[l] += fam.devResid(y[r], fam.linkinv(eta), prior[r]);
    }
    for (let l = 0; l < nl; l++) mult[l] += W * Math.exp((zz + devc0[l] - devc[l]) / 2);
  }
  let D = 2 * logDet;
  for (let l = 0; l < nl; l++) D += devc0[l] - 2 * Math.log(mult[l]);
  return D;
}

/** y log y + (1 − y) log(1 − y) per row of the response (0 log 0 = 0), computed once per fit. */
function binomialEntropyTerms(work: GlmmWork): Float64Array {
  const hit = entropyCache.get(work);
  if (hit) return hit;
  const y = work.problem.y;
  const out = new Float64Array(y.length);
  entropyCache.set(work, out);
  for (let r = 0; r < y.length; r++) {
    const v = y[r];
    out[r] = (v > 0 ? v * Math.log(v) : 0) + (v < 1 ? (1 - v) * Math.log(1 - v) : 0);
  }
  return out;
}

/** `binomialEntropyTerms` per fit (the response does not change during a fit). */
const entropyCache = new WeakMap<GlmmWork, Float64Array>();

/** log(1 + e^x) without overflow. */
function softplus(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}
