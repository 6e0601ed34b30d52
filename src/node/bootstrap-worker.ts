/**
 * The worker thread of `bootstrapParallel` (built to dist/bootstrap-worker.js): runs ranges of
 * replicates of a `BootstrapSpec`, keeping the runner (its engine model) of the last spec seen so
 * later ranges of the same run reuse it, and reporting progress to the pool as `{done}` events
 * (replicates finished in the range); the rows' buffer is transferred, not copied.
 */
import workerpool from "workerpool";
import { type BootstrapRunner, type BootstrapSpec, bootstrapRunner } from "../inference/bootstrap.ts";

let cached: { key: string; runner: BootstrapRunner } | null = null;

function runRange(spec: BootstrapSpec, key: string, from: number, to: number, every: number): unknown {
  if (cached?.key !== key) cached = { key, runner: bootstrapRunner(spec) };
  const part = cached.runner.run(from, to, (done, total) => {
    if (done % every === 0 || done === total) workerpool.workerEmit({ done });
  });
  return new workerpool.Transfer(part, [part.values.buffer]);
}

workerpool.worker({ runRange, ready: () => true });
