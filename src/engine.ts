/**
 * mixedmodels/engine: the numerical layers under `fitLmm`, for building models without a formula,
 * evaluating the profiled objective, or swapping the optimiser. Browser-pure like the main entry.
 * These APIs follow the engine and may change faster than the main entry's.
 */

// design: formula + data → y, X and the random-effects terms
export type { Design } from "./design/design.ts";
export { buildDesign } from "./design/design.ts";

// the LMM engine
export type { FitLmmOptions, Optimizer } from "./lmm/fit-lmm-problem.ts";
export { fitLmmProblem } from "./lmm/fit-lmm-problem.ts";
export type { LmmModel } from "./lmm/lmm-model.ts";
export type { CreateLmmOptions } from "./lmm/lmm-model.ts";
export { createLmm, reweightLmm } from "./lmm/lmm-model.ts";
export type { LmmProblem, ReTerm } from "./lmm/lmm-problem.ts";
export type { LmmResult, RanefTerm } from "./lmm/lmm-result.ts";
export { objective } from "./lmm/update-l.ts";

// GLMM numerics
export type { GaussHermiteRule } from "./glmm/gauss-hermite.ts";
export { gaussHermite } from "./glmm/gauss-hermite.ts";

// optimisers
export type { Objective, OptimOptions, OptimResult, OptimStatus } from "./optim/types.ts";
export { bobyqa } from "./optim/bobyqa.ts";
export type { MinimizeOptions } from "./optim/minimize.ts";
export { minimize } from "./optim/minimize.ts";
export { nelderMead } from "./optim/nelder-mead.ts";
