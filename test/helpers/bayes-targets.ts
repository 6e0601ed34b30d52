/**
 * Test targets for the sampler: BayesModels with analytic gradients (checked against finite
 * differences in test/unit/bayes/targets.test.ts).
 */
import type { BayesModel } from "../../src/bayes/log-density.ts";

function names(prefix: string, d: number): string[] {
  return Array.from({ length: d }, (_, i) => `${prefix}[${i + 1}]`);
}

/** Wraps a log density (identity constrain, Stan's uniform(-2, 2) start). */
export function modelOf(
  dim: number,
  f: (q: Float64Array, g: Float64Array) => number,
  constrain?: (q: Float64Array, out: Float64Array) => void,
  outputNames?: string[],
): BayesModel {
  const un = names("q", dim);
  return {
    dim,
    unconstrainedNames: un,
    outputNames: outputNames ?? un,
    logDensityGradient: f,
    initialPoint(q, uniform) {
      for (let i = 0; i < dim; i++) q[i] = 4 * uniform() - 2;
    },
    constrain(q, out) {
      if (constrain) constrain(q, out);
      else out.set(q);
    },
  };
}

/** Independent normals N(0, sd_i²). */
export function gaussianDiag(sds: readonly number[]): BayesModel {
  const prec = sds.map((s) => 1 / (s * s));
  return modelOf(sds.length, (q, g) => {
    let lp = 0;
    for (let i = 0; i < q.length; i++) {
      g[i] = -prec[i] * q[i];
      lp += q[i] * g[i];
    }
    return 0.5 * lp;
  });
}

/** Symmetric d×d inverse (Gauss–Jordan, for small test matrices). */
export function invert(a: readonly number[], d: number): number[] {
  const m = a.slice();
  const inv: number[] = Array.from({ length: d * d }, (_, k) => (k % (d + 1) === 0 ? 1 : 0));
  for (let c = 0; c < d; c++) {
    let piv = c;
    for (let r = c + 1; r < d; r++) if (Math.abs(m[r * d + c]) > Math.abs(m[piv * d + c])) piv = r;
    for (let k = 0; k < d; k++) {
      [m[c * d + k], m[piv * d + k]] = [m[piv * d + k], m[c * d + k]];
      [inv[c * d + k], inv[piv * d + k]] = [inv[piv * d + k], inv[c * d + k]];
    }
    const p = m[c * d + c];
    for (let k = 0; k < d; k++) {
      m[c * d + k] /= p;
      inv[c * d + k] /= p;
    }
    for (let r = 0; r < d; r++) {
      if (r === c) continue;
      const f = m[r * d + c];
      for (let k = 0; k < d; k++) {
        m[r * d + k] -= f * m[c * d + k];
        inv[r * d + k] -= f * inv[c * d + k];
      }
    }
  }
  return inv;
}

/** Multivariate normal N(0, Σ) for a row-major Σ. */
export function gaussianDense(sigma: readonly number[], d: number): BayesModel {
  const P = invert(sigma, d);
  return modelOf(d, (q, g) => {
    let lp = 0;
    for (let i = 0; i < d; i++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += P[i * d + j] * q[j];
      g[i] = -s;
      lp -= 0.5 * q[i] * s;
    }
    return lp;
  });
}

/** Σ_ij = s_i s_j ρ^|i−j| (AR(1) correlation with scales s). */
export function ar1Covariance(scales: readonly number[], rho: number): number[] {
  const d = scales.length;
  const out: number[] = [];
  for (let i = 0; i < d; i++)
    for (let j = 0; j < d; j++) out.push(scales[i] * scales[j] * rho ** Math.abs(i - j));
  return out;
}

/**
 * Neal's funnel in 1 + k dimensions: v ~ N(0, 3²), x_i | v ~ N(0, exp(v)) (sd exp(v/2)),
 * coordinates (v, x_1, …, x_k).
 */
export function funnel(k: number): BayesModel {
  return modelOf(k + 1, (q, g) => {
    const v = q[0];
    const ev = Math.exp(-v);
    let lp = -(v * v) / 18 - 0.5 * k * v;
    let gv = -v / 9 - 0.5 * k;
    for (let i = 1; i <= k; i++) {
      const x = q[i];
      lp -= 0.5 * x * x * ev;
      gv += 0.5 * x * x * ev;
      g[i] = -x * ev;
    }
    g[0] = gv;
    return lp;
  });
}

/**
 * x ~ Exponential(1) sampled as v = log x: lp(v) = v − e^v (Jacobian included); outputs x and v.
 * E[x] = 1, Var[x] = 1, E[v] = −γ (Euler's constant), Var[v] = π²/6.
 */
export function logExponential(): BayesModel {
  return modelOf(
    1,
    (q, g) => {
      const e = Math.exp(q[0]);
      g[0] = 1 - e;
      return q[0] - e;
    },
    (q, out) => {
      out[0] = Math.exp(q[0]);
      out[1] = q[0];
    },
    ["x", "v"],
  );
}
