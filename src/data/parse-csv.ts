/** Parse a whole CSV at once (convenience over `CsvBuilder`): text, or bytes in `opts.encoding`; the dataset is named "data" unless `opts.name` says otherwise. */
import type { ColumnTable } from "./column-table.ts";
import { CsvBuilder, type CsvOptions } from "./csv-builder.ts";

export function parseCsv(input: string | Uint8Array, opts: CsvOptions = { name: "data" }): ColumnTable {
  const b = new CsvBuilder(opts);
  if (typeof input === "string") b.write(input);
  else b.writeBytes(input);
  return b.finish();
}
