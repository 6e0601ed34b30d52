/**
 * The binomial family (R's `binomial()`): V(μ) = μ(1 − μ), deviance residual
 * 2·wt·(y log(y/μ) + (1 − y) log((1 − y)/(1 − μ))) with 0·log 0 = 0 (R's `binomial_dev_resids`),
 * AIC from `dbinom` on the rounded counts exactly as R's `binomial()$aic`.
 */
import { dbinomLog } from "../special/log-densities.ts";
import type { Family } from "./family.ts";
import type { Link } from "./link.ts";

function yLogY(y: number, mu: number): number {
  return y !== 0 ? y * Math.log(y / mu) : 0;
}

function devResid(y: number, mu: number, wt: number): number {
  return 2 * wt * (yLogY(y, mu) + yLogY(1 - y, 1 - mu));
}

/** The binomial family with the given link (logit, probit, cloglog, log). */
export function binomialFamily(link: Link): Family {
  return {
    name: "binomial",
    link,
    dispersionFixed: true,
    twoColumnResponse: true,
    variance: (mu) => mu * (1 - mu),
    varianceInto(mu, out) {
      for (let i = 0; i < mu.length; i++) out[i] = mu[i] * (1 - mu[i]);
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
    aic(y, n, mu, wt) {
      let anyTrials = false;
      for (let i = 0; i < n.length; i++) if (n[i] > 1) anyTrials = true;
      const m = anyTrials ? n : wt;
      let s = 0;
      for (let i = 0; i < y.length; i++) {
        if (!(m[i] > 0)) continue;
        s += (wt[i] / m[i]) * dbinomLog(Math.round(m[i] * y[i]), Math.round(m[i]), mu[i]);
      }
      return -2 * s;
    },
    validMu(mu) {
      for (let i = 0; i < mu.length; i++) if (!(mu[i] > 0 && mu[i] < 1)) return false;
      return true;
    },
    initializeInto(y, m, out) {
      for (let i = 0; i < y.length; i++) out[i] = (m[i] * y[i] + 0.5) / (m[i] + 1);
    },
  };
}
