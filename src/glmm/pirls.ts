/**
 * Penalised iteratively reweighted least squares (algorithm.md §9): the conditional modes u of the
 * spherical random effects (and, for nAGQ = 0, β) at given θ, by Newton steps on the penalised
 * deviance Σ devresid(y, μ) + ‖u‖² with step halving, each step a weighted LMM solve on the LMM
 * engine: its A is refilled in place (`reweightLmm`) with the working weights and response, L is
 * factored (with the fill-reducing plan of a crossed model's dense block when there is at most one:
 * its permuted factor still yields the modes, see `sphericalModes`; else canonically), and β, u are
 * read off L (`fixefFromL`, `sphericalModes`).
 *
 * Working scale: the engine solves a rescaled problem (`working-scale.ts`); its β'' and u'' map to
 * the user's by β = shift + S·m∘β'' and u = √c·S·u'' (c the weight scale, S the response scale).
 */
import { MixedError, NumericalError } from "../errors.ts";
import { fixefFromL, sphericalModes } from "../lmm/lmm-estimates.ts";
import {
  createLmm,
  type LmmModel,
  type RefillSnapshot,
  restoreRefill,
  reweightLmm,
  snapshotRefill,
} from "../lmm/lmm-model.ts";
import { logDets, updateL } from "../lmm/update-l.ts";
import type { GlmmProblem } from "./glmm-problem.ts";

/** The mutable state of a GLMM fit: the engine model and the current η, μ, u, β. */
export interface GlmmWork {
  readonly problem: GlmmProblem;
  readonly model: LmmModel;
  readonly n: number;
  readonly p: number;
  /** Total number of random effects; u is laid out by the engine's term order. */
  readonly q: number;
  /** Offset of each engine term's block in u. */
  readonly uOff: readonly number[];
  /** Prior weights (ones when none). */
  readonly prior: Float64Array;
  readonly offset: Float64Array | null;
  readonly eta: Float64Array;
  readonly mu: Float64Array;
  /** Working weights and response (scratch for each reweight). */
  readonly wts: Float64Array;
  readonly z: Float64Array;
  /** X β (+ offset) for the current β. */
  readonly fixed: Float64Array;
  /** Conditional modes (spherical, user scale) and fixed effects of the current state. */
  readonly u: Float64Array;
  readonly beta: Float64Array;
  /** θ (input order) at which the state was computed. */
  readonly theta: Float64Array;
  /** Per engine term, λu per level (scratch). */
  readonly b: Float64Array;
  /** Scratch of the PIRLS iterations (trial and previous u, β; β on the engine's scale). */
  readonly scratch: {
    readonly u1: Float64Array;
    readonly u0: Float64Array;
    readonly b1: Float64Array;
    readonly b0: Float64Array;
    readonly bw: Float64Array;
    /** The modes per engine term as `sphericalModes` returns them. */
    readonly modes: Float64Array[];
  };
  /**
   * −2 log-likelihood of the saturated model (μ = y). For binomial and Poisson the deviance
   * residuals are −2 log p(y|μ) + 2 log p(y|y), so −2 log p(y|μ) = Σ devresid + this constant.
   */
  readonly minus2LogLikSaturated: number;
  /**
   * Factor with the engine's objective-only fast paths: true when at most one diagonal block has a
   * fill-reducing plan, so that `sphericalModes` can solve with the permuted factor.
   */
  readonly fastFactor: boolean;
  /** The first iteration of `pirlsLme4` from the last linear predictor it started from (see `StartCache`). */
  readonly start: StartCache;
}

/**
 * `pirlsLme4` restarts every evaluation of a stage from the same linear predictor, so its first
 * working weights and response, and the engine's A refilled with them, are the same every time:
 * they are kept here (μ, w, z and the engine's refill state at `eta`) and copied back instead of
 * recomputed. Valid while `eta` equals the call's start value by value (checked on every call).
 */
interface StartCache {
  eta: Float64Array | null;
  readonly mu: Float64Array;
  readonly wts: Float64Array;
  readonly z: Float64Array;
  snap: RefillSnapshot | null;
}

/** The pieces of the Laplace objective at the PIRLS solution. */
export interface PirlsResult {
  /** Σ squared deviance residuals at μ(u, β). */
  readonly devResid: number;
  /** ‖u‖². */
  readonly sqrL: number;
  /** log|Λᵀ Zᵀ W Z Λ + I| at the working weights of the solution. */
  readonly ldL2: number;
  /** −2 Σ log p(y | μ) (the family's full log-density). */
  readonly minus2LogLik: number;
  readonly iterations: number;
}

