/**
 * The collapsed Bayesian Gaussian LMM (method `collapsed`): the random effects are integrated out
 * exactly and the sampler sees only the hyper-parameters (β, SDs, partial correlations, σ; see
 * `hyper-parameters.ts`).
 *
 * With Λ the q×q block-diagonal factor of the random-effect covariance (T_t = diag(τ_t) L_t on
 * every level of term t), r = y − Xβ, s = Zᵀr, w = Λᵀs, M = I + ΛᵀZᵀZΛ/σ², m = M⁻¹w:
 *
 *   log p(y | β, Λ, σ) = −N log σ − ½ log|M| − |r|²/(2σ²) + wᵀm/(2σ⁴)   (+ const)
 *
 * (Woodbury on y ~ N(Xβ, σ²I + ZΛΛᵀZᵀ)). The problem splits into independent blocks: with ONE
 * grouping factor (any number of terms on it: vector terms, `(x || g)`) every level is a block of
 * K = Σ S_t coordinates, so an evaluation costs O(J(K³ + K²p) + p²), independent of N. With several
 * grouping factors (crossed, nested) the whole q×q system is one dense block, O(q³) per
 * evaluation: accepted up to q = `MAX_DENSE_Q` random effects, refused beyond (E_BAYES_UNSUPPORTED;
 * use nuts-full). The data enter only through statistics computed once per block (ZᵀZ, ZᵀX, Zᵀỹ,
 * and globally XᵀX, Xᵀỹ, |ỹ|², with ỹ = y − Xβ̂ the least-squares residual, for accuracy).
 * Gradient in closed form (u = σ², P = M⁻¹, A = ZᵀZ, per block):
 *   ∂/∂Λ = −AΛP/u + (s − AΛm/u) mᵀ/u²   (read on the nonzero pattern of Λ only)
 *   ∂/∂β = Xᵀr/u − (ZᵀX)ᵀ Λ m / u²
 *   ∂/∂u = −N/(2u) + |r|²/(2u²) + (q − tr P)/(2u) − (wᵀm + |m|²)/(2u³)
 *
 * `constrain` draws the random effects exactly from their conditional: per block
 * v = m/u + R⁻ᵀξ (M = RRᵀ, ξ ~ N(0, I) from the supplied stream), b = Λv.
 */
import { SpecError } from "../errors.ts";
import { type BayesDesign, hyperOutputNames, ranefOutputNames, writeHyperOutputs } from "./bayes-design.ts";
import { HyperParameters } from "./hyper-parameters.ts";
import type { BayesModel } from "./log-density.ts";
import type { ResolvedPriors } from "./priors.ts";
import { hyperInverseMetric, jitterNearEstimates, type StartEstimates } from "./start-estimates.ts";

export interface CollapsedModelOptions {
  /** As `FullModelOptions.start`: REML estimates for starting points and the suggested metric. */
  readonly start?: StartEstimates;
}

