/**
 * bootstrapParallel (Node entry): the replicates shared between worker threads and the calling
 * thread give exactly the serial table for the same seed and nsim, with 1 or 2 workers (with
 * `callerRuns: false`, so that the workers do every replicate); also for a GLMM (the spec carries the
 * family, link and trials to the workers).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { bootstrap, fitGlmm, fitLmm, MixedError } from "../../../src/index.ts";
import { bootstrapParallel } from "../../../src/node/index.ts";
import { loadBundled } from "../../helpers/load-bundled.ts";

test("bootstrapParallel equals bootstrap for the same seed, whatever the number of workers", async () => {
  const m = fitLmm("Reaction ~ Days + (Days | Subject)", loadBundled("sleepstudy"));
  const serial = bootstrap(m, 150, { seed: 4 });
  let last = 0;
  const one = await bootstrapParallel(m, 150, {
    seed: 4,
    workers: 1,
    callerRuns: false,
    onProgress: (done, total) => {
      assert.ok(done > last && total === 150);
      last = done;
    },
  });
  assert.equal(last, 150);
  const two = await bootstrapParallel(m, 150, { seed: 4, workers: 2, callerRuns: false });
  const shared = await bootstrapParallel(m, 150, { seed: 4, workers: 2 });
  assert.deepEqual(shared.rows, serial.rows);
  assert.deepEqual(one.rows, serial.rows);
  assert.deepEqual(two.rows, serial.rows);
  assert.deepEqual(two.columns, serial.columns);
  assert.deepEqual({ ...two.warningCounts }, { ...serial.warningCounts });
  assert.equal(two.failures, serial.failures);
});

test("bootstrapParallel: two random terms, and bad options are typed errors", async () => {
  const m = fitLmm("diameter ~ 1 + (1 | plate) + (1 | sample)", loadBundled("Penicillin"));
  const serial = bootstrap(m, 60, { seed: 8 });
  const par = await bootstrapParallel(m, 60, { seed: 8, workers: 2, callerRuns: false });
  assert.deepEqual(par.rows, serial.rows);
  await assert.rejects(
    bootstrapParallel(m, 0),
    (e) => e instanceof MixedError && e.code === "E_OPTION_INVALID",
  );
  await assert.rejects(
    bootstrapParallel(m, 10, { workers: 0 }),
    (e) => e instanceof MixedError && e.code === "E_OPTION_INVALID",
  );
});

test("bootstrapParallel of a GLMM equals its serial bootstrap", async () => {
  const g = fitGlmm("cbind(incidence, size - incidence) ~ period + (1 | herd)", loadBundled("cbpp"), {
    family: "binomial",
  });
  const serial = bootstrap(g, 12, { seed: 3 });
  const par = await bootstrapParallel(g, 12, { seed: 3, workers: 1, callerRuns: false });
  assert.deepEqual(par.rows, serial.rows);
  assert.deepEqual(par.columns, serial.columns);
});
