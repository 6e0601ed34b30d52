/** `mixed data`: list the bundled datasets with rows, columns and a one-line description. */
import { listDatasets } from "../../node/read-data.ts";

export async function runData(opts: { json?: boolean }): Promise<number> {
  const sets = await listDatasets();
  if (opts.json) {
    process.stdout.write(`${JSON.stringify(sets)}\n`);
    return 0;
  }
  const w = Math.max(...sets.map((s) => s.name.length), 4);
  const lines = [`${"name".padEnd(w)}    rows  cols  description`];
  for (const s of sets) {
    lines.push(
      `${s.name.padEnd(w)} ${String(s.rows).padStart(7)} ${String(s.columns).padStart(5)}  ${s.description}`,
    );
  }
  process.stdout.write(`${lines.join("\n")}\n`);
  return 0;
}
