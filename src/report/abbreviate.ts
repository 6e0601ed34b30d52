/**
 * R's `abbreviate(names, minlength)` (default method "left.kept", `use.classes = TRUE`), used by
 * lme4 for the column labels of "Correlation of Fixed Effects:" (`(Intercept)` -> `(Intr)`).
 *
 * The documented algorithm: strip leading and trailing blanks; then, working from the right end
 * and never touching the first character of a word, drop lower-case vowels that end a word, then
 * any lower-case vowels, then lower-case letters that end a word, then any lower-case letters, then
 * any remaining characters, stopping as soon as the string (not counting inner blanks) is no
 * longer than `minlength`; finally inner blanks are removed if still too long. Names that come out
 * equal are abbreviated again with `minlength + 1` until all differ.
 */

const isSpace = (c: string | undefined) => c === " " || c === "\t" || c === "\n";
const isLowerVowel = (c: string) => c === "a" || c === "e" || c === "i" || c === "o" || c === "u";
const isLower = (c: string) => c >= "a" && c <= "z";

function abbreviateOne(name: string, minlength: number): string {
  const b = name.split("");
  let nspace = 0;
  const short = () => b.length - nspace <= minlength;
  const firstChar = (i: number) => isSpace(b[i - 1]);
  const lastChar = (i: number) => !isSpace(b[i - 1]) && (i + 1 >= b.length || isSpace(b[i + 1]));
  const pass = (drop: (i: number) => boolean): boolean => {
    for (let i = b.length - 1; i > 0; i--) {
      if (i < b.length && drop(i)) b.splice(i, 1);
      if (short()) return true;
    }
    return false;
  };
  const shrink = (): void => {
    if (b.length < minlength) return;
    // trailing blanks go; inner blanks are counted and kept as word boundaries for now
    let trailing = true;
    for (let i = b.length - 1; i > 0; i--) {
      if (isSpace(b[i])) {
        if (trailing) b.splice(i, 1);
        else nspace++;
      } else trailing = false;
      if (short()) return;
    }
    if (pass((i) => isLowerVowel(b[i]) && lastChar(i))) return;
    if (pass((i) => isLowerVowel(b[i]) && !firstChar(i))) return;
    if (pass((i) => isLower(b[i]) && lastChar(i))) return;
    if (pass((i) => isLower(b[i]) && !firstChar(i))) return;
    pass((i) => !firstChar(i) && !isSpace(b[i]));
  };
  shrink();
  if (b.length > minlength) {
    for (let i = b.length - 1; i > 0; i--) if (isSpace(b[i])) b.splice(i, 1);
  }
  return b.join("");
}

/** Abbreviate each name to at least `minlength` characters, keeping the results distinct. */
export function abbreviate(names: readonly string[], minlength = 4): string[] {
  const trimmed = names.map((s) => s.replace(/^ +/, "").replace(/ +$/, ""));
  const uniq = [...new Set(trimmed)];
  const x = new Array<string>(uniq.length);
  let todo = uniq.map((_, i) => i);
  let ml = minlength;
  for (;;) {
    for (const i of todo) x[i] = abbreviateOne(uniq[i], ml);
    const seen = new Map<string, number>();
    const dup = new Set<number>();
    x.forEach((v, i) => {
      const j = seen.get(v);
      if (j === undefined) seen.set(v, i);
      else dup.add(i);
    });
    if (dup.size === 0) break;
    // repeat for the later duplicates and every name sharing their abbreviation
    const dupValues = new Set([...dup].map((i) => x[i]));
    todo = x.map((v, i) => (dupValues.has(v) ? i : -1)).filter((i) => i >= 0);
    ml++;
  }
  return trimmed.map((s) => x[uniq.indexOf(s)]);
}
