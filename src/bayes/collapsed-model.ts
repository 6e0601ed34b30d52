/**
 * The collapsed Bayesian Gaussian LMM (method `collapsed`): the random effects are integrated out
 * exactly and the sampler sees only the hyper-parameters (β, SDs, partial correlations, σ; see
 * `hyper-parameters.ts`). Supported: ONE grouping factor, with any number of terms on it (vector
 * terms, `(x || g)`); several grouping factors (crossed, nested) are refused with
 * E_BAYES_UNSUPPORTED (use `nuts-full`).
 *
 * With T the K×K block-diagonal factor of the random-effect covariance (T = diag(τ) L per term)
 * and, per level j, A_j = Z_jᵀZ_j, r_j = y_j − X_jβ, s_j = Z_jᵀr_j, w_j = Tᵀs_j,
 * M_j = I + TᵀA_jT/σ² (K×K), m_j = M_j⁻¹w_j:
 *
 *   log p(y | β, T, σ) = −N log σ − ½ Σ_j log|M_j| − |r|²/(2σ²) + Σ_j w_jᵀm_j/(2σ⁴)   (+ const)
 *
 * (Woodbury on y_j ~ N(X_jβ, σ²I + Z_jTTᵀZ_jᵀ)). The data enter only through per-level sufficient
 * statistics computed once (A_j, Z_jᵀX_j, Z_jᵀỹ_j and global XᵀX, Xᵀỹ, |ỹ|², with ỹ = y − Xβ̂ the
 * least-squares residual, for accuracy), so an evaluation costs O(J(K³ + K²p) + p²), independent
 * of N. Gradient in closed form (u = σ²):
 *   ∂/∂T = Σ_j −A_jTP_j/u + (s_j − A_jTm_j/u) m_jᵀ/u²,  P_j = M_j⁻¹
 *   ∂/∂β = Xᵀr/u − Σ_j (Z_jᵀX_j)ᵀ T m_j / u²
 *   ∂/∂u = −N/(2u) + |r|²/(2u²) + Σ_j (K − tr P_j)/(2u) − (w_jᵀm_j + |m_j|²)/(2u³)
 *
 * `constrain` draws the random effects exactly from their conditional: per level
 * v_j = m_j/u + R_j⁻ᵀξ (M_j = R_jR_jᵀ, ξ ~ N(0, I) from the supplied stream), b_j = T v_j.
 */
import { SpecError } from "../errors.ts";
import { type BayesDesign, hyperOutputNames, ranefOutputNames, writeHyperOutputs } from "./bayes-design.ts";
import { HyperParameters } from "./hyper-parameters.ts";
import type { BayesModel } from "./log-density.ts";
import type { ResolvedPriors } from "./priors.ts";

export interface CollapsedModelOptions {
  /** As `FullModelOptions.start`: β, SD per term column, σ for data-driven starting points. */
  readonly start?: {
    readonly beta: ArrayLike<number>;
    readonly sd: ArrayLike<number>;
    readonly sigma: number;
  };
}

export interface CollapsedModel extends BayesModel {
  /** The log marginal likelihood log p(y | β, T, σ) alone at q (constant −N/2 log 2π included), for tests. */
  logMarginalLikelihood(q: Float64Array): number;
}

/** Lower Cholesky of the K×K row-major SPD matrix `A` into `R`; false if not positive definite. */
function cholesky(A: Float64Array, R: Float64Array, K: number): boolean {
  for (let j = 0; j < K; j++) {
    let d = A[j * K + j];
    for (let k = 0; k < j; k++) d -= R[j * K + k] * R[j * K + k];
    if (!(d > 0)) return false;
    const rjj = Math.sqrt(d);
    R[j * K + j] = rjj;
    for (let i = j + 1; i < K; i++) {
      let s = A[i * K + j];
      for (let k = 0; k < j; k++) s -= R[i * K + k] * R[j * K + k];
      R[i * K + j] = s / rjj;
    }
    for (let i = 0; i < j; i++) R[i * K + j] = 0;
  }
  return true;
}

