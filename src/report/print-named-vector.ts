/**
 * R's `print()` of a named vector whose elements are already formatted strings (numbers formatted
 * with `formatNumbers`, or a character vector): every name and value right-aligned to one common
 * width and followed by one space, as many per line as fit in the console width.
 */

/** Names line, values line (repeated per block); every line ends in " \n". */
export function printNamedVector(values: readonly string[], names: readonly string[], width = 80): string {
  const w = Math.max(0, ...values.map((s) => s.length), ...names.map((s) => s.length));
  const perLine = Math.max(1, Math.floor(width / (w + 1)));
  let out = "";
  for (let start = 0; start < values.length; start += perLine) {
    const end = Math.min(values.length, start + perLine);
    let a = "";
    let b = "";
    for (let k = start; k < end; k++) {
      a += `${names[k].padStart(w)} `;
      b += `${values[k].padStart(w)} `;
    }
    out += `${a}\n${b}\n`;
  }
  return out;
}
