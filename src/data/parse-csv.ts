/** Parse a whole CSV text at once (convenience over `CsvBuilder`). */
import type { ColumnTable } from "./column-table.ts";
import { CsvBuilder, type CsvOptions } from "./csv-builder.ts";

export function parseCsv(text: string, opts: CsvOptions): ColumnTable {
  const b = new CsvBuilder(opts);
  b.write(text);
  return b.finish();
}
