/**
 * The tables of the inference functions as R prints them: lme4's `anova(m0, m1, ...)` (a heading
 * naming the data and the models, then the likelihood-ratio table) and lmerTest's type III table.
 */
import { deparseFormula } from "../formula/deparse-formula.ts";
import type { AnovaTable } from "../inference/anova.ts";
import type { Type3Table } from "../inference/anova-type3.ts";
import { expandDoubleBars } from "./expand-double-bars.ts";
import { printAnovaMatrix } from "./print-anova-matrix.ts";

/** Print an `anova()` comparison as lme4 does (without the "refitting" message, which R sends to stderr). */
export function printAnova(table: AnovaTable): string {
  const rows = table.rows;
  let out = `Data: ${table.dataName}\nModels:\n`;
  // the formulas as lme4 deparses them (`||` expanded)
  for (const r of rows) out += `${r.name}: ${expandDoubleBars(deparseFormula(r.formula))}\n`;
  return (
    out +
    printAnovaMatrix(
      rows.map((r) => [r.npar, r.AIC, r.BIC, r.logLik, r.deviance, r.Chisq, r.Df, r.p]),
      rows.map((r) => r.name),
      ["npar", "AIC", "BIC", "logLik", "deviance", "Chisq", "Df", "Pr(>Chisq)"],
    )
  );
}

const METHOD_NAME = { satterthwaite: "Satterthwaite", "kenward-roger": "Kenward-Roger" } as const;

/** lmerTest's `anova(m)`: "Type III Analysis of Variance Table with <method>'s method". */
export function printAnovaType3(table: Type3Table): string {
  const head = `Type III Analysis of Variance Table with ${METHOD_NAME[table.method]}'s method\n`;
  return (
    head +
    printAnovaMatrix(
      table.rows.map((r) => [r.sumSq, r.meanSq, r.numDF, r.denDF, r.F, r.pValue]),
      table.rows.map((r) => r.term),
      ["Sum Sq", "Mean Sq", "NumDF", "DenDF", "F value", "Pr(>F)"],
    )
  );
}
