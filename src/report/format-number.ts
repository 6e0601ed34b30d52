/**
 * R's number formatting: `format(x, digits, nsmall)` for a numeric vector (one common layout for
 * all elements, as R's formatReal chooses it), `formatC(x, digits)` ("%g"), `zapsmall`, and the
 * single-number form `cat()` uses.
 *
 * formatReal's rule (R's src/main/format.c, described here in words): every finite element is
 * rounded to `digits` significant digits; the fixed layout needs as many decimals as the element
 * needing most of them (trailing zeros dropped) and as many integer digits as the largest;
 * scientific layout uses the largest number of significant digits. Fixed is chosen when its width
 * is <= the scientific width (R's default `scipen = 0`). `nsmall` raises the decimals afterwards.
 */
import { roundR, roundSignificant, toExponentialC, toFixedC } from "./exact-decimal.ts";

/** The common layout R picks for a numeric vector. */
export interface RealLayout {
  /** Field width (each element is right-aligned to it). */
  readonly width: number;
  /** Digits after the decimal point (mantissa decimals in scientific layout). */
  readonly decimals: number;
  /** 0 for fixed notation, 1 for scientific with 2-digit exponents, 2 for 3-digit exponents. */
  readonly exponent: 0 | 1 | 2;
}

/** How R writes a missing value (NA); NaN is written "NaN". */
export const NA_STRING = "NA";

/** An element is missing when it is null/undefined; NaN prints as "NaN" (JSON null means NA). */
export type MaybeNumber = number | null | undefined;

interface Sci {
  neg: boolean;
  kpower: number;
  nsig: number;
  roundingWidens: boolean;
}

/** R's `scientific()` helper: sign, decimal exponent and significant digits of x at `digits`. */
function scientific(x: number, digits: number): Sci {
  if (x === 0) return { neg: false, kpower: 0, nsig: 1, roundingWidens: false };
  const neg = x < 0;
  const r = Math.abs(x);
  const { digits: ds, exponent } = roundSignificant(r, digits);
  const nsig = Math.max(1, ds.replace(/0+$/, "").length);
  const kpower = exponent;
  // Rounding to `digits` significant digits may carry into a new power of ten (9996 at 3 digits is
  // 1.00e4) while the fixed layout with its decimals would not round up: then the fixed number
  // keeps one integer digit less than kpower + 1 says.
  let rgt = digits - kpower;
  rgt = Math.min(22, Math.max(0, rgt));
  const fuzz = 0.5 / 10 ** rgt;
  const roundingWidens = kpower > 0 && kpower <= 22 && r < 10 ** kpower - fuzz;
  return { neg, kpower, nsig, roundingWidens };
}

/** R's formatReal: the common layout for `xs` printed with `digits` significant digits. */
export function realLayout(xs: readonly MaybeNumber[], digits = 7, nsmall = 0): RealLayout {
  let neg = false;
  let rgt = Number.MIN_SAFE_INTEGER;
  let mxl = Number.MIN_SAFE_INTEGER;
  let mnl = Number.MAX_SAFE_INTEGER;
  let mxsl = Number.MIN_SAFE_INTEGER;
  let mxns = Number.MIN_SAFE_INTEGER;
  let naWidth = 0;
  for (const x of xs) {
    if (x === null || x === undefined) {
      naWidth = Math.max(naWidth, NA_STRING.length);
      continue;
    }
    if (!Number.isFinite(x)) {
      naWidth = Math.max(naWidth, Number.isNaN(x) ? 3 : x > 0 ? 3 : 4);
      continue;
    }
    const s = scientific(x, digits);
    let left = s.kpower + 1;
    if (s.roundingWidens) left--;
    const sleft = (s.neg ? 1 : 0) + (left <= 0 ? 1 : left);
    const right = s.nsig - left;
    if (s.neg) neg = true;
    if (right > rgt) rgt = right;
    if (left > mxl) mxl = left;
    if (left < mnl) mnl = left;
    if (sleft > mxsl) mxsl = sleft;
    if (s.nsig > mxns) mxns = s.nsig;
  }
  if (mxns === Number.MIN_SAFE_INTEGER) return { width: naWidth, decimals: 0, exponent: 0 };
  if (digits === 0) rgt = 0;
  if (mxl < 0) mxsl = 1 + (neg ? 1 : 0);
  if (rgt < 0) rgt = 0;
  let wF = mxsl + rgt + (rgt !== 0 ? 1 : 0);
  const e: 1 | 2 = mxl > 100 || mnl <= -99 ? 2 : 1;
  const d = mxns - 1;
  const wE = (neg ? 1 : 0) + (d > 0 ? 1 : 0) + d + 4 + e;
  if (wF <= wE) {
    if (nsmall > rgt) {
      rgt = nsmall;
      wF = mxsl + rgt + (rgt !== 0 ? 1 : 0);
    }
    return { width: Math.max(wF, naWidth), decimals: rgt, exponent: 0 };
  }
  return { width: Math.max(wE, naWidth), decimals: d, exponent: e };
}

