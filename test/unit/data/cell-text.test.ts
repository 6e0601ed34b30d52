import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { isCanonicalNumber, isMissingCell, parseNumberCell } from "../../../src/data/cell-text.ts";
import { compareCodePoints, sortLevels } from "../../../src/data/sort-levels.ts";

describe("cell text", () => {
  test("missing values", () => {
    for (const s of ["", "NA", "NaN", " NA ", "\t"]) assert.equal(isMissingCell(s), true, JSON.stringify(s));
    for (const s of ["na", "0", "N/A", "nan"]) assert.equal(isMissingCell(s), false, s);
  });

  test("numbers", () => {
    const cases: [string, number][] = [
      ["1", 1],
      ["-2.5", -2.5],
      [" 3 ", 3],
      [".5", 0.5],
      ["1e-05", 1e-5],
      ["Inf", Infinity],
      ["-Inf", -Infinity],
      ["Infinity", Infinity],
    ];
    for (const [s, v] of cases) assert.equal(parseNumberCell(s), v, s);
    for (const s of ["abc", "0x1A", "0b1", "0o7", "1,5", "1_000", "--1"])
      assert.ok(Number.isNaN(parseNumberCell(s)), s);
  });

  test("isCanonicalNumber agrees with String(Number(text)) (property, seeded)", () => {
    const text = fc.oneof(
      fc.double({ noNaN: true }).map(String),
      fc
        .tuple(fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.integer({ min: 0, max: 12 }))
        .map(([v, k]) => v.toFixed(k)),
      fc
        .tuple(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer({ min: 1, max: 17 }))
        .map(([v, k]) => v.toPrecision(k)),
      fc.stringMatching(/^-?[0-9]{1,18}(\.[0-9]{0,18})?$/),
    );
    fc.assert(
      fc.property(text, (s) => {
        const v = parseNumberCell(s);
        if (!Number.isNaN(v)) assert.equal(isCanonicalNumber(s, v), String(v) === s, s);
      }),
      { seed: 42, numRuns: 20000 },
    );
  });
});

describe("level order", () => {
  test("C locale: byte order of UTF-8 (property, seeded)", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme" }), fc.string({ unit: "grapheme" }), (a, b) => {
        const bytes = Math.sign(Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8")));
        assert.equal(Math.sign(compareCodePoints(a, b)), bytes);
      }),
      { seed: 7, numRuns: 5000 },
    );
    // U+FF5E sorts before U+1D11E in UTF-8, unlike UTF-16 code-unit order
    assert.ok(compareCodePoints("\uFF5E", "𝄞") < 0);
    assert.ok("\uFF5E" > "𝄞");
  });

  test("sortLevels returns the remap from old to new codes", () => {
    const { levels, remap } = sortLevels(["b", "a", "B", "10", "2"]);
    assert.deepEqual(levels, ["10", "2", "B", "a", "b"]);
    assert.deepEqual(Array.from(remap), [4, 3, 2, 0, 1]);
  });
});