/** Newton steps and step halvings per PIRLS call (lme4: maxit 100 with 10 halvings per step). */
const MAX_ITER = 100;
const MAX_HALF = 10;
/** Convergence: max |Δu| and max |Δβ|/(1 + |β|) at most this. */
const STEP_TOL = 1e-10;

export function createGlmmWork(problem: GlmmProblem): GlmmWork {
  const n = problem.y.length;
  const p = problem.xnames.length;
  const prior = problem.weights ? Float64Array.from(problem.weights) : new Float64Array(n).fill(1);
  const fam = problem.family;
  // the engine starts at the GLM's usual initial working weights and response
  const wts = new Float64Array(n);
  const z = new Float64Array(n);
  const mus = fam.muStart(problem.y, prior);
  for (let t = 0; t < n; t++) {
    const mu = mus[t];
    const eta = fam.linkfun(mu);
    const d = fam.muEta(eta);
    wts[t] = (prior[t] * d * d) / fam.variance(mu);
    z[t] = eta + (problem.y[t] - mu) / d;
  }
  const model = createLmm(
    {
      y: Float64Array.from(z),
      X: problem.X,
      xnames: problem.xnames,
      reterms: problem.reterms,
      weights: wts,
    },
    { reweighted: true },
  );
  const sat = fam.saturatedMinus2LogLik(problem.y, prior);
  const uOff: number[] = [];
  let q = 0;
  for (const t of model.terms) {
    uOff.push(q);
    q += t.q;
  }
  return {
    problem,
    model,
    n,
    p,
    q,
    uOff,
    prior,
    offset: problem.offset ?? null,
    eta: new Float64Array(n),
    mu: new Float64Array(n),
    wts,
    z,
    fixed: new Float64Array(n),
    u: new Float64Array(q),
    beta: new Float64Array(p),
    theta: new Float64Array(model.ntheta),
    b: new Float64Array(q),
    scratch: {
      u1: new Float64Array(q),
      u0: new Float64Array(q),
      b1: new Float64Array(p),
      b0: new Float64Array(p),
      bw: new Float64Array(p),
      modes: model.terms.map((t) => new Float64Array(t.q)),
    },
    minus2LogLikSaturated: sat,
    fastFactor: model.fast.plans.filter((x) => x !== null).length <= 1,
    start: {
      eta: null,
      mu: new Float64Array(n),
      wts: new Float64Array(n),
      z: new Float64Array(n),
      snap: null,
    },
  };
}

/** fixed ← offset + X β. */
export function setFixed(work: GlmmWork, beta: ArrayLike<number>): void {
  const { n, p, fixed, offset, problem } = work;
  if (offset) fixed.set(offset);
  else fixed.fill(0);
  const X = problem.X;
  for (let c = 0; c < p; c++) {
    const bc = beta[c];
    if (bc === 0) continue;
    for (let t = 0; t < n; t++) fixed[t] += X[c * n + t] * bc;
  }
  work.beta.set(beta);
}

/** b_j = λ_j u_j per level for each engine term (λ from θ, user scale). */
function randomEffects(work: GlmmWork, theta: ArrayLike<number>, u: Float64Array, b: Float64Array): void {
  const { model, uOff } = work;
  const terms = model.terms;
  for (let j = 0; j < terms.length; j++) {
    const t = terms[j];
    const S = t.S;
    const o0 = uOff[j];
    if (S === 1) {
      const lam = theta[t.thetaOffset];
      for (let l = 0; l < t.nl; l++) b[o0 + l] = lam * u[o0 + l];
      continue;
    }
    for (let l = 0; l < t.nl; l++)
      for (let r = 0; r < S; r++) {
        let s = 0;
        // λ[r, c] for c ≤ r is θ entry at offset (column c, row r) of the column-major lower triangle
        for (let c = 0; c <= r; c++) s += thetaAt(theta, t.thetaOffset, S, r, c) * u[o0 + l * S + c];
        b[o0 + l * S + r] = s;
      }
  }
}

function thetaAt(theta: ArrayLike<number>, off: number, S: number, r: number, c: number): number {
  // entries of column c start after the columns 0..c−1 (S − c' entries each)
  return theta[off + c * S - (c * (c - 1)) / 2 + (r - c)];
}

