/** A ColumnTable as plain data for deepEqual (typed arrays → arrays; NaN stays NaN). */
import type { ColumnTable } from "../../../src/data/column-table.ts";

export function tablePlain(t: ColumnTable): unknown {
  return {
    name: t.name,
    nrow: t.nrow,
    columns: t.columns.map((c) =>
      c.kind === "numeric"
        ? { kind: c.kind, name: c.name, integer: c.integer, values: Array.from(c.values) }
        : {
            kind: c.kind,
            name: c.name,
            levels: [...c.levels],
            codes: Array.from(c.codes),
            ordered: c.ordered,
            contrasts: c.contrasts,
          },
    ),
  };
}

/** The values of a factor column as strings (null for missing). */
export function factorValues(t: ColumnTable, name: string): (string | null)[] {
  const c = t.column(name);
  if (c?.kind !== "factor") throw new Error(`${name} is not a factor`);
  return Array.from(c.codes, (k) => (k < 0 ? null : c.levels[k]));
}

/** The values of a numeric column. */
export function numericValues(t: ColumnTable, name: string): number[] {
  const c = t.column(name);
  if (c?.kind !== "numeric") throw new Error(`${name} is not numeric`);
  return Array.from(c.values);
}
