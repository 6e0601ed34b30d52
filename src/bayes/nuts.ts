/**
 * The No-U-Turn sampler as Stan implements it (multinomial variant with the generalised U-turn
 * criterion; Betancourt 2017, Stan's `base_nuts`):
 *
 * - a trajectory is doubled up to `maxTreedepth` times, each time in a random direction, by a
 *   subtree of 2^depth leapfrog steps built recursively;
 * - the sample is chosen by biased progressive sampling at the top level (a valid new subtree's
 *   proposal replaces the current one with probability min(1, W_new / W_old)) and uniform
 *   progressive sampling inside subtrees (W_second / (W_first + W_second)), W being the sum of
 *   exp(H0 − H) over the states of each part;
 * - the generalised U-turn criterion (p♯ · ρ > 0 at both ends, p♯ = M⁻¹ p, ρ the sum of momenta) is
 *   checked on every merged (sub)trajectory and, as Stan does since 2.21, also on the first half
 *   plus the first state of the second half and on the last state of the first half plus the
 *   second half;
 * - a leapfrog state whose energy exceeds H0 by more than `maxDeltaH` (1000; NaN counts as +∞)
 *   marks the transition divergent and invalidates its subtree, which is then not used;
 * - `acceptStat` is the mean of min(1, exp(H0 − H)) over all leapfrog states built, the rejected
 *   last subtree included; `energy` is H at the returned state.
 *
 * `NutsSampler` keeps the chain's current point (position, log density, gradient) between
 * transitions and allocates nothing after construction. Usage:
 *
 *     const nuts = new NutsSampler(model, new DiagMetric(model.dim), rng, { maxTreedepth: 10 });
 *     nuts.setPosition(q0);            // evaluates log density and gradient; returns lp
 *     nuts.initStepSize();             // Stan's heuristic from the current point
 *     nuts.transition();               // one iteration; results in nuts.q, nuts.lp, nuts.acceptStat, …
 *
 * The step size (`stepSize`) and the metric's inverse (`metric.inverse`, then `metric.update()`) may
 * be changed between transitions (that is what warm-up adaptation does).
 */

import { NumericalError } from "../errors.ts";
import type { LogDensity } from "./log-density.ts";
import type { Metric } from "./metric.ts";
import type { RandomStream } from "./random.ts";

export interface NutsOptions {
  /** Maximum tree depth (default 10: at most 2^10 − 1 leapfrog steps per iteration). */
  readonly maxTreedepth?: number;
  /** Energy error above which a leapfrog state is divergent (default 1000, as Stan). */
  readonly maxDeltaH?: number;
}

/** A phase-space point kept as a proposal: position, gradient, log density and energy. */
class Point {
  readonly q: Float64Array;
  readonly g: Float64Array;
  lp = 0;
  H = 0;
  constructor(dim: number) {
    this.q = new Float64Array(dim);
    this.g = new Float64Array(dim);
  }
  copyFrom(o: Point): void {
    this.q.set(o.q);
    this.g.set(o.g);
    this.lp = o.lp;
    this.H = o.H;
  }
}

/** An integrator state at one end of the trajectory. */
class EndState {
  readonly q: Float64Array;
  readonly p: Float64Array;
  readonly g: Float64Array;
  lp = 0;
  constructor(dim: number) {
    this.q = new Float64Array(dim);
    this.p = new Float64Array(dim);
    this.g = new Float64Array(dim);
  }
}

/** Work arrays of one recursion level of the tree building. */
class Level {
  readonly propFinal: Point;
  readonly pInitEnd: Float64Array;
  readonly vInitEnd: Float64Array;
  readonly rhoInit: Float64Array;
  readonly pFinalBeg: Float64Array;
  readonly vFinalBeg: Float64Array;
  readonly rhoFinal: Float64Array;
  constructor(dim: number) {
    this.propFinal = new Point(dim);
    this.pInitEnd = new Float64Array(dim);
    this.vInitEnd = new Float64Array(dim);
    this.rhoInit = new Float64Array(dim);
    this.pFinalBeg = new Float64Array(dim);
    this.vFinalBeg = new Float64Array(dim);
    this.rhoFinal = new Float64Array(dim);
  }
}

function logSumExp(a: number, b: number): number {
  if (a === Number.NEGATIVE_INFINITY) return b;
  if (b === Number.NEGATIVE_INFINITY) return a;
  return a > b ? a + Math.log1p(Math.exp(b - a)) : b + Math.log1p(Math.exp(a - b));
}

function dot(a: Float64Array, b: Float64Array, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += a[i] * b[i];
  return s;
}

const LOG_08 = Math.log(0.8);

export class NutsSampler {
  readonly dim: number;
  readonly maxTreedepth: number;
  readonly maxDeltaH: number;
  readonly metric: Metric;
  /** Step size used by the next transition. */
  stepSize = 1;

