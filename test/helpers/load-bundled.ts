/** Load a bundled dataset (data/<name>.csv + .meta.json) synchronously for tests. */
import { readFileSync } from "node:fs";
import type { ColumnTable } from "../../src/data/column-table.ts";
import { parseCsv } from "../../src/data/parse-csv.ts";
import { parseSchema } from "../../src/data/schema.ts";

const cache = new Map<string, ColumnTable>();

export function loadBundled(name: string): ColumnTable {
  const hit = cache.get(name);
  if (hit) return hit;
  const metaPath = `data/${name}.meta.json`;
  const schema = parseSchema(readFileSync(metaPath, "utf8"), metaPath);
  const table = parseCsv(readFileSync(`data/${name}.csv`, "utf8"), { name, schema });
  cache.set(name, table);
  return table;
}
