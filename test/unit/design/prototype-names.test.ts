/**
 * Names from the user never reach Object.prototype: every Object.prototype property name (and
 * `__proto__`) works as a column, a factor level and a grouping factor through fitLmm and fitLm,
 * their JSON and their printed summaries, and is refused as a formula function.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { ColumnTable } from "../../../src/data/column-table.ts";
import type { Column } from "../../../src/data/column.ts";
import { FormulaError } from "../../../src/errors.ts";
import { quoteName } from "../../../src/formula/deparse.ts";
import { parseFormula } from "../../../src/formula/parse-formula.ts";
import { fitLm } from "../../../src/lm/fit-lm.ts";
import { lmToJSON } from "../../../src/lm/lm-json.ts";
import { fitLmm } from "../../../src/lmm/fit-lmm.ts";
import { printCoef, printRanef, printSummary } from "../../../src/report/fit-summary.ts";

const NAMES = [...new Set([...Object.getOwnPropertyNames(Object.prototype), "__proto__"])];
const n = 40;
const y = Float64Array.from({ length: n }, (_, i) => Math.sin(i) * 3 + (i % 5) + 0.1 * i);
const x = Float64Array.from({ length: n }, (_, i) => ((i * 7) % 11) / 3 + 1);

function num(name: string, values: Float64Array): Column {
  return { kind: "numeric", name, values, integer: false };
}
function fac(name: string, levels: readonly string[], period: number): Column {
  const codes = Int32Array.from({ length: n }, (_, i) => i % period);
  return { kind: "factor", name, codes, levels, ordered: false, contrasts: null };
}
function own(o: object, key: string): boolean {
  return Object.hasOwn(o, key);
}

test("Object.prototype names are listed (the test covers them all)", () => {
  for (const k of ["constructor", "toString", "valueOf", "hasOwnProperty", "__proto__", "isPrototypeOf"])
    assert.ok(NAMES.includes(k), k);
});

for (const name of NAMES) {
  test(`'${name}' as a grouping factor: ranef, coef, ngroups, JSON and summaries keep it`, () => {
    const levels = ["a", "b", "c", "d", "e"];
    const data = new ColumnTable("d", [num("y", y), num("x", x), fac(name, levels, 5)]);
    const fit = fitLmm(`y ~ x + (1 | \`${name}\`)`, data);
    for (const part of [fit.ranef, fit.coef, fit.ngroups]) {
      assert.equal(Object.getPrototypeOf(part), null);
      assert.deepEqual(Object.keys(part), [name]);
      assert.ok(own(part, name));
    }
    assert.equal(fit.ngroups[name], 5);
    assert.deepEqual(fit.ranef[name].levels, levels);
    assert.equal(fit.coef[name].values.length, 5);
    assert.equal(fit.varcorr.groups[0].name, name);
    const json = JSON.parse(JSON.stringify(fit));
    assert.deepEqual(Object.keys(json.ranef), [name]);
    assert.deepEqual(Object.keys(json.coef), [name]);
    assert.equal(json.ngroups[name], 5);
    assert.ok(own(json.ngroups, name));
    assert.deepEqual(Object.keys(json.theta), [`${name}.(Intercept)`]);
    assert.match(printSummary(fit), new RegExp(`groups:  ${escapeRegExp(name)}, 5\\n`));
    assert.ok(printRanef(fit).includes(name));
    assert.ok(printCoef(fit).includes(name));
  });

  test(`'${name}' as a column, a factor level and a level of a grouping factor (fitLmm and fitLm)`, () => {
    const data = new ColumnTable("d", [
      num("y", y),
      num(name, x),
      fac("f", ["a", name], 2),
      fac("g", ["a", "b", name, "c", "d"], 5),
    ]);
    const col = quoteName(name);
    const fit = fitLmm(`y ~ \`${name}\` + f + (1 | g)`, data);
    assert.deepEqual(fit.xnames, ["(Intercept)", col, `f${name}`]);
    assert.deepEqual(fit.ranef.g.levels, ["a", "b", name, "c", "d"]);
    const json = JSON.parse(JSON.stringify(fit));
    assert.deepEqual(Object.keys(json.beta), ["(Intercept)", col, `f${name}`]);
    assert.ok(fit.beta.every(Number.isFinite));
    const summary = printSummary(fit);
    assert.ok(summary.includes(`f${name}`), summary);

    const lm = fitLm(parseFormula(`y ~ \`${name}\` + f`), data);
    assert.deepEqual(lm.xnames, ["(Intercept)", col, `f${name}`]);
    const lj = JSON.parse(JSON.stringify(lmToJSON(lm)));
    assert.deepEqual(Object.keys(lj.beta), ["(Intercept)", col, `f${name}`]);
    assert.ok(Object.values(lj.beta).every((v) => typeof v === "number"));
    assert.ok(printSummary(lm).includes(`f${name}`));
  });

  test(`'${name}' as a function name is an unknown function (or not a name at all)`, () => {
    for (const text of [`y ~ ${name}(x)`, `${name}(y) ~ x`, `y ~ I(${name}(x)) + (1 | g)`]) {
      assert.throws(
        () => parseFormula(text),
        (e: unknown) =>
          e instanceof FormulaError &&
          (name.startsWith("_") ? e.code === "E_FORMULA_SYNTAX" : e.code === "E_FORMULA_UNKNOWN_FUNCTION"),
        text,
      );
    }
  });
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
