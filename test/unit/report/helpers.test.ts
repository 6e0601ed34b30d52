/** Small R behaviours the summaries rely on; expected strings checked against R 4.2.2. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { catFill, strwrap } from "../../../src/report/cat-fill.ts";
import { toExponentialC, toFixedC } from "../../../src/report/exact-decimal.ts";
import { expandDoubleBars } from "../../../src/report/expand-double-bars.ts";
import { formatPval, significanceStars } from "../../../src/report/format-pval.ts";
import { printMatrix } from "../../../src/report/print-matrix.ts";
import { printNamedVector } from "../../../src/report/print-named-vector.ts";

test("format.pval: '<2e-16' in coefficient tables, '< 2.2e-16' for a lone tiny p-value", () => {
  assert.deepEqual(formatPval([1.28e-34, 0.0586212], 3), ["<2e-16", "0.0586"]);
  assert.deepEqual(formatPval([1e-300], 4), ["< 2.2e-16"]);
  assert.deepEqual(formatPval([1.468e-9, 0.0010677, 0.000474, 0.000182], 3), [
    "1.47e-09",
    "0.001068",
    "0.000474",
    "0.000182",
  ]);
  assert.deepEqual(formatPval([null, 0.5], 3), ["NA", "0.5"]);
});

test("significance stars use right-closed intervals", () => {
  assert.deepEqual([0, 0.001, 0.0011, 0.01, 0.05, 0.0500001, 0.1, 0.2].map(significanceStars), [
    "***",
    "***",
    "**",
    "**",
    "*",
    ".",
    ".",
    " ",
  ]);
});

test("sprintf-style rounding breaks exact binary ties to even, as glibc", () => {
  assert.equal(toFixedC(0.125, 2), "0.12");
  assert.equal(toFixedC(0.375, 2), "0.38");
  assert.equal(toFixedC(2.5, 0), "2");
  assert.equal(toFixedC(1e22, 0), "10000000000000000000000");
  assert.equal(toExponentialC(1.468e-9, 2), "1.47e-09");
  assert.equal(toExponentialC(-9.9996e120, 3), "-1.000e+121");
});

test("cat(fill = TRUE) breaks before an item that would pass 80 columns, keeping the separator", () => {
  const a = "a".repeat(50);
  assert.equal(catFill([a, "b".repeat(29)]), `${a} \n${"b".repeat(29)}\n`);
  assert.equal(catFill([a, "b".repeat(28)]), `${a} ${"b".repeat(28)}\n`);
  assert.equal(
    catFill(["Number of obs: 180, groups: ", "Subject, 18"]),
    "Number of obs: 180, groups:  Subject, 18\n",
  );
});

test("strwrap keeps lines shorter than width, exdent on continuation lines", () => {
  assert.deepEqual(
    strwrap("Generalized linear mixed model fit by maximum likelihood (Laplace Approximation)", 78, 0, 2),
    ["Generalized linear mixed model fit by maximum likelihood (Laplace", "  Approximation)"],
  );
});

test("printMatrix wraps columns so that lines stay under 80 characters", () => {
  const cols = Array.from({ length: 8 }, (_, j) => `c${j + 1}`);
  const text = printMatrix([cols.map(() => "xxxxxxxxx")], [""], cols);
  const lines = text.split("\n");
  assert.equal(lines.length, 5);
  assert.equal(
    lines[0],
    ` ${cols
      .slice(0, 7)
      .map((c) => c.padEnd(9))
      .join(" ")}`,
  );
  assert.equal(lines[2], " c8       ");
  assert.ok(lines.every((l) => l.length < 80));
});

test("printNamedVector puts as many entries per line as fit in 80 columns", () => {
  const names = ["abcdefghi", "b", "c", "d", "e", "f", "g", "h"];
  const text = printNamedVector(
    names.map((_, i) => String(i + 1)),
    names,
  );
  assert.equal(text.split("\n").length, 3);
  assert.ok(text.startsWith("abcdefghi         b "));
});

test("expandDoubleBars rewrites || terms as lme4 deparses them", () => {
  assert.equal(
    expandDoubleBars("Reaction ~ 1 + Days + (1 + Days || Subject)"),
    "Reaction ~ 1 + Days + ((1 | Subject) + (0 + Days | Subject))",
  );
  assert.equal(expandDoubleBars("y ~ x + (0 + x + z || g)"), "y ~ x + ((0 + x | g) + (0 + z | g))");
  assert.equal(expandDoubleBars("y ~ x + (x | g)"), "y ~ x + (x | g)");
});
