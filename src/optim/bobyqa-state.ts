/**
 * The interpolation set and quadratic model of BOBYQA (see `bobyqa.ts` for the algorithm).
 *
 * Representation (our own design, simpler than Powell's factored form):
 * - points are stored as offsets `xpt` (m×n) from a base point `xbase`; `fval` their values;
 *   `kopt` the index of the best point; `sl`, `su` the bounds relative to `xbase`;
 * - the quadratic model is explicit: Q(xbase + x̂) = Q(xbase) + gqᵀx̂ + ½ x̂ᵀ hm x̂ (gq, hm dense);
 * - `h` is the full inverse KKT matrix (see `kkt-inverse.ts`), updated by Powell's formula when a
 *   point is replaced and recomputed directly whenever the base point moves (which we do at every
 *   reduction of rho and whenever ‖x̂opt‖² > 1e3·Δ²), so rounding errors cannot accumulate for long.
 * Replacing point t by x̂ with value f adds (f − Q(x̂))·ℓ_t to Q, where ℓ_t is the t-th Lagrange
 * function of the new set: the least Frobenius-norm change of ∇²Q that interpolates f (Powell 2004).
 */
import { type Evaluator, NONFINITE_VALUE } from "./evaluator.ts";
import { invertKkt, updateKkt } from "./kkt-inverse.ts";

export class BobyqaState {
  readonly n: number;
  readonly m: number;
  readonly N: number;
  readonly lower: Float64Array;
  readonly upper: Float64Array;
  readonly ev: Evaluator;
  readonly xbase: Float64Array;
  readonly xpt: Float64Array;
  readonly fval: Float64Array;
  readonly h: Float64Array;
  readonly gq: Float64Array;
  readonly hm: Float64Array;
  readonly sl: Float64Array;
  readonly su: Float64Array;
  kopt = 0;
  /** Scratch: H·w of the candidate point (filled by `prepare`). */
  readonly hw: Float64Array;
  private readonly v: Float64Array;
  private readonly work: Float64Array;
  private readonly scratch: Float64Array;
  private readonly xabs: Float64Array;
  private readonly tmp: Float64Array;
  /** Row views of `xpt` (so `xopt()` does not allocate). */
  private readonly rows: Float64Array[];

  constructor(ev: Evaluator, lower: Float64Array, upper: Float64Array, x0: Float64Array, m: number) {
    const n = x0.length;
    this.n = n;
    this.m = m;
    this.N = m + n + 1;
    this.ev = ev;
    this.lower = lower;
    this.upper = upper;
    this.xbase = Float64Array.from(x0);
    this.xpt = new Float64Array(m * n);
    this.fval = new Float64Array(m);
    this.h = new Float64Array(this.N * this.N);
    this.work = new Float64Array(this.N * this.N);
    this.gq = new Float64Array(n);
    this.hm = new Float64Array(n * n);
    this.sl = new Float64Array(n);
    this.su = new Float64Array(n);
    this.hw = new Float64Array(this.N);
    this.v = new Float64Array(this.N);
    this.scratch = new Float64Array(2 * this.N);
    this.xabs = new Float64Array(n);
    this.tmp = new Float64Array(n);
    this.rows = Array.from({ length: m }, (_, k) => this.xpt.subarray(k * n, k * n + n));
    this.setRelativeBounds();
  }

  private setRelativeBounds(): void {
    for (let i = 0; i < this.n; i++) {
      this.sl[i] = this.lower[i] - this.xbase[i];
      this.su[i] = this.upper[i] - this.xbase[i];
    }
  }

  get fopt(): number {
    return this.fval[this.kopt];
  }

  /** Offset of the best point (a view into `xpt`). */
  xopt(): Float64Array {
    return this.rows[this.kopt];
  }

  /** Evaluate at xbase + x̂, snapping coordinates on a relative bound to the exact bound. */
  evalAt(xhat: Float64Array): number {
    const { n, xabs } = this;
    for (let i = 0; i < n; i++) {
      let v = this.xbase[i] + xhat[i];
      if (xhat[i] <= this.sl[i]) v = this.lower[i];
      else if (xhat[i] >= this.su[i]) v = this.upper[i];
      xabs[i] = Math.min(this.upper[i], Math.max(this.lower[i], v));
    }
    return this.ev.eval(xabs);
  }

