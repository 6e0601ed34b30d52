/**
 * CSV load benchmark: a seeded 1,000,000-row, 4-column CSV (y, x numeric; g a factor with 10,000
 * levels; h a factor with 1,000 levels; factor values quoted as R's write.csv does) is written to
 * the OS temp folder, then `readData` loads it (no schema: types are inferred) in a fresh child
 * process that reports the load's wall time and its peak RSS. Targets (issue 2): ≤ 3 s, ≤ 400 MB.
 *
 *   node --import tsx bench/csv-load.ts [--rows N] [--runs K]
 *
 * `measureCsvLoad` is the same measurement for bench/run.ts.
 */
import { spawnSync } from "node:child_process";
import { closeSync, existsSync, openSync, renameSync, statSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const TARGET_SECONDS = 3;
const TARGET_RSS_MB = 400;

/** mulberry32: a small seeded PRNG, uniform on [0, 1). */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Write the benchmark CSV (reused when it already exists). */
function generate(rows: number, seed: number): string {
  const path = join(tmpdir(), `mixedmodels-bench-${rows}-${seed}.csv`);
  if (existsSync(path)) return path;
  const rand = mulberry32(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const tmp = `${path}.tmp`;
  const fd = openSync(tmp, "w");
  writeSync(fd, '"y","x","g","h"\n');
  const lines: string[] = [];
  for (let i = 0; i < rows; i++) {
    const x = normal();
    const g = Math.floor(rand() * 10000);
    const h = Math.floor(rand() * 1000);
    const y = 10 + 2 * x + 0.001 * g + normal();
    // at most 15 significant digits, as R's write.csv
    lines.push(`${Number(y.toPrecision(15))},${Number(x.toPrecision(15))},"s${g}","h${h}"`);
    if (lines.length === 10000) {
      writeSync(fd, `${lines.join("\n")}\n`);
      lines.length = 0;
    }
  }
  if (lines.length) writeSync(fd, `${lines.join("\n")}\n`);
  closeSync(fd);
  renameSync(tmp, path);
  return path;
}

async function child(path: string): Promise<void> {
  const { readData } = await import("../src/node/read-data.ts");
  const t0 = performance.now();
  const table = await readData(path);
  const seconds = (performance.now() - t0) / 1000;
  const maxRssMB = process.resourceUsage().maxRSS / 1024; // maxRSS is in KiB
  const shape = table.names.map((n) => {
    const c = table.column(n);
    return c?.kind === "factor" ? `${n}:factor(${c.levels.length})` : `${n}:numeric`;
  });
  process.stdout.write(`${JSON.stringify({ seconds, maxRssMB, nrow: table.nrow, shape })}\n`);
}

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i === -1 ? fallback : Number(process.argv[i + 1]);
}

export interface CsvLoadRun {
  /** Wall seconds of `readData` in a fresh child process. */
  readonly seconds: number;
  /** Peak RSS of that child process (MiB). */
  readonly maxRssMB: number;
}

export interface CsvLoadResult {
  readonly path: string;
  readonly rows: number;
  readonly sizeMB: number;
  readonly runs: CsvLoadRun[];
}

/** Generate (or reuse) the CSV, then load it `runs` times, each in a fresh child process. */
export function measureCsvLoad(
  rows: number,
  runs: number,
  log: (line: string) => void = () => {},
): CsvLoadResult {
  const path = generate(rows, 20240601);
  const sizeMB = statSync(path).size / 1048576;
  log(`csv-load: ${path} (${rows} rows, 4 columns, ${sizeMB.toFixed(1)} MB)`);
  const self = fileURLToPath(import.meta.url);
  const out: CsvLoadRun[] = [];
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    const child = spawnSync(process.execPath, ["--import", "tsx", self, "--child", path], {
      encoding: "utf8",
    });
    const total = (performance.now() - t0) / 1000;
    if (child.status !== 0) throw new Error(`child failed: ${child.stderr}`);
    const res = JSON.parse(child.stdout) as {
      seconds: number;
      maxRssMB: number;
      nrow: number;
      shape: string[];
    };
    log(
      `  run ${r + 1}: readData ${res.seconds.toFixed(3)} s, peak RSS ${res.maxRssMB.toFixed(0)} MB, ` +
        `child process ${total.toFixed(3)} s; ${res.nrow} rows [${res.shape.join(", ")}]`,
    );
    out.push({ seconds: res.seconds, maxRssMB: res.maxRssMB });
  }
  return { path, rows, sizeMB, runs: out };
}

async function main(): Promise<void> {
  const childAt = process.argv.indexOf("--child");
  if (childAt !== -1) return child(process.argv[childAt + 1]);
  const result = measureCsvLoad(arg("--rows", 1_000_000), arg("--runs", 3), console.log);
  const best = Math.min(...result.runs.map((r) => r.seconds));
  const worstRss = Math.max(...result.runs.map((r) => r.maxRssMB));
  const ok = best <= TARGET_SECONDS && worstRss <= TARGET_RSS_MB;
  console.log(
    `csv-load: best ${best.toFixed(3)} s (target ≤ ${TARGET_SECONDS} s), peak RSS ${worstRss.toFixed(0)} MB ` +
      `(target ≤ ${TARGET_RSS_MB} MB): ${ok ? "OK" : "MISSED"}`,
  );
  if (!ok) process.exitCode = 1;
}

// Run only as a script (or as its own child), not when imported by bench/run.ts.
if (import.meta.url === `file://${process.argv[1]}`) await main();