export function createCollapsedModel(
  bd: BayesDesign,
  priors: ResolvedPriors,
  opts: CollapsedModelOptions = {},
): CollapsedModel {
  if (bd.factors.length !== 1) {
    throw new SpecError(
      "E_BAYES_UNSUPPORTED",
      `the collapsed sampler handles one grouping factor; this model has ${bd.factors.length} (${bd.factors.map((f) => f.name).join(", ")})`,
      "use method nuts-full for crossed or nested random effects",
    );
  }
  const hyper = new HyperParameters(bd.xnames, bd.terms, priors);
  const { n, p, X, y } = bd;
  const factor = bd.factors[0];
  const K = factor.K;
  const J = factor.levels.length;
  const terms = bd.terms;
  const blockOff: number[] = [];
  {
    let o = 0;
    for (const ti of factor.terms) {
      blockOff[ti] = o;
      o += terms[ti].S;
    }
  }
  // least-squares β̂ (centring point of the sufficient statistics)
  const XtX = new Float64Array(p * p);
  const Xty = new Float64Array(p);
  for (let a = 0; a < p; a++) {
    for (let b = 0; b <= a; b++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += X[a * n + i] * X[b * n + i];
      XtX[a * p + b] = s;
      XtX[b * p + a] = s;
    }
    let s = 0;
    for (let i = 0; i < n; i++) s += X[a * n + i] * y[i];
    Xty[a] = s;
  }
  const betaHat = new Float64Array(p);
  if (p > 0) {
    const R = new Float64Array(p * p);
    if (cholesky(XtX, R, p)) {
      const t = new Float64Array(p);
      for (let i = 0; i < p; i++) {
        let s = Xty[i];
        for (let k = 0; k < i; k++) s -= R[i * p + k] * t[k];
        t[i] = s / R[i * p + i];
      }
      for (let i = p - 1; i >= 0; i--) {
        let s = t[i];
        for (let k = i + 1; k < p; k++) s -= R[k * p + i] * betaHat[k];
        betaHat[i] = s / R[i * p + i];
      }
    }
  }
  const yt = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = y[i];
    for (let a = 0; a < p; a++) s -= X[a * n + i] * betaHat[a];
    yt[i] = s;
  }
  let rss0 = 0;
  for (let i = 0; i < n; i++) rss0 += yt[i] * yt[i];
  const Xyt = new Float64Array(p);
  for (let a = 0; a < p; a++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += X[a * n + i] * yt[i];
    Xyt[a] = s;
  }
  // per-level statistics
  const AA = new Float64Array(J * K * K);
  const CC = new Float64Array(J * K * p);
  const ZY = new Float64Array(J * K);
  const zrow = new Float64Array(K);
  const refs = terms[factor.terms[0]].refs;
  for (let i = 0; i < n; i++) {
    for (const ti of factor.terms) {
      const t = terms[ti];
      for (let c = 0; c < t.S; c++) zrow[blockOff[ti] + c] = t.z[i * t.S + c];
    }
    const l = refs[i];
    const Ab = l * K * K;
    for (let a = 0; a < K; a++) {
      const za = zrow[a];
      if (za === 0) continue;
      for (let b = 0; b < K; b++) AA[Ab + a * K + b] += za * zrow[b];
      for (let c = 0; c < p; c++) CC[(l * K + a) * p + c] += za * X[c * n + i];
      ZY[l * K + a] += za * yt[i];
    }
  }

  // scratch
  const T = new Float64Array(K * K);
  const gT = new Float64Array(K * K);
  const delta = new Float64Array(p);
  const Xr = new Float64Array(p);
  const s = new Float64Array(K);
  const w = new Float64Array(K);
  const m = new Float64Array(K);
  const Tm = new Float64Array(K);
  const Bm = new Float64Array(K);
  const B = new Float64Array(K * K);
  const M = new Float64Array(K * K);
  const Rc = new Float64Array(K * K);
  const Ri = new Float64Array(K * K);
  const P = new Float64Array(K * K);
  const tmp = new Float64Array(K);

  function fillT(): void {
    T.fill(0);
    for (const ti of factor.terms) {
      const st = hyper.terms[ti];
      const S = st.S;
      const o = blockOff[ti];
      for (let i = 0; i < S; i++)
        for (let c = 0; c <= i; c++) T[(o + i) * K + o + c] = st.tau[i] * st.L[i * S + c];
    }
  }

  /**
   * Per-level factorisation for level l: s, w, B = A T, M, Rc, m (and P when `wantP`).
   * Returns log|M| or NaN when M is not positive definite.
   */
  function level(l: number, u: number, wantP: boolean): number {
    const Ab = l * K * K;
    for (let a = 0; a < K; a++) {
      let v = ZY[l * K + a];
      const cb = (l * K + a) * p;
      for (let c = 0; c < p; c++) v -= CC[cb + c] * delta[c];
      s[a] = v;
    }
    // w = Tᵀ s
    for (let c = 0; c < K; c++) {
      let v = 0;
      for (let i = c; i < K; i++) v += T[i * K + c] * s[i];
      w[c] = v;
    }
    // B = A T
    for (let a = 0; a < K; a++)
      for (let c = 0; c < K; c++) {
        let v = 0;
        for (let i = c; i < K; i++) v += AA[Ab + a * K + i] * T[i * K + c];
        B[a * K + c] = v;
      }
    // M = I + Tᵀ B / u
    for (let a = 0; a < K; a++)
      for (let c = 0; c <= a; c++) {
        let v = 0;
        for (let i = a; i < K; i++) v += T[i * K + a] * B[i * K + c];
        v /= u;
        if (a === c) v += 1;
        M[a * K + c] = v;
        M[c * K + a] = v;
      }
    if (!cholesky(M, Rc, K)) return Number.NaN;
    let logdet = 0;
    for (let a = 0; a < K; a++) logdet += 2 * Math.log(Rc[a * K + a]);
    // m = M⁻¹ w
    for (let a = 0; a < K; a++) {
      let v = w[a];
      for (let k = 0; k < a; k++) v -= Rc[a * K + k] * tmp[k];
      tmp[a] = v / Rc[a * K + a];
    }
    for (let a = K - 1; a >= 0; a--) {
      let v = tmp[a];
      for (let k = a + 1; k < K; k++) v -= Rc[k * K + a] * m[k];
      m[a] = v / Rc[a * K + a];
    }
    if (wantP) {
      // Ri = Rc⁻¹ (lower), P = Riᵀ Ri
      Ri.fill(0);
      for (let c = 0; c < K; c++) {
        Ri[c * K + c] = 1 / Rc[c * K + c];
        for (let a = c + 1; a < K; a++) {
          let v = 0;
          for (let k = c; k < a; k++) v -= Rc[a * K + k] * Ri[k * K + c];
          Ri[a * K + c] = v / Rc[a * K + a];
        }
      }
      for (let a = 0; a < K; a++)
        for (let c = 0; c <= a; c++) {
          let v = 0;
          for (let k = a; k < K; k++) v += Ri[k * K + a] * Ri[k * K + c];
          P[a * K + c] = v;
          P[c * K + a] = v;
        }
    }
    return logdet;
  }

  /** |r|² and Xᵀr (into Xr) for the current β (delta = β − β̂). */
  function residualNorm(): number {
    let R = rss0;
    for (let a = 0; a < p; a++) {
      let v = Xyt[a];
      for (let b = 0; b < p; b++) v -= XtX[a * p + b] * delta[b];
      Xr[a] = v;
      R -= delta[a] * (Xyt[a] + v);
    }
    return R;
  }

  function logDensityGradient(q: Float64Array, grad: Float64Array): number {
    let lp = hyper.forward(q);
    fillT();
    for (let a = 0; a < p; a++) delta[a] = hyper.beta[a] - betaHat[a];
    const sigma = hyper.sigma;
    const u = sigma * sigma;
    const R = residualNorm();
    let ll = -n * Math.log(sigma) - R / (2 * u);
    let du = -n / (2 * u) + R / (2 * u * u);
    for (let a = 0; a < p; a++) hyper.gBeta[a] = Xr[a] / u;
    gT.fill(0);
    const u2 = u * u;
    for (let l = 0; l < J; l++) {
      const logdet = level(l, u, true);
      if (Number.isNaN(logdet)) return Number.NEGATIVE_INFINITY;
      let Q = 0;
      let mm = 0;
      let trP = 0;
      for (let a = 0; a < K; a++) {
        Q += w[a] * m[a];
        mm += m[a] * m[a];
        trP += P[a * K + a];
      }
      ll += -0.5 * logdet + Q / (2 * u2);
      du += (K - trP) / (2 * u) - (Q + mm) / (2 * u2 * u);
      // Tm, Bm
      for (let a = 0; a < K; a++) {
        let v = 0;
        for (let c = 0; c <= a; c++) v += T[a * K + c] * m[c];
        Tm[a] = v;
        let b = 0;
        for (let c = 0; c < K; c++) b += B[a * K + c] * m[c];
        Bm[a] = b;
      }
      // ∂/∂T (lower part): −(B P)[i][c]/u + (s_i − Bm_i/u) m_c / u²
      for (let i = 0; i < K; i++) {
        const r = (s[i] - Bm[i] / u) / u2;
        for (let c = 0; c <= i; c++) {
          let bp = 0;
          for (let k = 0; k < K; k++) bp += B[i * K + k] * P[k * K + c];
          gT[i * K + c] += -bp / u + r * m[c];
        }
      }
      // ∂/∂β −= (Z_jᵀX_j)ᵀ T m / u²
      const cb = l * K * p;
      for (let a = 0; a < K; a++) {
        const v = Tm[a] / u2;
        if (v === 0) continue;
        for (let c = 0; c < p; c++) hyper.gBeta[c] -= CC[cb + a * p + c] * v;
      }
    }
    lp += ll;
    hyper.gSigma = du * 2 * sigma;
    for (const ti of factor.terms) {
      const st = hyper.terms[ti];
      const S = st.S;
      const o = blockOff[ti];
      for (let i = 0; i < S; i++)
        for (let c = 0; c <= i; c++) {
          const g = gT[(o + i) * K + o + c];
          st.gTau[i] += g * st.L[i * S + c];
          st.gL[i * S + c] += g * st.tau[i];
        }
    }
    hyper.backward(q, grad);
    return Number.isFinite(lp) ? lp : Number.NEGATIVE_INFINITY;
  }

  function logMarginalLikelihood(q: Float64Array): number {
    hyper.forward(q);
    fillT();
    for (let a = 0; a < p; a++) delta[a] = hyper.beta[a] - betaHat[a];
    const u = hyper.sigma * hyper.sigma;
    const R = residualNorm();
    let ll = -0.5 * n * Math.log(2 * Math.PI * u) - R / (2 * u);
    for (let l = 0; l < J; l++) {
      const logdet = level(l, u, false);
      let Q = 0;
      for (let a = 0; a < K; a++) Q += w[a] * m[a];
      ll += -0.5 * logdet + Q / (2 * u * u);
    }
    return ll;
  }

  const outputNames = [...hyperOutputNames(bd), ...ranefOutputNames(bd, factor)];

  function constrain(q: Float64Array, out: Float64Array, normal: () => number): void {
    hyper.forward(q);
    fillT();
    for (let a = 0; a < p; a++) delta[a] = hyper.beta[a] - betaHat[a];
    const u = hyper.sigma * hyper.sigma;
    let k = writeHyperOutputs(hyper, out);
    for (let l = 0; l < J; l++) {
      level(l, u, false);
      // v = m/u + Rc⁻ᵀ ξ, b = T v
      for (let a = 0; a < K; a++) tmp[a] = normal();
      for (let a = K - 1; a >= 0; a--) {
        let v = tmp[a];
        for (let c = a + 1; c < K; c++) v -= Rc[c * K + a] * Bm[c];
        Bm[a] = v / Rc[a * K + a];
      }
      for (let a = 0; a < K; a++) Bm[a] += m[a] / u;
      for (let a = 0; a < K; a++) {
        let v = 0;
        for (let c = 0; c <= a; c++) v += T[a * K + c] * Bm[c];
        out[k++] = v;
      }
    }
  }

  function initialPoint(qq: Float64Array, uniform: () => number): void {
    for (let k = 0; k < hyper.dim; k++) qq[k] = 4 * uniform() - 2;
    const st = opts.start;
    if (!st) return;
    for (let j = 0; j < p; j++)
      qq[j] = hyper.unconstrainBeta(j, st.beta[j] + (qq[j] / 20) * (Math.abs(st.beta[j]) + st.sigma));
    let sdIndex = 0;
    for (const t of hyper.terms) {
      for (let r = 0; r < t.S; r++) {
        const scale = Math.max(st.sd[sdIndex + r], 1e-3 * st.sigma);
        qq[t.tauOff + r] = hyper.unconstrainSd(sdIndex + r, scale * Math.exp(qq[t.tauOff + r] / 4));
      }
      sdIndex += t.S;
    }
    qq[hyper.sigmaOff] = hyper.unconstrainSigma(st.sigma * Math.exp(qq[hyper.sigmaOff] / 4));
  }

  return {
    dim: hyper.dim,
    unconstrainedNames: hyper.names,
    outputNames,
    logDensityGradient,
    initialPoint,
    constrain,
    logMarginalLikelihood,
  };
}
