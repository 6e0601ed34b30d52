/**
 * The Gaussian family (R's `gaussian()`): V(μ) = 1, deviance residual wt·(y − μ)², AIC
 * n·(log(2π·dev/n) + 1) + 2 − Σ log wt, dispersion estimated. With the identity link a GLM is the
 * linear model; other links give nonlinear least squares by IRLS.
 */
import type { Family } from "./family.ts";
import type { Link } from "./link.ts";

function devResid(y: number, mu: number, wt: number): number {
  const r = y - mu;
  return wt * r * r;
}

/** The Gaussian family with the given link (identity, log). */
export function gaussianFamily(link: Link): Family {
  return {
    name: "gaussian",
    link,
    dispersionFixed: false,
    twoColumnResponse: false,
    variance: () => 1,
    varianceInto(mu, out) {
      out.fill(1, 0, mu.length);
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
    aic(y, _n, _mu, wt, dev) {
      // As R: every row counts, so a zero prior weight makes the AIC infinite.
      const n = y.length;
      let slw = 0;
      for (let i = 0; i < n; i++) slw += Math.log(wt[i]);
      return n * (Math.log((2 * Math.PI * dev) / n) + 1) + 2 - slw;
    },
    validMu: () => true,
    initializeInto(y, _m, out) {
      if (out !== y) out.set(y);
    },
  };
}
