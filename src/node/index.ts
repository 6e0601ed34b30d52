/**
 * mixedmodels/node: data from files and the bundled datasets, and SVG → PNG (Node only; the one
 * entry that uses `node:*` modules).
 */
export type { DatasetInfo } from "./bundled-data.ts";
export { listDatasets } from "./bundled-data.ts";
export type { ReadDataOptions } from "./read-data.ts";
export { readData } from "./read-data.ts";
export type { SvgToPngOptions } from "./svg-to-png.ts";
export { svgToPng } from "./svg-to-png.ts";
export type { ParallelBayesOptions } from "./fit-bayes-parallel.ts";
export { fitBayesParallel } from "./fit-bayes-parallel.ts";
export type { ParallelBootstrapOptions } from "./bootstrap-parallel.ts";
export { bootstrapParallel } from "./bootstrap-parallel.ts";