  /**
   * `evalAt`, with a non-finite objective value replaced by a penalty just above the values of
   * the current set: fmax + max(fmax − fmin, 1e-6·|fmax|, 1e-12). Unlike the raw 1e30 this keeps
   * the quadratic model on the scale of the data while making the point look uphill.
   */
  evalPenalised(xhat: Float64Array): number {
    const v = this.evalAt(xhat);
    if (v < NONFINITE_VALUE) return v;
    let fmin = Infinity;
    let fmax = -Infinity;
    for (let k = 0; k < this.m; k++) {
      fmin = Math.min(fmin, this.fval[k]);
      fmax = Math.max(fmax, this.fval[k]);
    }
    return penaltyValue(fmin, fmax);
  }

  /** Model gradient at x̂opt into `g`. */
  gradOpt(g: Float64Array): void {
    const { n, hm } = this;
    const xo = this.xopt();
    for (let i = 0; i < n; i++) {
      let s = this.gq[i];
      for (let j = 0; j < n; j++) s += hm[i * n + j] * xo[j];
      g[i] = s;
    }
  }

  /** Q(x̂opt + d) − Q(x̂opt) given the model gradient at x̂opt. */
  modelChange(d: Float64Array, gopt: Float64Array): number {
    const { n, hm } = this;
    let lin = 0;
    let quad = 0;
    for (let i = 0; i < n; i++) {
      lin += gopt[i] * d[i];
      let s = 0;
      for (let j = 0; j < n; j++) s += hm[i * n + j] * d[j];
      quad += d[i] * s;
    }
    return lin + 0.5 * quad;
  }

  /**
   * For the candidate x̂ = x̂opt + d, fill `hw` = H·w(x̂) and return β. Computed relative to x̂opt
   * (H·w(x̂opt) = e_opt), which avoids cancellation when x̂opt is far from the base point.
   */
  prepare(d: Float64Array): number {
    const { n, m, N, xpt, h, v, hw } = this;
    const xo = this.xopt();
    for (let j = 0; j < m; j++) {
      let yd = 0;
      let yx = 0;
      for (let i = 0; i < n; i++) {
        yd += xpt[j * n + i] * d[i];
        yx += xpt[j * n + i] * xo[i];
      }
      v[j] = 0.5 * yd * (yd + 2 * yx);
    }
    v[m] = 0;
    for (let i = 0; i < n; i++) v[m + 1 + i] = d[i];
    let vhv = 0;
    for (let r = 0; r < N; r++) {
      let s = 0;
      for (let c = 0; c < N; c++) s += h[r * N + c] * v[c];
      hw[r] = s;
      vhv += v[r] * s;
    }
    hw[this.kopt] += 1;
    let a = 0;
    let b = 0;
    let c = 0;
    for (let i = 0; i < n; i++) {
      a += xo[i] * xo[i];
      b += xo[i] * d[i];
      c += d[i] * d[i];
    }
    return b * b + c * (a + 2 * b + 0.5 * c) - vhv;
  }

  /** Powell's denominator σ_k = H_kk·β + (Hw)_k² for replacing point k (after `prepare`). */
  sigma(k: number, beta: number): number {
    return this.h[k * this.N + k] * beta + this.hw[k] * this.hw[k];
  }

  /**
   * Replace point t by x̂opt + d with value f (after `prepare(d)` gave `beta`); `diff` = f − Q(x̂).
   */
  replace(t: number, d: Float64Array, f: number, diff: number, beta: number): void {
    const { n, m, N, xpt, h, gq } = this;
    const xo = this.xopt();
    for (let i = 0; i < n; i++) this.tmp[i] = xo[i] + d[i];
    updateKkt(h, N, t, this.hw, beta, this.scratch);
    xpt.set(this.tmp, t * n);
    this.fval[t] = f;
    for (let i = 0; i < n; i++) gq[i] += diff * h[(m + 1 + i) * N + t];
    for (let j = 0; j < m; j++) this.addOuter(diff * h[j * N + t], j);
    if (f < this.fval[this.kopt]) this.kopt = t;
  }

  /** hm += c · y_j y_jᵀ */
  private addOuter(c: number, j: number): void {
    if (c === 0) return;
    const { n, xpt, hm } = this;
    const o = j * n;
    for (let p = 0; p < n; p++) {
      const cp = c * xpt[o + p];
      for (let q = 0; q < n; q++) hm[p * n + q] += cp * xpt[o + q];
    }
  }

  /** Move the base point to the best point and recompute H. Returns false if W is singular. */
  shiftBase(): boolean {
    const { n, m, xpt } = this;
    const s = this.tmp;
    s.set(this.xopt());
    this.moveBase(s);
    for (let k = 0; k < m; k++) for (let i = 0; i < n; i++) xpt[k * n + i] -= s[i];
    return this.refresh();
  }

