/**
 * Derivatives by central finite differences with one Richardson extrapolation: a difference D(h)
 * has error c·h² + O(h⁴), so (4·D(h/2) − D(h))/3 has error O(h⁴). Used where the derivatives of a
 * profiled criterion are taken numerically (Satterthwaite's df, the convergence check).
 */

/** (4·d2 − d1)/3 elementwise: Richardson's extrapolation of differences at h (d1) and h/2 (d2). */
export function richardson(d1: ArrayLike<number>, d2: ArrayLike<number>): Float64Array {
  return Float64Array.from({ length: d1.length }, (_, i) => (4 * d2[i] - d1[i]) / 3);
}

/** Central-difference gradient of f at x0 with steps h_i·scale. */
export function centralGradient(
  f: (x: Float64Array) => number,
  x0: ArrayLike<number>,
  h: ArrayLike<number>,
  scale: number,
): Float64Array {
  const d = x0.length;
  const x = Float64Array.from(x0);
  const g = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    const hi = h[i] * scale;
    x[i] = x0[i] + hi;
    const fp = f(x);
    x[i] = x0[i] - hi;
    const fm = f(x);
    x[i] = x0[i];
    g[i] = (fp - fm) / (2 * hi);
  }
  return g;
}

/** Central-difference Hessian of f at x0 with steps h_i·scale (row-major d×d, symmetric). */
export function centralHessian(
  f: (x: Float64Array) => number,
  x0: ArrayLike<number>,
  h: ArrayLike<number>,
  scale: number,
): Float64Array {
  const d = x0.length;
  const H = new Float64Array(d * d);
  const x = Float64Array.from(x0);
  const f0 = f(x);
  const at = (i: number, si: number, j: number, sj: number): number => {
    x.set(x0);
    x[i] += si * h[i] * scale;
    x[j] += sj * h[j] * scale;
    return f(x);
  };
  for (let i = 0; i < d; i++) {
    const hi = h[i] * scale;
    x.set(x0);
    x[i] = x0[i] + hi;
    const fp = f(x);
    x[i] = x0[i] - hi;
    const fm = f(x);
    H[i * d + i] = (fp - 2 * f0 + fm) / (hi * hi);
    for (let j = 0; j < i; j++) {
      const hj = h[j] * scale;
      const v = (at(i, 1, j, 1) - at(i, 1, j, -1) - at(i, -1, j, 1) + at(i, -1, j, -1)) / (4 * hi * hj);
      H[i * d + j] = v;
      H[j * d + i] = v;
    }
  }
  return H;
}

/** The Richardson-extrapolated central-difference gradient (steps h and h/2). */
export function richardsonGradient(
  f: (x: Float64Array) => number,
  x0: ArrayLike<number>,
  h: ArrayLike<number>,
): Float64Array {
  return richardson(centralGradient(f, x0, h, 1), centralGradient(f, x0, h, 0.5));
}

/** The Richardson-extrapolated central-difference Hessian (steps h and h/2), row-major. */
export function richardsonHessian(
  f: (x: Float64Array) => number,
  x0: ArrayLike<number>,
  h: ArrayLike<number>,
): Float64Array {
  return richardson(centralHessian(f, x0, h, 1), centralHessian(f, x0, h, 0.5));
}
