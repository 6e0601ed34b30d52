/**
 * The GLMM's deviance as a function of (θ, β) for the computations after a fit (likelihood
 * profiles): the Laplace approximation (nAGQ = 1) or adaptive Gauss–Hermite quadrature (nAGQ > 1)
 * of −2 log-likelihood, less the saturated model's constant, at the conditional modes found by
 * PIRLS (converged to 1e-10 in the step, warm-started from the previous evaluation's modes, so the
 * function is smooth where lme4's restarted evaluations are not; when PIRLS fails from the previous
 * modes it is tried once more from u = 0). It works on its own engine model, so the fit's is
 * untouched. An evaluation where PIRLS fails both times gives NaN and leaves the state as it was.
 */
import { NumericalError } from "../errors.ts";
import { agqDeviance, agqDevianceVector } from "./agq.ts";
import type { GlmmProblem } from "./glmm-problem.ts";
import { createGlmmWork, pirls, setFixed } from "./pirls.ts";

export interface GlmmDeviance {
  readonly ntheta: number;
  readonly p: number;
  /** The deviance at (θ, β) (NaN where PIRLS fails). */
  deviance(theta: ArrayLike<number>, beta: ArrayLike<number>): number;
  /** The conditional modes of the last successful evaluation start the next one; reset them to 0. */
  reset(): void;
}

export function glmmDeviance(problem: GlmmProblem, nAGQ: number): GlmmDeviance {
  const work = createGlmmWork(problem);
  const vector = work.model.terms[0].S > 1;
  const u0 = new Float64Array(work.q);
  return {
    ntheta: work.model.ntheta,
    p: work.p,
    deviance(theta, beta) {
      u0.set(work.u);
      // warm-started from the previous modes; if PIRLS fails from there, once more from u = 0
      for (let attempt = 0; attempt < 2; attempt++) {
        try {
          setFixed(work, beta);
          const r = pirls(work, theta, false);
          const v =
            nAGQ <= 1
              ? r.ldL2 + r.sqrL + r.devResid
              : vector
                ? agqDevianceVector(work, theta, nAGQ)
                : agqDeviance(work, theta, nAGQ);
          if (Number.isFinite(v)) return v;
        } catch (e) {
          if (!(e instanceof NumericalError)) throw e;
        }
        work.u.fill(0);
      }
      work.u.set(u0);
      return Number.NaN;
    },
    reset() {
      work.u.fill(0);
    },
  };
}
