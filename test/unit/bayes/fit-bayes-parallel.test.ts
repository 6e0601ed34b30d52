import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { fitBayes } from "../../../src/bayes/fit-bayes.ts";
import { parseFormula } from "../../../src/formula/parse-formula.ts";
import { fitBayesParallel } from "../../../src/node/fit-bayes-parallel.ts";
import { loadBundled } from "../../helpers/load-bundled.ts";

const SLEEP = "Reaction ~ Days + (Days | Subject)";

describe("fitBayesParallel", () => {
  for (const method of ["collapsed", "nuts-full"] as const) {
    it(`gives the draws of the sequential fitBayes for the same seed (${method}), whatever the number of workers`, async () => {
      const data = loadBundled("sleepstudy");
      const opts = { method, chains: 3, warmup: method === "collapsed" ? 150 : 100, draws: 40, seed: 2024 };
      const seq = fitBayes(SLEEP, data, opts);
      const progress: number[] = [];
      const par = await fitBayesParallel(SLEEP, data, { ...opts, onProgress: (c) => progress.push(c) });
      const one = await fitBayesParallel(SLEEP, data, { ...opts, workers: 1 });
      for (const other of [par, one]) {
        assert.deepEqual(other.variables, seq.variables);
        for (let c = 0; c < 3; c++) {
          assert.deepEqual(
            other.chainResults[c].outputs,
            seq.chainResults[c].outputs,
            `chain ${c + 1} outputs`,
          );
          assert.deepEqual(
            other.chainResults[c].stats,
            seq.chainResults[c].stats,
            `chain ${c + 1} sampler columns`,
          );
        }
        // summaries computed in the workers, slice by slice, equal the sequential ones
        assert.deepEqual(other.summary, seq.summary);
      }
      // the chains differ from each other (each has its own random streams)
      assert.notDeepEqual(seq.chainResults[0].outputs, seq.chainResults[1].outputs);
      // progress was reported for every chain
      assert.deepEqual([...new Set(progress)].sort(), [0, 1, 2]);
    });
  }

  it("takes a parsed formula as well as its text", () => {
    const data = loadBundled("sleepstudy");
    const opts = { chains: 1, warmup: 30, draws: 10, seed: 5 };
    const a = fitBayes(parseFormula("Reaction ~ Days + (1 | Subject)"), data, opts);
    const b = fitBayes("Reaction ~ Days + (1 | Subject)", data, opts);
    assert.equal(a.formula, "Reaction ~ Days + (1 | Subject)");
    assert.deepEqual(a.chainResults[0].outputs, b.chainResults[0].outputs);
  });

  it("refuses bad options in the main thread with a typed error", async () => {
    await assert.rejects(fitBayesParallel(SLEEP, loadBundled("sleepstudy"), { chains: 0 }), {
      code: "E_OPTION_INVALID",
    });
    await assert.rejects(
      fitBayesParallel(SLEEP, loadBundled("sleepstudy"), { prior: ["nonsense: normal(0, 1)"] }),
      (e: Error & { code?: string }) => e.code?.startsWith("E_PRIOR") === true,
    );
  });
});
