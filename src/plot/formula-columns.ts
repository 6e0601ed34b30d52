/**
 * The columns a formula `y ~ x + (x | g)` names for a figure: the response (when it is a bare
 * column), the first fixed-effect term that is a single bare column, and the first random term's
 * grouping factor (when it is a single factor).
 */
import type { ModelFormula } from "../formula/model-formula.ts";

export interface FormulaColumns {
  y?: string;
  x?: string;
  group?: string;
}

export function formulaColumns(f: ModelFormula): FormulaColumns {
  const out: FormulaColumns = {};
  if (f.response.kind === "column") out.y = f.response.name;
  for (const t of f.fixed.terms) {
    if (t.variables.length !== 1) continue;
    const v = f.variables.get(t.variables[0]);
    if (v?.expr.kind === "column") {
      out.x = v.expr.name;
      break;
    }
  }
  const r = f.random.find((t) => t.group.length === 1);
  if (r !== undefined) out.group = r.group[0];
  return out;
}
