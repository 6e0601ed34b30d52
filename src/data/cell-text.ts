/**
 * How one CSV cell's text reads as data: missing values and numbers.
 *
 * Missing: an empty field, `NA` or `NaN` (surrounding blanks ignored). Numbers: decimal literals
 * (`12`, `-0.5`, `.5`, `1e-05`, surrounding blanks allowed, as R's `type.convert`) and `Inf`,
 * `-Inf`, `Infinity` (kept as ±Infinity; the model layer rejects them with a clear error).
 * Hexadecimal, octal and binary literals that JavaScript's `Number()` would accept are not numbers.
 */

function isBlank(code: number): boolean {
  return code === 32 || code === 9 || code === 13 || code === 10;
}

/** The text without surrounding blanks (fast path: no copy when there are none). */
export function trimCell(raw: string): string {
  const n = raw.length;
  if (n === 0 || (!isBlank(raw.charCodeAt(0)) && !isBlank(raw.charCodeAt(n - 1)))) return raw;
  return raw.trim();
}

/** True for a missing value: empty, `NA` or `NaN` (after trimming blanks). */
export function isMissingCell(raw: string): boolean {
  const t = trimCell(raw);
  return t === "" || t === "NA" || t === "NaN";
}

/**
 * The number a (non-missing) cell holds, or NaN when it is not a number.
 * Call `isMissingCell` first: this function does not recognise missing values.
 */
export function parseNumberCell(raw: string): number {
  const t = trimCell(raw);
  if (t === "") return Number.NaN;
  const v = Number(t);
  if (!Number.isNaN(v)) {
    // Number() also accepts 0x.., 0o.., 0b..; they are not decimal numbers.
    if (t.length > 1 && t.charCodeAt(0) === 48) {
      const c = t.charCodeAt(1) | 32; // lower-case
      if (c === 120 || c === 111 || c === 98) return Number.NaN;
    }
    return v;
  }
  switch (t) {
    case "Inf":
    case "+Inf":
    case "inf":
    case "+inf":
      return Number.POSITIVE_INFINITY;
    case "-Inf":
    case "-inf":
      return Number.NEGATIVE_INFINITY;
    default:
      return Number.NaN;
  }
}

/**
 * True when `String(v) === raw` for `v = parseNumberCell(raw)`, decided from the text alone for
 * the common spellings (much cheaper than formatting the number): plain decimals without leading
 * or trailing zeros, at most 15 significant digits (which a double always reproduces) and a
 * magnitude JavaScript prints without an exponent. Falls back to formatting otherwise.
 */
export function isCanonicalNumber(raw: string, v: number): boolean {
  const n = raw.length;
  let i = raw.charCodeAt(0) === 45 ? 1 : 0; // '-'
  if (i === n) return false;
  let digits = 0;
  let c = raw.charCodeAt(i);
  if (c === 48) {
    // "0" or "0.xxx"
    i++;
    if (i === n) return i === 1; // "0" but not "-0"
    if (raw.charCodeAt(i) !== 46) return String(v) === raw;
  } else {
    while (i < n && (c = raw.charCodeAt(i)) >= 48 && c <= 57) {
      i++;
      digits++;
    }
    if (digits === 0) return String(v) === raw;
    if (i === n) return digits <= 15 || String(v) === raw;
    if (c !== 46) return String(v) === raw;
  }
  // at a '.', followed by at least one digit and no trailing zero
  i++;
  const start = i;
  let leadingZeros = digits === 0;
  let zeros = 0;
  while (i < n && (c = raw.charCodeAt(i)) >= 48 && c <= 57) {
    if (leadingZeros && c === 48) zeros++;
    else {
      leadingZeros = false;
      digits++;
    }
    i++;
  }
  if (i !== n || i === start || raw.charCodeAt(n - 1) === 48) return String(v) === raw;
  if (digits > 15 || zeros >= 6) return String(v) === raw; // JS writes 1e-7 for 0.0000001
  return true;
}
