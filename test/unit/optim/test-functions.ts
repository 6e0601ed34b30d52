/** Standard test problems shared by the optimiser tests. */

/** Extended Rosenbrock function: minimum 0 at (1, …, 1). */
export function rosenbrock(x: Float64Array): number {
  let s = 0;
  for (let i = 0; i < x.length - 1; i++) s += 100 * (x[i + 1] - x[i] * x[i]) ** 2 + (1 - x[i]) ** 2;
  return s;
}

/** (x+1)² + (y−2)²: with x ≥ 0 the minimum is (0, 2), value 1. */
export function shiftedQuadratic(x: Float64Array): number {
  return (x[0] + 1) ** 2 + (x[1] - 2) ** 2;
}

/**
 * Mixed-model-like profile: f(θ) = log(1 + aθ²) + b/(1 + aθ²). With u = 1 + aθ² the derivative in u
 * is 1/u − b/u², zero at u = b, so for b > 1 the minimum is at θ² = (b − 1)/a with value log(b) + 1;
 * for b ≤ 1 the minimum over θ ≥ 0 is at θ = 0 with value b.
 */
export function mixedLike(a: number, b: number): (x: Float64Array) => number {
  return (x) => {
    const u = 1 + a * x[0] * x[0];
    return Math.log(u) + b / u;
  };
}

/** Max-norm distance between two vectors. */
export function maxAbsDiff(x: ArrayLike<number>, y: ArrayLike<number>): number {
  let d = 0;
  for (let i = 0; i < x.length; i++) d = Math.max(d, Math.abs(x[i] - y[i]));
  return d;
}
