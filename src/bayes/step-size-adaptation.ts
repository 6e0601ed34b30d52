/**
 * Nesterov dual averaging of log(step size) (Hoffman & Gelman 2014), as Stan's
 * `stepsize_adaptation`: after each warm-up iteration with acceptance statistic a,
 *
 *     m += 1;  Hbar = (1 − 1/(m + t0)) Hbar + (delta − min(1, a)) / (m + t0)
 *     x = mu − √m / gamma · Hbar;   xbar = (1 − m^−kappa) xbar + m^−kappa x;   eps = exp(x)
 *
 * `restart()` sets m = Hbar = xbar = 0 (mu is set separately: Stan uses mu = log(10 eps)).
 * `complete()` returns exp(xbar), the step size kept after warm-up.
 */

export interface DualAveragingOptions {
  /** Target acceptance statistic (Stan's adapt_delta; default 0.8). */
  readonly delta?: number;
  /** Default 0.05. */
  readonly gamma?: number;
  /** Default 10. */
  readonly t0?: number;
  /** Default 0.75. */
  readonly kappa?: number;
}

export class StepSizeAdaptation {
  readonly delta: number;
  readonly gamma: number;
  readonly t0: number;
  readonly kappa: number;
  mu = Math.log(10);
  counter = 0;
  private sBar = 0;
  private xBar = 0;

  constructor(options: DualAveragingOptions = {}) {
    this.delta = options.delta ?? 0.8;
    this.gamma = options.gamma ?? 0.05;
    this.t0 = options.t0 ?? 10;
    this.kappa = options.kappa ?? 0.75;
  }

  restart(): void {
    this.counter = 0;
    this.sBar = 0;
    this.xBar = 0;
  }

  /** One dual-averaging update; returns the step size for the next iteration. */
  learn(acceptStat: number): number {
    this.counter++;
    const a = Math.min(acceptStat, 1);
    const m = this.counter;
    const eta = 1 / (m + this.t0);
    this.sBar = (1 - eta) * this.sBar + eta * (this.delta - a);
    const x = this.mu - (this.sBar * Math.sqrt(m)) / this.gamma;
    const xEta = m ** -this.kappa;
    this.xBar = (1 - xEta) * this.xBar + xEta * x;
    return Math.exp(x);
  }

  /** The final step size exp(xbar). */
  complete(): number {
    return Math.exp(this.xBar);
  }
}