export interface CollapsedModel extends BayesModel {
  /** As `FullModel.suggestedInverseMetric`. */
  readonly suggestedInverseMetric: Float64Array | null;
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

/** Largest number of random effects the dense path (several grouping factors) accepts. */
export const MAX_DENSE_Q = 250;

export function createCollapsedModel(
  bd: BayesDesign,
  priors: ResolvedPriors,
  opts: CollapsedModelOptions = {},
): CollapsedModel {
  const hyper = new HyperParameters(bd.xnames, bd.terms, priors);
  const { n, p, X, y } = bd;
  const terms = bd.terms;
  const single = bd.factors.length === 1;
  // Layout: nb blocks of K coordinates. posOf(t, level, c) = block·K + position.
  const termOff: number[] = [];
  let qTotal = 0;
  for (const t of terms) {
    termOff.push(qTotal);
    qTotal += t.levels.length * t.S;
  }
  if (single) {
    let o = 0;
    for (const ti of bd.factors[0].terms) {
      termOff[ti] = o;
      o += terms[ti].S;
    }
  }
  if (!single && qTotal > MAX_DENSE_Q) {
    throw new SpecError(
      "E_BAYES_UNSUPPORTED",
      `the collapsed sampler handles several grouping factors (${bd.factors.map((f) => f.name).join(", ")}) with a dense factorisation of at most ${MAX_DENSE_Q} random effects; this model has ${qTotal}`,
      "use method nuts-full for large crossed or nested models",
    );
  }
  const K = single ? bd.factors[0].K : qTotal;
  const nb = single ? bd.factors[0].levels.length : 1;
  /** Block and in-block position of random effect (term ti, level l, column c). */
  const blockOf = (_ti: number, l: number): number => (single ? l : 0);
  const posOf = (ti: number, l: number, c: number): number =>
    single ? termOff[ti] + c : termOff[ti] + l * terms[ti].S + c;
  // nonzero pattern of Λ within a block: (row, col) ← T_t[i][c]
  const ent: { row: number; col: number; term: number; i: number; c: number }[] = [];
  terms.forEach((t, ti) => {
    const nlev = single ? 1 : t.levels.length;
    for (let l = 0; l < nlev; l++)
      for (let i = 0; i < t.S; i++)
        for (let c = 0; c <= i; c++) ent.push({ row: posOf(ti, l, i), col: posOf(ti, l, c), term: ti, i, c });
  });
  const E = ent.length;
  const entRow = Int32Array.from(ent, (e) => e.row);
  const entCol = Int32Array.from(ent, (e) => e.col);
  const entTerm = Int32Array.from(ent, (e) => e.term);
  const entI = Int32Array.from(ent, (e) => e.i);
  const entC = Int32Array.from(ent, (e) => e.c);
  const Tval = new Float64Array(E);
  const gEnt = new Float64Array(E);
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
  // per-block statistics
  const AA = new Float64Array(nb * K * K);
  const CC = new Float64Array(nb * K * p);
  const ZY = new Float64Array(nb * K);
  const nz = terms.reduce((a, t) => a + t.S, 0);
  const zpos = new Int32Array(nz);
  const zval = new Float64Array(nz);
  for (let i = 0; i < n; i++) {
    let k = 0;
    let blk = 0;
    terms.forEach((t, ti) => {
      const l = t.refs[i];
      blk = blockOf(ti, l);
      for (let c = 0; c < t.S; c++) {
        zpos[k] = posOf(ti, l, c);
        zval[k++] = t.z[i * t.S + c];
      }
    });
    const Ab = blk * K * K;
    for (let x = 0; x < nz; x++) {
      const za = zval[x];
      if (za === 0) continue;
      const a = zpos[x];
      for (let z = 0; z < nz; z++) AA[Ab + a * K + zpos[z]] += za * zval[z];
      for (let c = 0; c < p; c++) CC[(blk * K + a) * p + c] += za * X[c * n + i];
      ZY[blk * K + a] += za * yt[i];
    }
  }
  // scratch
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

  /** Values of Λ's nonzero pattern from the current hyper-parameters. */
  function fillT(): void {
    for (let e = 0; e < E; e++) {
      const st = hyper.terms[entTerm[e]];
      Tval[e] = st.tau[entI[e]] * st.L[entI[e] * st.S + entC[e]];
    }
  }

  /** Accumulated ∂/∂Λ entries → ∂/∂τ and ∂/∂L of each term. */
  function scatterGradient(): void {
    for (let e = 0; e < E; e++) {
      const st = hyper.terms[entTerm[e]];
      const i = entI[e];
      const k = i * st.S + entC[e];
      st.gTau[i] += gEnt[e] * st.L[k];
      st.gL[k] += gEnt[e] * st.tau[i];
    }
  }

  /**
   * Factorisation of block l: s, w, B = AΛ, M, Rc, m (and P when `wantP`).
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
    // w = Λᵀ s, B = A Λ, M = I + Λᵀ B / u (on Λ's nonzero pattern)
    w.fill(0);
    B.fill(0);
    for (let e = 0; e < E; e++) {
      const tv = Tval[e];
      const r = entRow[e];
      const c = entCol[e];
      w[c] += tv * s[r];
      for (let a = 0; a < K; a++) B[a * K + c] += AA[Ab + a * K + r] * tv;
    }
    M.fill(0);
    for (let e = 0; e < E; e++) {
      const tv = Tval[e] / u;
      const r = entRow[e] * K;
      const c = entCol[e] * K;
      for (let a = 0; a < K; a++) M[c + a] += tv * B[r + a];
    }
    for (let a = 0; a < K; a++) M[a * K + a] += 1;
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

  // Fast path: one grouping factor with K ≤ 2 (scalar or 2×2 blocks in closed form).
  const small = single && K <= 2;
  /** Λ's 2×2 block T (row-major, K = 1 uses t00 only) and the gradient on it. */
  const T2 = new Float64Array(4);
  const gT2 = new Float64Array(4);
  let smallDu = 0;

  /**
   * All blocks of the fast path: adds the ∂/∂T entries into gEnt and ∂/∂β into hyper.gBeta, sets
   * `smallDu`; returns Σ_j (−½ log|M_j| + w_jᵀm_j/(2u²)), NaN if some M_j is not positive definite.
   */
  function smallBlocks(u: number): number {
    T2.fill(0);
    gT2.fill(0);
    for (let e = 0; e < E; e++) T2[entRow[e] * 2 + entCol[e]] = Tval[e];
    const t00 = T2[0];
    const t10 = T2[2];
    const t11 = T2[3];
    const u2 = u * u;
    const iu = 1 / u;
    let ll = 0;
    let du = 0;
    let g00 = 0;
    let g10 = 0;
    let g11 = 0;
    const gB = hyper.gBeta;
    if (K === 1) {
      for (let l = 0; l < nb; l++) {
        const a = AA[l];
        let sv = ZY[l];
        const cb = l * p;
        for (let c = 0; c < p; c++) sv -= CC[cb + c] * delta[c];
        const w0 = t00 * sv;
        const B0 = a * t00;
        const M0 = 1 + t00 * B0 * iu;
        const P0 = 1 / M0;
        const m0 = P0 * w0;
        const Q = w0 * m0;
        ll += -0.5 * Math.log(M0) + Q / (2 * u2);
        du += (1 - P0) / (2 * u) - (Q + m0 * m0) / (2 * u2 * u);
        g00 += -B0 * P0 * iu + ((sv - B0 * m0 * iu) / u2) * m0;
        const v = (t00 * m0) / u2;
        for (let c = 0; c < p; c++) gB[c] -= CC[cb + c] * v;
      }
    } else {
      for (let l = 0; l < nb; l++) {
        const Ab = l * 4;
        const a00 = AA[Ab];
        const a01 = AA[Ab + 1];
        const a11 = AA[Ab + 3];
        const cb0 = l * 2 * p;
        const cb1 = cb0 + p;
        let s0 = ZY[2 * l];
        let s1 = ZY[2 * l + 1];
        for (let c = 0; c < p; c++) {
          s0 -= CC[cb0 + c] * delta[c];
          s1 -= CC[cb1 + c] * delta[c];
        }
        const w0 = t00 * s0 + t10 * s1;
        const w1 = t11 * s1;
        const B00 = a00 * t00 + a01 * t10;
        const B01 = a01 * t11;
        const B10 = a01 * t00 + a11 * t10;
        const B11 = a11 * t11;
        const M00 = 1 + (t00 * B00 + t10 * B10) * iu;
        const M01 = (t00 * B01 + t10 * B11) * iu;
        const M11 = 1 + t11 * B11 * iu;
        const det = M00 * M11 - M01 * M01;
        if (!(det > 0 && M00 > 0)) return Number.NaN;
        const id = 1 / det;
        const P00 = M11 * id;
        const P01 = -M01 * id;
        const P11 = M00 * id;
        const m0 = P00 * w0 + P01 * w1;
        const m1 = P01 * w0 + P11 * w1;
        const Q = w0 * m0 + w1 * m1;
        ll += -0.5 * Math.log(det) + Q / (2 * u2);
        du += (2 - P00 - P11) / (2 * u) - (Q + m0 * m0 + m1 * m1) / (2 * u2 * u);
        const Bm0 = B00 * m0 + B01 * m1;
        const Bm1 = B10 * m0 + B11 * m1;
        const r0 = (s0 - Bm0 * iu) / u2;
        const r1 = (s1 - Bm1 * iu) / u2;
        // (B P)[r][c] for the entries (0,0), (1,0), (1,1)
        g00 += -(B00 * P00 + B01 * P01) * iu + r0 * m0;
        g10 += -(B10 * P00 + B11 * P01) * iu + r1 * m0;
        g11 += -(B10 * P01 + B11 * P11) * iu + r1 * m1;
        const v0 = (t00 * m0) / u2;
        const v1 = (t10 * m0 + t11 * m1) / u2;
        for (let c = 0; c < p; c++) gB[c] -= CC[cb0 + c] * v0 + CC[cb1 + c] * v1;
      }
    }
    gT2[0] = g00;
    gT2[2] = g10;
    gT2[3] = g11;
    for (let e = 0; e < E; e++) gEnt[e] += gT2[entRow[e] * 2 + entCol[e]];
    smallDu = du;
    return ll;
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
    gEnt.fill(0);
    const u2 = u * u;
    if (small) {
      const r = smallBlocks(u);
      if (Number.isNaN(r)) return Number.NEGATIVE_INFINITY;
      ll += r;
      du += smallDu;
    }
    for (let l = 0; l < (small ? 0 : nb); l++) {
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
      // Λm and Bm = AΛm
      Tm.fill(0);
      for (let e = 0; e < E; e++) Tm[entRow[e]] += Tval[e] * m[entCol[e]];
      for (let a = 0; a < K; a++) {
        let b = 0;
        for (let c = 0; c < K; c++) b += B[a * K + c] * m[c];
        Bm[a] = b;
      }
      // ∂/∂Λ on the pattern: −(B P)[r][c]/u + (s_r − Bm_r/u) m_c / u²
      for (let e = 0; e < E; e++) {
        const r = entRow[e];
        const c = entCol[e];
        let bp = 0;
        for (let k = 0; k < K; k++) bp += B[r * K + k] * P[k * K + c];
        gEnt[e] += -bp / u + ((s[r] - Bm[r] / u) / u2) * m[c];
      }
      // ∂/∂β −= (ZᵀX)ᵀ Λ m / u²
      const cb = l * K * p;
      for (let a = 0; a < K; a++) {
        const v = Tm[a] / u2;
        if (v === 0) continue;
        for (let c = 0; c < p; c++) hyper.gBeta[c] -= CC[cb + a * p + c] * v;
      }
    }
    lp += ll;
    hyper.gSigma = du * 2 * sigma;
    scatterGradient();
    hyper.backward(q, grad);
    if (!Number.isFinite(lp)) return Number.NEGATIVE_INFINITY;
    // a non-finite gradient (overflow far in the tails) counts as zero density for the sampler
    for (let i = 0; i < hyper.dim; i++) if (!Number.isFinite(grad[i])) return Number.NEGATIVE_INFINITY;
    return lp;
  }

  function logMarginalLikelihood(q: Float64Array): number {
    hyper.forward(q);
    fillT();
    for (let a = 0; a < p; a++) delta[a] = hyper.beta[a] - betaHat[a];
    const u = hyper.sigma * hyper.sigma;
    const R = residualNorm();
    let ll = -0.5 * n * Math.log(2 * Math.PI * u) - R / (2 * u);
    for (let l = 0; l < nb; l++) {
      const logdet = level(l, u, false);
      let Q = 0;
      for (let a = 0; a < K; a++) Q += w[a] * m[a];
      ll += -0.5 * logdet + Q / (2 * u * u);
    }
    return ll;
  }

  const outputNames = [...hyperOutputNames(bd), ...bd.factors.flatMap((f) => ranefOutputNames(bd, f))];
  // r_ outputs (per factor, level-major, the columns of its terms) → index into the drawn b (nb·K)
  const outMap: number[] = [];
  for (const f of bd.factors)
    for (let l = 0; l < f.levels.length; l++)
      for (const ti of f.terms)
        for (let c = 0; c < terms[ti].S; c++) outMap.push(blockOf(ti, l) * K + posOf(ti, l, c));
  const bDraw = new Float64Array(nb * K);

  function constrain(q: Float64Array, out: Float64Array, normal: () => number): void {
    hyper.forward(q);
    fillT();
    for (let a = 0; a < p; a++) delta[a] = hyper.beta[a] - betaHat[a];
    const u = hyper.sigma * hyper.sigma;
    const k = writeHyperOutputs(hyper, out);
    for (let l = 0; l < nb; l++) {
      level(l, u, false);
      // v = m/u + Rc⁻ᵀ ξ, b = Λ v
      for (let a = 0; a < K; a++) tmp[a] = normal();
      for (let a = K - 1; a >= 0; a--) {
        let v = tmp[a];
        for (let c = a + 1; c < K; c++) v -= Rc[c * K + a] * Bm[c];
        Bm[a] = v / Rc[a * K + a];
      }
      for (let a = 0; a < K; a++) Bm[a] += m[a] / u;
      const o = l * K;
      for (let a = 0; a < K; a++) bDraw[o + a] = 0;
      for (let e = 0; e < E; e++) bDraw[o + entRow[e]] += Tval[e] * Bm[entCol[e]];
    }
    for (let j = 0; j < outMap.length; j++) out[k + j] = bDraw[outMap[j]];
  }

  function initialPoint(qq: Float64Array, uniform: () => number): void {
    for (let k = 0; k < hyper.dim; k++) qq[k] = 4 * uniform() - 2;
    const st = opts.start;
    if (st) jitterNearEstimates(hyper, st, qq);
  }

  let suggestedInverseMetric: Float64Array | null = null;
  if (opts.start) {
    suggestedInverseMetric = new Float64Array(hyper.dim);
    hyperInverseMetric(
      hyper,
      opts.start,
      terms.map((t) => t.levels.length),
      n,
      suggestedInverseMetric,
    );
  }

  return {
    dim: hyper.dim,
    suggestedInverseMetric,
    unconstrainedNames: hyper.names,
    outputNames,
    logDensityGradient,
    initialPoint,
    constrain,
    logMarginalLikelihood,
  };
}
