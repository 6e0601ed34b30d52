/**
 * mixedmodels/node: data from files and the bundled datasets (Node only; the one entry that uses
 * `node:*` modules).
 */
export type { DatasetInfo } from "./bundled-data.ts";
export { listDatasets } from "./bundled-data.ts";
export type { ReadDataOptions } from "./read-data.ts";
export { readData } from "./read-data.ts";
export type { ParallelBayesOptions } from "./fit-bayes-parallel.ts";
export { fitBayesParallel } from "./fit-bayes-parallel.ts";
