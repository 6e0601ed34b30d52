/**
 * Stan's windowed warm-up adaptation (diag_e / dense_e).
 *
 * - `adaptationWindows(warmup, initBuffer = 75, termBuffer = 50, baseWindow = 25)`: the schedule.
 *   Iterations [0, initBuffer) adapt only the step size; then slow windows of baseWindow,
 *   2·baseWindow, 4·baseWindow, … iterations collect the positions for the metric (a window is
 *   stretched to end at warmup − termBuffer when the following one would not fit); the last
 *   termBuffer iterations adapt the step size again. With warmup < 20 there is no metric
 *   adaptation; when initBuffer + baseWindow + termBuffer > warmup the three stages become 15% /
 *   75% / 10% of warmup (Stan's behaviour). Both cases come with a `warmup_short` warning.
 * - `WarmupAdapter`: drives a `NutsSampler` through warm-up. `start()` once at the chain's initial
 *   point (Stan's step-size heuristic; dual averaging with mu = log(10 · initial step size)),
 *   `afterTransition()` after every warm-up transition (dual averaging with adaptDelta, gamma 0.05,
 *   t0 10, kappa 0.75; Welford estimate of the variance / covariance of the positions; at the end of
 *   each slow window M⁻¹ = n/(n+5) · var + 1e-3 · 5/(n+5) (times the identity for dense), then the
 *   step-size heuristic and a restart of dual averaging with mu = log(10 eps)), and `finish()` to
 *   fix the step size at exp(xbar).
 * - `metricAdaptation: "gradient"` (diagonal metric only) replaces the variance of the positions by
 *   nutpie's estimate from positions and gradients, M⁻¹_i = √(var(q_i) / var(∂_i log p)), exact for
 *   any Gaussian with a diagonal covariance whatever the window length; windows, regularisation
 *   weight (n/(n+5), with the same 1e-3 shrinkage) and step-size handling stay Stan's.
 */

import { NumericalError, type Warning } from "../errors.ts";
import type { NutsSampler } from "./nuts.ts";
import { StepSizeAdaptation } from "./step-size-adaptation.ts";
import { WelfordCovariance, WelfordVariance } from "./welford.ts";

export interface WindowSchedule {
  readonly warmup: number;
  readonly initBuffer: number;
  readonly termBuffer: number;
  readonly baseWindow: number;
  /** Slow windows as [start, end) iteration ranges (0-based warm-up iterations). */
  readonly windows: readonly (readonly [number, number])[];
  /** Set when warm-up is too short for the configured stages (Stan's fallback or no metric adaptation). */
  readonly warning: Warning | null;
}

/**
 * Stan's `windowed_adaptation` state machine: which iterations feed the metric estimator and after
 * which one the metric is updated.
 */
export class WindowedAdaptation {
  readonly warmup: number;
  readonly initBuffer: number;
  readonly termBuffer: number;
  readonly baseWindow: number;
  readonly warning: Warning | null;
  /** False when warm-up is shorter than 20 iterations (no metric adaptation). */
  readonly enabled: boolean;
  private counter = 0;
  private windowSize = 0;
  private nextWindow = 0;

  constructor(warmup: number, initBuffer = 75, termBuffer = 50, baseWindow = 25) {
    this.warmup = warmup;
    if (warmup < 20) {
      this.enabled = false;
      this.initBuffer = 0;
      this.termBuffer = 0;
      this.baseWindow = 0;
      this.warning =
        warmup > 0
          ? {
              code: "warmup_short",
              message: `${warmup} warm-up iterations are too few to adapt the metric (at least 20 needed; ${initBuffer + baseWindow + termBuffer} or more recommended): only the step size is adapted`,
            }
          : null;
    } else if (initBuffer + baseWindow + termBuffer > warmup) {
      this.enabled = true;
      this.initBuffer = Math.floor(0.15 * warmup);
      this.termBuffer = Math.floor(0.1 * warmup);
      this.baseWindow = warmup - (this.initBuffer + this.termBuffer);
      this.warning = {
        code: "warmup_short",
        message: `${warmup} warm-up iterations are too few for the adaptation stages (${initBuffer} + ${baseWindow} + ${termBuffer} = ${initBuffer + baseWindow + termBuffer}): reduced to 15% / 75% / 10% of warm-up (${this.initBuffer} / ${this.baseWindow} / ${this.termBuffer} iterations)`,
      };
    } else {
      this.enabled = true;
      this.initBuffer = initBuffer;
      this.termBuffer = termBuffer;
      this.baseWindow = baseWindow;
      this.warning = null;
    }
    this.restart();
  }

