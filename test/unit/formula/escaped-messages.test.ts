/**
 * Formula and design messages quote the user's text escaped (control characters as \xNN, \n) and
 * capped, like every other message: a formula never writes raw control bytes into an error.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { ColumnTable } from "../../../src/data/column-table.ts";
import { MixedError } from "../../../src/errors.ts";
import { fitLm } from "../../../src/lm/fit-lm.ts";
import { parseFormula } from "../../../src/formula/parse-formula.ts";

function messageOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    assert.ok(e instanceof MixedError, String(e));
    return e.message;
  }
  assert.fail("no error");
}

/** Does `s` hold a raw control character (other than the tab and newline a message may use)? */
function hasRaw(s: string): boolean {
  return [...s].some((c) => {
    const cp = c.codePointAt(0) as number;
    return (cp < 0x20 && cp !== 9 && cp !== 10) || cp === 0x7f;
  });
}

test("an unexpected control character in a formula is shown escaped", () => {
  const m = messageOf(() => parseFormula("y ~ x \u0007 z"));
  assert.match(m, /unexpected character '\\x07'/);
  assert.ok(!hasRaw(m), m);
});

test("a back-quoted name with control characters is escaped in parser and design messages", () => {
  const m1 = messageOf(() => parseFormula("y ~ x + `c` `a\u0001b`"));
  assert.match(m1, /\\x01/);
  assert.ok(!hasRaw(m1), m1);
  const m2 = messageOf(() => parseFormula("`y\u001b[31m` ~ `y\u001b[31m`"));
  assert.match(m2, /the response '.*\\x1b\[31m.*' also appears among the terms/);
  assert.ok(!hasRaw(m2), m2);
});

test("a factor named with control characters, used inside a function, is quoted escaped", () => {
  const name = "f\u0001\u001b[2J";
  const data = new ColumnTable("t", [
    { kind: "numeric", name: "y", values: Float64Array.of(1, 2, 3, 4), integer: false },
    {
      kind: "factor",
      name,
      codes: Int32Array.of(0, 1, 0, 1),
      levels: ["a", "b"],
      ordered: false,
      contrasts: null,
    },
  ]);
  const m = messageOf(() => fitLm(parseFormula(`y ~ log(\`${name}\`)`), data));
  assert.match(m, /column 'f\\x01\\x1b\[2J' is a factor/);
  assert.ok(!hasRaw(m), m);
});
