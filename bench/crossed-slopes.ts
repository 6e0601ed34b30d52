/**
 * Random slopes on crossed factors (the "maximal" models), on the seeded crossed data of
 * bench/crossed-data.ts: model construction, one REML objective evaluation (median of 5 at a
 * fixed θ) and, with --fit, whole REML fits. Not part of `npm run bench` (no issue sets targets);
 * model B also has rows there.
 *
 *   node --import tsx bench/crossed-slopes.ts [--rows N] [--fit] [--js] [--csv FILE]
 *
 * --js disables WebAssembly (the JS kernels' fallback); --csv writes the data for
 * bench/lme4/crossed-slopes.R, which fits the same models with lme4.
 */
import { writeFileSync } from "node:fs";
import { crossedData, crossedDesign } from "./crossed-data.ts";

const argv = process.argv.slice(2);
const value = (name: string): string | undefined => {
  const i = argv.indexOf(name);
  return i === -1 ? undefined : argv[i + 1];
};
const rows = Number(value("--rows") ?? 100_000);
if (argv.includes("--js")) (globalThis as { WebAssembly?: unknown }).WebAssembly = undefined;
// the engine is imported after the switch above (the kernel loader reads globalThis.WebAssembly)
const { buildDesign } = await import("../src/design/design.ts");
const { parseFormula } = await import("../src/formula/parse-formula.ts");
const { fitLmm } = await import("../src/lmm/fit-lmm.ts");
const { createLmm } = await import("../src/lmm/lmm-model.ts");
const { objective } = await import("../src/lmm/update-l.ts");

const FORMULAS = [
  "y ~ 1 + x + (1 + x | subj) + (1 | item)",
  "y ~ 1 + x + (1 | subj) + (1 + x | item)",
  "y ~ 1 + x + (1 + x | subj) + (1 + x | item)",
];

const data = crossedData(crossedDesign(rows));
const csv = value("--csv");
if (csv) {
  const cols = ["y", "x", "subj", "item"].map((c) => data.column(c));
  const lines = ["y,x,subj,item"];
  for (let t = 0; t < rows; t++)
    lines.push(
      cols
        .map((c) => (c?.kind === "numeric" ? c.values[t] : c?.kind === "factor" ? c.levels[c.codes[t]] : ""))
        .join(","),
    );
  writeFileSync(csv, `${lines.join("\n")}\n`);
  console.log(`wrote ${csv}`);
}
console.log(
  `crossed data: ${rows} rows, ${crossedDesign(rows).nsubj} subjects × ${crossedDesign(rows).nitem} items; ` +
    `WebAssembly ${typeof (globalThis as { WebAssembly?: unknown }).WebAssembly === "object" ? "on" : "off"}`,
);
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1];
for (const f of FORMULAS) {
  const d = buildDesign(parseFormula(f), data);
  let t = performance.now();
  const m = createLmm({ y: d.y, X: d.X, xnames: d.xnames, reterms: d.reterms });
  const buildMs = performance.now() - t;
  const theta = Float64Array.from({ length: m.ntheta }, (_, i) => [0.9, 0.2, 0.4, 0.7, -0.1, 0.3][i]);
  objective(m, theta, true);
  const ts: number[] = [];
  for (let r = 0; r < 5; r++) {
    t = performance.now();
    objective(m, theta, true);
    ts.push(performance.now() - t);
  }
  let line = `${f.padEnd(46)} createLmm ${buildMs.toFixed(0)} ms, one evaluation ${median(ts).toFixed(1)} ms`;
  if (argv.includes("--fit")) {
    t = performance.now();
    const fit = fitLmm(f, data, { REML: true });
    line += `; fit ${((performance.now() - t) / 1000).toFixed(2)} s, ${fit.optinfo.feval} evaluations, REML ${fit.objective.toFixed(6)}`;
  }
  console.log(line);
}
