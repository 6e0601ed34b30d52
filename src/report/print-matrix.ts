/**
 * R's `print()` of a character matrix with `quote = FALSE` (what `printCoefmat()`, `formatVC()`
 * tables and data frames end up in): row names left-aligned, each column preceded by one space and
 * justified to its widest entry or header, columns wrapped into blocks when a line would reach the
 * console width (R keeps lines shorter than `width`, 80 by default).
 */

export interface PrintMatrixOptions {
  /** Right-justify entries and headers (`right = TRUE`); default false, as `print.default`. */
  readonly right?: boolean;
  /** Console width, R's `getOption("width")`; default 80. */
  readonly width?: number;
}

const pad = (s: string, w: number, right: boolean) => (right ? s.padStart(w) : s.padEnd(w));

/** Lay out `cells[row][col]` under `colNames` with `rowNames`; every line ends in "\n". */
export function printMatrix(
  cells: readonly (readonly string[])[],
  rowNames: readonly string[],
  colNames: readonly string[],
  opts: PrintMatrixOptions = {},
): string {
  const right = opts.right ?? false;
  const lineWidth = opts.width ?? 80;
  const nc = colNames.length;
  const rlabw = Math.max(0, ...rowNames.map((s) => s.length));
  const w = colNames.map((name, j) => 1 + Math.max(name.length, ...cells.map((row) => row[j].length)));
  let out = "";
  if (nc === 0) {
    for (const r of rowNames) out += `${r}\n`;
    return out;
  }
  let jmin = 0;
  while (jmin < nc) {
    let width = rlabw;
    let jmax = jmin;
    do {
      width += w[jmax];
      jmax++;
    } while (jmax < nc && width + w[jmax] < lineWidth);
    let header = " ".repeat(rlabw);
    for (let j = jmin; j < jmax; j++) header += ` ${pad(colNames[j], w[j] - 1, right)}`;
    out += `${header}\n`;
    cells.forEach((row, i) => {
      let line = rowNames[i].padEnd(rlabw);
      for (let j = jmin; j < jmax; j++) line += ` ${pad(row[j], w[j] - 1, right)}`;
      out += `${line}\n`;
    });
    jmin = jmax;
  }
  return out;
}