  // the chain's current point (the last sample)
  private readonly cur: Point;

  // statistics of the last transition
  /** Number of tree doublings of the last transition (Stan's treedepth__). */
  treeDepth = 0;
  /** Leapfrog steps of the last transition (n_leapfrog__). */
  nLeapfrog = 0;
  /** Whether the last transition diverged (divergent__). */
  divergent = false;
  /** Mean acceptance statistic of the last transition (accept_stat__). */
  acceptStat = 0;
  /** Hamiltonian at the returned state of the last transition (energy__). */
  energy = 0;
  /** Step size the last transition used (stepsize__). */
  lastStepSize = 1;
  /** All gradient evaluations so far (transitions, step-size searches, setPosition). */
  gradientEvaluations = 0;

  private readonly density: LogDensity;
  private readonly rng: RandomStream;
  // the integrator state
  private readonly zq: Float64Array;
  private readonly zp: Float64Array;
  private readonly zv: Float64Array;
  private readonly zg: Float64Array;
  private zlp = 0;
  // top-level trajectory
  private readonly fwd: EndState;
  private readonly bck: EndState;
  private readonly propose: Point;
  private readonly pFF: Float64Array;
  private readonly vFF: Float64Array;
  private readonly pFB: Float64Array;
  private readonly vFB: Float64Array;
  private readonly pBF: Float64Array;
  private readonly vBF: Float64Array;
  private readonly pBB: Float64Array;
  private readonly vBB: Float64Array;
  private readonly rho: Float64Array;
  private readonly rhoF: Float64Array;
  private readonly rhoB: Float64Array;
  private readonly levels: Level[];
  // accumulators of the transition in progress
  private treeLogW = 0;
  private sumMetro = 0;
  private leapfrogs = 0;

  constructor(density: LogDensity, metric: Metric, rng: RandomStream, options: NutsOptions = {}) {
    const d = density.dim;
    if (metric.dim !== d) throw new RangeError(`metric dimension ${metric.dim} ≠ density dimension ${d}`);
    this.dim = d;
    this.density = density;
    this.metric = metric;
    this.rng = rng;
    this.maxTreedepth = options.maxTreedepth ?? 10;
    this.maxDeltaH = options.maxDeltaH ?? 1000;
    this.cur = new Point(d);
    this.zq = new Float64Array(d);
    this.zp = new Float64Array(d);
    this.zv = new Float64Array(d);
    this.zg = new Float64Array(d);
    this.fwd = new EndState(d);
    this.bck = new EndState(d);
    this.propose = new Point(d);
    this.pFF = new Float64Array(d);
    this.vFF = new Float64Array(d);
    this.pFB = new Float64Array(d);
    this.vFB = new Float64Array(d);
    this.pBF = new Float64Array(d);
    this.vBF = new Float64Array(d);
    this.pBB = new Float64Array(d);
    this.vBB = new Float64Array(d);
    this.rho = new Float64Array(d);
    this.rhoF = new Float64Array(d);
    this.rhoB = new Float64Array(d);
    this.levels = [];
    for (let k = 0; k < Math.max(1, this.maxTreedepth); k++) this.levels.push(new Level(d));
  }

  /** Current position (the last sample); read-only for callers. */
  get q(): Float64Array {
    return this.cur.q;
  }
  /** Log density at the current position. */
  get lp(): number {
    return this.cur.lp;
  }
  /** Gradient of the log density at the current position; read-only for callers. */
  get gradient(): Float64Array {
    return this.cur.g;
  }

  /** Moves the chain to `q`, evaluating log density and gradient there; returns the log density. */
  setPosition(q: ArrayLike<number>): number {
    this.cur.q.set(q);
    this.cur.lp = this.evaluate(this.cur.q, this.cur.g);
    return this.cur.lp;
  }

  /** Log density and gradient; non-finite values (and NaN) count as −∞. */
  private evaluate(q: Float64Array, g: Float64Array): number {
    this.gradientEvaluations++;
    const lp = this.density.logDensityGradient(q, g);
    return lp > Number.NEGATIVE_INFINITY && lp < Number.POSITIVE_INFINITY ? lp : Number.NEGATIVE_INFINITY;
  }

  /** One leapfrog step of size `eps` (signed) on the integrator state z. */
  private leapfrog(eps: number): void {
    const d = this.dim;
    const half = 0.5 * eps;
    const q = this.zq;
    const p = this.zp;
    const v = this.zv;
    const g = this.zg;
    for (let i = 0; i < d; i++) p[i] += half * g[i];
    this.metric.velocity(p, v);
    for (let i = 0; i < d; i++) q[i] += eps * v[i];
    this.zlp = this.evaluate(q, g);
    for (let i = 0; i < d; i++) p[i] += half * g[i];
    this.metric.velocity(p, v);
  }

