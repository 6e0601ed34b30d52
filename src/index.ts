/**
 * mixedmodels: the public API. Explicit named re-exports only.
 */

// errors and warnings
export type { ErrorCode, Warning, WarningCode } from "./errors.ts";
export { DataError, FormulaError, MixedError, NumericalError, OptionError, SpecError } from "./errors.ts";

// data
export type { Column, ContrastName, DataSource, FactorColumn, NumericColumn } from "./data/column.ts";
export { ColumnTable } from "./data/column-table.ts";
export { CsvBuilder } from "./data/csv-builder.ts";
export { parseCsv } from "./data/parse-csv.ts";
export type { DatasetSchema } from "./data/schema.ts";
export { parseSchema } from "./data/schema.ts";

// formula
export type { ModelFormula, RandomTerm, Term, TermList, VarExpr, Variable } from "./formula/model-formula.ts";
export { parseFormula } from "./formula/parse-formula.ts";

// design
export type { Design } from "./design/design.ts";
export { buildDesign } from "./design/design.ts";

// models
export type { LmFit, LmFitOptions } from "./lm/fit-lm.ts";
export { fitLm } from "./lm/fit-lm.ts";
export { lmToJSON } from "./lm/lm-json.ts";
export type { LmmFit, LmmFitOptions } from "./lmm/fit-lmm.ts";
export { fitLmm, lmmToJSON } from "./lmm/fit-lmm.ts";
export type { LmmResult, VarCorrGroup } from "./lmm/lmm-result.ts";
export { objective } from "./lmm/update-l.ts";
export { createLmm } from "./lmm/lmm-model.ts";
export { fitLmmProblem } from "./lmm/fit-lmm-problem.ts";
export type { LmmProblem, ReTerm } from "./lmm/lmm-problem.ts";

// optimisers
export type { OptimOptions, OptimResult } from "./optim/types.ts";
export { bobyqa } from "./optim/bobyqa.ts";
export { nelderMead } from "./optim/nelder-mead.ts";
export { minimize } from "./optim/minimize.ts";

// reports
export { lmmCoef, lmmRanef, lmmSummary, lmSummary } from "./report/fit-summary.ts";
