import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { describe, test } from "node:test";
import { parseCsv } from "../../../src/data/parse-csv.ts";
import { parseSchema } from "../../../src/data/schema.ts";
import { factorValues, numericValues } from "./table-plain.ts";

const schemaText = (columns: unknown[], extra: Record<string, unknown> = {}) =>
  JSON.stringify({ name: "t", columns, ...extra });

describe("parseSchema", () => {
  test("every bundled meta file parses", () => {
    const metas = readdirSync("data").filter((f) => f.endsWith(".meta.json"));
    assert.ok(metas.length >= 10);
    for (const f of metas) {
      const s = parseSchema(readFileSync(`data/${f}`, "utf8"), f);
      assert.equal(`${s.name}.meta.json`, f);
      assert.equal(s.columns.length, s.ncol);
      assert.ok(s.origin && s.origin.length > 0);
    }
  });

  test("cake: fields as in the file", () => {
    const s = parseSchema(readFileSync("data/cake.meta.json", "utf8"), "cake.meta.json");
    assert.equal(s.nrow, 270);
    assert.equal(s.file, "cake.csv");
    assert.equal(s.notes, null);
    assert.deepEqual(s.columns[2], {
      name: "temperature",
      type: "factor",
      ordered: true,
      contrasts: "contr.poly",
      levels: ["175", "185", "195", "205", "215", "225"],
    });
    assert.deepEqual(s.columns[3], {
      name: "angle",
      type: "integer",
      ordered: false,
      contrasts: null,
      levels: null,
    });
  });

  const bad: [string, string, RegExp][] = [
    ["not JSON", "{", /not valid JSON/],
    ["not an object", "[]", /'\(top level\)' must be a JSON object/],
    ["no columns", JSON.stringify({ name: "t" }), /'columns' must be a non-empty array/],
    [
      "unknown type",
      schemaText([{ name: "a", type: "text" }]),
      /'columns\[0\]\.type' must be one of factor, numeric, integer/,
    ],
    ["empty name", schemaText([{ name: "", type: "numeric" }]), /'columns\[0\]\.name'/],
    [
      "duplicate column",
      schemaText([
        { name: "a", type: "numeric" },
        { name: "a", type: "numeric" },
      ]),
      /'columns\[1\]\.name' repeats/,
    ],
    [
      "non-string level",
      schemaText([{ name: "g", type: "factor", levels: ["a", 2] }]),
      /'columns\[0\]\.levels\[1\]' must be a string/,
    ],
    [
      "repeated level",
      schemaText([{ name: "g", type: "factor", levels: ["a", "b", "a"] }]),
      /'columns\[0\]\.levels\[2\]' repeats the level 'a'/,
    ],
    [
      "nlevels disagrees",
      schemaText([{ name: "g", type: "factor", levels: ["a"], nlevels: 2 }]),
      /'columns\[0\]\.nlevels'/,
    ],
    [
      "bad contrasts",
      schemaText([{ name: "g", type: "factor", contrasts: "contr.foo" }]),
      /'columns\[0\]\.contrasts'/,
    ],
    ["bad ordered", schemaText([{ name: "g", type: "factor", ordered: "yes" }]), /'columns\[0\]\.ordered'/],
    ["ncol disagrees", schemaText([{ name: "a", type: "numeric" }], { ncol: 3 }), /'ncol' is 3/],
    [
      "bad nrow",
      schemaText([{ name: "a", type: "numeric" }], { nrow: -1 }),
      /'nrow' must be a non-negative integer/,
    ],
  ];
  for (const [what, text, message] of bad) {
    test(`rejects: ${what}`, () => {
      assert.throws(
        () => parseSchema(text, "x.meta.json"),
        (e: Error & { code?: string }) => {
          assert.equal(e.code, "E_DATA_BAD_SCHEMA");
          assert.match(e.message, /x\.meta\.json/);
          assert.match(e.message, message);
          return true;
        },
      );
    });
  }
});

describe("CSV with a schema", () => {
  const schema = parseSchema(
    schemaText([
      { name: "g", type: "factor", ordered: true, contrasts: "contr.poly", levels: ["lo", "mid", "hi"] },
      { name: "n", type: "integer" },
      { name: "free", type: "factor" },
    ]),
    "s",
  );

  test("level order, ordered and contrasts come from the schema; undescribed columns are inferred", () => {
    const t = parseCsv("g,n,free,extra\nhi,1,b,1.5\nlo,2,a,2\n mid ,NA,NA,x\n", { name: "t", schema });
    const g = t.column("g");
    assert.ok(g?.kind === "factor");
    assert.deepEqual(g.levels, ["lo", "mid", "hi"]);
    assert.deepEqual(Array.from(g.codes), [2, 0, 1]);
    assert.equal(g.ordered, true);
    assert.equal(g.contrasts, "contr.poly");
    const n = t.column("n");
    assert.ok(n?.kind === "numeric" && n.integer);
    assert.deepEqual(numericValues(t, "n").slice(0, 2), [1, 2]);
    // a schema factor without levels: levels sorted from the data
    assert.deepEqual(factorValues(t, "free"), ["b", "a", null]);
    const free = t.column("free");
    assert.ok(free?.kind === "factor");
    assert.deepEqual(free.levels, ["a", "b"]);
    assert.equal(t.column("extra")?.kind, "factor");
  });

  test("numbers are factor levels when the schema says so (bundled sleepstudy Subject)", () => {
    const s = parseSchema(readFileSync("data/sleepstudy.meta.json", "utf8"), "m");
    const t = parseCsv(readFileSync("data/sleepstudy.csv", "utf8"), { name: "sleepstudy", schema: s });
    assert.equal(t.column("Subject")?.kind, "factor");
    assert.equal(factorValues(t, "Subject")[0], "308");
  });

  const errors: [string, string, RegExp][] = [
    [
      "a value outside the schema's levels",
      "g,n,free\nlo,1,a\nhuge,2,a\n",
      /value 'huge' in column 'g', line 3, is not one of the levels .* \('lo', 'mid', 'hi'\)/,
    ],
    [
      "a schema column missing from the CSV",
      "g,free\nlo,a\n",
      /schema describes column 'n', but 't' has no such column/,
    ],
    [
      "a non-number in a numeric column",
      "g,n,free\nlo,x,a\n",
      /value 'x' in column 'n', line 2, is not a number/,
    ],
    [
      "a fraction in an integer column",
      "g,n,free\nlo,1.5,a\n",
      /value '1.5' in column 'n', line 2, is not a whole number/,
    ],
  ];
  for (const [what, text, message] of errors) {
    test(`error: ${what}`, () => {
      assert.throws(
        () => parseCsv(text, { name: "t", schema }),
        (e: Error & { code?: string }) => {
          assert.equal(e.code, "E_DATA_BAD_SCHEMA");
          assert.match(e.message, message);
          return true;
        },
      );
    });
  }
});
