/**
 * R's `cat(..., fill = TRUE)` and `strwrap()`, used by lme4 for its header lines
 * ("Formula: ...", "Number of obs: ...", the wrapped GLMM title).
 */

/**
 * `cat(items, sep = sep, fill = width)`: items joined by `sep`; before an item that would make the
 * line longer than `width` (counting a separator after every item) a newline is started (the
 * separator already written stays at the end of the previous line); a final newline is added.
 */
export function catFill(items: readonly string[], sep = " ", width = 80): string {
  let out = "";
  let lineWidth = 0;
  items.forEach((item, k) => {
    if (k > 0) out += sep;
    if (k > 0 && lineWidth + item.length + sep.length > width) {
      out += "\n";
      lineWidth = 0;
    }
    out += item;
    lineWidth += item.length + sep.length;
  });
  if (lineWidth > 0) out += "\n";
  return out;
}

/**
 * `strwrap(text, width, indent, exdent)`: words (split on white space) filled greedily into lines
 * shorter than `width`; the first line is indented by `indent` spaces, the others by `exdent`.
 */
export function strwrap(text: string, width: number, indent = 0, exdent = 0): string[] {
  const words = text.split(/\s+/).filter((s) => s.length > 0);
  const lines: string[] = [];
  let line = " ".repeat(indent);
  let hasWord = false;
  for (const word of words) {
    if (hasWord && line.length + 1 + word.length >= width) {
      lines.push(line);
      line = " ".repeat(exdent) + word;
    } else {
      line += (hasWord ? " " : "") + word;
    }
    hasWord = true;
  }
  lines.push(line);
  return lines;
}
