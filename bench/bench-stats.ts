/**
 * Small pure helpers of the benchmark: order statistics, the calls-per-repetition rule of lme4's
 * timing script (`04_timings.R`), and rounding that keeps the committed JSON short.
 */

/** Median of a non-empty list (mean of the two middle values for an even count). */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) throw new RangeError("median of an empty list");
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Smallest value of a non-empty list. */
export function minimum(xs: readonly number[]): number {
  if (xs.length === 0) throw new RangeError("minimum of an empty list");
  return Math.min(...xs);
}

/**
 * How many fitting calls one timed block holds, as `04_timings.R` chooses it: enough calls to fill
 * `targetSeconds` given one call of `oneCallSeconds`, at least 1 and at most `cap`
 * (`k = max(1, min(100, ceiling(0.5 / max(w, 1e-3))))` there).
 */
export function callsPerRep(oneCallSeconds: number, targetSeconds = 0.5, cap = 100): number {
  const k = Math.ceil(targetSeconds / Math.max(oneCallSeconds, 1e-6));
  return Math.max(1, Math.min(cap, k));
}

/** `x` rounded to `digits` significant digits (non-finite values unchanged). */
export function roundSig(x: number, digits = 4): number {
  if (!Number.isFinite(x) || x === 0) return x;
  return Number(x.toPrecision(digits));
}

/**
 * A copy of a JSON-like value with every number rounded to `digits` significant digits, except
 * the values of keys in `keep` (full precision).
 */
export function roundDeep<T>(value: T, digits = 4, keep: ReadonlySet<string> = new Set()): T {
  if (typeof value === "number") return roundSig(value, digits) as T;
  if (Array.isArray(value)) return value.map((v) => roundDeep(v, digits, keep)) as T;
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = keep.has(k) ? v : roundDeep(v, digits, keep);
    return out as T;
  }
  return value;
}
