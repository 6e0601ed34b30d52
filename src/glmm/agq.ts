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
      devc[l] += fam.devResid(y[r], fam.linkinv(eta), prior[r]);
    }
    for (let l = 0; l < nl; l++) mult[l] += weights[k] * Math.exp((zk * zk + devc0[l] - devc[l]) / 2);
  }
  let D = 0;
  for (let l = 0; l < nl; l++) D += devc0[l] - 2 * (Math.log(mult[l]) + Math.log(sd[l]));
  return D;
}
