/**
 * The worker thread of `fitBayesParallel` (built to dist/bayes-worker.js): rebuilds the model from
 * a `BayesRunSpec` and runs one chain, reporting progress to the pool as `{chain, iteration}`
 * events every few iterations (the chain's big arrays are transferred, not copied); and summarises
 * a slice of the variables once all chains are done.
 */
import workerpool from "workerpool";
import { summariseVariables } from "../bayes/bayes-fit.ts";
import { type BayesRunSpec, runChainOfSpec } from "../bayes/fit-bayes.ts";

const PROGRESS_EVERY = 50;

function runChain(spec: BayesRunSpec, chain: number): unknown {
  const result = runChainOfSpec(spec, chain, (done, total) => {
    if (done % PROGRESS_EVERY === 0 || done === total) workerpool.workerEmit({ chain, iteration: done });
  });
  return new workerpool.Transfer(result, [result.outputs.buffer, result.unconstrained.buffer]);
}

workerpool.worker({ runChain, summarise: summariseVariables });
