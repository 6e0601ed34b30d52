/**
 * The variance parameters' side of Satterthwaite's approximation, as lmerTest computes it: the
 * asymptotic covariance of the variance parameters φ = (θ, σ) from the Hessian of the (REML or ML)
 * deviance −2ℓ(θ, σ) (not profiled over σ), and the derivatives of the covariance of β̂,
 * C(φ) = σ²·(XᵀV(θ)⁻¹X)⁻¹, with respect to each φ_k.
 *
 * Both derivatives are taken by central finite differences with one Richardson extrapolation
 * (error O(h⁴)) on the engine's working scale, where θ and σ are of order one: the deviance and C
 * are smooth in φ, each evaluation is one factorisation (independent of the number of rows), and
 * the differences of a profiled objective computed through the blocked Cholesky keep ~10 digits,
 * well beyond the 1e-3 the degrees of freedom need. The σ-derivative of C is exact (2C/σ). An
 * analytic Hessian would need the second derivatives of log|L| and of the penalised residual sum
 * of squares through the sparse factor, which the engine does not form.
 *
 * Reparametrising φ linearly leaves every Satterthwaite df unchanged, so working-scale φ give the
 * df of the user's scale; C and its derivatives are reported for the user's β.
 */
import { richardson, richardsonHessian } from "../util/central-differences.ts";
import type { Warning } from "../errors.ts";
import { fitInternals, modelFor } from "../lmm/fit-internals.ts";
import type { LmmFit } from "../lmm/fit-lmm.ts";
import { vcovFromL } from "../lmm/lmm-estimates.ts";
import type { LmmModel } from "../lmm/lmm-model.ts";
import { logDets, updateL } from "../lmm/update-l.ts";
import { symmetricEigen } from "../linalg/symmetric-eigen.ts";
import { SpecError } from "../errors.ts";

export interface VarparAnalysis {
  /** Number of fixed effects p. */
  readonly p: number;
  /** Number of variance parameters d (θ then σ). */
  readonly d: number;
  /** The fixed effects (user scale). */
  readonly beta: Float64Array;
  /** C = vcov(β̂), p×p row-major (user scale). */
  readonly C: Float64Array;
  /** ∂C/∂φ_k for k < d, each p×p row-major (user scale for β; working scale for φ). */
  readonly jacobian: readonly Float64Array[];
  /** Asymptotic covariance of φ̂: 2·H⁺, d×d row-major (H the Hessian of the deviance). */
  readonly vcovVarpar: Float64Array;
  /** lmerTest's warnings about the Hessian (negative or near-zero eigenvalues). */
  readonly warnings: readonly Warning[];
}

const cache = new WeakMap<object, VarparAnalysis>();

/** lmerTest's tolerance on the Hessian's eigenvalues. */
const EIGEN_TOL = 1e-6;

function deviance(model: LmmModel, theta: Float64Array, sigma: number, reml: boolean): number {
  if (!updateL(model, theta, true)) return Number.NaN;
  const { ldL2, ldRX2, pwrss } = logDets(model);
  const nu = reml ? model.n - model.p : model.n;
  return ldL2 + (reml ? ldRX2 : 0) + nu * Math.log(sigma * sigma) + pwrss / (sigma * sigma);
}