/** η ← fixed + Z Λ u; μ ← g⁻¹(η); returns Σ devresid. */
export function updateEta(work: GlmmWork, theta: ArrayLike<number>, u: Float64Array): number {
  const { n, model, uOff, eta, mu, fixed, b, problem, prior } = work;
  randomEffects(work, theta, u, b);
  const terms = model.terms;
  const fam = problem.family;
  const y = problem.y;
  let dev = 0;
  if (terms.length === 1 && terms[0].S === 1) {
    // one scalar term (the common case): η, μ and the deviance in one pass, each value as below
    const z = problem.reterms[terms[0].input].z;
    const refs = terms[0].refs;
    const o0 = uOff[0];
    for (let r = 0; r < n; r++) {
      const e = fixed[r] + z[r] * b[o0 + refs[r]];
      eta[r] = e;
      const m = fam.linkinv(e);
      mu[r] = m;
      dev += fam.devResid(y[r], m, prior[r]);
    }
    return dev;
  }
  eta.set(fixed);
  for (let j = 0; j < terms.length; j++) {
    const t = terms[j];
    const S = t.S;
    const z = problem.reterms[t.input].z;
    const refs = t.refs;
    const o0 = uOff[j];
    if (S === 1) {
      for (let r = 0; r < n; r++) eta[r] += z[r] * b[o0 + refs[r]];
      continue;
    }
    for (let r = 0; r < n; r++) {
      const o = o0 + refs[r] * S;
      let s = 0;
      for (let c = 0; c < S; c++) s += z[r * S + c] * b[o + c];
      eta[r] += s;
    }
  }
  for (let t = 0; t < n; t++) {
    const m = fam.linkinv(eta[t]);
    mu[t] = m;
    dev += fam.devResid(y[t], m, prior[t]);
  }
  return dev;
}

function sumSq(u: Float64Array): number {
  let s = 0;
  for (const v of u) s += v * v;
  return s;
}

/**
 * Working weights and response at the current η, μ, installed into the engine and factored at θ.
 * Returns false when a weight is not positive/finite or the factorisation fails.
 */
function installWorking(work: GlmmWork, theta: ArrayLike<number>, modesOnly = false): boolean {
  // the objective-only factorisation (fill-reducing plans) when it can still yield the modes
  return refill(work, modesOnly) && updateL(work.model, theta, work.fastFactor, modesOnly);
}

/**
 * The working weights and response at the current η, μ, refilled into the engine (L stale); with
 * `modesOnly` without the engine's [X y] diagonal block (β fixed: see `pirlsLme4`).
 */
function refill(work: GlmmWork, modesOnly = false): boolean {
  const { n, eta, mu, wts, z, prior, offset, problem, model } = work;
  const fam = problem.family;
  const y = problem.y;
  for (let t = 0; t < n; t++) {
    const d = fam.muEta(eta[t]);
    const w = (prior[t] * d * d) / fam.variance(mu[t]);
    const zt = eta[t] - (offset ? offset[t] : 0) + (y[t] - mu[t]) / d;
    if (!(w > 0) || !Number.isFinite(w) || !Number.isFinite(zt)) return false;
    wts[t] = w;
    z[t] = zt;
  }
  try {
    reweightLmm(model, wts, z, { light: true, modesOnly });
  } catch (e) {
    if (e instanceof MixedError) return false;
    throw e;
  }
  return true;
}