/** One element in a given layout, without padding (R's encodeReal before justification). */
export function encodeReal(x: MaybeNumber, layout: RealLayout): string {
  if (x === null || x === undefined) return NA_STRING;
  if (Number.isNaN(x)) return "NaN";
  if (!Number.isFinite(x)) return x > 0 ? "Inf" : "-Inf";
  if (x === 0) x = 0; // R drops the sign of negative zero
  if (layout.exponent === 0) return toFixedC(x, layout.decimals);
  const s = toExponentialC(x, layout.decimals);
  if (layout.exponent === 2) {
    // three exponent digits
    return s.replace(/e([+-])(\d\d)$/, "e$10$2");
  }
  return s;
}

/** R's `format(xs, digits = digits, nsmall = nsmall)`: strings right-aligned to a common width. */
export function formatNumbers(xs: readonly MaybeNumber[], digits = 7, nsmall = 0): string[] {
  const layout = realLayout(xs, digits, nsmall);
  return xs.map((x) => encodeReal(x, layout).padStart(layout.width));
}

/** One number as R's `format(x, digits)` / `cat(x)` (cat uses 7 digits) writes it. */
export function formatNumber(x: MaybeNumber, digits = 7, nsmall = 0): string {
  return formatNumbers([x], digits, nsmall)[0];
}

/** R's `zapsmall(x, digits)` (R 4.2: rounds to `digits - log10(max|x|)` decimals). */
export function zapsmall(xs: readonly number[], digits = 7): number[] {
  const finite = xs.filter((v) => !Number.isNaN(v));
  if (finite.length === 0) return xs.slice();
  const mx = Math.max(...finite.map(Math.abs));
  const d = mx > 0 ? Math.max(0, digits - Math.log10(mx)) : digits;
  return xs.map((v) => roundR(v, d));
}

/**
 * R's `formatC(x, digits = digits)` for a double: C's "%.{digits}g" (trailing zeros dropped),
 * right-aligned to at least `digits + 1` characters as R does (`formatC(0.5, digits = 4)` is
 * "  0.5").
 */
export function formatC(x: number, digits: number): string {
  return formatG(x, digits).padStart(digits + 1);
}

function formatG(x: number, digits: number): string {
  if (Number.isNaN(x)) return "NaN";
  if (!Number.isFinite(x)) return x > 0 ? "Inf" : "-Inf";
  const p = digits === 0 ? 1 : digits;
  if (x === 0) return Object.is(x, -0) ? "-0" : "0";
  const { exponent } = roundSignificant(x, p);
  let s: string;
  if (exponent < -4 || exponent >= p) {
    s = toExponentialC(x, p - 1);
    s = s.replace(/\.?0+e/, "e");
  } else {
    s = toFixedC(x, p - 1 - exponent);
    if (s.includes(".")) s = s.replace(/\.?0+$/, "");
  }
  return s;
}
