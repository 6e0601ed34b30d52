/**
 * Exact rescaling of the fixed-effects columns and the response before the cross-product matrix
 * A is formed, so that the rounding in A (and in the penalised residual sum of squares read off
 * its factor) does not grow with the magnitude of X or y.
 *
 * X enters as X·diag(m) with every m_j a power of two (exact), chosen so that max|X_j·m_j| ∈ [1, 2).
 * The response enters as y'' where, with v = y − offset,
 *
 *   v = c·1 + S₁·X m∘b₁ + S·y''   (so that β_j = a_j + m_j(S₁ b₁_j + S β''_j)),
 *
 * c is a data value (the median of v, subtracted exactly when all of v lies within a factor 2 of
 * it) removed only when X has a constant column (a = c/k on that column), b₁ is the weighted
 * least-squares coefficient vector of the shifted response on X·diag(m), and S₁, S are powers of
 * two that bring the shifted and projected responses to max-abs in [1, 2). The GLS estimate is
 * linear in y and reproduces any X·b exactly, so θ, σ/S, the random effects/S and the criterion
 * (up to the constants below) are unchanged by this transformation: only rounding changes.
 */
import { NumericalError, SpecError } from "../errors.ts";
import { backSolveTransposed, choleskyInPlace, forwardSolve } from "../linalg/dense-cholesky.ts";
import { maxAbs, pow2Floor } from "../linalg/pow2-scale.ts";

/** How the response column of A relates to the user's response (see the module comment). */
export interface ResponseScaling {
  /** S: the working response is (y − offset − X·betaShift) / S, weighted. */
  readonly scale: number;
  /** log S. */
  readonly logScale: number;
  /** β = betaShift + S·m∘β'' (m = the X column multipliers). */
  readonly betaShift: Float64Array;
  /**
   * The yardstick for σ̂ ≈ 0 (working weights): the larger of the weighted standard deviation of
   * y − offset and the residual standard deviation of its weighted least-squares fit on X alone
   * (what the random effects and the residual share).
   */
  readonly spread: number;
}

/**
 * Power-of-two rescalings of the prior weights and the random-effects columns, applied only
 * outside a dead zone (ordinary data keep lme4's parametrisation, start and optimiser path):
 * weights enter as w/c with c = 4^k near their geometric mean, a random-effects column s as
 * z_s·m_s. The model is unchanged when λ_work = √c·diag(1/m)·λ_user and σ_user = √c·σ_work,
 * so θ entry (r, ·) of a term enters the factor multiplied by √c/m_r.
 */
export const DEAD_ZONE = 2 ** 10;

/** c = 4^k with w/c of geometric mean in [1/2, 2) when that mean is outside the dead zone, else 1. */
export function weightScale(w: Float64Array): number {
  let sl = 0;
  for (const v of w) sl += Math.log2(v);
  const g = sl / w.length;
  if (Math.abs(g) <= Math.log2(DEAD_ZONE)) return 1;
  return 4 ** Math.max(-500, Math.min(500, Math.round(g / 2)));
}

/** m_s for each column of an n×S row-major z: 1/2^⌊log₂ max|z_s|⌋ outside the dead zone, else 1. */
export function columnScales(z: Float64Array, S: number, n: number): Float64Array {
  const m = new Float64Array(S).fill(1);
  for (let s = 0; s < S; s++) {
    let mx = 0;
    for (let t = 0; t < n; t++) mx = Math.max(mx, Math.abs(z[t * S + s]));
    if (mx > 0 && Number.isFinite(mx) && (mx > DEAD_ZONE || mx < 1 / DEAD_ZONE)) m[s] = 1 / pow2Floor(mx);
  }
  return m;
}

/**
 * Write √w·X·diag(m) into columns 0..p−1 of Xy and return m. Throws E_NUMERIC_OVERFLOW (naming
 * the column) when a weighted entry is not finite.
 */
export function scaleFixedEffects(
  X: Float64Array,
  xnames: readonly string[],
  n: number,
  sqrtw: Float64Array | null,
  Xy: Float64Array,
): Float64Array {
  const p = xnames.length;
  const m = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    const mx = maxAbs(X, j * n, (j + 1) * n);
    if (!Number.isFinite(mx))
      throw overflow(`the fixed-effect column '${xnames[j]}' has a non-finite value`, xnames[j]);
    const mj = mx > 0 ? 1 / pow2Floor(mx) : 1;
    m[j] = mj;
    for (let t = 0; t < n; t++) {
      const v = X[j * n + t] * mj * (sqrtw ? sqrtw[t] : 1);
      if (!Number.isFinite(v))
        throw overflow(
          `the weighted fixed-effect column '${xnames[j]}' overflows at row ${t + 1}`,
          "the prior weights",
        );
      Xy[j * n + t] = v;
    }
  }
  return m;
}

/**
 * Write √w·X·diag(m) into columns 0..p−1 of Xy for known multipliers m (those `scaleFixedEffects`
 * returned for this X): the same values it writes. Throws E_NUMERIC_OVERFLOW as it does.
 */
