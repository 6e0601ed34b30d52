/**
 * Sampler-core speed on a 100-dimensional standard normal (whose gradient costs almost nothing, so
 * this measures the NUTS machinery itself): gradient evaluations per second, leapfrog steps per
 * second, and ESS per second (min ess_bulk over the coordinates / sampling seconds), for the
 * diagonal and the dense metric. CPU seconds (process.cpuUsage) next to wall seconds, since the
 * machine may be shared.
 *
 *   node --import tsx bench/nuts.ts [--dim 100] [--dense-dim 20] [--chains 4] [--warmup 1000] [--draws 1000]
 *
 * The dense metric runs in fewer dimensions: as in Stan, its first windows (25, 50, … draws) cannot
 * estimate a 100 × 100 covariance, and the regularised estimate then forces tiny steps and
 * maximal trees for much of warm-up (a warm-up of a few thousand iterations is needed there).
 *
 * `benchNuts(options)` returns the same figures for other benches.
 */
import { fileURLToPath } from "node:url";
import type { BayesModel } from "../src/bayes/log-density.ts";
import { runChain } from "../src/bayes/run-chain.ts";
import { summariseDraws } from "../src/bayes/summarise-draws.ts";

export interface NutsBenchOptions {
  readonly dim?: number;
  readonly chains?: number;
  readonly warmup?: number;
  readonly draws?: number;
  readonly metric?: "diag" | "dense";
}

export interface NutsBenchResult {
  readonly dim: number;
  readonly metric: "diag" | "dense";
  readonly chains: number;
  readonly gradientsPerSecond: number;
  readonly leapfrogsPerSecondSampling: number;
  readonly minEssBulk: number;
  readonly essPerSecondSampling: number;
  readonly essPerSecondTotal: number;
  readonly samplingSeconds: number;
  readonly totalSeconds: number;
  readonly cpuSeconds: number;
  readonly summarySeconds: number;
  readonly meanTreeDepth: number;
  readonly stepSize: number;
}

function standardNormal(dim: number): BayesModel {
  const names = Array.from({ length: dim }, (_, i) => `q[${i + 1}]`);
  return {
    dim,
    unconstrainedNames: names,
    outputNames: names,
    logDensityGradient(q, g) {
      let lp = 0;
      for (let i = 0; i < dim; i++) {
        g[i] = -q[i];
        lp -= 0.5 * q[i] * q[i];
      }
      return lp;
    },
    initialPoint(q, uniform) {
      for (let i = 0; i < dim; i++) q[i] = 4 * uniform() - 2;
    },
    constrain(q, out) {
      out.set(q);
    },
  };
}

export function benchNuts(options: NutsBenchOptions = {}): NutsBenchResult {
  const dim = options.dim ?? 100;
  const chains = options.chains ?? 4;
  const metric = options.metric ?? "diag";
  const model = standardNormal(dim);
  // warm the JIT on a short chain first
  runChain(model, { seed: 99, chain: 0, warmup: 200, draws: 100, metric });
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const rs = Array.from({ length: chains }, (_, c) =>
    runChain(model, {
      seed: 1,
      chain: c,
      warmup: options.warmup ?? 1000,
      draws: options.draws ?? 1000,
      metric,
    }),
  );
  const t1 = performance.now();
  const cpu = process.cpuUsage(cpu0);
  const s = summariseDraws(
    model.outputNames,
    rs.map((r) => r.outputs),
    rs[0].draws,
  );
  const t2 = performance.now();
  const sampling = rs.reduce((a, r) => a + r.summary.samplingSeconds, 0);
  const total = rs.reduce((a, r) => a + r.summary.samplingSeconds + r.summary.warmupSeconds, 0);
  const grads = rs.reduce((a, r) => a + r.summary.gradientEvaluations, 0);
  const leapSampling = rs.reduce((a, r) => a + r.summary.leapfrogSampling, 0);
  const minEss = Math.min(...s.map((v) => v.ess_bulk));
  return {
    dim,
    metric,
    chains,
    gradientsPerSecond: grads / total,
    leapfrogsPerSecondSampling: leapSampling / sampling,
    minEssBulk: minEss,
    essPerSecondSampling: minEss / sampling,
    essPerSecondTotal: minEss / total,
    samplingSeconds: sampling,
    totalSeconds: (t1 - t0) / 1000,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    summarySeconds: (t2 - t1) / 1000,
    meanTreeDepth: rs.reduce((a, r) => a + r.summary.meanTreeDepth, 0) / chains,
    stepSize: rs.reduce((a, r) => a + r.summary.stepSize, 0) / chains,
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const arg = (name: string, def: number): number => {
    const i = process.argv.indexOf(name);
    return i < 0 ? def : Number(process.argv[i + 1]);
  };
  const opts = {
    dim: arg("--dim", 100),
    chains: arg("--chains", 4),
    warmup: arg("--warmup", 1000),
    draws: arg("--draws", 1000),
  };
  for (const metric of ["diag", "dense"] as const) {
    const r = benchNuts({ ...opts, metric, dim: metric === "dense" ? arg("--dense-dim", 20) : opts.dim });
    const f = (v: number, d = 0) => v.toFixed(d);
    console.log(
      `${r.dim}-dim standard normal, ${r.metric} metric, ${r.chains} chains: ` +
        `${f(r.gradientsPerSecond)} gradients/s, ${f(r.leapfrogsPerSecondSampling)} leapfrogs/s (sampling), ` +
        `min ess_bulk ${f(r.minEssBulk)}, ESS/s ${f(r.essPerSecondSampling)} (sampling) ${f(r.essPerSecondTotal)} (warm-up + sampling); ` +
        `wall ${f(r.totalSeconds, 2)} s, CPU ${f(r.cpuSeconds, 2)} s, summary ${f(r.summarySeconds, 2)} s; ` +
        `tree depth ${f(r.meanTreeDepth, 2)}, step ${f(r.stepSize, 3)}`,
    );
  }
}