/** The Satterthwaite ingredients of an LMM fit (computed once per fit). */
export function varparAnalysis(fit: LmmFit): VarparAnalysis {
  const hit = cache.get(fit);
  if (hit) return hit;
  const internals = fitInternals(fit);
  if (!internals) {
    throw new SpecError(
      "E_SPEC_UNSUPPORTED",
      "this fit was not made by fitLmm in this session, so its model is not available",
      "fit the model with fitLmm (a fit restored from JSON has no design to differentiate)",
    );
  }
  const model = modelFor(internals);
  const reml = fit.REML;
  const nth = model.ntheta;
  const d = nth + 1;
  const p = model.p;
  const fac = model.thetaFactor;
  const nu = reml ? model.n - p : model.n;
  // the optimum on the working scale
  const theta0 = Float64Array.from(fit.theta);
  if (!updateL(model, theta0))
    throw new SpecError("E_SPEC_UNSUPPORTED", "the factorisation failed at the fitted θ");
  const sigma0 = Math.sqrt(logDets(model).pwrss / nu);
  const phi0 = new Float64Array(d);
  for (let i = 0; i < nth; i++) phi0[i] = theta0[i] * fac[i];
  phi0[nth] = sigma0;
  const thetaOf = (phi: Float64Array): Float64Array =>
    Float64Array.from({ length: nth }, (_, i) => phi[i] / fac[i]);
  const dev = (phi: Float64Array): number => deviance(model, thetaOf(phi), phi[nth], reml);
  const steps = Float64Array.from(phi0, (v) => 1e-3 * Math.max(Math.abs(v), 0.1));

  // Hessian: central differences at h and h/2, Richardson-extrapolated
  const H = richardsonHessian(dev, phi0, steps);

  // 2·H⁺ (Moore–Penrose over the eigenvalues above the tolerance), lmerTest's warnings
  const warnings: Warning[] = [];
  const eig = symmetricEigen(H, d);
  const neg = eig.values.filter((v) => v < -EIGEN_TOL).length;
  const zero = eig.values.filter((v) => Math.abs(v) <= EIGEN_TOL).length;
  if (neg > 0) {
    warnings.push({
      code: "hessian_not_positive",
      message: `the Hessian of the deviance in the variance parameters has ${neg} negative eigenvalue(s): the model may not have converged, and the Satterthwaite df are unreliable`,
    });
  } else if (zero > 0) {
    warnings.push({
      code: "hessian_not_positive",
      message: `the Hessian of the deviance in the variance parameters has ${zero} eigenvalue(s) close to zero (a variance at its boundary?): the Satterthwaite df use its generalised inverse`,
    });
  }
  const vcovVarpar = new Float64Array(d * d);
  for (let c = 0; c < d; c++) {
    const lam = eig.values[c];
    if (!(lam > EIGEN_TOL)) continue;
    for (let a = 0; a < d; a++)
      for (let b = 0; b < d; b++)
        vcovVarpar[a * d + b] += (2 * eig.vectors[c * d + a] * eig.vectors[c * d + b]) / lam;
  }

  // C on the user's scale: C_ab = (σ·S)²·m_a m_b·U_ab with U = (L_XX L_XXᵀ)⁻¹ of the working X
  const S = model.response.scale;
  const xs = model.xScale;
  const unitVcov = (theta: Float64Array): Float64Array => {
    if (!updateL(model, theta)) return new Float64Array(p * p).fill(Number.NaN);
    const u = vcovFromL(model, 1);
    const out = new Float64Array(p * p);
    for (let a = 0; a < p; a++) for (let b = 0; b < p; b++) out[a * p + b] = S * S * xs[a] * xs[b] * u[a][b];
    return out;
  };
  const U0 = unitVcov(theta0);
  const C = Float64Array.from(U0, (v) => sigma0 * sigma0 * v);
  const jacobian: Float64Array[] = [];
  for (let k = 0; k < nth; k++) {
    const diff = (h: number): Float64Array => {
      const x = Float64Array.from(phi0);
      x[k] = phi0[k] + h;
      const up = unitVcov(thetaOf(x));
      x[k] = phi0[k] - h;
      const um = unitVcov(thetaOf(x));
      return Float64Array.from(up, (v, i) => (sigma0 * sigma0 * (v - um[i])) / (2 * h));
    };
    const d1 = diff(steps[k]);
    const d2 = diff(steps[k] / 2);
    jacobian.push(richardson(d1, d2));
  }
  jacobian.push(Float64Array.from(U0, (v) => 2 * sigma0 * v));
  // leave L factored at the fit's own θ
  updateL(model, theta0);
  const out: VarparAnalysis = { p, d, beta: Float64Array.from(fit.beta), C, jacobian, vcovVarpar, warnings };
  cache.set(fit, out);
  return out;
}

/** Satterthwaite's df for the linear combination ℓᵀβ: 2·(ℓᵀCℓ)² / (gᵀ A g), g_k = ℓᵀ(∂C/∂φ_k)ℓ. */
export function contrastDf(v: VarparAnalysis, l: ArrayLike<number>): { variance: number; df: number } {
  const { p, d } = v;
  const qform = (M: Float64Array): number => {
    let s = 0;
    for (let a = 0; a < p; a++) {
      if (l[a] === 0) continue;
      let r = 0;
      for (let b = 0; b < p; b++) r += M[a * p + b] * l[b];
      s += l[a] * r;
    }
    return s;
  };
  const variance = qform(v.C);
  const g = v.jacobian.map(qform);
  let denom = 0;
  for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) denom += g[a] * v.vcovVarpar[a * d + b] * g[b];
  return { variance, df: (2 * variance * variance) / denom };
}
