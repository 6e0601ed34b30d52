/**
 * Convergence diagnostics at a fit's optimum that are worth trusting: the gradient and Hessian of
 * the profiled criterion (REML criterion or ML deviance) in θ, by Richardson-extrapolated central
 * differences on the engine's working scale (θ of order one).
 *
 * lme4 warns when max|gradient| exceeds 0.002 (or its Hessian-scaled version 0.002 after a
 * Cholesky solve). An absolute gradient threshold is not scale-free: it depends on how θ is
 * parametrised and grows with the size of the data, which is why lme4's warnings are so often
 * spurious on large data. What matters is how much the criterion could still fall: a Newton step
 * from the reported θ would lower it by ½·gᵀH⁻¹g (deviance units, where 1 unit is a likelihood
 * ratio of e^0.5 — statistically nothing below ~0.01). So the check warns when
 * - that predicted decrease exceeds `tol` (default 1e-3 deviance units), over the coordinates not
 *   held at a bound (a variance at 0 with a gradient pushing outwards is a boundary optimum, not
 *   a failure; `isSingular` reports it), or
 * - the Hessian has a negative eigenvalue below −1e-6·max eigenvalue (not a minimum), or
 * - it is numerically singular (smallest/largest eigenvalue < 1e-10): some combination of the
 *   variance parameters is not determined by the data.
 */
import { richardsonGradient, richardsonHessian } from "../util/central-differences.ts";
import { type Warning, SpecError } from "../errors.ts";
import { symmetricEigen } from "../linalg/symmetric-eigen.ts";
import { fitInternals, modelFor } from "../lmm/fit-internals.ts";
import type { LmmFit } from "../lmm/fit-lmm.ts";
import { thetaLowerBounds } from "../lmm/lmm-result.ts";
import { evaluate, updateL } from "../lmm/update-l.ts";
import { requireLmm } from "../lmm/require-lmm.ts";

export interface ConvergenceDiagnostics {
  /** Gradient of the criterion in θ (working scale), at the fit's θ. */
  readonly gradient: readonly number[];
  /** Hessian of the criterion in θ (working scale), row-major nested arrays. */
  readonly hessian: readonly (readonly number[])[];
  /** max |gradient| over the coordinates not at a bound (lme4's quantity, for comparison). */
  readonly maxAbsGradient: number;
  /** Decrease of the criterion a Newton step would give, ½·gᵀH⁻¹g over the free coordinates. */
  readonly newtonDecrement: number;
  readonly minHessianEigenvalue: number;
  readonly maxHessianEigenvalue: number;
  /** Coordinates held at their bound (θ diagonal at 0 with a gradient pushing outwards). */
  readonly atBound: readonly number[];
  readonly warnings: readonly Warning[];
}

/** Gradient and Hessian of the profiled criterion at the fit's θ, and what they say (see the module comment). */
export function convergenceDiagnostics(fit: LmmFit, opts: { tol?: number } = {}): ConvergenceDiagnostics {
  requireLmm(
    fit,
    "convergenceDiagnostics",
    "a GLMM's optimiser report is fit.optinfo (converged, message, feval) and its warnings",
  );
  const tol = opts.tol ?? 1e-3;
  const internals = fitInternals(fit);
  if (!internals)
    throw new SpecError(
      "E_SPEC_UNSUPPORTED",
      "this fit was not made by fitLmm, so its criterion is not available",
    );
  const model = modelFor(internals);
  const reml = fit.REML;
  const d = model.ntheta;
  const fac = model.thetaFactor;
  const lower = thetaLowerBounds(model);
  const x0 = Float64Array.from(fit.theta, (v, i) => v * fac[i]);
  const f = (x: Float64Array): number =>
    evaluate(
      model,
      Float64Array.from(x, (v, i) => v / fac[i]),
      reml,
      true,
    ).value;
  const h = Float64Array.from(x0, (v) => 1e-4 * Math.max(Math.abs(v), 0.1));
  const g = Array.from(richardsonGradient(f, x0, h));
  const Hflat = richardsonHessian(f, x0, h);
  const H = Array.from({ length: d }, (_, i) => Array.from(Hflat.subarray(i * d, (i + 1) * d)));
  updateL(model, Float64Array.from(fit.theta));

  // coordinates at a bound with the gradient pushing outwards are held there
  const atBound: number[] = [];
  for (let i = 0; i < d; i++) if (lower[i] === 0 && x0[i] === 0 && g[i] > 0) atBound.push(i);
  const free = Array.from({ length: d }, (_, i) => i).filter((i) => !atBound.includes(i));
  const k = free.length;
  const Hf = new Float64Array(k * k);
  free.forEach((i, a) => {
    free.forEach((j, b) => {
      Hf[a * k + b] = H[i][j];
    });
  });
  const eig = symmetricEigen(Hf, k);
  const maxEig = k > 0 ? eig.values[0] : 0;
  const minEig = k > 0 ? eig.values[k - 1] : 0;
  // Newton decrement over the eigen-directions with positive curvature
  let dec = 0;
  for (let c = 0; c < k; c++) {
    const lam = eig.values[c];
    if (!(lam > 1e-12 * Math.max(maxEig, 1e-300))) continue;
    let proj = 0;
    free.forEach((i, a) => {
      proj += eig.vectors[c * k + a] * g[i];
    });
    dec += (0.5 * proj * proj) / lam;
  }
  const maxAbsGradient = free.reduce((m, i) => Math.max(m, Math.abs(g[i])), 0);
  const warnings: Warning[] = [];
  if (minEig < -1e-6 * Math.abs(maxEig)) {
    warnings.push({
      code: "not_converged",
      message: `the reported θ is not a minimum of the criterion: its Hessian in θ has a negative eigenvalue (${minEig.toPrecision(3)}); the estimates are not reliable`,
    });
  } else if (dec > tol) {
    warnings.push({
      code: "not_converged",
      message: `the criterion could still fall by ${dec.toPrecision(3)} (a Newton step from the reported θ; max|gradient| ${maxAbsGradient.toPrecision(3)}): the optimiser stopped early`,
    });
  }
  if (k > 0 && minEig >= 0 && minEig < 1e-10 * maxEig) {
    warnings.push({
      code: "ill_conditioned",
      message:
        "the Hessian of the criterion in θ is numerically singular: some combination of the variance parameters is not determined by the data",
    });
  }
  return {
    gradient: g,
    hessian: H,
    maxAbsGradient,
    newtonDecrement: dec,
    minHessianEigenvalue: minEig,
    maxHessianEigenvalue: maxEig,
    atBound,
    warnings,
  };
}

/** The diagnostics as JSON (`mixed fit --convergence --json` adds them as `convergence`). */
export function convergenceToJSON(c: ConvergenceDiagnostics): Record<string, unknown> {
  return {
    gradient: c.gradient,
    hessian: c.hessian,
    max_abs_gradient: c.maxAbsGradient,
    newton_decrement: c.newtonDecrement,
    min_hessian_eigenvalue: c.minHessianEigenvalue,
    max_hessian_eigenvalue: c.maxHessianEigenvalue,
    at_bound: c.atBound,
    warnings: c.warnings.map((w) => ({ code: w.code, message: w.message })),
  };
}
