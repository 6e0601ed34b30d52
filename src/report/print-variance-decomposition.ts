/**
 * `printVarianceDecomposition(d)`: the variance decomposition of a mixed model as a text table, one
 * row per component (fixed effects, each random-effects term, residual, total) with its variance
 * and share in percent, then the ICC per grouping factor and the marginal and conditional R²:
 *
 * ```
 * Variance decomposition (Nakagawa & Schielzeth R², Johnson's random-slope extension):
 *                      Variance  Share %
 * Fixed effects          0.2416   0.2892
 * group (Intercept), x  82.3353  98.5588
 * Residual               0.9624   1.1520
 * Total                 83.5393 100.0000
 * ICC (adjusted) by grouping factor: group 0.9884
 * R² marginal (fixed effects): 0.002892   R² conditional (fixed + random): 0.9885
 * ```
 */
import type { VarianceDecomposition } from "../lmm/decompose-variance.ts";
import { formatDataFrame } from "./format-data-frame.ts";
import { formatNumber } from "./format-number.ts";

function componentLabel(name: string, terms: readonly string[]): string {
  return `${name} ${terms.join(", ")}`;
}

export function printVarianceDecomposition(d: VarianceDecomposition, digits = 4): string {
  const rows: string[] = ["Fixed effects"];
  const values: number[][] = [[d.fixed, (100 * d.fixed) / d.total]];
  for (const c of d.components) {
    rows.push(componentLabel(c.name, c.terms));
    values.push([c.variance, 100 * c.share]);
  }
  rows.push("Residual", "Total");
  values.push([d.residual, (100 * d.residual) / d.total], [d.total, 100]);
  const table = formatDataFrame(values, rows, ["Variance", "Share %"], { digits });
  const factors = Object.keys(d.icc);
  const fmt = (x: number) => formatNumber(x, digits).trim();
  const icc = factors.map((f) => `${f} ${fmt(d.icc[f])}`).join(", ");
  const [m, c, a] = [d.r2Marginal, d.r2Conditional, d.iccAdjusted].map(fmt);
  return (
    "Variance decomposition (Nakagawa & Schielzeth R², Johnson's random-slope extension):\n" +
    table +
    `ICC (adjusted) by grouping factor: ${icc}${factors.length > 1 ? `; all random effects: ${a}` : ""}\n` +
    `R² marginal (fixed effects): ${m}   R² conditional (fixed + random): ${c}\n`
  );
}
