/**
 * The links of R's `make.link()` with R's numerical safeguards (stats 4.2, `family.c` and
 * `make.link`):
 * - logit: g⁻¹(η) uses exp(η) clamped to [ε, 1/ε] for |η| > 30 and dμ/dη = ε there (ε = DBL_EPSILON);
 * - probit: η clamped to ±(−qnorm(ε)) before Φ, dμ/dη = max(φ(η), ε);
 * - cloglog: μ = −expm1(−exp(η)) clamped to [ε, 1 − ε], dμ/dη = max(exp(η − exp(η)), ε) with η ≤ 700;
 * - log: μ = max(exp(η), ε), dμ/dη = max(exp(η), ε);
 * - identity.
 * Each array form is its own loop, so it stays monomorphic and allocation-free.
 */
import { OptionError } from "../errors.ts";
import { pnorm } from "../special/distributions.ts";
import { dnorm } from "../special/log-densities.ts";
import { qnorm } from "../special/quantiles.ts";
import type { Link, LinkName } from "./link.ts";

const EPS = 2.220446049250313e-16;
const INV_EPS = 1 / EPS;
const LOGIT_THRESH = 30;
/** −qnorm(DBL_EPSILON), R's probit clamp. */
const PROBIT_THRESH = 8.125890664701906;

const alwaysValid = (_eta: Float64Array) => true;

function logitInv(eta: number): number {
  const t = eta < -LOGIT_THRESH ? EPS : eta > LOGIT_THRESH ? INV_EPS : Math.exp(eta);
  return t / (1 + t);
}
function logitMuEta(eta: number): number {
  if (eta > LOGIT_THRESH || eta < -LOGIT_THRESH) return EPS;
  const e = Math.exp(eta);
  const o = 1 + e;
  return e / (o * o);
}
const logit: Link = {
  name: "logit",
  linkfun: (mu) => Math.log(mu / (1 - mu)),
  linkinv: logitInv,
  muEta: logitMuEta,
  validEta: alwaysValid,
  linkfunInto(mu, out) {
    for (let i = 0; i < mu.length; i++) out[i] = Math.log(mu[i] / (1 - mu[i]));
  },
  linkinvInto(eta, out) {
    for (let i = 0; i < eta.length; i++) out[i] = logitInv(eta[i]);
  },
  muEtaInto(eta, out) {
    for (let i = 0; i < eta.length; i++) out[i] = logitMuEta(eta[i]);
  },
};

function probitInv(eta: number): number {
  const e = Math.min(Math.max(eta, -PROBIT_THRESH), PROBIT_THRESH);
  return pnorm(e);
}
function probitMuEta(eta: number): number {
  return Math.max(dnorm(eta), EPS);
}
const probit: Link = {
  name: "probit",
  linkfun: (mu) => qnorm(mu),
  linkinv: probitInv,
  muEta: probitMuEta,
  validEta: alwaysValid,
  linkfunInto(mu, out) {
    for (let i = 0; i < mu.length; i++) out[i] = qnorm(mu[i]);
  },
  linkinvInto(eta, out) {
    for (let i = 0; i < eta.length; i++) out[i] = probitInv(eta[i]);
  },
  muEtaInto(eta, out) {
    for (let i = 0; i < eta.length; i++) out[i] = probitMuEta(eta[i]);
  },
};

function cloglogInv(eta: number): number {
  const mu = -Math.expm1(-Math.exp(eta));
  return Math.max(Math.min(mu, 1 - EPS), EPS);
}
function cloglogMuEta(eta: number): number {
  const e = Math.min(eta, 700);
  const x = Math.exp(e);
  return Math.max(x * Math.exp(-x), EPS);
}
const cloglog: Link = {
  name: "cloglog",
  linkfun: (mu) => Math.log(-Math.log1p(-mu)),
  linkinv: cloglogInv,
  muEta: cloglogMuEta,
  validEta: alwaysValid,
  linkfunInto(mu, out) {
    for (let i = 0; i < mu.length; i++) out[i] = Math.log(-Math.log1p(-mu[i]));
  },
  linkinvInto(eta, out) {
    for (let i = 0; i < eta.length; i++) out[i] = cloglogInv(eta[i]);
  },
  muEtaInto(eta, out) {
    for (let i = 0; i < eta.length; i++) out[i] = cloglogMuEta(eta[i]);
  },
};

function expAtLeastEps(eta: number): number {
  return Math.max(Math.exp(eta), EPS);
}
const log: Link = {
  name: "log",
  linkfun: (mu) => Math.log(mu),
  linkinv: expAtLeastEps,
  muEta: expAtLeastEps,
  validEta: alwaysValid,
  linkfunInto(mu, out) {
    for (let i = 0; i < mu.length; i++) out[i] = Math.log(mu[i]);
  },
  linkinvInto(eta, out) {
    for (let i = 0; i < eta.length; i++) out[i] = expAtLeastEps(eta[i]);
  },
  muEtaInto(eta, out) {
    for (let i = 0; i < eta.length; i++) out[i] = expAtLeastEps(eta[i]);
  },
};

const identity: Link = {
  name: "identity",
  linkfun: (mu) => mu,
  linkinv: (eta) => eta,
  muEta: () => 1,
  validEta: alwaysValid,
  linkfunInto(mu, out) {
    if (out !== mu) out.set(mu);
  },
  linkinvInto(eta, out) {
    if (out !== eta) out.set(eta);
  },
  muEtaInto(eta, out) {
    out.fill(1, 0, eta.length);
  },
};

const LINKS: Readonly<Record<LinkName, Link>> = { logit, probit, cloglog, log, identity };

/** Names `makeLink` accepts. */
export const LINK_NAMES: readonly LinkName[] = Object.keys(LINKS) as LinkName[];

/** Whether `name` is an implemented link. */
export function isLinkName(name: string): name is LinkName {
  return Object.hasOwn(LINKS, name);
}

/** The link called `name` (R's `make.link(name)`); OptionError E_OPTION_INVALID for an unknown one. */
export function makeLink(name: string): Link {
  if (!isLinkName(name)) {
    throw new OptionError(
      `unknown link '${name}'`,
      `use one of ${LINK_NAMES.map((l) => `'${l}'`).join(", ")}`,
    );
  }
  return LINKS[name];
}
