/**
 * Problem set-up shared by the optimisers: validated bounds, the projected start point, and a
 * counting evaluator that replaces non-finite objective values and records the best point.
 */
import { OptionError } from "../errors.ts";
import type {
  Objective,
  OptimMethod,
  OptimOptions,
  OptimResult,
  OptimStatus,
  OptimTraceEntry,
} from "./types.ts";

/** Replacement for NaN, ±Infinity and anything larger (see `types.ts`). */
export const NONFINITE_VALUE = 1e30;

function boundArray(n: number, b: ArrayLike<number> | undefined, fill: number, name: string): Float64Array {
  const out = new Float64Array(n).fill(fill);
  if (b === undefined) return out;
  if (b.length !== n) {
    throw new OptionError(
      `${name} has length ${b.length} but x0 has length ${n}`,
      `Give one bound per coordinate`,
    );
  }
  for (let i = 0; i < n; i++) {
    const v = b[i];
    if (Number.isNaN(v)) throw new OptionError(`${name}[${i}] is NaN`, "Use -Infinity/Infinity for no bound");
    out[i] = v;
  }
  return out;
}

/** Validated problem: dimension, bounds and projected start. */
export interface Problem {
  n: number;
  lower: Float64Array;
  upper: Float64Array;
  x0: Float64Array;
}

export function setupProblem(x0: ArrayLike<number>, opts: OptimOptions): Problem {
  const n = x0.length;
  if (n < 1) throw new OptionError("x0 is empty", "Give at least one starting coordinate");
  const lower = boundArray(n, opts.lower, -Infinity, "lower");
  const upper = boundArray(n, opts.upper, Infinity, "upper");
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if (lower[i] > upper[i]) {
      throw new OptionError(
        `lower[${i}] = ${lower[i]} exceeds upper[${i}] = ${upper[i]}`,
        "Swap or fix the bounds",
      );
    }
    if (lower[i] === Infinity || upper[i] === -Infinity) {
      throw new OptionError(`the bounds of coordinate ${i} exclude every finite value`, "Use finite bounds");
    }
    const v = x0[i];
    if (!Number.isFinite(v))
      throw new OptionError(`x0[${i}] = ${v} is not finite`, "Start from a finite point");
    x[i] = Math.min(upper[i], Math.max(lower[i], v));
  }
  return { n, lower, upper, x0: x };
}

/** Positive finite number option with a default. */
export function positiveOption(v: number | undefined, def: number, name: string): number {
  if (v === undefined) return def;
  if (!(v > 0) || !Number.isFinite(v))
    throw new OptionError(`${name} = ${v} must be a positive finite number`);
  return v;
}

/** Non-negative option (0 disables a tolerance test). */
export function tolOption(v: number | undefined, def: number, name: string): number {
  if (v === undefined) return def;
  if (!(v >= 0)) throw new OptionError(`${name} = ${v} must be a non-negative number`);
  return v;
}

/**
 * Counting wrapper around the objective. `eval(x)` returns the objective with non-finite values
 * replaced by `NONFINITE_VALUE`, keeps the best point seen, and optionally records a trace.
 */
export class Evaluator {
  readonly f: Objective;
  readonly n: number;
  readonly maxfun: number;
  feval = 0;
  readonly xbest: Float64Array;
  fbest = Infinity;
  /** The raw (unreplaced) objective value at `xbest`. */
  fbestRaw = NaN;
  readonly trace: OptimTraceEntry[] | undefined;

  constructor(f: Objective, n: number, maxfun: number, trace: boolean) {
    this.f = f;
    this.n = n;
    this.maxfun = maxfun;
    this.xbest = new Float64Array(n);
    this.trace = trace ? [] : undefined;
  }

  get exhausted(): boolean {
    return this.feval >= this.maxfun;
  }

  eval(x: Float64Array): number {
    this.feval++;
    const raw = this.f(x);
    if (this.trace) this.trace.push({ x: Float64Array.from(x), f: raw });
    const v = Number.isFinite(raw) && raw < NONFINITE_VALUE ? raw : NONFINITE_VALUE;
    if (v < this.fbest || this.feval === 1) {
      this.fbest = v;
      this.fbestRaw = raw;
      this.xbest.set(x);
    }
    return v;
  }

  result(optimizer: OptimMethod, status: OptimStatus, message: string): OptimResult {
    if (this.fbest >= NONFINITE_VALUE && status !== "maxfun") {
      status = "nonfinite";
      message = "the objective was non-finite (or above 1e30) at every point evaluated";
    }
    const res: OptimResult = {
      x: Float64Array.from(this.xbest),
      fval: this.fbestRaw,
      feval: this.feval,
      converged: status === "ftol" || status === "xtol",
      status,
      message,
      optimizer,
    };
    if (this.trace) res.trace = this.trace;
    return res;
  }
}
