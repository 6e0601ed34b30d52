/**
 * mixedmodels: the public API (the package's main entry, browser-pure). Explicit named re-exports
 * only. Data accessors (`fixef`, `ranef`, `coefTable`, `varCorr`) return data; printers
 * (`print*`) return the text R prints. Engine internals live in `./engine.ts`
 * (`mixedmodels/engine`), file and bundled-dataset access in `./node/index.ts` (`mixedmodels/node`).
 */

// errors and warnings
export type { ErrorCode, Warning, WarningCode } from "./errors.ts";
export { DataError, FormulaError, MixedError, NumericalError, OptionError, SpecError } from "./errors.ts";

// data
export type { Column, ContrastName, DataSource, FactorColumn, NumericColumn } from "./data/column.ts";
export { ColumnTable } from "./data/column-table.ts";
export type { TextEncodingName } from "./data/byte-decoder.ts";
export type { CsvOptions } from "./data/csv-builder.ts";
export { CsvBuilder } from "./data/csv-builder.ts";
export { parseCsv } from "./data/parse-csv.ts";
export type { DatasetSchema } from "./data/schema.ts";
export { parseSchema } from "./data/schema.ts";

// formula
export type { ModelFormula, RandomTerm, Term, TermList, VarExpr, Variable } from "./formula/model-formula.ts";
export { parseFormula } from "./formula/parse-formula.ts";

// models
export type { LmFit, LmFitOptions } from "./lm/fit-lm.ts";
export { fitLm } from "./lm/fit-lm.ts";
export { lmToJSON } from "./lm/lm-json.ts";
export type { GlmFit, GlmFitOptions, GlmResiduals } from "./glm/fit-glm.ts";
export { fitGlm } from "./glm/fit-glm.ts";
export { glmToJSON } from "./glm/glm-json.ts";
export type { Family, FamilyName } from "./glm/family.ts";
export type { Link, LinkName } from "./glm/link.ts";
export { makeFamily } from "./glm/make-family.ts";
export { makeLink } from "./glm/make-link.ts";
export type { LmmFit, LmmFitOptions } from "./lmm/fit-lmm.ts";
export { fitLmm, lmmToJSON } from "./lmm/fit-lmm.ts";
export type { RestoreLmmOptions } from "./lmm/restore-lmm.ts";
export { restoreLmm } from "./lmm/restore-lmm.ts";
export type { CoefFactor, OptInfo, RanefFactor, VarCorrGroup } from "./lmm/lmm-result.ts";
export type { GlmmFit, GlmmFitOptions } from "./glmm/fit-glmm.ts";
export { fitGlmm, glmmToJSON } from "./glmm/fit-glmm.ts";
export { restoreGlmm } from "./glmm/restore-glmm.ts";

// Bayesian fits (NUTS; chains in sequence here, in worker threads with mixedmodels/node)
export type {
  BayesFit,
  BayesJSON,
  BayesRunSettings,
  BayesTiming,
  ChainDiagnostics,
  PriorUsed,
} from "./bayes/bayes-fit.ts";
export type { BayesFitOptions } from "./bayes/bayes-options.ts";
export type { BayesMethod } from "./bayes/build-bayes-model.ts";
export { drawsCsv } from "./bayes/draws-csv.ts";
export { fitBayes } from "./bayes/fit-bayes.ts";
export type { Parameterisation } from "./bayes/full-model.ts";
export type { DrawSummary } from "./bayes/summarise-draws.ts";

// data accessors
export type { CoefRow } from "./accessors/coef-table.ts";
export { coefTable } from "./accessors/coef-table.ts";
export type { CondVarBlock, CondVarFactor } from "./accessors/cond-var.ts";
export { condVar } from "./accessors/cond-var.ts";
export { fixef } from "./accessors/fixef.ts";
export type { GroupOlsFactor } from "./accessors/group-ols.ts";
export { groupOls } from "./accessors/group-ols.ts";
export { groupGlm } from "./accessors/group-glm.ts";
export { ranef } from "./accessors/ranef.ts";
export { varCorr } from "./accessors/var-corr.ts";
export type { VarianceComponent, VarianceDecomposition } from "./accessors/variance-decomposition.ts";
export { varianceDecomposition } from "./accessors/variance-decomposition.ts";

// printers
export { printCoef, printRanef, printSummary } from "./report/fit-summary.ts";
export type { SummaryOptions } from "./report/fit-summary.ts";
export { printAnova, printAnovaType3 } from "./report/print-anova.ts";
export { printVarianceDecomposition } from "./report/print-variance-decomposition.ts";

// inference
export type { AnovaOptions, AnovaRow, AnovaTable } from "./inference/anova.ts";
export { anova, anovaToJSON } from "./inference/anova.ts";
export type { Type3Row, Type3Table } from "./inference/anova-type3.ts";
export { anovaType3 } from "./inference/anova-type3.ts";
export type { DdfMethod, FixedEffectTests } from "./inference/fixed-effect-tests.ts";
export { fixedEffectTests } from "./inference/fixed-effect-tests.ts";
export { anovaType3ToJSON, ddfToJSON } from "./inference/inference-json.ts";
export type { CoefTest } from "./inference/satterthwaite.ts";
export type { Prediction, PredictOptions } from "./inference/predict.ts";
export { predict, predictionToJSON } from "./inference/predict.ts";
export type { GlmPrediction, GlmPredictOptions } from "./inference/predict-glm.ts";
export { predictGlm } from "./inference/predict-glm.ts";
export type { ConfintOptions } from "./inference/confint.ts";
export { confint, confintToJSON } from "./inference/confint.ts";
export type { ConfintResult, ProfileCurve, ProfileResult } from "./inference/profile.ts";
export { profile } from "./inference/profile.ts";
export { printConfint } from "./report/print-confint.ts";
export type { BootstrapOptions, BootstrapTable } from "./inference/bootstrap.ts";
export { bootConfint, bootstrap, bootstrapCsv } from "./inference/bootstrap.ts";
export { simulate } from "./inference/simulate.ts";
export type { ConvergenceDiagnostics } from "./inference/convergence.ts";
export { convergenceDiagnostics, convergenceToJSON } from "./inference/convergence.ts";
export type { BayesSummaryOptions, LmmComparisonRow } from "./report/bayes-summary.ts";
export { lmmComparison, printBayesSummary, printLmmComparison } from "./report/bayes-summary.ts";
