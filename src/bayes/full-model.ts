/**
 * The full Bayesian Gaussian LMM (method `nuts-full`): the sampler sees the hyper-parameters
 * (`hyper-parameters.ts`) and every random effect.
 *
 *   y ~ N(Xβ + Σ_t Z_t u_t, σ²),  u_{t,l} ~ N(0, T_t T_tᵀ) for each level l of term t,
 *   T_t = diag(τ_t) L_t
 *
 * Parameterisations: `noncentred` (default; coordinates z_{t,l} ~ N(0, I), u = T z), `centred`
 * (coordinates u_{t,l}; log N(u; 0, T Tᵀ) = −log|T| − |T⁻¹u|²/2) or `hcentred` (hierarchically
 * centred: for a random-effect column that is also a column of X — the same name and values, e.g.
 * `(Intercept)`, `Days` in `Days + (Days | Subject)` — the coordinate is the group's coefficient
 * a = β_j + u, other columns stay centred; a unit-Jacobian linear change of variables of the
 * centred model, best when the groups are informative and β would otherwise ride a ridge with
 * all u). Random-effect coordinates follow the hyper-parameters, term by term, level by level, the
 * term's S columns within a level (Stan's order for the reference programs). Names:
 * `z_<g>[<level>,<term>]`, `r_<g>[<level>,<term>]` or `a_<g>[<level>,<term>]`.
 *
 * One evaluation is one pass over the data plus O(Σ_t J_t S_t²): the residual pass accumulates
 * Xᵀe/σ² and per level G_{t,l} = Σ_{n∈l} z_t[n]·e[n]/σ², from which every gradient follows in
 * closed form (u = T z ⇒ ∂/∂z = TᵀG − z, ∂/∂T = Σ_l G zᵀ; centred ∂/∂u = G − T⁻ᵀv with v = T⁻¹u,
 * ∂/∂T += Σ_l T⁻ᵀv vᵀ, and −J log|T|). No allocation per evaluation.
 */
import type { BayesModel } from "./log-density.ts";
import { type BayesDesign, hyperOutputNames, ranefOutputNames, writeHyperOutputs } from "./bayes-design.ts";
import { HyperParameters } from "./hyper-parameters.ts";
import type { ResolvedPriors } from "./priors.ts";
import { hyperInverseMetric, jitterNearEstimates, type StartEstimates } from "./start-estimates.ts";

export type Parameterisation = "noncentred" | "centred" | "hcentred";

export interface FullModelOptions {
  readonly parameterisation?: Parameterisation;
  /**
   * REML estimates for data-driven starting points (uniform jitter around them) and the suggested
   * inverse metric; omitted → Stan's uniform(−2, 2) on every coordinate and no suggestion.
   */
  readonly start?: StartEstimates;
}

export interface FullModel extends BayesModel {
  readonly parameterisation: Parameterisation;
  /** Number of hyper-parameter coordinates (they come first). */
  readonly hyperDim: number;
  /**
   * A diagonal inverse metric for the first warm-up window (see `start-estimates.ts`), for the
   * sampler's initial metric; null without start estimates.
   */
  readonly suggestedInverseMetric: Float64Array | null;
}

