/**
 * A CSV column with one non-number among numbers becomes a factor (R's rule too): the response
 * is refused naming the cell, and a covariate fitted as a factor carries a numeric_looking_factor
 * warning naming it; real factors (letters, or numeric codes throughout) get no warning.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { parseCsv } from "../../../src/data/parse-csv.ts";
import { parseSchema } from "../../../src/data/schema.ts";
import { MixedError } from "../../../src/errors.ts";
import { fitLm } from "../../../src/lm/fit-lm.ts";
import { fitLmm } from "../../../src/lmm/fit-lmm.ts";

function csv(
  xCell: (i: number) => string,
  yCell: (i: number) => string = (i) => String((i * 37) % 11),
): string {
  const lines = ["y,x,g"];
  for (let i = 0; i < 60; i++) lines.push(`${yCell(i)},${xCell(i)},g${i % 6}`);
  return lines.join("\n");
}

test("a response with one non-number is refused naming the row and the value", () => {
  const data = parseCsv(
    csv(
      (i) => String(i % 10),
      (i) => (i === 3 ? "4o" : String(i % 7)),
    ),
    { name: "d" },
  );
  assert.throws(
    () => fitLmm("y ~ x + (1 | g)", data),
    (e: unknown) =>
      e instanceof MixedError &&
      e.code === "E_FORMULA_FACTOR_RESPONSE" &&
      /row 4 holds '4o', which is not a number/.test(e.message) &&
      !/--family/.test(e.message),
  );
});

test("a covariate made a factor by one typo is fitted with a warning naming the cell", () => {
  const data = parseCsv(
    csv((i) => (i === 16 ? "7x" : String(i % 10))),
    { name: "d" },
  );
  for (const fit of [fitLmm("y ~ x + (1 | g)", data), fitLm("y ~ x", data)]) {
    const w = fit.warnings.filter((x) => x.code === "numeric_looking_factor");
    assert.equal(w.length, 1, JSON.stringify(fit.warnings));
    assert.match(w[0].message, /column 'x' enters the model as a factor .*row 17 holds '7x'/);
  }
});

test("letters, or numbers throughout, are ordinary factors: no warning", () => {
  const letters = parseCsv(
    csv((i) => "abcde"[i % 5]),
    { name: "d" },
  );
  assert.ok(!fitLm("y ~ x", letters).warnings.some((w) => w.code === "numeric_looking_factor"));
  // numeric codes with one non-number among only two numeric levels: too few to call it numeric
  const few = parseCsv(
    csv((i) => ["1", "2", "x"][i % 3]),
    { name: "d" },
  );
  assert.ok(!fitLm("y ~ x", few).warnings.some((w) => w.code === "numeric_looking_factor"));
  // a numeric column read as a factor by a schema (InstEval's ids): every level a number
  const schema = parseSchema(
    JSON.stringify({
      name: "d",
      columns: [
        { name: "y", type: "numeric" },
        { name: "x", type: "factor", levels: ["0", "1", "2", "3"] },
        { name: "g", type: "factor", levels: ["g0", "g1", "g2", "g3", "g4", "g5"] },
      ],
    }),
    "test schema",
  );
  const ids = parseCsv(
    csv((i) => String(i % 4)),
    { name: "d", schema },
  );
  assert.equal(ids.column("x")?.kind, "factor");
  assert.ok(!fitLm("y ~ x", ids).warnings.some((w) => w.code === "numeric_looking_factor"));
});
