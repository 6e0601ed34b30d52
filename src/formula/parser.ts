/**
 * Precedence parser for formulas, following R's `?Syntax` (highest first):
 * `^` (right-associative) > unary `- +` > `:` > `%in%` > `* /` > binary `+ -` > `| ||` > `~`.
 * So `-a^2` is `-(a^2)`, `a + b %in% a` is `a + (b %in% a)` and `(1 + x | g)` is `((1 + x) | g)`.
 * The tree keeps parentheses; what the operators mean is decided later (`terms.ts`).
 */
import { type ErrorCode, FormulaError } from "../errors.ts";
import type { FormulaAst, Node } from "./ast.ts";
import { type Operator, RESERVED_WORDS, type Token, tokenize } from "./lexer.ts";
import type { Span } from "./model-formula.ts";
import { quote } from "../util/quote.ts";

const BINARY_PREC: Partial<Record<Operator, number>> = {
  "|": 2,
  "||": 2,
  "+": 3,
  "-": 3,
  "*": 4,
  "/": 4,
  "%in%": 5,
  ":": 6,
  "^": 8,
};
const PREC_BAR = 2;
const PREC_UNARY = 7;
const MAX_DEPTH = 200;
/** Height of the tree (a sum of n terms has height n): keeps every recursive walk far from the stack limit. */
const MAX_HEIGHT = 1000;
const MAX_TOKENS = 20000;

function describe(t: Token): string {
  switch (t.type) {
    case "name":
      return quote(t.quoted ? `\`${t.name}\`` : t.name);
    case "number":
      return `'${t.text}'`;
    case "op":
      return `'${t.op}'`;
    case "eof":
      return "the end of the formula";
    default:
      return `'${t.type}'`;
  }
}

class Parser {
  private pos = 0;
  private depth = 0;
  private seenTilde = false;
  constructor(
    private readonly text: string,
    private readonly tokens: readonly Token[],
  ) {}

  private peek(): Token {
    return this.tokens[this.pos];
  }
  private next(): Token {
    return this.tokens[this.pos++];
  }
  private prev(): Token | undefined {
    return this.tokens[this.pos - 1];
  }
  private fail(code: ErrorCode, msg: string, span: Span, hint?: string): never {
    throw new FormulaError(code, msg, this.text, span, hint);
  }
  private isOp(t: Token, op: Operator): boolean {
    return t.type === "op" && t.op === op;
  }

  formula(): FormulaAst {
    const first = this.peek();
    if (first.type === "eof") this.fail("E_FORMULA_SYNTAX", "the formula is empty", [0, this.text.length]);
    if (!this.tokens.some((t) => this.isOp(t, "~"))) {
      this.fail(
        "E_FORMULA_NO_TILDE",
        `the formula has no '~' separating the response from the terms`,
        [0, this.text.length],
        "write it as response ~ terms, e.g. y ~ x + (1 | g)",
      );
    }
    if (this.isOp(first, "~")) {
      this.fail(
        "E_FORMULA_NO_RESPONSE",
        "the formula has no response before '~'",
        first.span,
        "write y ~ terms",
      );
    }
    const lhs = this.expr(PREC_BAR);
    const tilde = this.next();
    if (!this.isOp(tilde, "~")) this.unexpectedAfterOperand(tilde);
    this.seenTilde = true;
    if (this.peek().type === "eof") {
      this.fail(
        "E_FORMULA_EMPTY_RHS",
        "nothing follows '~'",
        tilde.span,
        "write at least one term, e.g. y ~ 1 for an intercept-only model",
      );
    }
    const rhs = this.expr(PREC_BAR);
    const end = this.peek();
    if (end.type !== "eof") this.unexpectedAfterOperand(end);
    return { lhs, tilde: tilde.span, rhs };
  }

  /** A token that cannot follow a complete operand. */
  private unexpectedAfterOperand(t: Token): never {
    if (this.isOp(t, "~")) {
      this.fail(
        this.depth === 0 ? "E_FORMULA_SYNTAX" : "E_FORMULA_UNEXPECTED_TOKEN",
        this.depth === 0 ? "the formula has more than one '~'" : "'~' cannot appear inside parentheses",
        t.span,
        "a formula has exactly one '~', between the response and the terms",
      );
    }
    if (t.type === ",") {
      this.fail("E_FORMULA_UNEXPECTED_TOKEN", "unexpected ','", t.span, "separate terms with '+'");
    }
    this.fail(
      "E_FORMULA_UNEXPECTED_TOKEN",
      `unexpected ${describe(t)}`,
      t.span,
      "an operator such as '+' is missing between two terms",
    );
  }

  private expr(minPrec: number): Node {
    let left = this.prefix();
    for (;;) {
      const t = this.peek();
      if (t.type !== "op") return left;
      const prec = BINARY_PREC[t.op];
      if (prec === undefined || prec < minPrec) return left;
      this.next();
      const right = t.op === "^" ? this.nested(() => this.expr(PREC_UNARY)) : this.expr(prec + 1);
      left = { kind: "binary", op: t.op, opSpan: t.span, left, right, span: [left.span[0], right.span[1]] };
      this.checkHeight(left);
    }
  }

  private readonly heights = new WeakMap<Node, number>();

  private checkHeight(n: Node): void {
    const h = (c: Node) => this.heights.get(c) ?? 1;
    const height =
      1 +
      (n.kind === "binary"
        ? Math.max(h(n.left), h(n.right))
        : n.kind === "unary"
          ? h(n.arg)
          : n.kind === "paren"
            ? h(n.inner)
            : n.kind === "call"
              ? Math.max(0, ...n.args.map(h))
              : 0);
    if (height > MAX_HEIGHT) {
      this.fail(
        "E_FORMULA_SYNTAX",
        `the formula is too long or too deeply nested (more than ${MAX_HEIGHT} levels)`,
        n.span,
        "split it, or fit fewer terms",
      );
    }
    this.heights.set(n, height);
  }

