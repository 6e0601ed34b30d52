/**
 * Tokens of the formula language, each with its `[start, end)` span in the text. Identifiers follow
 * R's syntactic names (`as.numeric`, `log_x`, `.x`), back-quoted names may hold anything but a
 * back-quote, numbers are decimal (`2`, `1.5`, `.5`, `1e-3`, `2L`). Parentheses are checked for
 * balance here, so the parser can assume every `(` has its `)`.
 */
import { FormulaError } from "../errors.ts";
import type { Span } from "./model-formula.ts";
import { quote } from "../util/quote.ts";

export type Operator = "~" | "+" | "-" | "*" | "/" | ":" | "^" | "|" | "||" | "%in%";

export type Token =
  | { readonly type: "name"; readonly name: string; readonly quoted: boolean; readonly span: Span }
  | {
      readonly type: "number";
      readonly value: number;
      readonly integer: boolean;
      readonly text: string;
      readonly span: Span;
    }
  | { readonly type: "op"; readonly op: Operator; readonly span: Span }
  | { readonly type: "(" | ")" | "," | "eof"; readonly span: Span };

/** Words R reserves: they cannot be column names unless back-quoted. */
export const RESERVED_WORDS: ReadonlySet<string> = new Set([
  "if",
  "else",
  "repeat",
  "while",
  "function",
  "for",
  "next",
  "break",
  "in",
  "TRUE",
  "FALSE",
  "NULL",
  "Inf",
  "NaN",
  "NA",
  "NA_integer_",
  "NA_real_",
  "NA_character_",
  "NA_complex_",
]);

const SINGLE: ReadonlyMap<string, Operator | "(" | ")" | ","> = new Map(
  (["~", "+", "-", "*", "/", ":", "^", "(", ")", ","] as const).map((c) => [c, c]),
);

const NAME_START = /[\p{L}.]/u;
const NAME_PART = /[\p{L}\p{N}._]/u;
const DIGIT = /[0-9]/;
const NUMBER = /^(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?L?/;

/** Split `text` into tokens (ending with an `eof` token) and check parenthesis balance. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const err = (code: "E_FORMULA_SYNTAX" | "E_FORMULA_UNBALANCED", msg: string, span: Span, hint?: string) =>
    new FormulaError(code, msg, text, span, hint);
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === " " || c === "\t" || c === "\n" || c === "\r") {
      i++;
      continue;
    }
    const start = i;
    if (c === "|") {
      const double = text[i + 1] === "|";
      i += double ? 2 : 1;
      tokens.push({ type: "op", op: double ? "||" : "|", span: [start, i] });
    } else if (SINGLE.has(c)) {
      const t = SINGLE.get(c)!;
      i++;
      if (t === "(" || t === ")" || t === ",") tokens.push({ type: t, span: [start, i] });
      else tokens.push({ type: "op", op: t, span: [start, i] });
    } else if (c === "%") {
      const close = text.indexOf("%", i + 1);
      const op = close < 0 ? "" : text.slice(i, close + 1);
      if (op !== "%in%") {
        const end = close < 0 || /\s/.test(op) ? i + 1 : close + 1;
        throw err(
          "E_FORMULA_SYNTAX",
          `operator '${text.slice(start, end)}' is not part of the formula language`,
          [start, end],
        );
      }
      i = close + 1;
      tokens.push({ type: "op", op: "%in%", span: [start, i] });
    } else if (c === "`") {
      const close = text.indexOf("`", i + 1);
      if (close < 0) {
        throw err(
          "E_FORMULA_UNBALANCED",
          "back-quoted name is not closed",
          [start, text.length],
          "add the closing back-quote (`)",
        );
      }
      if (close === i + 1) throw err("E_FORMULA_SYNTAX", "empty back-quoted name ``", [start, close + 1]);
      i = close + 1;
      tokens.push({ type: "name", name: text.slice(start + 1, close), quoted: true, span: [start, i] });
    } else if (DIGIT.test(c) || (c === "." && DIGIT.test(text[i + 1] ?? ""))) {
      const m = NUMBER.exec(text.slice(i))!;
      const raw = m[0];
      const integer = raw.endsWith("L");
      const body = integer ? raw.slice(0, -1) : raw;
      i += raw.length;
      tokens.push({ type: "number", value: Number(body), integer, text: raw, span: [start, i] });
    } else if (NAME_START.test(c)) {
      i++;
      while (i < text.length && NAME_PART.test(text[i])) i++;
      tokens.push({ type: "name", name: text.slice(start, i), quoted: false, span: [start, i] });
    } else {
      const ch = text.codePointAt(i)!;
      const width = ch > 0xffff ? 2 : 1;
      const shown = String.fromCodePoint(ch);
      const hint =
        c === "_"
          ? "a name cannot start with '_'; quote it with back-quotes: `_x`"
          : c === '"' || c === "'"
            ? "quote column names with back-quotes (`my col`), not string quotes"
            : "quote unusual column names with back-quotes, e.g. `my col`";
      throw err(
        "E_FORMULA_SYNTAX",
        `unexpected character ${quote(shown)} in the formula`,
        [start, start + width],
        hint,
      );
    }
  }
  tokens.push({ type: "eof", span: [text.length, text.length] });
  checkBalance(text, tokens);
  return tokens;
}

function checkBalance(text: string, tokens: readonly Token[]): void {
  const open: Token[] = [];
  for (const t of tokens) {
    if (t.type === "(") open.push(t);
    else if (t.type === ")") {
      if (open.pop() === undefined) {
        throw new FormulaError(
          "E_FORMULA_UNBALANCED",
          "')' has no matching '('",
          text,
          t.span,
          "remove it or add the missing '('",
        );
      }
    }
  }
  if (open.length > 0) {
    const t = open[open.length - 1];
    throw new FormulaError(
      "E_FORMULA_UNBALANCED",
      "'(' is never closed",
      text,
      t.span,
      "add the missing ')'",
    );
  }
}
