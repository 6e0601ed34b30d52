/**
 * Exact decimal expansion of doubles and correctly rounded decimal strings.
 *
 * R prints numbers through C's `sprintf("%.*f")` / `sprintf("%.*e")`, which round the exact binary
 * value of the double, breaking exact ties to even (glibc, round-to-nearest mode). JavaScript's
 * `toFixed`/`toPrecision` break ties upwards instead, so `(0.125).toFixed(2)` is "0.13" where R
 * prints "0.12". Every double is a finite binary fraction, hence a finite decimal fraction: this
 * file expands it exactly with BigInt and rounds the digit string, so the output matches glibc.
 */

/** |x| = 0.d1 d2 d3 ... × 10^pointPos, digits without leading or trailing zeros ("" for 0). */
export interface DecimalDigits {
  readonly digits: string;
  readonly pointPos: number;
}

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
const LITTLE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Exact decimal digits of |x| for finite x. */
export function exactDigits(x: number): DecimalDigits {
  if (x === 0) return { digits: "", pointPos: 0 };
  f64[0] = Math.abs(x);
  const lo = u32[LITTLE ? 0 : 1];
  const hi = u32[LITTLE ? 1 : 0];
  const biased = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let exp2: number;
  if (biased === 0) exp2 = -1074;
  else {
    mant |= 1n << 52n;
    exp2 = biased - 1075;
  }
  let s: string;
  let pointPos: number;
  if (exp2 >= 0) {
    s = (mant << BigInt(exp2)).toString();
    pointPos = s.length;
  } else {
    // mant × 2^exp2 = mant × 5^(-exp2) × 10^exp2
    s = (mant * 5n ** BigInt(-exp2)).toString();
    pointPos = s.length + exp2;
  }
  s = s.replace(/0+$/, "");
  return { digits: s, pointPos };
}

/**
 * Round a digit string to its first `keep` digits (keep >= 0), ties to even.
 * Returns the kept digits (length `keep`, or "1" followed by zeros with `carry` when rounding
 * overflowed to the next power of ten).
 */
function roundDigits(digits: string, keep: number): { kept: string; carry: boolean } {
  if (keep >= digits.length) return { kept: digits.padEnd(keep, "0"), carry: false };
  const kept = digits.slice(0, keep);
  const rest = digits.slice(keep);
  const first = rest.charCodeAt(0) - 48;
  let up: boolean;
  if (first > 5) up = true;
  else if (first < 5) up = false;
  else if (rest.length > 1)
    up = true; // digits carry no trailing zeros, so anything after the 5 is > 0
  else {
    const last = keep > 0 ? kept.charCodeAt(keep - 1) - 48 : 0;
    up = last % 2 === 1;
  }
  if (!up) return { kept, carry: false };
  // increment the kept digits
  const arr = kept.split("");
  let i = arr.length - 1;
  while (i >= 0) {
    if (arr[i] === "9") {
      arr[i] = "0";
      i--;
    } else {
      arr[i] = String.fromCharCode(arr[i].charCodeAt(0) + 1);
      break;
    }
  }
  if (i < 0) return { kept: `1${arr.join("")}`, carry: true };
  return { kept: arr.join(""), carry: false };
}

/** C's `sprintf("%.{d}f", x)` for finite x (no padding); "-" kept for negative values, including -0. */
export function toFixedC(x: number, d: number): string {
  const neg = x < 0 || Object.is(x, -0);
  const { digits, pointPos } = exactDigits(x);
  // Keep the digits down to 10^-d; the kept string is then the integer round(|x| × 10^d).
  const keep = pointPos + d;
  let n = keep < 0 || digits === "" ? "0" : roundDigits(digits, keep).kept.replace(/^0+/, "") || "0";
  if (n.length < d + 1) n = n.padStart(d + 1, "0");
  const intDigits = n.slice(0, n.length - d);
  const frac = n.slice(n.length - d);
  const body = d > 0 ? `${intDigits}.${frac}` : intDigits;
  return neg ? `-${body}` : body;
}

/** Round |x| to `n` >= 1 significant digits: the digits (length n) and the decimal exponent of the first. */
export function roundSignificant(x: number, n: number): { digits: string; exponent: number } {
  const { digits, pointPos } = exactDigits(x);
  if (digits === "") return { digits: "0".repeat(n), exponent: 0 };
  const { kept, carry } = roundDigits(digits, n);
  if (carry) return { digits: kept.slice(0, n), exponent: pointPos };
  return { digits: kept, exponent: pointPos - 1 };
}

/** C's `sprintf("%.{d}e", x)` for finite x: mantissa with d decimals, exponent with at least 2 digits. */
export function toExponentialC(x: number, d: number): string {
  const neg = x < 0 || Object.is(x, -0);
  const { digits, exponent } = roundSignificant(x, d + 1);
  const mant = d > 0 ? `${digits[0]}.${digits.slice(1)}` : digits[0];
  const ae = Math.abs(exponent);
  const exp = `e${exponent < 0 ? "-" : "+"}${ae < 10 ? "0" : ""}${ae}`;
  return `${neg ? "-" : ""}${mant}${exp}`;
}

/**
 * R's `round(x, digits)` (R >= 4.0.0): of the two candidates floor(x·10^d)/10^d and
 * ceil(x·10^d)/10^d, the one nearer to x in double arithmetic, the even one on a tie; x itself
 * when it already has fewer than 15 significant digits before the requested decimal
 * (`round(0.15, 1)` is 0.1, `round(0.05, 1)` is 0, `round(2.5)` is 2).
 */
export function roundR(x: number, digits: number): number {
  if (Number.isNaN(x) || !Number.isFinite(x) || x === 0) return x;
  const dig = Math.floor(digits + 0.5);
  if (dig > 308 + 15) return x;
  if (dig < -308) return 0;
  if (x < 0) return -roundPositive(-x, dig);
  return roundPositive(x, dig);
}

function roundPositive(x: number, dig: number): number {
  if (dig === 0) return nearbyEven(x);
  const l10x = Math.LOG10E * Math.LN2 * (0.5 + Math.floor(Math.log2(x)));
  if (l10x + dig > 15) return x;
  const pow10 = 10 ** dig;
  const x10 = pow10 * x;
  const i10 = Math.floor(x10);
  const xd = i10 / pow10;
  const xu = Math.ceil(x10) / pow10;
  const du = xu - x;
  const dd = x - xd;
  return du < dd || (du === dd && i10 % 2 === 1) ? xu : xd;
}

function nearbyEven(x: number): number {
  const f = Math.floor(x);
  const diff = x - f;
  if (diff > 0.5) return f + 1;
  if (diff < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}

/** R's `signif(x, n)`: x rounded to n significant digits (n < 1 is treated as 1). */
export function signifR(x: number, n: number): number {
  if (!Number.isFinite(x) || x === 0) return x;
  const k = Math.max(1, Math.min(22, Math.trunc(n)));
  const { digits, exponent } = roundSignificant(x, k);
  return (x < 0 ? -1 : 1) * Number.parseFloat(`${digits[0]}.${digits.slice(1)}e${exponent}`);
}
