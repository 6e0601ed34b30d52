/**
 * mixedmodels: the public API. Explicit named re-exports only.
 */
export type { ErrorCode, Warning, WarningCode } from "./errors.ts";
export { DataError, FormulaError, MixedError, NumericalError, OptionError, SpecError } from "./errors.ts";
export type { Column, ContrastName, DataSource, FactorColumn, NumericColumn } from "./data/column.ts";
export type { ModelFormula, RandomTerm, Term, TermList, VarExpr, Variable } from "./formula/model-formula.ts";
