import assert from "node:assert/strict";
import { test } from "node:test";
import { FormulaError, MixedError } from "../../src/errors.ts";

test("FormulaError renders a caret under its span", () => {
  const e = new FormulaError(
    "E_FORMULA_UNKNOWN_COLUMN",
    "column 'Dayz' is not in the data",
    "y ~ Dayz",
    [4, 8],
  );
  assert.ok(e instanceof MixedError);
  assert.equal(e.code, "E_FORMULA_UNKNOWN_COLUMN");
  assert.equal(e.caret(""), "y ~ Dayz\n    ^^^^");
});

test("FormulaError clamps a span that runs past the text", () => {
  const e = new FormulaError("E_FORMULA_UNEXPECTED_END", "formula ends early", "y ~", [3, 9]);
  assert.deepEqual(e.span, [3, 3]);
  assert.equal(e.caret(""), "y ~\n   ^");
});

test("caret escapes control characters in the formula and stays under its token", () => {
  const e = new FormulaError("E_FORMULA_UNKNOWN_COLUMN", "m", "y ~ `a\u0000b` + zz", [12, 14]);
  assert.equal(e.caret(""), "y ~ `a\\0b` + zz\n             ^^");
});

test("caret shows a window of a long formula around its span", () => {
  const f = `y ~ ${Array.from({ length: 5000 }, (_, i) => `x${i}`).join(" + ")}`;
  const s = f.indexOf("x2500");
  const e = new FormulaError("E_FORMULA_UNKNOWN_COLUMN", "m", f, [s, s + 5]);
  const [line, carets] = e.caret("").split("\n");
  assert.ok(line.length < 200, `${line.length} characters`);
  assert.equal(line.slice(carets.indexOf("^"), carets.length), "x2500");
  assert.match(line, /^….*…$/);
});