  /** Hamiltonian of the integrator state (velocity up to date); NaN becomes +∞. */
  private hamiltonian(): number {
    const h = -this.zlp + 0.5 * dot(this.zp, this.zv, this.dim);
    return Number.isNaN(h) ? Number.POSITIVE_INFINITY : h;
  }

  /** Sets the integrator state to the current point with a fresh momentum; returns H0. */
  private startFromCurrent(): number {
    this.zq.set(this.cur.q);
    this.zg.set(this.cur.g);
    this.zlp = this.cur.lp;
    this.metric.sampleMomentum(this.zp, this.rng);
    this.metric.velocity(this.zp, this.zv);
    return this.hamiltonian();
  }

  /**
   * Stan's step-size heuristic from the current point: double (or halve) the step size until the
   * one-step log acceptance log(exp(H0 − H)) crosses log(0.8), redrawing the momentum each try.
   * Throws NumericalError when the step size exceeds 1e7 (improper posterior) or reaches 0.
   */
  initStepSize(): void {
    let eps = this.stepSize;
    if (eps === 0 || eps > 1e7 || Number.isNaN(eps)) return;
    let H0 = this.startFromCurrent();
    this.leapfrog(eps);
    let deltaH = H0 - this.hamiltonian();
    const direction = deltaH > LOG_08 ? 1 : -1;
    for (;;) {
      H0 = this.startFromCurrent();
      this.leapfrog(eps);
      deltaH = H0 - this.hamiltonian();
      if (direction === 1 && !(deltaH > LOG_08)) break;
      if (direction === -1 && !(deltaH < LOG_08)) break;
      eps = direction === 1 ? 2 * eps : 0.5 * eps;
      if (eps > 1e7) {
        this.stepSize = eps;
        throw new NumericalError(
          "E_NUMERIC_OVERFLOW",
          "the sampler's step size grew beyond 1e7 without the energy changing: the posterior looks improper (flat in some direction)",
          "Check that every parameter has a proper prior or is identified by the data",
        );
      }
      if (eps === 0) {
        throw new NumericalError(
          "E_NUMERIC_NON_FINITE",
          "no acceptably small step size could be found: the log density or its gradient is not continuous or not finite near the current point",
          "Check the model's log density and its gradient",
        );
      }
    }
    this.stepSize = eps;
  }

  /** One NUTS transition from the current point; updates the current point and the statistics. */
  transition(): void {
    const d = this.dim;
    const rng = this.rng;
    const eps = this.stepSize;
    this.lastStepSize = eps;
    const H0 = this.startFromCurrent();
    const cur = this.cur;
    cur.H = H0;
    const fwd = this.fwd;
    const bck = this.bck;
    this.saveEnd(fwd);
    this.saveEnd(bck);
    this.pFF.set(this.zp);
    this.pFB.set(this.zp);
    this.pBF.set(this.zp);
    this.pBB.set(this.zp);
    this.vFF.set(this.zv);
    this.vFB.set(this.zv);
    this.vBF.set(this.zv);
    this.vBB.set(this.zv);
    this.rho.set(this.zp);

    let logSumW = 0;
    this.sumMetro = 0;
    this.leapfrogs = 0;
    this.divergent = false;
    let depth = 0;
    // `cur` is the sample: it changes only when a proposal is accepted (its H stays H0 otherwise)
    while (depth < this.maxTreedepth) {
      this.rhoF.fill(0);
      this.rhoB.fill(0);
      let valid: boolean;
      if (rng.uniform() > 0.5) {
        this.loadEnd(fwd);
        this.rhoB.set(this.rho);
        this.pBF.set(this.pFF);
        this.vBF.set(this.vFF);
        valid = this.buildTree(
          depth,
          this.propose,
          this.vFB,
          this.vFF,
          this.rhoF,
          this.pFB,
          this.pFF,
          H0,
          eps,
        );
        this.saveEnd(fwd);
      } else {
        this.loadEnd(bck);
        this.rhoF.set(this.rho);
        this.pFB.set(this.pBB);
        this.vFB.set(this.vBB);
        valid = this.buildTree(
          depth,
          this.propose,
          this.vBF,
          this.vBB,
          this.rhoB,
          this.pBF,
          this.pBB,
          H0,
          -eps,
        );
        this.saveEnd(bck);
      }
      if (!valid) break;
      depth++;
      const logSumWSub = this.treeLogW;
      if (logSumWSub > logSumW) {
        cur.copyFrom(this.propose);
      } else if (rng.uniform() < Math.exp(logSumWSub - logSumW)) {
        cur.copyFrom(this.propose);
      }
      logSumW = logSumExp(logSumW, logSumWSub);
      const rho = this.rho;
      const rhoF = this.rhoF;
      const rhoB = this.rhoB;
      for (let i = 0; i < d; i++) rho[i] = rhoB[i] + rhoF[i];
      const persist =
        criterion(this.vBB, this.vFF, rho, null, d) &&
        criterion(this.vBB, this.vFB, rhoB, this.pFB, d) &&
        criterion(this.vBF, this.vFF, rhoF, this.pBF, d);
      if (!persist) break;
    }
    this.treeDepth = depth;
    this.nLeapfrog = this.leapfrogs;
    this.acceptStat = this.leapfrogs > 0 ? this.sumMetro / this.leapfrogs : 0;
    this.energy = cur.H;
  }