  /** xbase += s (exactly onto a bound when x̂opt lies on it), gq updated; points not moved. */
  private moveBase(s: Float64Array): void {
    const { n, hm, gq } = this;
    for (let i = 0; i < n; i++) {
      let t = 0;
      for (let j = 0; j < n; j++) t += hm[i * n + j] * s[j];
      gq[i] += t;
    }
    for (let i = 0; i < n; i++) {
      const onLower = s[i] <= this.sl[i];
      const onUpper = s[i] >= this.su[i];
      this.xbase[i] = onLower ? this.lower[i] : onUpper ? this.upper[i] : this.xbase[i] + s[i];
    }
    this.setRelativeBounds();
  }

  /** Recompute H directly from the points. */
  refresh(): boolean {
    return invertKkt(this.xpt, this.m, this.n, this.h, this.work);
  }

  /**
   * (Re)build the interpolation set around the best point (or around xbase when `initial`):
   * the centre plus, per coordinate, steps ±rho, or (r/2, r) towards the roomier side with
   * r = min(2·rho, room) when a bound is closer than rho. With m < 2n+1 only the first m−n−1
   * coordinates get a second point. The new model is the old one plus the least Frobenius-norm
   * interpolant of the residuals (for the initial set the old model is zero).
   * Returns "ok", "maxfun" (budget ran out) or "singular".
   */
  rebuild(rho: number, initial: boolean, fcenter: number): "ok" | "maxfun" | "singular" | "nonfinite" {
    const { n, m, N, xpt, fval, h, hm, gq } = this;
    // move the base to the centre (gq becomes the model gradient there); the centre is point 0
    if (!initial) {
      this.tmp.set(this.xopt());
      this.moveBase(this.tmp);
    }
    xpt.fill(0);
    fval[0] = fcenter;
    this.kopt = 0;
    for (let i = 0; i < n; i++) {
      const up = this.su[i];
      const down = -this.sl[i];
      let s1: number;
      let s2: number;
      if (up >= rho && down >= rho) {
        s1 = rho;
        s2 = -rho;
      } else if (up >= down) {
        const r = Math.min(2 * rho, up);
        s1 = 0.5 * r;
        s2 = r;
      } else {
        const r = Math.min(2 * rho, down);
        s1 = -0.5 * r;
        s2 = -r;
      }
      xpt[(1 + i) * n + i] = s1;
      if (n + 1 + i < m) xpt[(n + 1 + i) * n + i] = s2;
    }
    for (let k = 1; k < m; k++) {
      if (this.ev.exhausted) return "maxfun";
      fval[k] = this.evalAt(xpt.subarray(k * n, k * n + n));
    }
    // non-finite values (NONFINITE_VALUE) become a penalty just above the finite ones
    let fmin = Infinity;
    let fmax = -Infinity;
    for (let k = 0; k < m; k++) {
      if (fval[k] < NONFINITE_VALUE) {
        fmin = Math.min(fmin, fval[k]);
        fmax = Math.max(fmax, fval[k]);
      }
    }
    if (fmin === Infinity) return "nonfinite";
    const pen = penaltyValue(fmin, fmax);
    for (let k = 0; k < m; k++) {
      if (fval[k] >= NONFINITE_VALUE) fval[k] = pen;
      if (fval[k] < fval[this.kopt]) this.kopt = k;
    }
    const r = this.v; // residuals f − f(centre) − (Q(y) − Q(centre)) (length m ≤ N)
    for (let k = 0; k < m; k++) {
      const y = xpt.subarray(k * n, k * n + n);
      let q = 0;
      if (!initial) {
        for (let i = 0; i < n; i++) {
          let t = 0;
          for (let j = 0; j < n; j++) t += hm[i * n + j] * y[j];
          q += y[i] * (gq[i] + 0.5 * t);
        }
      }
      r[k] = fval[k] - fval[0] - q;
    }
    if (!this.refresh()) return "singular";
    for (let j = 0; j < m; j++) {
      let lam = 0;
      for (let k = 0; k < m; k++) lam += h[j * N + k] * r[k];
      this.addOuter(lam, j);
    }
    for (let i = 0; i < n; i++) {
      let g = 0;
      for (let k = 0; k < m; k++) g += h[(m + 1 + i) * N + k] * r[k];
      gq[i] += g;
    }
    return "ok";
  }
}

function penaltyValue(fmin: number, fmax: number): number {
  return fmax + Math.max(fmax - fmin, 1e-6 * Math.abs(fmax), 1e-12);
}
