/**
 * `y ~ g` (and `y ~ x + g`) by `fitLm` with one large dummy-coded factor: seeded data, one fit per
 * case, wall time and peak resident memory. Not a test; run by hand:
 *
 *   node --import tsx bench/lm-factor.ts [n] [levels...]      (default: 100000 rows, 200 2000 10000 levels)
 *
 * R's lm on the same shapes (issue 6): 2,000 levels on 10⁵ rows in 48 s.
 */
import { ColumnTable } from "../src/data/column-table.ts";
import { fitLm } from "../src/lm/fit-lm.ts";
import { seededRng } from "./seeded-rng.ts";

/** y = 0.5·x + a[g] + ε with `levels` groups drawn uniformly (every level used at least once). */
export function factorData(n: number, levels: number, seed = 6): ColumnTable {
  const rng = seededRng(seed);
  const g = new Int32Array(n);
  for (let i = 0; i < n; i++) g[i] = i < levels ? i : rng.int(levels);
  const a = Float64Array.from({ length: levels }, () => rng.normal());
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    x[i] = rng.normal();
    y[i] = 1 + 0.5 * x[i] + a[g[i]] + rng.normal();
  }
  return new ColumnTable(`factor_${levels}`, [
    { kind: "numeric", name: "y", values: y, integer: false },
    { kind: "numeric", name: "x", values: x, integer: false },
    {
      kind: "factor",
      name: "g",
      codes: g,
      levels: Array.from({ length: levels }, (_, i) => `L${i + 1}`),
      ordered: false,
      contrasts: null,
    },
  ]);
}

function run(formula: string, n: number, levels: number): void {
  const data = factorData(n, levels);
  const t0 = performance.now();
  const fit = fitLm(formula, data);
  const s = (performance.now() - t0) / 1000;
  const rssMB = process.memoryUsage().rss / 2 ** 20;
  console.log(
    `${formula.padEnd(10)} n=${n} levels=${levels}: ${s.toFixed(2)} s, rss ${rssMB.toFixed(0)} MB, ` +
      `sigma=${fit.sigma.toPrecision(8)} se[1]=${fit.se[1].toPrecision(8)}`,
  );
}

function main(): void {
  const args = process.argv.slice(2).map(Number);
  const n = args[0] || 100_000;
  const levelsList = args.length > 1 ? args.slice(1) : [200, 2000, 10000];
  for (const k of levelsList) {
    run("y ~ g", n, k);
    run("y ~ x + g", n, k);
  }
}

if (import.meta.url === new URL(process.argv[1] ?? "", "file://").href) main();
