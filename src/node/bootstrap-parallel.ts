/**
 * `bootstrapParallel`: `bootstrap` with the replicates shared between worker threads and the
 * calling thread, handed out in small ranges on demand. The calling thread starts at once, in
 * slices of about SLICE_MS (yielding between them, so progress and the workers' results flow), and
 * measures its CPU time per replicate. A worker thread costs about 0.1 s to start and then runs its
 * first replicates several times slower while the JIT compiles the engine (some 0.3 s of CPU in
 * all for sleepstudy), so workers start only when the work left would take the calling thread more
 * than WORKER_MIN_S (0.6 s) and the load average shows an idle core: a short run never waits for a
 * thread, and a busy machine is not given more to do. Each worker takes ranges as soon as it has
 * started, so a thread slowed by other load takes fewer. Every replicate depends only on the fit,
 * the seed and its index, so the table is identical to `bootstrap`'s for the same seed and nsim,
 * whatever the number of workers, whether they started, or the scheduling.
 */
import { availableParallelism, loadavg } from "node:os";
import workerpool from "workerpool";
import { OptionError } from "../errors.ts";
import {
  assembleBootstrap,
  type BootstrapPart,
  type BootstrapTable,
  bootstrapRunner,
  bootstrapSpec,
} from "../inference/bootstrap.ts";
import type { GlmmFit } from "../glmm/fit-glmm.ts";
import type { LmmFit } from "../lmm/fit-lmm.ts";
import { workerScript } from "./worker-script.ts";

export interface ParallelBootstrapOptions {
  readonly seed?: number;
  /**
   * Worker threads besides the calling thread; default the available cores − 1, at least 1. They
   * start only when the run is long enough to gain from them (see the module comment).
   */
  readonly workers?: number;
  /**
   * Whether the calling thread runs replicates too (default true); with false the workers start
   * at once and do every replicate, and the calling thread's event loop stays free.
   */
  readonly callerRuns?: boolean;
  /** Called as replicates finish with (done, total), done counting every thread's. */
  readonly onProgress?: (done: number, total: number) => void;
}

/** The calling thread runs replicates for about this long before it yields to the event loop. */
const SLICE_MS = 15;

/** Workers start when the calling thread's estimate of the work left exceeds this (CPU seconds). */
const WORKER_MIN_S = 0.6;

/** The estimate waits for this much CPU time (the process clock may tick in steps of 4–10 ms, and a
 * slice may hold a garbage collection). */
const MIN_MEASURED_S = 0.05;

let runs = 0;

/**
 * Whether the machine has a core to spare (as `make -l`): a 1-minute load average at least half a
 * core below the number of cores. When every core is busy, a worker only adds its start-up and
 * warm-up to the work. (The load average is 0 where the system does not report one.)
 */
function coreIsFree(): boolean {
  return loadavg()[0] <= availableParallelism() - 0.5;
}

/** `nsim` parametric-bootstrap replicates of `fit` on worker threads; same table as `bootstrap`. */
export async function bootstrapParallel(
  fit: LmmFit | GlmmFit,
  nsim: number,
  opts: ParallelBootstrapOptions = {},
): Promise<BootstrapTable> {
  const spec = bootstrapSpec(fit, nsim, opts.seed ?? 1);
  const requested = opts.workers ?? Math.max(1, availableParallelism() - 1);
  if (!Number.isSafeInteger(requested) || requested < 1)
    throw new OptionError(`workers must be a positive integer, got ${opts.workers}`);
  const callerRuns = opts.callerRuns !== false;
  const workers = Math.min(requested, nsim);
  // ranges for the workers: about 16 per thread, at most 50 replicates
  const chunk = Math.max(1, Math.min(50, Math.floor(nsim / (16 * (workers + 1)))));
  const every = Math.max(1, Math.floor(chunk / 4));
  const key = `${process.pid}-${++runs}-${Date.now()}`;
  const parts: BootstrapPart[] = [];
  let next = 0;
  let done = 0;
  let collected = 0;
  let stopped = false;
  // settles once every replicate's row is in (a worker still starting up is then not waited for)
  let finish: () => void = () => {};
  let fail: (e: unknown) => void = () => {};
  const complete = new Promise<void>((res, rej) => {
    finish = res;
    fail = rej;
  });
  const report = (k: number) => {
    done += k;
    opts.onProgress?.(done, nsim);
  };
  const collect = (part: BootstrapPart) => {
    parts.push(part);
    collected += part.to - part.from;
    if (collected === nsim) finish();
  };

  let pool: ReturnType<typeof workerpool.pool> | null = null;
  const workerLoop = async (p: ReturnType<typeof workerpool.pool>): Promise<void> => {
    // claim work only once the thread has started and loaded its script
    await p.exec("ready", []);
    while (next < nsim && !stopped) {
      const from = next;
      const to = Math.min(nsim, from + chunk);
      next = to;
      let seen = 0;
      const part = (await p.exec("runRange", [spec, key, from, to, every], {
        on: (e: { done: number }) => {
          report(e.done - seen);
          seen = e.done;
        },
      })) as BootstrapPart;
      if (to - from > seen) report(to - from - seen);
      collect(part);
    }
  };
  const startWorkers = (): void => {
    if (pool) return;
    const script = workerScript("bootstrap-worker");
    const p = workerpool.pool(script.path, {
      workerType: "thread",
      maxWorkers: workers,
      workerThreadOpts: { execArgv: script.execArgv },
    });
    pool = p;
    for (let w = 0; w < workers; w++)
      workerLoop(p).catch((e: unknown) => {
        if (!stopped) fail(e);
      });
  };
  const mainLoop = async (): Promise<void> => {
    const runner = bootstrapRunner(spec);
    const c0 = process.cpuUsage();
    let k = 0;
    while (next < nsim && !stopped) {
      const t0 = performance.now();
      // one replicate at a time off the shared queue, for about SLICE_MS, then yield
      while (next < nsim && performance.now() - t0 < SLICE_MS) {
        const r = next++;
        collect(runner.run(r, r + 1));
        report(1);
        k++;
      }
      if (!pool && next < nsim) {
        // CPU seconds per replicate so far (before any worker exists the process's CPU time is
        // this thread's, plus the JIT's and the GC's), once enough to read off the coarse clock
        const c = process.cpuUsage(c0);
        const cpu = (c.user + c.system) / 1e6;
        if (cpu >= MIN_MEASURED_S && (cpu / k) * (nsim - next) > WORKER_MIN_S && coreIsFree()) startWorkers();
      }
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  };
  if (callerRuns) mainLoop().catch(fail);
  else startWorkers();
  try {
    await complete;
    return assembleBootstrap(spec, parts);
  } finally {
    stopped = true;
    // every claimed range is in (or the run failed): stop the threads, even one still starting
    if (pool) await (pool as ReturnType<typeof workerpool.pool>).terminate(true);
  }
}
