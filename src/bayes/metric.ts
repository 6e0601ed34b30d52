/**
 * Euclidean metrics for Hamiltonian Monte Carlo: the kinetic energy 0.5 pᵀ M⁻¹ p with a diagonal
 * (`DiagMetric`) or dense (`DenseMetric`) inverse metric M⁻¹ ("inverse metric" as in Stan's
 * output). Momenta are drawn from N(0, M); the velocity (Stan's "sharp" momentum, dτ/dp) is M⁻¹ p.
 *
 * - `DiagMetric(dim)`: `inverse` holds the dim diagonal entries of M⁻¹ (all ones at start).
 * - `DenseMetric(dim)`: `inverse` holds M⁻¹ (dim × dim, symmetric, row- = column-major); momenta
 *   are drawn as p = L⁻ᵀ u with M⁻¹ = L Lᵀ and u standard normal, as Stan's dense_e metric does.
 *
 * After changing `inverse`, call `update()` (the dense metric refactors). No method allocates.
 */

import { backSolveTransposed, choleskyInPlace } from "../linalg/dense-cholesky.ts";
import type { RandomStream } from "./random.ts";

export interface Metric {
  readonly kind: "diag" | "dense";
  readonly dim: number;
  /** Diagonal entries (diag) or the full dim × dim matrix (dense) of M⁻¹. */
  readonly inverse: Float64Array;
  /** Writes a momentum p ~ N(0, M). */
  sampleMomentum(p: Float64Array, rng: RandomStream): void;
  /** Writes the velocity v = M⁻¹ p. */
  velocity(p: Float64Array, v: Float64Array): void;
  /** Recomputes what depends on `inverse`; returns false when a dense M⁻¹ is not positive definite. */
  update(): boolean;
}

export class DiagMetric implements Metric {
  readonly kind = "diag" as const;
  readonly dim: number;
  readonly inverse: Float64Array;
  private readonly sdMomentum: Float64Array;

  constructor(dim: number) {
    this.dim = dim;
    this.inverse = new Float64Array(dim).fill(1);
    this.sdMomentum = new Float64Array(dim).fill(1);
  }

  sampleMomentum(p: Float64Array, rng: RandomStream): void {
    const s = this.sdMomentum;
    for (let i = 0; i < this.dim; i++) p[i] = rng.normal() * s[i];
  }

  velocity(p: Float64Array, v: Float64Array): void {
    const m = this.inverse;
    for (let i = 0; i < this.dim; i++) v[i] = m[i] * p[i];
  }

  update(): boolean {
    for (let i = 0; i < this.dim; i++) {
      const m = this.inverse[i];
      if (!(m > 0) || !Number.isFinite(m)) return false;
      this.sdMomentum[i] = 1 / Math.sqrt(m);
    }
    return true;
  }
}

export class DenseMetric implements Metric {
  readonly kind = "dense" as const;
  readonly dim: number;
  readonly inverse: Float64Array;
  /** Lower Cholesky factor L of M⁻¹ (column-major). */
  private readonly chol: Float64Array;

  constructor(dim: number) {
    this.dim = dim;
    this.inverse = new Float64Array(dim * dim);
    for (let i = 0; i < dim; i++) this.inverse[i * dim + i] = 1;
    this.chol = Float64Array.from(this.inverse);
  }

  sampleMomentum(p: Float64Array, rng: RandomStream): void {
    for (let i = 0; i < this.dim; i++) p[i] = rng.normal();
    backSolveTransposed(this.chol, this.dim, p);
  }

  velocity(p: Float64Array, v: Float64Array): void {
    const n = this.dim;
    const m = this.inverse;
    for (let i = 0; i < n; i++) {
      let s = 0;
      const row = i * n;
      for (let j = 0; j < n; j++) s += m[row + j] * p[j];
      v[i] = s;
    }
  }

  update(): boolean {
    const n = this.dim;
    for (let i = 0; i < n * n; i++) if (!Number.isFinite(this.inverse[i])) return false;
    this.chol.set(this.inverse);
    if (choleskyInPlace(this.chol, n) >= 0) return false;
    // zero the strict upper triangle (column-major: entries above the diagonal) left from the copy
    for (let j = 0; j < n; j++) for (let i = 0; i < j; i++) this.chol[j * n + i] = 0;
    return true;
  }
}
