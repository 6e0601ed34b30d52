/**
 * Level order for factors inferred without a schema.
 *
 * R's `factor()` sorts the distinct values with `sort()`, which collates in the session locale
 * (so the order differs between an en_US and a C locale). We pin one order everywhere: the C
 * locale's, i.e. byte order of the UTF-8 text, which equals Unicode code point order. JavaScript's
 * default sort compares UTF-16 code units, which differs from code point order only for characters
 * above U+FFFF against U+E000..U+FFFF; `compareCodePoints` corrects that.
 */

/** Map a UTF-16 code unit so that unit order equals code point order. */
function rank(u: number): number {
  if (u >= 0xd800 && u <= 0xdfff) return u + 0x2000; // surrogates sort after U+E000..U+FFFF
  if (u >= 0xe000) return u - 0x800;
  return u;
}

/** Compare two strings in code point (C locale, UTF-8 byte) order. */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return rank(x) - rank(y);
  }
  return a.length - b.length;
}

/**
 * Sort `levels` in C-locale order and return the sorted levels plus `remap[oldCode] = newCode`.
 */
export function sortLevels(levels: readonly string[]): { levels: string[]; remap: Int32Array } {
  const order = levels.map((_, i) => i).sort((i, j) => compareCodePoints(levels[i], levels[j]));
  const remap = new Int32Array(levels.length);
  order.forEach((old, k) => {
    remap[old] = k;
  });
  return { levels: order.map((i) => levels[i]), remap };
}