  restart(): void {
    this.counter = 0;
    this.windowSize = this.baseWindow;
    this.nextWindow = this.initBuffer + this.windowSize - 1;
  }

  /** Whether the current iteration's position feeds the estimator. */
  inWindow(): boolean {
    return (
      this.enabled &&
      this.counter >= this.initBuffer &&
      this.counter < this.warmup - this.termBuffer &&
      this.counter !== this.warmup
    );
  }

  /** Whether the current iteration ends a slow window. */
  endOfWindow(): boolean {
    return this.enabled && this.counter === this.nextWindow && this.counter !== this.warmup;
  }

  private computeNextWindow(): void {
    const last = this.warmup - this.termBuffer - 1;
    if (this.nextWindow === last) return;
    this.windowSize *= 2;
    this.nextWindow = this.counter + this.windowSize;
    if (this.nextWindow === last) return;
    const nextBoundary = this.nextWindow + 2 * this.windowSize;
    if (nextBoundary >= this.warmup - this.termBuffer) this.nextWindow = last;
  }

  /**
   * Advances by one iteration. Returns "add" / "add-and-update" / "none": whether this iteration's
   * position goes into the estimator and whether the metric is to be updated after it.
   */
  step(): { add: boolean; update: boolean } {
    const add = this.inWindow();
    const update = this.endOfWindow();
    if (update) this.computeNextWindow();
    this.counter++;
    return { add, update };
  }
}

/** Stan's adaptation schedule for `warmup` iterations (see the module comment). */
export function adaptationWindows(
  warmup: number,
  initBuffer = 75,
  termBuffer = 50,
  baseWindow = 25,
): WindowSchedule {
  const w = new WindowedAdaptation(warmup, initBuffer, termBuffer, baseWindow);
  const windows: [number, number][] = [];
  let start = -1;
  for (let it = 0; it < warmup; it++) {
    const { add, update } = w.step();
    if (add && start < 0) start = it;
    if (update) {
      windows.push([start < 0 ? it : start, it + 1]);
      start = -1;
    }
  }
  return {
    warmup,
    initBuffer: w.initBuffer,
    termBuffer: w.termBuffer,
    baseWindow: w.baseWindow,
    windows,
    warning: w.warning,
  };
}

export interface WarmupOptions {
  readonly warmup: number;
  /** Target acceptance statistic (default 0.8). */
  readonly adaptDelta?: number;
  /** Estimate a diagonal (default) or dense inverse metric. */
  readonly metric?: "diag" | "dense";
  /** "stan" (default): variance of the positions; "gradient": nutpie's √(var q / var grad) (diag only). */
  readonly metricAdaptation?: "stan" | "gradient";
  readonly initBuffer?: number;
  readonly termBuffer?: number;
  readonly baseWindow?: number;
  readonly gamma?: number;
  readonly t0?: number;
  readonly kappa?: number;
}

export class WarmupAdapter {
  readonly schedule: WindowedAdaptation;
  readonly stepSize: StepSizeAdaptation;
  /** Number of metric updates so far. */
  metricUpdates = 0;
  private readonly nuts: NutsSampler;
  private readonly dense: boolean;
  private readonly variance: WelfordVariance | null;
  private readonly covariance: WelfordCovariance | null;
  private readonly gradVariance: WelfordVariance | null;
  private readonly scratch: Float64Array;

