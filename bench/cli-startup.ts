/**
 * CLI start-up: wall time of `mixed fit "y ~ x" --data coffee` (the built bundle, as a user runs it),
 * median and min over repeated runs. Target (issue 2): ≤ 0.15 s; R's
 * `Rscript -e 'summary(lm(y ~ x, read.csv("coffee.csv")))'` takes 0.17 s on this machine.
 * Run: `npm run build && node --import tsx bench/cli-startup.ts`.
 */
import { spawnSync } from "node:child_process";

export interface CliTiming {
  command: string;
  runs: number;
  median_s: number;
  min_s: number;
  /** Every run's wall seconds, in run order. */
  times_s: number[];
}

export function timeCli(args: string[], runs = 15): CliTiming {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(process.execPath, ["bin/mixed.mjs", ...args], { encoding: "utf8" });
    const dt = Number(process.hrtime.bigint() - t0) / 1e9;
    if (r.status !== 0) throw new Error(`mixed ${args.join(" ")} failed: ${r.stderr}`);
    times.push(dt);
  }
  const sorted = [...times].sort((a, b) => a - b);
  return {
    command: `mixed ${args.join(" ")}`,
    runs,
    median_s: sorted[Math.floor(runs / 2)],
    min_s: sorted[0],
    times_s: times,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = timeCli(["fit", "y ~ x", "--data", "coffee"]);
  console.log(
    `${r.command}: median ${(r.median_s * 1000).toFixed(1)} ms, min ${(r.min_s * 1000).toFixed(1)} ms over ${r.runs} runs (target ≤ 150 ms)`,
  );
}