/** Whether the two arrays hold the same values. */
function sameValues(a: Float64Array, b: Float64Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * `installWorking` at the start η of `pirlsLme4` (set in `work.eta`, with μ): from the cache when
 * it holds this start, else computed and cached.
 */
function installStart(work: GlmmWork, theta: ArrayLike<number>, hit: boolean, modesOnly: boolean): boolean {
  const c = work.start;
  if (hit && c.snap) {
    work.wts.set(c.wts);
    work.z.set(c.z);
    restoreRefill(work.model, c.snap);
  } else {
    c.eta = null;
    if (!refill(work)) return false;
    c.eta = Float64Array.from(work.eta);
    c.mu.set(work.mu);
    c.wts.set(work.wts);
    c.z.set(work.z);
    c.snap = snapshotRefill(work.model, c.snap ?? undefined);
  }
  return updateL(work.model, theta, work.fastFactor, modesOnly);
}

/** (u, β) of the weighted LMM just factored; β fixed at `beta` unless `varyBeta`. */
function solveStep(work: GlmmWork, varyBeta: boolean, uOut: Float64Array, betaOut: Float64Array): void {
  const { model, p } = work;
  const { scale, betaShift } = model.response;
  const xs = model.xScale;
  const bw = work.scratch.bw;
  if (varyBeta) {
    fixefFromL(model, bw);
    for (let j = 0; j < p; j++) betaOut[j] = betaShift[j] + scale * (xs[j] * bw[j]);
  } else {
    for (let j = 0; j < p; j++) {
      betaOut[j] = work.beta[j];
      bw[j] = (work.beta[j] - betaShift[j]) / (scale * xs[j]);
    }
  }
  const v = sphericalModes(model, bw, work.scratch.modes);
  const f = model.sigmaFactor * scale;
  for (let j = 0; j < v.length; j++) {
    const vj = v[j];
    const o = work.uOff[j];
    for (let i = 0; i < vj.length; i++) uOut[o + i] = vj[i] * f;
  }
}

/**
 * Run PIRLS at θ from the current state (u, β): with `varyBeta` β is updated too (nAGQ = 0), else
 * β stays at `work.beta` (`setFixed` must have been called). With `etaStart`, the first working
 * weights come from that linear predictor (the GLM's starting μ) instead of the state.
 * On return the state holds the solution and L is factored at its working weights. Throws
 * NumericalError E_NUMERIC_PIRLS_DIVERGED when a step cannot lower the penalised deviance on the
 * first iteration, or the working weights or the factorisation break down.
 */
export function pirls(
  work: GlmmWork,
  theta: ArrayLike<number>,
  varyBeta: boolean,
  etaStart: Float64Array | null = null,
): PirlsResult {
  const { u, beta, p, problem } = work;
  work.theta.set(theta);
  const fam = problem.family;
  let pdev0: number;
  if (etaStart) {
    work.eta.set(etaStart);
    for (let t = 0; t < work.n; t++) work.mu[t] = fam.linkinv(etaStart[t]);
    pdev0 = Number.POSITIVE_INFINITY;
  } else {
    if (!varyBeta) setFixed(work, beta);
    pdev0 = updateEta(work, theta, u) + sumSq(u);
  }
  const { u1, b1, u0, b0 } = work.scratch;
  let iter = 0;
  for (; iter < MAX_ITER; iter++) {
    if (!installWorking(work, theta))
      throw diverged(
        `the working weights or the factorisation broke down at PIRLS iteration ${iter + 1} (θ = ${fmt(theta)})`,
      );
    solveStep(work, varyBeta, u1, b1);
    let step = 0;
    for (let i = 0; i < u1.length; i++) step = Math.max(step, Math.abs(u1[i] - u[i]));
    if (varyBeta)
      for (let j = 0; j < p; j++) step = Math.max(step, Math.abs(b1[j] - beta[j]) / (1 + Math.abs(beta[j])));
    if (step <= STEP_TOL && Number.isFinite(pdev0)) break;
    u0.set(u);
    b0.set(beta);
    if (varyBeta) setFixed(work, b1);
    let pdev = updateEta(work, theta, u1) + sumSq(u1);
    let half = 0;
    while (!(pdev <= pdev0) && half < MAX_HALF) {
      half++;
      for (let i = 0; i < u1.length; i++) u1[i] = (u1[i] + u0[i]) / 2;
      if (varyBeta) {
        for (let j = 0; j < p; j++) b1[j] = (b1[j] + b0[j]) / 2;
        setFixed(work, b1);
      }
      pdev = updateEta(work, theta, u1) + sumSq(u1);
    }
    if (!(pdev <= pdev0)) {
      if (iter === 0 || !Number.isFinite(pdev))
        throw diverged(
          `PIRLS step-halving failed to lower the penalised deviance at iteration ${iter + 1} (θ = ${fmt(theta)})`,
        );
      // no further progress possible: keep the previous state (L is factored there)
      u.set(u0);
      if (varyBeta) setFixed(work, b0);
      updateEta(work, theta, u);
      if (!installWorking(work, theta))
        throw diverged(`the factorisation failed at PIRLS iteration ${iter + 1}`);
      break;
    }
    u.set(u1);
    pdev0 = pdev;
  }
  if (iter === MAX_ITER)
    throw diverged(`PIRLS did not converge in ${MAX_ITER} iterations (θ = ${fmt(theta)})`);
  const devResid = updateEta(work, theta, u);
  return {
    devResid,
    sqrL: sumSq(u),
    ldL2: logDets(work.model).ldL2,
    minus2LogLik: devResid + work.minus2LogLikSaturated,
    iterations: iter + 1,
  };
}

/**
 * PIRLS as lme4's `pwrssUpdate` runs it (lme4 1.1): every call restarts from the linear predictor
 * `etaStart` (glmer's `lp0`), iterates until the penalised deviance changes by less than `tol`
 * relative (`tolPwrss`, 1e-7), and reports log|L|² of the *last factorisation*, i.e. at the working
 * weights of the iterate before the final step. That makes lme4's Laplace deviance differ from the
 * exact one (by up to ~1e-3 on cbpp) in a way that is smooth in (θ, β) except where the number
 * of iterations changes; lme4's estimates and standard errors are those of this function, so the
 * default fit reproduces them with it (`exactLaplace: false`).
 *
 * `modesOnly` (β fixed only): the engine's [X y] diagonal block is neither refilled nor factored
 * (`updateL`), which leaves the result — log|L|², u, the deviance — unchanged, bit for bit, but
 * L_XX (β̂, its covariance) stale: the last evaluation before reading those must be a full one.
 */
export function pirlsLme4(
  work: GlmmWork,
  theta: ArrayLike<number>,
  varyBeta: boolean,
  etaStart: Float64Array,
  opts: { readonly tol?: number; readonly modesOnly?: boolean } = {},
): PirlsResult {
  const tol = opts.tol ?? 1e-7;
  const modesOnly = !varyBeta && (opts.modesOnly ?? false);
  const { u, beta, p, problem } = work;
  work.theta.set(theta);
  const fam = problem.family;
  work.eta.set(etaStart);
  const cached = work.start.eta;
  const hit = cached !== null && sameValues(cached, etaStart);
  if (hit) work.mu.set(work.start.mu);
  else for (let t = 0; t < work.n; t++) work.mu[t] = fam.linkinv(etaStart[t]);
  if (!varyBeta) setFixed(work, beta);
  let pdev0 = Number.MAX_VALUE;
  const { u1, b1, u0, b0 } = work.scratch;
  let ldL2 = 0;
  let lastDev = 0;
  let iter = 0;
  for (; iter < MAX_ITER; iter++) {
    if (!(iter === 0 ? installStart(work, theta, hit, modesOnly) : installWorking(work, theta, modesOnly)))
      throw diverged(
        `the working weights or the factorisation broke down at PIRLS iteration ${iter + 1} (θ = ${fmt(theta)})`,
      );
    u0.set(u);
    b0.set(work.beta);
    solveStep(work, varyBeta, u1, b1);
    if (varyBeta) setFixed(work, b1);
    lastDev = updateEta(work, theta, u1);
    let pdev = lastDev + sumSq(u1);
    if (Math.abs((pdev0 - pdev) / pdev) < tol) {
      u.set(u1);
      // log|L|² of this iteration's factorisation (L is untouched since installWorking)
      ldL2 = logDets(work.model).ldL2;
      break;
    }
    let half = 0;
    while (pdev > pdev0 && half < MAX_HALF) {
      half++;
      for (let i = 0; i < u1.length; i++) u1[i] = (u1[i] + u0[i]) / 2;
      if (varyBeta) {
        for (let j = 0; j < p; j++) b1[j] = (b1[j] + b0[j]) / 2;
        setFixed(work, b1);
      }
      lastDev = updateEta(work, theta, u1);
      pdev = lastDev + sumSq(u1);
    }
    if (!(pdev - pdev0 <= tol))
      throw diverged(
        `PIRLS step-halving failed to lower the penalised deviance at iteration ${iter + 1} (θ = ${fmt(theta)})`,
      );
    u.set(u1);
    pdev0 = pdev;
  }
  if (iter === MAX_ITER)
    throw diverged(`PIRLS did not converge in ${MAX_ITER} iterations (θ = ${fmt(theta)})`);
  // η, μ are those of u (the last update was at u1 = u)
  return {
    devResid: lastDev,
    sqrL: sumSq(u),
    ldL2,
    minus2LogLik: lastDev + work.minus2LogLikSaturated,
    iterations: iter + 1,
  };
}

function fmt(theta: ArrayLike<number>): string {
  return Array.from(theta as ArrayLike<number>, (v) => v.toPrecision(4)).join(", ");
}

function diverged(what: string): NumericalError {
  return new NumericalError(
    "E_NUMERIC_PIRLS_DIVERGED",
    what,
    "the model may be too complex for the data (e.g. complete separation, or a group whose responses are all 0 or all 1 with a large variance); simplify the random effects or check the response",
  );
}
