/**
 * The formula text lme4 shows for `||` terms: `lmer()` rewrites `(1 + Days || Subject)` into
 * `((1 | Subject) + (0 + Days | Subject))` before storing the call, so `summary()` prints that.
 * Text-level rewrite for display only: the left-hand side is split at top-level `+` (terms such
 * as `a*b` are kept whole, where lme4 would expand them into `a`, `b`, `a:b`).
 */

/** Split `s` at top-level occurrences of `sep` (outside parentheses). */
function splitTopLevel(s: string, sep: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === "(") depth++;
    else if (c === ")") depth--;
    else if (depth === 0 && s.startsWith(sep, i)) {
      parts.push(s.slice(start, i));
      start = i + sep.length;
      i += sep.length - 1;
    }
  }
  parts.push(s.slice(start));
  return parts.map((p) => p.trim());
}

/** Rewrite every `(lhs || g)` in `formula` as lme4 deparses it; other text is unchanged. */
export function expandDoubleBars(formula: string): string {
  let out = "";
  let i = 0;
  while (i < formula.length) {
    if (formula[i] !== "(") {
      out += formula[i++];
      continue;
    }
    // find the matching parenthesis
    let depth = 0;
    let j = i;
    for (; j < formula.length; j++) {
      if (formula[j] === "(") depth++;
      else if (formula[j] === ")" && --depth === 0) break;
    }
    const inner = formula.slice(i + 1, j);
    const bars = splitTopLevel(inner, "||");
    if (bars.length === 2) {
      const group = bars[1];
      const terms = splitTopLevel(bars[0], "+").filter((t) => t.length > 0);
      const noIntercept = terms.some((t) => t === "0" || t === "-1") || /(^|\s)-\s*1\b/.test(bars[0]);
      const labels = terms.filter((t) => t !== "1" && t !== "0" && t !== "-1");
      const parts = [
        ...(noIntercept ? [] : ["(1 | " + group + ")"]),
        ...labels.map((t) => `(0 + ${t} | ${group})`),
      ];
      out += `(${parts.join(" + ")})`;
    } else {
      out += `(${expandDoubleBars(inner)})`;
    }
    i = j + 1;
  }
  return out;
}
