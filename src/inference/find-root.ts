/** The root finder of the likelihood profiles (LMM and GLMM). */

/**
 * Find t in [a, b] with g(t) = 0, given g(a) and g(b) of opposite signs: regula falsi with the
 * Anderson–Björck modification (superlinear, always bracketed), until |g(t)| ≤ gtol or the bracket
 * is shorter than `tol`.
 */
export function findRoot(
  g: (t: number) => number,
  a: number,
  b: number,
  ga: number,
  gb: number,
  tol: number,
  gtol: number,
): number {
  for (let it = 0; it < 100 && Math.abs(b - a) > tol; it++) {
    let t = b - (gb * (b - a)) / (gb - ga);
    if (!(t > Math.min(a, b) && t < Math.max(a, b))) t = 0.5 * (a + b);
    const gt = g(t);
    if (!Number.isFinite(gt)) {
      // a failed evaluation: fall back to halving towards the finite end
      b = 0.5 * (a + b);
      gb = g(b);
      if (!Number.isFinite(gb)) return b;
      continue;
    }
    if (Math.abs(gt) <= gtol) return t;
    if (Math.sign(gt) === Math.sign(gb)) {
      // t replaces b; a stays: scale g(a) down (Anderson–Björck) so the next step moves it
      const m = 1 - gt / gb;
      ga *= m > 0 ? m : 0.5;
    } else {
      a = b;
      ga = gb;
    }
    b = t;
    gb = gt;
  }
  return Math.abs(ga) < Math.abs(gb) ? a : b;
}

/** The interval ends are where |ζ − (±z)| is at most this. */
export const ROOT_ZETA_TOL = 1e-7;
