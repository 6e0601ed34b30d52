import assert from "node:assert/strict";
import { test } from "node:test";
import { escapeText, quote, quoteList } from "../../../src/util/quote.ts";

test("quote escapes control characters, bidi overrides and lone surrogates", () => {
  assert.equal(quote("a\u0000b\nc\td\re"), "'a\\0b\\nc\\td\\re'");
  assert.equal(quote("\u001b[31mred"), "'\\x1b[31mred'");
  assert.equal(quote("x\u007f\u0085"), "'x\\x7f\\x85'");
  assert.equal(quote("\u202eevil"), "'\\u202eevil'");
  assert.equal(quote("\ud800x"), "'\\ud800x'");
  assert.equal(quote("café 😀"), "'café 😀'", "ordinary text and astral characters pass");
});

test("quote caps long text with an ellipsis, never splitting a surrogate pair", () => {
  assert.equal(quote("abcdef", 6), "'abcdef'");
  assert.equal(quote("abcdefg", 6), "'abcdef…'");
  assert.equal(quote("x".repeat(100000)).length, 60 + 3);
  assert.equal(escapeText("ab😀", 3), "ab…");
  assert.equal(escapeText("\u0000\u0000", 3), "\\0…", "the cap counts escaped characters");
});

test("quoteList shows the first names and the count", () => {
  const names = Array.from({ length: 10000 }, (_, i) => `col${i}`);
  const s = quoteList(names);
  assert.ok(s.length < 250, `${s.length} characters`);
  assert.match(s, /^'col0', 'col1', .*, … \(10000 in all\)$/);
  assert.equal(quoteList(["a", "b"]), "'a', 'b'");
});
