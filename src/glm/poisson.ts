/**
 * The Poisson family (R's `poisson()`): V(μ) = μ, deviance residual 2·wt·(y log(y/μ) − (y − μ))
 * (2·wt·μ at y = 0), AIC −2 Σ wt·log dpois(y, μ), start μ = y + 0.1.
 */
import { dpoisLog } from "../special/log-densities.ts";
import type { Family } from "./family.ts";
import type { Link } from "./link.ts";

function devResid(y: number, mu: number, wt: number): number {
  return y > 0 ? 2 * wt * (y * Math.log(y / mu) - (y - mu)) : 2 * mu * wt;
}

/** The Poisson family with the given link (log, identity). */
export function poissonFamily(link: Link): Family {
  return {
    name: "poisson",
    link,
    dispersionFixed: true,
    twoColumnResponse: false,
    variance: (mu) => mu,
    varianceInto(mu, out) {
      if (out !== mu) out.set(mu);
    },
    devResid,
    devResidInto(y, mu, wt, out) {
      for (let i = 0; i < y.length; i++) out[i] = devResid(y[i], mu[i], wt[i]);
    },
    deviance(y, mu, wt) {
      let s = 0;
      for (let i = 0; i < y.length; i++) s += devResid(y[i], mu[i], wt[i]);
      return s;
    },
    aic(y, _n, mu, wt) {
      let s = 0;
      for (let i = 0; i < y.length; i++) if (wt[i] !== 0) s += dpoisLog(y[i], mu[i]) * wt[i];
      return -2 * s;
    },
    validMu(mu) {
      for (let i = 0; i < mu.length; i++) if (!(mu[i] > 0 && Number.isFinite(mu[i]))) return false;
      return true;
    },
    initializeInto(y, _m, out) {
      for (let i = 0; i < y.length; i++) out[i] = y[i] + 0.1;
    },
  };
}
