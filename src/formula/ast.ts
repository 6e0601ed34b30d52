/**
 * Syntax tree of a formula, exactly as written (R's parse tree, parentheses kept). It says nothing
 * about meaning: `terms.ts` interprets it as model terms, `var-expr.ts` as arithmetic.
 */
import type { Operator } from "./lexer.ts";
import type { Span } from "./model-formula.ts";

export type BinaryOperator = Operator;

export type Node =
  | { readonly kind: "name"; readonly name: string; readonly quoted: boolean; readonly span: Span }
  | {
      readonly kind: "number";
      readonly value: number;
      readonly integer: boolean;
      readonly text: string;
      readonly span: Span;
    }
  | {
      readonly kind: "call";
      readonly fn: string;
      readonly fnSpan: Span;
      readonly args: readonly Node[];
      readonly span: Span;
    }
  | {
      readonly kind: "binary";
      readonly op: BinaryOperator;
      readonly opSpan: Span;
      readonly left: Node;
      readonly right: Node;
      readonly span: Span;
    }
  | {
      readonly kind: "unary";
      readonly op: "+" | "-";
      readonly opSpan: Span;
      readonly arg: Node;
      readonly span: Span;
    }
  | { readonly kind: "paren"; readonly inner: Node; readonly span: Span };

/** A two-sided formula `lhs ~ rhs` as parsed. */
export interface FormulaAst {
  readonly lhs: Node;
  readonly tilde: Span;
  readonly rhs: Node;
}

export type BarNode = Extract<Node, { kind: "binary" }> & { readonly op: "|" | "||" };

export function isBar(n: Node): n is BarNode {
  return n.kind === "binary" && (n.op === "|" || n.op === "||");
}

/** The node inside any number of wrapping parentheses, and how many there were. */
export function unwrapParens(n: Node): { node: Node; parens: number } {
  let parens = 0;
  while (n.kind === "paren") {
    n = n.inner;
    parens++;
  }
  return { node: n, parens };
}

/** Every `|` / `||` node in the tree, in text order. */
export function findBars(n: Node, out: BarNode[] = []): BarNode[] {
  switch (n.kind) {
    case "binary":
      findBars(n.left, out);
      if (isBar(n)) out.push(n);
      findBars(n.right, out);
      break;
    case "unary":
      findBars(n.arg, out);
      break;
    case "paren":
      findBars(n.inner, out);
      break;
    case "call":
      for (const a of n.args) findBars(a, out);
      break;
  }
  return out;
}
