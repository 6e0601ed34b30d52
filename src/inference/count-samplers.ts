/**
 * Exact draws from the binomial and Poisson distributions on a `RandomStream`, for simulating
 * GLMM responses. Binomial(n, p): inversion of the CDF from 0 on the side of the smaller
 * probability when n·min(p, 1 − p) < 30 (few terms, no underflow), else the sum of n Bernoulli
 * draws. Poisson(λ): inversion for λ < 10, else Hörmann's transformed rejection with squeeze
 * (PTRS; W. Hörmann 1993, "The transformed rejection method for generating Poisson random
 * variables", Insurance: Mathematics and Economics 12, 39–45).
 */
import type { RandomStream } from "../bayes/random.ts";
import { lgamma } from "../special/log-densities.ts";

/** A Binomial(n, p) draw (n a non-negative integer). */
export function rbinom(stream: RandomStream, n: number, p: number): number {
  if (n <= 0 || p <= 0) return 0;
  if (p >= 1) return n;
  const flip = p > 0.5;
  const q = flip ? 1 - p : p;
  let k: number;
  if (n * q < 30) {
    const u = stream.uniform();
    const r = q / (1 - q);
    let pk = (1 - q) ** n;
    let cdf = pk;
    k = 0;
    while (u >= cdf && k < n) {
      pk *= (r * (n - k)) / (k + 1);
      k++;
      cdf += pk;
      if (pk === 0) break;
    }
  } else {
    k = 0;
    for (let i = 0; i < n; i++) if (stream.uniform() < q) k++;
  }
  return flip ? n - k : k;
}

/** A Poisson(λ) draw. */
export function rpois(stream: RandomStream, lambda: number): number {
  if (!(lambda > 0)) return 0;
  if (lambda < 10) {
    const u = stream.uniform();
    let pk = Math.exp(-lambda);
    let cdf = pk;
    let k = 0;
    while (u >= cdf && pk > 0) {
      k++;
      pk *= lambda / k;
      cdf += pk;
    }
    return k;
  }
  const slam = Math.sqrt(lambda);
  const loglam = Math.log(lambda);
  const b = 0.931 + 2.53 * slam;
  const a = -0.059 + 0.02483 * b;
  const invalpha = 1.1239 + 1.1328 / (b - 3.4);
  const vr = 0.9277 - 3.6224 / (b - 2);
  for (;;) {
    const U = stream.uniform() - 0.5;
    const V = stream.uniform();
    const us = 0.5 - Math.abs(U);
    const k = Math.floor(((2 * a) / us + b) * U + lambda + 0.43);
    if (us >= 0.07 && V <= vr) return k;
    if (k < 0 || (us < 0.013 && V > us)) continue;
    if (
      Math.log(V) + Math.log(invalpha) - Math.log(a / (us * us) + b) <=
      -lambda + k * loglam - lgamma(k + 1)
    )
      return k;
  }
}