  private nested<T>(f: () => T): T {
    if (++this.depth > MAX_DEPTH) {
      this.fail("E_FORMULA_SYNTAX", "the formula is nested too deeply", this.peek().span);
    }
    try {
      return f();
    } finally {
      this.depth--;
    }
  }

  /** An operand: name, number, call, parenthesised expression or unary operator. */
  private prefix(): Node {
    const t = this.peek();
    switch (t.type) {
      case "name":
        this.next();
        if (this.peek().type === "(" && !t.quoted) return this.call(t);
        if (!t.quoted && (t.name === "." || RESERVED_WORDS.has(t.name))) {
          this.fail(
            "E_FORMULA_SYNTAX",
            t.name === "."
              ? "'.' (all other columns) is not supported"
              : `'${t.name}' is a reserved word in R`,
            t.span,
            t.name === "."
              ? "list the columns explicitly"
              : `quote a column of that name with back-quotes: \`${t.name}\``,
          );
        }
        return { kind: "name", name: t.name, quoted: t.quoted, span: t.span };
      case "number":
        this.next();
        return { kind: "number", value: t.value, integer: t.integer, text: t.text, span: t.span };
      case "(": {
        this.next();
        const close = this.peek();
        if (close.type === ")") {
          this.fail("E_FORMULA_UNEXPECTED_TOKEN", "empty parentheses '()'", [t.span[0], close.span[1]]);
        }
        return this.nested(() => {
          const inner = this.expr(PREC_BAR);
          const end = this.next();
          if (end.type !== ")") this.unexpectedAfterOperand(end);
          const node: Node = { kind: "paren", inner, span: [t.span[0], end.span[1]] };
          this.checkHeight(node);
          return node;
        });
      }
      case "op":
        if (t.op === "+" || t.op === "-") {
          this.next();
          if (this.endsOperand()) this.missingOperand(t);
          const arg = this.nested(() => this.expr(PREC_UNARY));
          const node: Node = { kind: "unary", op: t.op, opSpan: t.span, arg, span: [t.span[0], arg.span[1]] };
          this.checkHeight(node);
          return node;
        }
        if ((t.op === "|" || t.op === "||") && this.prev()?.type === "(") {
          this.fail(
            "E_FORMULA_EMPTY_RANDOM_TERM",
            `nothing before '${t.op}' in the random term`,
            t.span,
            "write what varies by group before the bar, e.g. (1 | g) for a random intercept",
          );
        }
        if (t.op === "~") {
          if (this.depth === 0 && !this.seenTilde) this.missingOperand(this.prev()!);
          this.unexpectedAfterOperand(t);
        }
        this.fail("E_FORMULA_UNEXPECTED_TOKEN", `'${t.op}' has nothing on its left`, t.span);
        break;
      default:
        break;
    }
    // ')' , ',' or the end: the previous token (an operator, '(' or ',') is left dangling.
    const p = this.prev();
    if (!p) {
      // nothing before it: the formula starts with ',' (a ')' there is caught as unbalanced)
      this.fail("E_FORMULA_UNEXPECTED_TOKEN", `unexpected ${describe(t)}`, t.span, "remove it");
    }
    this.missingOperand(p);
  }

  private endsOperand(): boolean {
    const t = this.peek();
    return t.type === "eof" || t.type === ")" || t.type === ",";
  }

  private missingOperand(dangling: Token): never {
    const atEnd = this.peek().type === "eof";
    if (dangling.type === "op" && (dangling.op === "|" || dangling.op === "||")) {
      this.fail(
        "E_FORMULA_EMPTY_RANDOM_TERM",
        `nothing after '${dangling.op}' in the random term`,
        dangling.span,
        "name the grouping factor after the bar, e.g. (1 | g)",
      );
    }
    this.fail(
      atEnd ? "E_FORMULA_UNEXPECTED_END" : "E_FORMULA_UNEXPECTED_TOKEN",
      `${describe(dangling)} has nothing after it`,
      dangling.span,
      dangling.type === "," ? "remove the extra ','" : "remove it or add what it applies to",
    );
  }

  private call(name: Extract<Token, { type: "name" }>): Node {
    this.next(); // "("
    const args: Node[] = [];
    if (this.peek().type === ")") this.next();
    else {
      this.nested(() => {
        for (;;) {
          const t = this.peek();
          if (t.type === ",")
            this.fail("E_FORMULA_UNEXPECTED_TOKEN", "unexpected ','", t.span, "remove the extra ','");
          if (this.endsOperand()) this.missingOperand(this.prev()!);
          args.push(this.expr(PREC_BAR));
          const sep = this.next();
          if (sep.type === ")") break;
          if (sep.type !== ",") this.unexpectedAfterOperand(sep);
        }
      });
    }
    const end = this.prev()!;
    const node: Node = {
      kind: "call",
      fn: name.name,
      fnSpan: name.span,
      args,
      span: [name.span[0], end.span[1]],
    };
    this.checkHeight(node);
    return node;
  }
}

/** Parse formula text into its syntax tree; throws a `FormulaError` on malformed input. */
export function parseAst(text: string): FormulaAst {
  const tokens = tokenize(text);
  if (tokens.length > MAX_TOKENS) {
    throw new FormulaError("E_FORMULA_SYNTAX", `the formula is too long (${tokens.length} tokens)`, text, [
      0,
      text.length,
    ]);
  }
  return new Parser(text, tokens).formula();
}