  constructor(nuts: NutsSampler, options: WarmupOptions) {
    this.nuts = nuts;
    this.dense = (options.metric ?? "diag") === "dense";
    const fromGradient = (options.metricAdaptation ?? "stan") === "gradient";
    if (fromGradient && this.dense) {
      throw new RangeError('metricAdaptation "gradient" needs the diagonal metric');
    }
    if (this.dense !== (nuts.metric.kind === "dense")) {
      throw new RangeError(`the sampler's metric is ${nuts.metric.kind}, the adaptation's ${options.metric}`);
    }
    this.schedule = new WindowedAdaptation(
      options.warmup,
      options.initBuffer ?? 75,
      options.termBuffer ?? 50,
      options.baseWindow ?? 25,
    );
    this.stepSize = new StepSizeAdaptation({
      delta: options.adaptDelta ?? 0.8,
      gamma: options.gamma,
      t0: options.t0,
      kappa: options.kappa,
    });
    this.variance = this.dense ? null : new WelfordVariance(nuts.dim);
    this.covariance = this.dense ? new WelfordCovariance(nuts.dim) : null;
    this.gradVariance = fromGradient ? new WelfordVariance(nuts.dim) : null;
    this.scratch = new Float64Array(fromGradient ? nuts.dim : 0);
  }

  /** Warning about a warm-up too short for the windows, or null. */
  get warning(): Warning | null {
    return this.schedule.warning;
  }

  /** At the initial point: mu = log(10 · the initial step size), then Stan's step-size heuristic. */
  start(): void {
    this.stepSize.mu = Math.log(10 * this.nuts.stepSize);
    this.stepSize.restart();
    this.nuts.initStepSize();
  }

  /** After one warm-up transition: step-size and metric learning. */
  afterTransition(): void {
    const nuts = this.nuts;
    nuts.stepSize = this.stepSize.learn(nuts.acceptStat);
    const { add, update } = this.schedule.step();
    if (add) {
      if (this.variance) this.variance.add(nuts.q);
      else this.covariance?.add(nuts.q);
      this.gradVariance?.add(nuts.gradient);
    }
    if (!update) return;
    const inv = nuts.metric.inverse;
    const d = nuts.dim;
    const est = this.variance ?? this.covariance!;
    const n = est.count;
    if (this.variance) this.variance.variance(inv);
    else this.covariance!.covariance(inv);
    if (this.gradVariance) {
      const gv = this.scratch;
      this.gradVariance.variance(gv);
      for (let i = 0; i < d; i++) {
        const r = Math.sqrt(inv[i] / gv[i]);
        // a coordinate without gradient variation keeps its position variance
        inv[i] = Number.isFinite(r) && r > 0 ? Math.min(Math.max(r, 1e-10), 1e10) : inv[i];
      }
      this.gradVariance.restart();
    }
    const a = n / (n + 5);
    const b = 1e-3 * (5 / (n + 5));
    if (this.dense) {
      for (let i = 0; i < d * d; i++) inv[i] *= a;
      for (let i = 0; i < d; i++) inv[i * d + i] += b;
    } else {
      for (let i = 0; i < d; i++) inv[i] = a * inv[i] + b;
    }
    if (!nuts.metric.update()) {
      throw new NumericalError(
        "E_NUMERIC_OVERFLOW",
        "numerical overflow in the metric adaptation: the sampler met extreme values on the unconstrained scale",
        "The posterior may be too wide or improper; check the priors and the model",
      );
    }
    est.restart();
    this.metricUpdates++;
    nuts.initStepSize();
    this.stepSize.mu = Math.log(10 * nuts.stepSize);
    this.stepSize.restart();
  }

  /** End of warm-up: the step size becomes exp(xbar) (unchanged when no iteration was learned from). */
  finish(): void {
    if (this.stepSize.counter > 0) this.nuts.stepSize = this.stepSize.complete();
  }
}
