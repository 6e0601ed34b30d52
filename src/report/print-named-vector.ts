/**
 * R's `print()` of a named vector whose elements are already formatted strings (numbers formatted
 * with `formatNumbers`, or a character vector): every name and value right-aligned to one common
 * width and followed by `gap` spaces (R's `print.gap`, default 1), as many per line as fit in the
 * console width.
 */

/** Names line, values line (repeated per block); every line ends in the gap and "\n". */
export function printNamedVector(
  values: readonly string[],
  names: readonly string[],
  width = 80,
  gap = 1,
): string {
  const w = Math.max(0, ...values.map((s) => s.length), ...names.map((s) => s.length));
  const perLine = Math.max(1, Math.floor(width / (w + gap)));
  const sep = " ".repeat(gap);
  let out = "";
  for (let start = 0; start < values.length; start += perLine) {
    const end = Math.min(values.length, start + perLine);
    let a = "";
    let b = "";
    for (let k = start; k < end; k++) {
      a += `${names[k].padStart(w)}${sep}`;
      b += `${values[k].padStart(w)}${sep}`;
    }
    out += `${a}\n${b}\n`;
  }
  return out;
}
