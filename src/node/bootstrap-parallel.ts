/**
 * `bootstrapParallel`: `bootstrap` with the replicates shared between worker threads and the
 * calling thread. Replicates are handed out in small ranges on demand: the calling thread starts
 * at once (between its ranges it yields, so progress and the workers' results flow), and each
 * worker takes ranges as soon as it has started, so a short run never waits for a thread to start
 * and a thread slowed by other load takes fewer ranges. Every replicate depends only on the fit,
 * the seed and its index, so the table is identical to `bootstrap`'s for the same seed and nsim,
 * whatever the number of workers or the scheduling.
 */
import { availableParallelism } from "node:os";
import workerpool from "workerpool";
import { OptionError } from "../errors.ts";
import {
  assembleBootstrap,
  type BootstrapPart,
  type BootstrapTable,
  bootstrapRunner,
  bootstrapSpec,
} from "../inference/bootstrap.ts";
import type { LmmFit } from "../lmm/fit-lmm.ts";
import { workerScript } from "./worker-script.ts";

export interface ParallelBootstrapOptions {
  readonly seed?: number;
  /**
   * Worker threads besides the calling thread (which runs replicates too); default the available
   * cores − 1, at least 1.
   */
  readonly workers?: number;
  /**
   * Whether the calling thread runs replicates too (default true); with false it only hands out
   * work and collects results, and its event loop stays free.
   */
  readonly callerRuns?: boolean;
  /** Called as replicates finish with (done, total), done counting every thread's. */
  readonly onProgress?: (done: number, total: number) => void;
}

/** The calling thread runs replicates for about this long before it yields to the event loop. */
const SLICE_MS = 15;

let runs = 0;

/** `nsim` parametric-bootstrap replicates of `fit` on worker threads; same table as `bootstrap`. */
export async function bootstrapParallel(
  fit: LmmFit,
  nsim: number,
  opts: ParallelBootstrapOptions = {},
): Promise<BootstrapTable> {
  const spec = bootstrapSpec(fit, nsim, opts.seed ?? 1);
  const requested = opts.workers ?? Math.max(1, availableParallelism() - 1);
  if (!Number.isSafeInteger(requested) || requested < 1)
    throw new OptionError(`workers must be a positive integer, got ${opts.workers}`);
  const workers = Math.min(requested, nsim);
  // ranges for the workers: about 16 per thread, at most 50 replicates
  const chunk = Math.max(1, Math.min(50, Math.floor(nsim / (16 * (workers + 1)))));
  const every = Math.max(1, Math.floor(chunk / 4));
  const key = `${process.pid}-${++runs}-${Date.now()}`;
  const script = workerScript("bootstrap-worker");
  const pool = workerpool.pool(script.path, {
    workerType: "thread",
    maxWorkers: workers,
    workerThreadOpts: { execArgv: script.execArgv },
  });
  const parts: BootstrapPart[] = [];
  let next = 0;
  let done = 0;
  let collected = 0;
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
  let stopped = false;
  const workerLoop = async (): Promise<void> => {
    // claim work only once the thread has started and loaded its script
    await pool.exec("ready", []);
    while (next < nsim && !stopped) {
      const from = next;
      const to = Math.min(nsim, from + chunk);
      next = to;
      let seen = 0;
      const part = (await pool.exec("runRange", [spec, key, from, to, every], {
        on: (e: { done: number }) => {
          report(e.done - seen);
          seen = e.done;
        },
      })) as BootstrapPart;
      if (to - from > seen) report(to - from - seen);
      collect(part);
    }
  };
  const mainLoop = async (): Promise<void> => {
    const runner = bootstrapRunner(spec);
    while (next < nsim && !stopped) {
      const t0 = performance.now();
      // one replicate at a time off the shared queue, for about SLICE_MS, then yield
      while (next < nsim && performance.now() - t0 < SLICE_MS) {
        const r = next++;
        collect(runner.run(r, r + 1));
        report(1);
      }
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  };
  for (let w = 0; w < workers; w++)
    workerLoop().catch((e: unknown) => {
      if (!stopped) fail(e);
    });
  if (opts.callerRuns !== false) mainLoop().catch(fail);
  try {
    await complete;
    return assembleBootstrap(spec, parts);
  } finally {
    stopped = true;
    // every claimed range is in (or the run failed): stop the threads, even one still starting
    await pool.terminate(true);
  }
}
