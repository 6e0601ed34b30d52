/**
 * The hyper-parameters shared by the full and the collapsed model, on the unconstrained scale, in
 * this order (Stan's order for the reference programs):
 *
 *   β (p) · for each random term t: its S_t SDs, then (vector terms) its S_t(S_t−1)/2 canonical
 *   partial correlations · σ
 *
 * `forward(q)` maps q to β, τ_t, L_t (Cholesky factor of the term's correlation), σ and returns
 * the log prior plus the log-Jacobians of the transforms; the model adds its likelihood terms and
 * their gradients with respect to the constrained values (`gBeta`, `gTau`, `gL`, `gSigma`,
 * `diagCoef`), then `backward(q, grad)` applies the chain rule (adding the prior and Jacobian
 * derivatives). Transforms: positive → log, an interval (a, b) from a uniform prior → logit
 * scaled to (a, b), the real line → identity; correlations → `corr-cholesky.ts`.
 * Allocation-free after construction.
 */
import { corrCholeskyBackward, corrCholeskyForward } from "./corr-cholesky.ts";
import type { PriorDistribution, ResolvedPriors, ScalarPrior, Support } from "./priors.ts";
import { priorLogKernel, priorLogKernelDerivative } from "./priors.ts";

/** Support kind codes of the scalar transforms. */
const REAL = 0;
const POSITIVE = 1;
const INTERVAL = 2;

/** One random-effects term as the Bayesian models see it. */
export interface BayesTerm {
  /** Grouping factor (brms group name). */
  readonly factor: string;
  readonly levels: readonly string[];
  /** 0-based level of each observation. */
  readonly refs: Int32Array;
  /** Number of columns. */
  readonly S: number;
  /** Column names (`(Intercept)`, `Days`). */
  readonly cnames: readonly string[];
  /** S×n: z[t*S + r] is column r at observation t. */
  readonly z: Float64Array;
  /** Whether the term has a correlation matrix (S > 1). */
  readonly correlated: boolean;
}

/** Per-term state of the hyper-parameters. */
export interface TermState {
  readonly S: number;
  /** Offset of the SDs in q. */
  readonly tauOff: number;
  /** Offset of the partial correlations in q (−1 without correlation). */
  readonly cpcOff: number;
  readonly eta: number;
  readonly tau: Float64Array;
  /** S×S row-major Cholesky factor of the correlation (identity without correlation). */
  readonly L: Float64Array;
  /** d loglik / d τ. */
  readonly gTau: Float64Array;
  /** d loglik / d L (row-major, lower part and diagonal). */
  readonly gL: Float64Array;
  /** Extra coefficients on log L_ii (e.g. −J of a centred prior). */
  readonly diagCoef: Float64Array;
}

interface CompiledScalar {
  readonly dist: PriorDistribution;
  readonly kind: number;
  readonly lower: number;
  readonly upper: number;
}

function compile(p: ScalarPrior): CompiledScalar {
  const s: Support = p.support;
  if (s.kind === "interval") return { dist: p.dist, kind: INTERVAL, lower: s.lower, upper: s.upper };
  return { dist: p.dist, kind: s.kind === "positive" ? POSITIVE : REAL, lower: 0, upper: 0 };
}

/** log(1 + exp(x)) without overflow. */
function softplus(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}

/** Scratch of the scalar transform: value, dx/dv, log-Jacobian, d logJ / dv. */
const tx = new Float64Array(4);

function transform(c: CompiledScalar, v: number): void {
  if (c.kind === REAL) {
    tx[0] = v;
    tx[1] = 1;
    tx[2] = 0;
    tx[3] = 0;
  } else if (c.kind === POSITIVE) {
    const x = Math.exp(v);
    tx[0] = x;
    tx[1] = x;
    tx[2] = v;
    tx[3] = 1;
  } else {
    const w = c.upper - c.lower;
    const p = 1 / (1 + Math.exp(-v));
    tx[0] = c.lower + w * p;
    tx[1] = w * p * (1 - p);
    tx[2] = Math.log(w) - softplus(-v) - softplus(v);
    tx[3] = 1 - 2 * p;
  }
}

function inverseTransform(c: CompiledScalar, x: number): number {
  if (c.kind === REAL) return x;
  if (c.kind === POSITIVE) return Math.log(x);
  const p = (x - c.lower) / (c.upper - c.lower);
  return Math.log(p / (1 - p));
}

export class HyperParameters {
  readonly p: number;
  readonly terms: readonly TermState[];
  readonly sigmaOff: number;
  /** Number of hyper-parameter coordinates (β, SDs, partial correlations, σ). */
  readonly dim: number;
  readonly beta: Float64Array;
  readonly gBeta: Float64Array;
  sigma = 1;
  gSigma = 0;
  private readonly bPriors: readonly CompiledScalar[];
  private readonly sdPriors: readonly CompiledScalar[];
  private readonly sigmaPrior: CompiledScalar;
  /** Unconstrained names, `b_Intercept`, `log(sd_g__x)`, `atanh(cpc_g[2,1])`, `log(sigma)`. */
  readonly names: readonly string[];