  private saveEnd(e: EndState): void {
    e.q.set(this.zq);
    e.p.set(this.zp);
    e.g.set(this.zg);
    e.lp = this.zlp;
  }

  private loadEnd(e: EndState): void {
    this.zq.set(e.q);
    this.zp.set(e.p);
    this.zg.set(e.g);
    this.zlp = e.lp;
  }

  /**
   * Builds a subtree of 2^depth leapfrog steps of size `eps` (signed) from the integrator state.
   * Writes its proposal into `propose`, the velocities / momenta at its beginning and end, adds its
   * momentum sum to `rho`, and leaves its log weight in `treeLogW`. Returns false when the subtree
   * diverged or made a U-turn inside (then nothing of it may be used).
   */
  private buildTree(
    depth: number,
    propose: Point,
    vBeg: Float64Array,
    vEnd: Float64Array,
    rho: Float64Array,
    pBeg: Float64Array,
    pEnd: Float64Array,
    H0: number,
    eps: number,
  ): boolean {
    const d = this.dim;
    if (depth === 0) {
      this.leapfrog(eps);
      this.leapfrogs++;
      const h = this.hamiltonian();
      if (h - H0 > this.maxDeltaH) this.divergent = true;
      const logW = H0 - h;
      this.treeLogW = logW;
      this.sumMetro += logW > 0 ? 1 : Math.exp(logW);
      propose.q.set(this.zq);
      propose.g.set(this.zg);
      propose.lp = this.zlp;
      propose.H = h;
      vBeg.set(this.zv);
      vEnd.set(this.zv);
      pBeg.set(this.zp);
      pEnd.set(this.zp);
      const p = this.zp;
      for (let i = 0; i < d; i++) rho[i] += p[i];
      return !this.divergent;
    }
    const lv = this.levels[depth];
    const rhoInit = lv.rhoInit;
    const rhoFinal = lv.rhoFinal;
    rhoInit.fill(0);
    if (!this.buildTree(depth - 1, propose, vBeg, lv.vInitEnd, rhoInit, pBeg, lv.pInitEnd, H0, eps)) {
      return false;
    }
    const logWInit = this.treeLogW;
    rhoFinal.fill(0);
    if (!this.buildTree(depth - 1, lv.propFinal, lv.vFinalBeg, vEnd, rhoFinal, lv.pFinalBeg, pEnd, H0, eps)) {
      return false;
    }
    const logWFinal = this.treeLogW;
    const logWSub = logSumExp(logWInit, logWFinal);
    if (logWFinal > logWSub) {
      propose.copyFrom(lv.propFinal);
    } else if (this.rng.uniform() < Math.exp(logWFinal - logWSub)) {
      propose.copyFrom(lv.propFinal);
    }
    this.treeLogW = logWSub;
    for (let i = 0; i < d; i++) rho[i] += rhoInit[i] + rhoFinal[i];
    return (
      criterion(vBeg, vEnd, rhoInit, rhoFinal, d) &&
      criterion(vBeg, lv.vFinalBeg, rhoInit, lv.pFinalBeg, d) &&
      criterion(lv.vInitEnd, vEnd, rhoFinal, lv.pInitEnd, d)
    );
  }
}

/**
 * The generalised U-turn criterion on the momentum sum r = r1 (+ r2 when given): true (keep going)
 * when vMinus · r > 0 and vPlus · r > 0.
 */
function criterion(
  vMinus: Float64Array,
  vPlus: Float64Array,
  r1: Float64Array,
  r2: Float64Array | null,
  d: number,
): boolean {
  let a = 0;
  let b = 0;
  if (r2 === null) {
    for (let i = 0; i < d; i++) {
      a += vMinus[i] * r1[i];
      b += vPlus[i] * r1[i];
    }
  } else {
    for (let i = 0; i < d; i++) {
      const r = r1[i] + r2[i];
      a += vMinus[i] * r;
      b += vPlus[i] * r;
    }
  }
  return a > 0 && b > 0;
}
