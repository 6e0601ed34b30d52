/** Data sets of the GLM reference fits: bundled cbpp, or test/reference/glm/<name>.csv. */
import { readFileSync } from "node:fs";
import type { ColumnTable } from "../../src/data/column-table.ts";
import { parseCsv } from "../../src/data/parse-csv.ts";
import { loadBundled } from "./load-bundled.ts";

export function glmData(name: string): ColumnTable {
  if (name === "cbpp") return loadBundled("cbpp");
  return parseCsv(readFileSync(`test/reference/glm/${name}.csv`, "utf8"), { name });
}
