/**
 * Number formatting, p-values, quantiles, printCoefmat and abbreviate against what R 4.2.2 printed
 * for 800 random vectors / 150 random coefficient tables (fixtures/r-format-cases.json, made by
 * fixtures/r-format-cases.R). Every case must match exactly.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { abbreviate } from "../../../src/report/abbreviate.ts";
import { roundR } from "../../../src/report/exact-decimal.ts";
import { formatC, formatNumbers, zapsmall } from "../../../src/report/format-number.ts";
import { formatPval } from "../../../src/report/format-pval.ts";
import { printCoefmat } from "../../../src/report/print-coefmat.ts";
import { residualQuantiles } from "../../../src/report/quantile.ts";
import { readJson } from "./snapshot-helper.ts";

type Vec = string | string[];
interface FormatCase {
  x: Vec;
  digits: number;
  nsmall: number;
  format: Vec;
  formatC: Vec;
  round: Vec;
  zapsmall: Vec;
  pv: Vec;
  format_pval: Vec;
  quantile: Vec;
}
interface CoefmatCase {
  values: Vec[];
  columns: string[];
  rows: string[];
  digits: number;
  text: string;
}
interface Cases {
  format: FormatCase[];
  coefmat: CoefmatCase[];
  abbreviate: { names: string[]; m4: string[]; m6: string[]; m11: string[] }[];
}

const cases = readJson<Cases>("test/unit/report/fixtures/r-format-cases.json");
const arr = (v: Vec): string[] => (Array.isArray(v) ? v : [v]);
const nums = (v: Vec): number[] => arr(v).map(Number);

/** Run `check` over all cases; report the first few failures with their inputs. */
function everyCase<T>(list: T[], check: (c: T) => [unknown, unknown]): void {
  const bad: string[] = [];
  for (const c of list) {
    const [got, want] = check(c);
    try {
      assert.deepEqual(got, want);
    } catch {
      bad.push(`${JSON.stringify(c)}\n  got  ${JSON.stringify(got)}\n  want ${JSON.stringify(want)}`);
    }
  }
  assert.equal(
    bad.length,
    0,
    `${bad.length} of ${list.length} cases differ, e.g.\n${bad.slice(0, 3).join("\n")}`,
  );
}

test("formatNumbers equals R's format(x, digits, nsmall)", () => {
  everyCase(cases.format, (c) => [formatNumbers(nums(c.x), c.digits, c.nsmall), arr(c.format)]);
});

test("formatC equals R's formatC(x, digits)", () => {
  everyCase(cases.format, (c) => [nums(c.x).map((v) => formatC(v, c.digits)), arr(c.formatC)]);
});

test("roundR equals R's round(x, digits)", () => {
  everyCase(cases.format, (c) => [nums(c.x).map((v) => roundR(v, c.nsmall)), nums(c.round)]);
});

test("zapsmall equals R's zapsmall(x, digits)", () => {
  everyCase(cases.format, (c) => [zapsmall(nums(c.x), c.digits), nums(c.zapsmall)]);
});

test("formatPval equals R's format.pval(p, digits)", () => {
  everyCase(cases.format, (c) => [formatPval(nums(c.pv), c.digits), arr(c.format_pval)]);
});

test("residualQuantiles equals R's quantile(x) (type 7)", () => {
  const noSignedZero = (xs: number[]) => xs.map((v) => (v === 0 ? 0 : v)); // sort order of 0 and -0 is immaterial
  everyCase(cases.format, (c) => [
    noSignedZero(residualQuantiles(nums(c.x))),
    noSignedZero(nums(c.quantile)),
  ]);
});

test("printCoefmat equals R's printCoefmat(x, digits)", () => {
  everyCase(cases.coefmat, (c) => {
    const values = c.values.map((r) => arr(r).map((s) => (s === "NA" ? null : Number(s))));
    return [printCoefmat(values, arr(c.rows), c.columns, { digits: c.digits }), c.text];
  });
});

test("abbreviate equals R's abbreviate(names, minlength)", () => {
  everyCase(cases.abbreviate, (c) => [
    [abbreviate(c.names, 4), abbreviate(c.names, 6), abbreviate(c.names, 11)],
    [c.m4, c.m6, c.m11],
  ]);
});
