/**
 * The table R prints for `confint(m)`: one row per parameter, the columns named by the interval's
 * percentage points ("2.5 %", "97.5 %"), numbers formatted as `print.default` of a matrix (7
 * significant digits, one layout per column), NA for undefined ends.
 */
import type { ConfintResult } from "../inference/confint-result.ts";
import { formatDataFrame } from "./format-data-frame.ts";
import { formatNumber } from "./format-number.ts";

/** "2.5 %" for 0.025: R's `paste(format(100 * a, trim = TRUE, scientific = FALSE, digits = 3), "%")`. */
function pct(a: number): string {
  return `${formatNumber(Number((100 * a).toPrecision(3)), 3).trim()} %`;
}

export function printConfint(c: ConfintResult): string {
  const a = (1 - c.level) / 2;
  const values = c.parameters.map((_, i) => [
    Number.isNaN(c.lower[i]) ? null : c.lower[i],
    Number.isNaN(c.upper[i]) ? null : c.upper[i],
  ]);
  return formatDataFrame(values, c.parameters, [pct(a), pct(1 - a)]);
}