export function weightFixedEffects(
  X: Float64Array,
  xnames: readonly string[],
  n: number,
  sqrtw: Float64Array | null,
  m: Float64Array,
  Xy: Float64Array,
): void {
  for (let j = 0; j < m.length; j++) {
    const mj = m[j];
    for (let t = 0; t < n; t++) {
      const v = X[j * n + t] * mj * (sqrtw ? sqrtw[t] : 1);
      if (!Number.isFinite(v))
        throw overflow(
          `the weighted fixed-effect column '${xnames[j]}' overflows at row ${t + 1}`,
          "the prior weights",
        );
      Xy[j * n + t] = v;
    }
  }
}

/** Index of a column of X whose entries are all equal and non-zero, or −1. */
export function constantColumn(X: Float64Array, n: number, p: number): number {
  for (let j = 0; j < p; j++) {
    const k = X[j * n];
    if (k === 0) continue;
    let same = true;
    for (let t = 1; t < n && same; t++) if (X[j * n + t] !== k) same = false;
    if (same) return j;
  }
  return -1;
}

/**
 * 1/s for a power of two s whose reciprocal is a normal number (x·(1/s) then equals x/s exactly,
 * both being the exactly rounded x·2⁻ᵏ), else 0 (divide instead).
 */
function exactReciprocal(s: number): number {
  const r = 1 / s;
  return Number.isFinite(r) && r >= 2.2250738585072014e-308 && r * s === 1 ? r : 0;
}

/** The lower median (element (n − 1) >> 1 of the sorted values), by quickselect on a copy. */
function median(v: Float64Array): number {
  const a = Float64Array.from(v);
  const k = (a.length - 1) >> 1;
  let lo = 0;
  let hi = a.length - 1;
  while (lo < hi) {
    const pivot = a[(lo + hi) >> 1];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        const t = a[i];
        a[i] = a[j];
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else break;
  }
  return a[k];
}

/**
 * Fill column p of Xy with the working response (see the module comment) and return its scaling.
 * `G` is the p×p cross-product (column-major, leading dimension `ld`) of the weighted, scaled X
 * already in Xy. Throws E_SPEC_CONSTANT_RESPONSE when y − offset is constant, E_NUMERIC_EXACT_FIT
 * when it is an exact linear function of X, E_NUMERIC_OVERFLOW when it is not representable.
 */
export function scaleResponse(
  y: Float64Array,
  offset: Float64Array | undefined,
  X: Float64Array,
  m: Float64Array,
  n: number,
  sqrtw: Float64Array | null,
  Xy: Float64Array,
  G: Float64Array,
  ld: number,
  constCol?: number,
): ResponseScaling {
  const p = m.length;
  const v = new Float64Array(n);
  let vmin = Number.POSITIVE_INFINITY;
  let vmax = Number.NEGATIVE_INFINITY;
  for (let t = 0; t < n; t++) {
    const x = y[t] - (offset ? offset[t] : 0);
    if (!Number.isFinite(x))
      throw overflow(
        `the response${offset ? " minus the offset" : ""} is not finite at row ${t + 1}`,
        offset ? "the response or the offset" : "the response",
      );
    v[t] = x;
    if (x < vmin) vmin = x;
    if (x > vmax) vmax = x;
  }
  if (vmin === vmax)
    throw new SpecError(
      "E_SPEC_CONSTANT_RESPONSE",
      `the response${offset ? " minus the offset" : ""} is constant (${vmin}) over the ${n} rows used`,
      "a model needs variation in the response; check the column and any filtering",
    );
  const j0 = constCol ?? constantColumn(X, n, p);
  const c = j0 >= 0 ? median(v) : 0;
  const betaShift = new Float64Array(p);
  if (j0 >= 0) betaShift[j0] = c / X[j0 * n];
  // (v − c)/sv without overflow, then weighted and brought to max-abs in [1, 2)
  // (loops fused: each value is computed exactly as in separate passes; max|v| from its range)
  const sv = pow2Floor(Math.max(Math.abs(vmin), Math.abs(vmax)));
  const u = Xy.subarray(p * n, (p + 1) * n);
  let mu = 0;
  // dividing by a power of two = multiplying by its (exact) reciprocal, when that is a normal number
  const isv = exactReciprocal(sv);
  const csv = c / sv;
  for (let t = 0; t < n; t++) {
    const x = ((isv ? v[t] * isv : v[t] / sv) - csv) * (sqrtw ? sqrtw[t] : 1);
    u[t] = x;
    const a = Math.abs(x);
    if (a > mu || Number.isNaN(a)) mu = a;
  }
  const r1 = pow2Floor(mu);
  const s1 = sv * r1;
  if (!Number.isFinite(mu) || !Number.isFinite(s1))
    throw overflow("the weighted response overflows", "the response or the prior weights");
  // weighted standard deviation of the response (u = √w·(v − c)/S₁)
  let sw = 0;
  let swu = 0;
  const ir1 = exactReciprocal(r1);
  for (let t = 0; t < n; t++) {
    const x = ir1 ? u[t] * ir1 : u[t] / r1;
    u[t] = x;
    const rw = sqrtw ? sqrtw[t] : 1;
    sw += rw * rw;
    swu += rw * x;
  }
  const mean = swu / sw;
  let sd2 = 0;
  for (let t = 0; t < n; t++) sd2 += (u[t] - (sqrtw ? sqrtw[t] : 1) * mean) ** 2;
  const ySd = Math.sqrt(sd2 / Math.max(1, n - 1)) * s1;
  // b₁: least squares of u on the weighted, scaled X (normal equations: any b₁ is exact in the end)
  const b1 = leastSquares(Xy, u, n, p, G, ld);
  let r2 = 0;
  if (b1) {
    for (let t = 0; t < n; t++) {
      let f = 0;
      for (let j = 0; j < p; j++) f += Xy[j * n + t] * b1[j];
      const x = u[t] - f;
      u[t] = x;
      const a = Math.abs(x);
      if (a > r2 || Number.isNaN(a)) r2 = a;
    }
    for (let j = 0; j < p; j++) betaShift[j] += m[j] * (s1 * b1[j]);
  } else r2 = maxAbs(u);
  // before the projection max|u| ∈ [1, 2): residuals at rounding level mean an exact fit
  if (r2 <= EXACT_FIT_TOL)
    throw new NumericalError(
      "E_NUMERIC_EXACT_FIT",
      "the response is an exact linear function of the fixed effects (the residuals of their least-squares fit are all zero)",
      "nothing is left for the random effects or the residual variance to explain; check the response and the formula",
    );
  const s2 = pow2Floor(r2);
  let ss = 0;
  const is2 = exactReciprocal(s2);
  for (let t = 0; t < n; t++) {
    const x = is2 ? u[t] * is2 : u[t] / s2;
    u[t] = x;
    ss += x * x;
  }
  const scale = s1 * s2;
  const lsSigma = Math.sqrt(ss / Math.max(1, n - p)) * scale;
  return { scale, logScale: Math.log(s1) + Math.log(s2), betaShift, spread: Math.max(ySd, lsSigma) };
}