  constructor(xnames: readonly string[], terms: readonly BayesTerm[], priors: ResolvedPriors) {
    this.p = xnames.length;
    this.beta = new Float64Array(this.p);
    this.gBeta = new Float64Array(this.p);
    this.bPriors = priors.b.map(compile);
    this.sdPriors = priors.sd.map(compile);
    this.sigmaPrior = compile(priors.sigma);
    const names: string[] = priors.b.map((b, j) =>
      this.bPriors[j].kind === INTERVAL ? `logit(${b.name})` : b.name,
    );
    let off = this.p;
    let sdIndex = 0;
    let corIndex = 0;
    const states: TermState[] = [];
    for (const t of terms) {
      const S = t.S;
      const tauOff = off;
      for (let r = 0; r < S; r++) {
        const pr = priors.sd[sdIndex + r];
        names.push(`${this.sdPriors[sdIndex + r].kind === INTERVAL ? "logit" : "log"}(${pr.name})`);
      }
      sdIndex += S;
      off += S;
      let cpcOff = -1;
      let eta = 1;
      if (t.correlated) {
        cpcOff = off;
        eta = priors.cor[corIndex++].eta;
        for (let i = 1; i < S; i++)
          for (let k = 0; k < i; k++) names.push(`atanh(cpc_${t.factor}[${t.cnames[i]},${t.cnames[k]}])`);
        off += (S * (S - 1)) / 2;
      }
      const L = new Float64Array(S * S);
      for (let i = 0; i < S; i++) L[i * S + i] = 1;
      states.push({
        S,
        tauOff,
        cpcOff,
        eta,
        tau: new Float64Array(S),
        L,
        gTau: new Float64Array(S),
        gL: new Float64Array(S * S),
        diagCoef: new Float64Array(S),
      });
    }
    this.terms = states;
    this.sigmaOff = off;
    names.push(this.sigmaPrior.kind === INTERVAL ? "logit(sigma)" : "log(sigma)");
    this.dim = off + 1;
    this.names = names;
  }

  /** Constrain q, zero the gradient accumulators; returns log prior + log-Jacobians (LKJ included). */
  forward(q: Float64Array): number {
    let lp = 0;
    for (let j = 0; j < this.p; j++) {
      const c = this.bPriors[j];
      transform(c, q[j]);
      this.beta[j] = tx[0];
      lp += priorLogKernel(c.dist, tx[0]) + tx[2];
      this.gBeta[j] = 0;
    }
    let sdIndex = 0;
    for (const t of this.terms) {
      for (let r = 0; r < t.S; r++) {
        const c = this.sdPriors[sdIndex + r];
        transform(c, q[t.tauOff + r]);
        t.tau[r] = tx[0];
        lp += priorLogKernel(c.dist, tx[0]) + tx[2];
      }
      sdIndex += t.S;
      t.gTau.fill(0);
      t.gL.fill(0);
      t.diagCoef.fill(0);
      if (t.cpcOff >= 0) lp += corrCholeskyForward(q, t.cpcOff, t.S, t.eta, t.L);
    }
    transform(this.sigmaPrior, q[this.sigmaOff]);
    this.sigma = tx[0];
    lp += priorLogKernel(this.sigmaPrior.dist, tx[0]) + tx[2];
    this.gSigma = 0;
    return lp;
  }

  /** Write the gradient of the hyper-parameter coordinates into grad[0 .. dim). */
  backward(q: Float64Array, grad: Float64Array): void {
    for (let j = 0; j < this.p; j++) {
      const c = this.bPriors[j];
      transform(c, q[j]);
      grad[j] = (this.gBeta[j] + priorLogKernelDerivative(c.dist, tx[0])) * tx[1] + tx[3];
    }
    let sdIndex = 0;
    for (const t of this.terms) {
      for (let r = 0; r < t.S; r++) {
        const c = this.sdPriors[sdIndex + r];
        transform(c, q[t.tauOff + r]);
        grad[t.tauOff + r] = (t.gTau[r] + priorLogKernelDerivative(c.dist, tx[0])) * tx[1] + tx[3];
      }
      sdIndex += t.S;
      if (t.cpcOff >= 0) {
        const n = (t.S * (t.S - 1)) / 2;
        for (let k = 0; k < n; k++) grad[t.cpcOff + k] = 0;
        corrCholeskyBackward(q, t.cpcOff, t.S, t.eta, t.L, t.gL, grad, t.diagCoef);
      }
    }
    transform(this.sigmaPrior, q[this.sigmaOff]);
    grad[this.sigmaOff] =
      (this.gSigma + priorLogKernelDerivative(this.sigmaPrior.dist, tx[0])) * tx[1] + tx[3];
  }

  /** Whether β_j has an interval (uniform-prior) transform. */
  isIntervalBeta(j: number): boolean {
    return this.bPriors[j].kind === INTERVAL;
  }

  isIntervalSd(index: number): boolean {
    return this.sdPriors[index].kind === INTERVAL;
  }

  isIntervalSigma(): boolean {
    return this.sigmaPrior.kind === INTERVAL;
  }

  /** Unconstrained value of β_j (for data-driven starting points). */
  unconstrainBeta(j: number, x: number): number {
    return inverseTransform(this.bPriors[j], clampInside(this.bPriors[j], x));
  }

  /** Unconstrained value of an SD (index over all SDs in term order), clamped inside an interval. */
  unconstrainSd(index: number, x: number): number {
    return inverseTransform(this.sdPriors[index], clampInside(this.sdPriors[index], x));
  }

  unconstrainSigma(x: number): number {
    return inverseTransform(this.sigmaPrior, clampInside(this.sigmaPrior, x));
  }
}

function clampInside(c: CompiledScalar, x: number): number {
  if (c.kind !== INTERVAL) return x;
  const w = c.upper - c.lower;
  return Math.min(c.upper - 0.01 * w, Math.max(c.lower + 0.01 * w, x));
}
