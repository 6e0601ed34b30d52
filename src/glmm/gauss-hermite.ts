/**
 * Gauss–Hermite quadrature against the standard normal density (algorithm.md §9, `GHnorm`):
 * nodes z_i and weights w_i (Σ w_i = 1) with Σ w_i f(z_i) = ∫ f(z) φ(z) dz exactly for
 * polynomials f of degree < 2k.
 *
 * Golub & Welsch (1969): the nodes are the eigenvalues of the symmetric tridiagonal Jacobi matrix
 * of the (probabilists') Hermite polynomials — zero diagonal, off-diagonal √1, …, √(k−1) — and the
 * weights the squared first components of its normalised eigenvectors. That eigenvector is
 * proportional to (p_0(z), …, p_{k−1}(z)) with p_j the orthonormal Hermite polynomials, so its
 * first component squared is 1 / Σ_j p_j(z)²: evaluated by the three-term recurrence this keeps
 * full *relative* accuracy for the tiny outer weights (adaptive quadrature multiplies them by
 * e^{z²/2}, which an eigenvector accurate only relative to its largest entry would not survive).
 * Each eigenvalue is polished by Newton steps on p_k. Finally the rule is symmetrised (as
 * MixedModels.jl and lme4 ≥ 2.0-6 do) and normalised.
 */
import { OptionError } from "../errors.ts";
import { symmetricEigen } from "../linalg/symmetric-eigen.ts";

export interface GaussHermiteRule {
  /** Nodes in increasing order (symmetric about 0; the middle one is 0 for odd k). */
  readonly z: Float64Array;
  /** Weights, summing to 1 (integration against the N(0, 1) density). */
  readonly w: Float64Array;
}

/** Largest number of nodes (lme4's limit for nAGQ). */
export const MAX_NODES = 100;

const cache = new Map<number, GaussHermiteRule>();

/** p_k(x) and p_{k−1}(x) of the orthonormal (w.r.t. N(0,1)) Hermite polynomials, and Σ_{j<k} p_j². */
function orthonormal(x: number, k: number): { pk: number; pk1: number; sum: number } {
  let prev = 0;
  let cur = 1; // p_0
  let sum = 0;
  for (let j = 0; j < k; j++) {
    sum += cur * cur;
    const next = (x * cur - Math.sqrt(j) * prev) / Math.sqrt(j + 1);
    prev = cur;
    cur = next;
  }
  return { pk: cur, pk1: prev, sum };
}

/** The k-point rule (1 ≤ k ≤ 100), computed once per k. */
export function gaussHermite(k: number): GaussHermiteRule {
  if (!Number.isInteger(k) || k < 1 || k > MAX_NODES)
    throw new OptionError(
      `the number of quadrature points must be an integer from 1 to ${MAX_NODES}, got ${k}`,
    );
  const hit = cache.get(k);
  if (hit) return hit;
  const J = new Float64Array(k * k);
  for (let i = 1; i < k; i++) {
    const b = Math.sqrt(i);
    J[i * k + i - 1] = b;
    J[(i - 1) * k + i] = b;
  }
  const raw = Array.from(symmetricEigen(J, k).values).sort((a, b) => a - b);
  const z = new Float64Array(k);
  const w = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    let x = raw[i];
    for (let it = 0; it < 3; it++) {
      const { pk, pk1 } = orthonormal(x, k);
      const d = Math.sqrt(k) * pk1; // p_k' = √k p_{k−1}
      if (d === 0) break;
      const step = pk / d;
      x -= step;
      if (Math.abs(step) <= 1e-16 * Math.max(1, Math.abs(x))) break;
    }
    z[i] = x;
    w[i] = 1 / orthonormal(x, k).sum;
  }
  // symmetrise and normalise
  const zs = new Float64Array(k);
  const ws = new Float64Array(k);
  let tot = 0;
  for (let i = 0; i < k; i++) {
    zs[i] = (z[i] - z[k - 1 - i]) / 2;
    ws[i] = (w[i] + w[k - 1 - i]) / 2;
    tot += ws[i];
  }
  if (k % 2 === 1) zs[(k - 1) / 2] = 0;
  for (let i = 0; i < k; i++) ws[i] /= tot;
  const rule = { z: zs, w: ws };
  cache.set(k, rule);
  return rule;
}
