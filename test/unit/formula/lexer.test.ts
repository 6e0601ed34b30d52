/** Tokens and their spans. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { tokenize } from "../../../src/formula/lexer.ts";

function show(text: string): string[] {
  return tokenize(text).map((t) => {
    const s = `${t.span[0]}-${t.span[1]}`;
    switch (t.type) {
      case "name":
        return `${t.quoted ? "q" : "n"}:${t.name}@${s}`;
      case "number":
        return `#${t.value}${t.integer ? "L" : ""}@${s}`;
      case "op":
        return `${t.op}@${s}`;
      default:
        return `${t.type}@${s}`;
    }
  });
}

test("every token kind with its span", () => {
  assert.deepEqual(show("y ~ as.numeric(x_1) + `my col`:.z %in% g || 2.5e-3*1L^.5,h|k/m-(n)"), [
    "n:y@0-1",
    "~@2-3",
    "n:as.numeric@4-14",
    "(@14-15",
    "n:x_1@15-18",
    ")@18-19",
    "+@20-21",
    "q:my col@22-30",
    ":@30-31",
    "n:.z@31-33",
    "%in%@34-38",
    "n:g@39-40",
    "||@41-43",
    "#0.0025@44-50",
    "*@50-51",
    "#1L@51-53",
    "^@53-54",
    "#0.5@54-56",
    ",@56-57",
    "n:h@57-58",
    "|@58-59",
    "n:k@59-60",
    "/@60-61",
    "n:m@61-62",
    "-@62-63",
    "(@63-64",
    "n:n@64-65",
    ")@65-66",
    "eof@66-66",
  ]);
});

test("unicode letters are name characters", () => {
  assert.deepEqual(show("größe ~ été"), ["n:größe@0-5", "~@6-7", "n:été@8-11", "eof@11-11"]);
});
