/**
 * Quoting user text (column names, factor levels, file content, paths) in messages: control
 * characters, bidirectional overrides and lone surrogates are escaped (`\n`, `\x00`, `\u202e`) so a
 * message never writes raw control bytes to a terminal, and long text is cut with `…` so a message
 * stays one short paragraph whatever the input.
 */

/** Default cap, in characters of the escaped text, for one quoted value. */
export const QUOTE_MAX = 60;

const SHORT: Record<number, string> = { 0: "\\0", 9: "\\t", 10: "\\n", 13: "\\r" };

function needsEscape(cp: number): boolean {
  return (
    cp < 0x20 ||
    (cp >= 0x7f && cp <= 0x9f) ||
    (cp >= 0x202a && cp <= 0x202e) ||
    (cp >= 0x2066 && cp <= 0x2069) ||
    cp === 0x2028 ||
    cp === 0x2029 ||
    cp === 0xfeff ||
    (cp >= 0xd800 && cp <= 0xdfff)
  );
}

function escapeCodePoint(cp: number): string {
  const s = SHORT[cp];
  if (s) return s;
  const hex = cp.toString(16);
  return cp <= 0xff ? `\\x${hex.padStart(2, "0")}` : `\\u${hex.padStart(4, "0")}`;
}

/**
 * `s` with control characters escaped, cut to about `max` characters (`…` marks the cut;
 * `max = Infinity` never cuts).
 */
export function escapeText(s: string, max = Number.POSITIVE_INFINITY): string {
  let out = "";
  for (let i = 0; i < s.length; ) {
    const cp = s.codePointAt(i) as number;
    const width = cp > 0xffff ? 2 : 1;
    const piece = needsEscape(cp) ? escapeCodePoint(cp) : s.slice(i, i + width);
    if (out.length + piece.length > max) return `${out}…`;
    out += piece;
    i += width;
  }
  return out;
}

/** `'s'`, escaped and capped: the one way messages quote a user's text. */
export function quote(s: string, max = QUOTE_MAX): string {
  return `'${escapeText(s, max)}'`;
}

/**
 * A list of quoted names for a message: at most `maxItems`, then "… (N in all)". The whole
 * stays short for a header of any width.
 */
export function quoteList(items: readonly string[], maxItems = 12, maxEach = 40): string {
  const shown = items.slice(0, maxItems).map((s) => quote(s, maxEach));
  const rest = items.length - shown.length;
  return rest > 0 ? `${shown.join(", ")}, … (${items.length} in all)` : shown.join(", ");
}