export function createFullModel(
  bd: BayesDesign,
  priors: ResolvedPriors,
  opts: FullModelOptions = {},
): FullModel {
  const hcentred = opts.parameterisation === "hcentred";
  const centred = opts.parameterisation === "centred" || hcentred;
  const hyper = new HyperParameters(bd.xnames, bd.terms, priors);
  const { n, p, X, y } = bd;
  const terms = bd.terms;
  const nt = terms.length;
  // coordinate offsets of each term's random effects
  const reOff: number[] = [];
  let off = hyper.dim;
  for (const t of terms) {
    reOff.push(off);
    off += t.levels.length * t.S;
  }
  const dim = off;
  const U = terms.map((t) => new Float64Array(t.levels.length * t.S));
  // hcentred: X column matched by each random-effect column (−1: none)
  const match = terms.map((t) =>
    Int32Array.from(t.cnames, (c, r) => {
      if (!hcentred) return -1;
      const j = bd.xnames.indexOf(c);
      if (j < 0) return -1;
      for (let i = 0; i < n; i++) if (t.z[i * t.S + r] !== X[j * n + i]) return -1;
      return j;
    }),
  );
  const G = terms.map((t) => new Float64Array(t.levels.length * t.S));
  const maxS = Math.max(1, ...terms.map((t) => t.S));
  const v = new Float64Array(maxS);
  const w = new Float64Array(maxS);
  const T = new Float64Array(maxS * maxS);
  const mu = new Float64Array(n);

  const unconstrainedNames = [...hyper.names];
  terms.forEach((t) => {
    for (const level of t.levels)
      for (const c of t.cnames)
        unconstrainedNames.push(
          `${hcentred ? "a" : centred ? "r" : "z"}_${t.factor}[${level},${c === "(Intercept)" ? "Intercept" : c}]`,
        );
  });
  const outputNames = [...hyperOutputNames(bd), ...bd.factors.flatMap((f) => ranefOutputNames(bd, f))];

  /** T = diag(τ) L of term ti into `T` (row-major S×S). */
  function fillT(ti: number): void {
    const st = hyper.terms[ti];
    const S = st.S;
    for (let i = 0; i < S; i++)
      for (let c = 0; c < S; c++) T[i * S + c] = c <= i ? st.tau[i] * st.L[i * S + c] : 0;
  }

  /** Random effects u of every term from q (after hyper.forward). */
  function computeU(q: Float64Array): void {
    for (let ti = 0; ti < nt; ti++) {
      const S = terms[ti].S;
      const u = U[ti];
      const o = reOff[ti];
      if (centred) {
        for (let k = 0; k < u.length; k++) u[k] = q[o + k];
        if (hcentred) {
          const mt = match[ti];
          for (let c = 0; c < S; c++) {
            const j = mt[c];
            if (j < 0) continue;
            const bj = hyper.beta[j];
            for (let k = c; k < u.length; k += S) u[k] -= bj;
          }
        }
        continue;
      }
      fillT(ti);
      const J = terms[ti].levels.length;
      for (let l = 0; l < J; l++) {
        const b = o + l * S;
        for (let i = 0; i < S; i++) {
          let s = 0;
          for (let c = 0; c <= i; c++) s += T[i * S + c] * q[b + c];
          u[l * S + i] = s;
        }
      }
    }
  }

  function logDensityGradient(q: Float64Array, grad: Float64Array): number {
    let lp = hyper.forward(q);
    computeU(q);
    const sigma = hyper.sigma;
    const s2 = sigma * sigma;
    // mu = Xβ
    mu.fill(0);
    for (let j = 0; j < p; j++) {
      const bj = hyper.beta[j];
      const col = j * n;
      for (let i = 0; i < n; i++) mu[i] += X[col + i] * bj;
    }
    for (let ti = 0; ti < nt; ti++) {
      const t = terms[ti];
      const S = t.S;
      const u = U[ti];
      const z = t.z;
      const refs = t.refs;
      if (S === 1) {
        for (let i = 0; i < n; i++) mu[i] += z[i] * u[refs[i]];
      } else {
        for (let i = 0; i < n; i++) {
          const b = refs[i] * S;
          let s = 0;
          for (let c = 0; c < S; c++) s += z[i * S + c] * u[b + c];
          mu[i] += s;
        }
      }
    }
    // residuals e/σ² (kept in mu), sum of squares
    let ss = 0;
    for (let i = 0; i < n; i++) {
      const e = y[i] - mu[i];
      ss += e * e;
      mu[i] = e / s2;
    }
    lp += -n * Math.log(sigma) - ss / (2 * s2);
    hyper.gSigma = -n / sigma + ss / (s2 * sigma);
    for (let j = 0; j < p; j++) {
      let s = 0;
      const col = j * n;
      for (let i = 0; i < n; i++) s += X[col + i] * mu[i];
      hyper.gBeta[j] = s;
    }
    for (let ti = 0; ti < nt; ti++) {
      const t = terms[ti];
      const S = t.S;
      const g = G[ti];
      g.fill(0);
      const z = t.z;
      const refs = t.refs;
      if (S === 1) {
        for (let i = 0; i < n; i++) g[refs[i]] += z[i] * mu[i];
      } else {
        for (let i = 0; i < n; i++) {
          const b = refs[i] * S;
          const e = mu[i];
          for (let c = 0; c < S; c++) g[b + c] += z[i * S + c] * e;
        }
      }
    }
    // random-effect priors and the gradients of the random-effect coordinates and of T
    for (let ti = 0; ti < nt; ti++) {
      const t = terms[ti];
      const st = hyper.terms[ti];
      const S = t.S;
      const J = t.levels.length;
      const o = reOff[ti];
      const g = G[ti];
      fillT(ti);
      const gT = st.gL; // accumulate ∂/∂T here, converted below
      if (!centred) {
        let zz = 0;
        for (let l = 0; l < J; l++) {
          const b = l * S;
          for (let c = 0; c < S; c++) {
            const zc = q[o + b + c];
            zz += zc * zc;
            // ∂/∂z_c = Σ_i T[i][c] G_i − z_c
            let s = 0;
            for (let i = c; i < S; i++) s += T[i * S + c] * g[b + i];
            grad[o + b + c] = s - zc;
          }
          for (let i = 0; i < S; i++) {
            const gi = g[b + i];
            for (let c = 0; c <= i; c++) gT[i * S + c] += gi * q[o + b + c];
          }
        }
        lp -= 0.5 * zz;
      } else {
        let logDetT = 0;
        for (let i = 0; i < S; i++) logDetT += Math.log(T[i * S + i]);
        let vv = 0;
        const u = U[ti];
        for (let l = 0; l < J; l++) {
          const b = l * S;
          // v = T⁻¹ u (forward solve), then w = T⁻ᵀ v (backward solve)
          for (let i = 0; i < S; i++) {
            let s = u[b + i];
            for (let c = 0; c < i; c++) s -= T[i * S + c] * v[c];
            v[i] = s / T[i * S + i];
            vv += v[i] * v[i];
          }
          for (let i = S - 1; i >= 0; i--) {
            let s = v[i];
            for (let r = i + 1; r < S; r++) s -= T[r * S + i] * w[r];
            w[i] = s / T[i * S + i];
          }
          for (let c = 0; c < S; c++) grad[o + b + c] = g[b + c] - w[c];
          if (hcentred) {
            // u = a − β_j: ∂/∂β_j = −Σ_l ∂/∂u
            const mt = match[ti];
            for (let c = 0; c < S; c++) if (mt[c] >= 0) hyper.gBeta[mt[c]] -= grad[o + b + c];
          }
          for (let i = 0; i < S; i++) for (let c = 0; c <= i; c++) gT[i * S + c] += w[i] * v[c];
        }
        lp += -J * logDetT - 0.5 * vv;
        for (let i = 0; i < S; i++) {
          // −J log|T| = −J Σ (log τ_i + log L_ii)
          st.gTau[i] -= J / st.tau[i];
          st.diagCoef[i] -= J;
        }
      }
      // ∂/∂T → ∂/∂τ and ∂/∂L (T[i][c] = τ_i L[i][c]); gL aliased gT, so convert in place
      for (let i = 0; i < S; i++) {
        for (let c = 0; c <= i; c++) {
          const gt = gT[i * S + c];
          st.gTau[i] += gt * st.L[i * S + c];
          gT[i * S + c] = gt * st.tau[i];
        }
      }
    }
    hyper.backward(q, grad);
    if (!Number.isFinite(lp)) return Number.NEGATIVE_INFINITY;
    // a non-finite gradient (overflow far in the tails) counts as zero density for the sampler
    for (let i = 0; i < dim; i++) if (!Number.isFinite(grad[i])) return Number.NEGATIVE_INFINITY;
    return lp;
  }

  function initialPoint(q: Float64Array, uniform: () => number): void {
    for (let k = 0; k < dim; k++) q[k] = 4 * uniform() - 2;
    const st = opts.start;
    if (!st) return;
    jitterNearEstimates(hyper, st, q);
    if (centred) {
      let sdIndex = 0;
      for (let ti = 0; ti < nt; ti++) {
        const S = terms[ti].S;
        const mode = st.ranef?.[ti];
        const csd = st.ranefSD?.[ti];
        for (let k = 0; k < U[ti].length; k++) {
          const scale = csd ? csd[k] : Math.max(st.sd[sdIndex + (k % S)], 1e-3 * st.sigma) / 2;
          q[reOff[ti] + k] = (mode ? mode[k] : 0) + q[reOff[ti] + k] * scale;
          const j = match[ti][k % S];
          if (j >= 0) q[reOff[ti] + k] += st.beta[j];
        }
        sdIndex += S;
      }
    }
  }

  let suggestedInverseMetric: Float64Array | null = null;
  if (opts.start) {
    const st = opts.start;
    const mInv = new Float64Array(dim);
    hyperInverseMetric(
      hyper,
      st,
      terms.map((t) => t.levels.length),
      n,
      mInv,
    );
    let sdIndex = 0;
    terms.forEach((t, ti) => {
      const S = t.S;
      const o = reOff[ti];
      if (centred) {
        const csd = st.ranefSD?.[ti];
        for (let k = 0; k < U[ti].length; k++) {
          const v = csd ? csd[k] : st.sd[sdIndex + (k % S)];
          mInv[o + k] = v > 0 ? v * v : 1;
        }
      } else {
        // z: 1 / (1 + Σ_{n∈l} z_c² τ_c²/σ²)
        const zz = new Float64Array(U[ti].length);
        for (let i = 0; i < n; i++) for (let c = 0; c < S; c++) zz[t.refs[i] * S + c] += t.z[i * S + c] ** 2;
        for (let k = 0; k < zz.length; k++) {
          const r = st.sd[sdIndex + (k % S)] / st.sigma;
          mInv[o + k] = 1 / (1 + zz[k] * r * r);
        }
      }
      sdIndex += S;
    });
    suggestedInverseMetric = mInv;
  }

  function constrain(q: Float64Array, out: Float64Array): void {
    hyper.forward(q);
    computeU(q);
    let k = writeHyperOutputs(hyper, out);
    for (const f of bd.factors) {
      const J = f.levels.length;
      for (let l = 0; l < J; l++)
        for (const ti of f.terms) {
          const S = terms[ti].S;
          for (let c = 0; c < S; c++) out[k++] = U[ti][l * S + c];
        }
    }
  }

  return {
    dim,
    hyperDim: hyper.dim,
    suggestedInverseMetric,
    parameterisation: hcentred ? "hcentred" : centred ? "centred" : "noncentred",
    unconstrainedNames,
    outputNames,
    logDensityGradient,
    initialPoint,
    constrain,
  };
}
