/**
 * A whole formula as R's `deparse()` prints it, which is how lme4's summary shows it whatever the
 * user's spacing: `Yield ~ 1 + (1 | Batch)` for `Yield~1+(1|Batch)`. Spaces around `~ + - * | ||`
 * and `%in%`, none around `/ : ^`; calls as `f(a, b)`; parentheses as written.
 */
import type { Node } from "./ast.ts";
import { quoteName } from "./deparse.ts";
import { parseAst } from "./parser.ts";

const SPACED = new Set(["~", "+", "-", "*", "|", "||", "%in%"]);

function node(n: Node): string {
  switch (n.kind) {
    case "name":
      return quoteName(n.name);
    case "number":
      return n.text;
    case "call":
      return `${n.fn}(${n.args.map(node).join(", ")})`;
    case "paren":
      return `(${node(n.inner)})`;
    case "unary":
      return `${n.op}${node(n.arg)}`;
    case "binary":
      return SPACED.has(n.op)
        ? `${node(n.left)} ${n.op} ${node(n.right)}`
        : `${node(n.left)}${n.op}${node(n.right)}`;
  }
}

/** R's deparse of a formula given as text (throws the parser's FormulaError on bad input). */
export function deparseFormula(text: string): string {
  const ast = parseAst(text);
  return `${node(ast.lhs)} ~ ${node(ast.rhs)}`;
}
