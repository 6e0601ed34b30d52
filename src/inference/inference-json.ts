/**
 * The CONTRACT's JSON blocks of the fixed-effect tests (`mixed fit --ddf ... --json`): objects keyed
 * by coefficient or term name, as the lmerTest blocks of the reference fits.
 */
import type { Type3Table } from "./anova-type3.ts";
import type { FixedEffectTests } from "./fixed-effect-tests.ts";

function keyed<T>(names: readonly string[], f: (i: number) => T): Record<string, T> {
  const out: Record<string, T> = Object.create(null);
  names.forEach((n, i) => {
    out[n] = f(i);
  });
  return out;
}

/** `{method, df: {coef: v}, t: {coef: v}, p: {coef: v}, se: {coef: v}}`. */
export function ddfToJSON(tests: FixedEffectTests): Record<string, unknown> {
  const names = tests.rows.map((r) => r.name);
  return {
    method: tests.method,
    df: keyed(names, (i) => tests.rows[i].df),
    t: keyed(names, (i) => tests.rows[i].tValue),
    p: keyed(names, (i) => tests.rows[i].pValue),
    se: keyed(names, (i) => tests.rows[i].stdError),
    warnings: tests.warnings.map((w) => ({ code: w.code, message: w.message })),
  };
}

/** `{method, rows, "Sum Sq", "Mean Sq", NumDF, DenDF, "F value", "Pr(>F)"}` keyed by term. */
export function anovaType3ToJSON(table: Type3Table): Record<string, unknown> {
  const terms = table.rows.map((r) => r.term);
  const col = (f: (i: number) => number) => keyed(terms, f);
  return {
    method: table.method,
    rows: terms,
    "Sum Sq": col((i) => table.rows[i].sumSq),
    "Mean Sq": col((i) => table.rows[i].meanSq),
    NumDF: col((i) => table.rows[i].numDF),
    DenDF: col((i) => table.rows[i].denDF),
    "F value": col((i) => table.rows[i].F),
    "Pr(>F)": col((i) => table.rows[i].pValue),
  };
}