/**
 * Largest residual (relative to the response's range) of its least-squares fit on X that counts as
 * an exact fit: a few hundred units of rounding.
 */
const EXACT_FIT_TOL = 1e-13;

/** Solve (XᵀX) b = Xᵀu from the p×p cross-product G; null when it is not numerically SPD. */
function leastSquares(
  Xy: Float64Array,
  u: Float64Array,
  n: number,
  p: number,
  G: Float64Array,
  ld: number,
): Float64Array | null {
  if (p === 0) return null;
  const L = new Float64Array(p * p);
  for (let c = 0; c < p; c++) for (let r = 0; r < p; r++) L[c * p + r] = G[c * ld + r];
  if (choleskyInPlace(L, p) >= 0) return null;
  const b = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    let s = 0;
    for (let t = 0; t < n; t++) s += Xy[j * n + t] * u[t];
    b[j] = s;
  }
  forwardSolve(L, p, b);
  backSolveTransposed(L, p, b);
  for (const x of b) if (!Number.isFinite(x)) return null;
  return b;
}

function overflow(what: string, name: string): NumericalError {
  return new NumericalError(
    "E_NUMERIC_OVERFLOW",
    `${what}: the numbers are outside the range of double precision`,
    `rescale ${name.startsWith("the ") ? name : `the variable '${name}'`} (e.g. change its units) so that its values are of moderate size`,
  );
}

/**
 * The working response of a refill repeated many times (PIRLS: new weights and response at every
 * step): √w·(y − offset) brought to max-abs in [1, 2) by a power of two, without the centring and
 * least-squares projection of `scaleResponse` (`betaShift` is zero). Exact up to the power of two,
 * so β and the modes read off the factor are those of the unscaled problem; `spread` (the σ̂ ≈ 0
 * yardstick of `fitLmm`) is not computed (NaN): PIRLS never asks for σ̂.
 */
export function scaleResponseLight(
  y: Float64Array,
  offset: Float64Array | undefined,
  p: number,
  n: number,
  sqrtw: Float64Array | null,
  Xy: Float64Array,
): ResponseScaling {
  const u = Xy.subarray(p * n, (p + 1) * n);
  let mu = 0;
  for (let t = 0; t < n; t++) {
    const x = (y[t] - (offset ? offset[t] : 0)) * (sqrtw ? sqrtw[t] : 1);
    if (!Number.isFinite(x))
      throw overflow(`the working response is not finite at row ${t + 1}`, "the response or the weights");
    u[t] = x;
    const a = Math.abs(x);
    if (a > mu) mu = a;
  }
  const s = pow2Floor(mu);
  const is = exactReciprocal(s);
  for (let t = 0; t < n; t++) u[t] = is ? u[t] * is : u[t] / s;
  return { scale: s, logScale: Math.log(s), betaShift: new Float64Array(p), spread: Number.NaN };
}
