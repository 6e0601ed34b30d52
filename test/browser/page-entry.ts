/**
 * The page run by test/unit/browser-run.slow.test.ts in headless Chromium: fits through the public
 * entry only (CSV text and schemas are inlined by the test as globals) and writes one JSON line per
 * fit into the document, which the test reads back with --dump-dom.
 */
import { fitLmm, parseCsv, parseSchema } from "../../src/index.ts";

declare const DATASETS: Record<string, { csv: string; meta: string }>;
declare const FITS: { id: string; dataset: string; formula: string; REML: boolean }[];
/** The project's tsconfig has no "dom" lib: the one DOM property used here. */
declare const document: { body: { textContent: string } };

const lines: string[] = [];
const wasm = typeof (globalThis as { WebAssembly?: unknown }).WebAssembly === "object";
for (const f of FITS) {
  try {
    const d = DATASETS[f.dataset];
    const data = parseCsv(d.csv, { name: f.dataset, schema: parseSchema(d.meta, `${f.dataset}.meta.json`) });
    const t0 = performance.now();
    const fit = fitLmm(f.formula, data, { REML: f.REML });
    const ms = performance.now() - t0;
    lines.push(JSON.stringify({ id: f.id, objective: fit.objective, feval: fit.optinfo.feval, ms, wasm }));
  } catch (e) {
    lines.push(JSON.stringify({ id: f.id, error: e instanceof Error ? e.message : String(e) }));
  }
}
document.body.textContent = `RESULTS\n${lines.join("\n")}\nEND`;
