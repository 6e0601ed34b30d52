/**
 * Running (Welford) estimators of the variance and covariance of vectors, as Stan's metric
 * adaptation uses them: `add(q)` per draw, `variance(out)` / `covariance(out)` with denominator
 * n − 1, `restart()` to forget. No allocation after construction.
 */

export class WelfordVariance {
  readonly dim: number;
  count = 0;
  private readonly m: Float64Array;
  private readonly m2: Float64Array;

  constructor(dim: number) {
    this.dim = dim;
    this.m = new Float64Array(dim);
    this.m2 = new Float64Array(dim);
  }

  restart(): void {
    this.count = 0;
    this.m.fill(0);
    this.m2.fill(0);
  }

  add(q: ArrayLike<number>): void {
    this.count++;
    const n = this.count;
    for (let i = 0; i < this.dim; i++) {
      const delta = q[i] - this.m[i];
      this.m[i] += delta / n;
      this.m2[i] += delta * (q[i] - this.m[i]);
    }
  }

  /** Sample variances (denominator n − 1) into `out`. */
  variance(out: Float64Array): void {
    const n = this.count;
    for (let i = 0; i < this.dim; i++) out[i] = n > 1 ? this.m2[i] / (n - 1) : 0;
  }
}

export class WelfordCovariance {
  readonly dim: number;
  count = 0;
  private readonly m: Float64Array;
  private readonly m2: Float64Array;
  private readonly delta: Float64Array;

  constructor(dim: number) {
    this.dim = dim;
    this.m = new Float64Array(dim);
    this.m2 = new Float64Array(dim * dim);
    this.delta = new Float64Array(dim);
  }

  restart(): void {
    this.count = 0;
    this.m.fill(0);
    this.m2.fill(0);
  }

  add(q: ArrayLike<number>): void {
    this.count++;
    const n = this.count;
    const d = this.dim;
    for (let i = 0; i < d; i++) {
      this.delta[i] = q[i] - this.m[i];
      this.m[i] += this.delta[i] / n;
    }
    // m2 += (q − m_old)(q − m_new)ᵀ (symmetric; both triangles kept)
    for (let i = 0; i < d; i++) {
      const ai = q[i] - this.m[i];
      const row = i * d;
      for (let j = 0; j < d; j++) this.m2[row + j] += ai * this.delta[j];
    }
  }

  /** Sample covariance (denominator n − 1) into `out` (dim × dim). */
  covariance(out: Float64Array): void {
    const n = this.count;
    const d = this.dim;
    for (let i = 0; i < d; i++) {
      for (let j = 0; j < d; j++) {
        // symmetrise: the two triangles differ by rounding only
        out[i * d + j] = n > 1 ? (0.5 * (this.m2[i * d + j] + this.m2[j * d + i])) / (n - 1) : 0;
      }
    }
  }
}
