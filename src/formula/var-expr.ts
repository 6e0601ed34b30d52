/**
 * From syntax tree to `VarExpr`: the response, the variable of a term, or a function argument,
 * where `+ - * / ^` and parentheses are arithmetic. Checks the function names and their
 * arguments (known function, argument count, `poly` degree, where `cbind` / `offset` may appear).
 */
import { FormulaError } from "../errors.ts";
import { didYouMean } from "../util/did-you-mean.ts";
import type { Node } from "./ast.ts";
import type { Span, VarExpr } from "./model-formula.ts";
import { quote } from "../util/quote.ts";

/**
 * Functions of variables the formula language knows, with their number of arguments. A `Map`, so a
 * user's name such as `constructor` or `valueOf` can never reach `Object.prototype`.
 */
export const FORMULA_FUNCTIONS: ReadonlyMap<string, number> = new Map([
  ["log", 1],
  ["log2", 1],
  ["log10", 1],
  ["exp", 1],
  ["sqrt", 1],
  ["abs", 1],
  ["scale", 1],
  ["I", 1],
  ["factor", 1],
  ["as.numeric", 1],
  ["poly", 2],
  ["offset", 1],
  ["cbind", 2],
]);

/**
 * Where an expression stands: the whole response, the whole variable of a model term, or nested
 * inside a function argument / arithmetic.
 */
export type Place = "response" | "term" | "nested";

function placeName(place: Place): string {
  return place === "response"
    ? "in the response"
    : place === "term"
      ? "as a term"
      : "inside another expression";
}

/** Convert `node` to a VarExpr. `parens` counts parentheses already stripped around it. */
export function toVarExpr(text: string, node: Node, place: Place, parens = 0): VarExpr {
  const fail = (code: Parameters<typeof makeError>[0], msg: string, span: Span, hint?: string): never => {
    throw makeError(code, msg, text, span, hint);
  };
  const p = parens > 0 ? { parens } : {};
  switch (node.kind) {
    case "paren":
      return toVarExpr(text, node.inner, place, parens + 1);
    case "name":
      return { kind: "column", name: node.name, span: node.span, ...p };
    case "number":
      return {
        kind: "number",
        value: node.value,
        span: node.span,
        ...(node.integer ? { integer: true } : {}),
        ...p,
      };
    case "unary":
      return { kind: "unary", op: node.op, arg: toVarExpr(text, node.arg, "nested"), span: node.span, ...p };
    case "binary": {
      const op = node.op;
      if (op === "+" || op === "-" || op === "*" || op === "/" || op === "^") {
        const left = toVarExpr(text, node.left, "nested");
        const right = toVarExpr(text, node.right, "nested");
        return { kind: "binary", op, left, right, span: node.span, ...p };
      }
      return fail(
        "E_FORMULA_UNEXPECTED_TOKEN",
        `'${op}' cannot be used ${place === "response" ? "in the response" : "inside a function"}`,
        node.opSpan,
        "only arithmetic (+ - * / ^) and the formula functions are allowed here",
      );
    }
    case "call":
      return callExpr(text, node, place, p);
  }
}

function makeError(
  code: "E_FORMULA_UNEXPECTED_TOKEN" | "E_FORMULA_BAD_ARGUMENT" | "E_FORMULA_MISPLACED_FUNCTION",
  msg: string,
  text: string,
  span: Span,
  hint?: string,
): FormulaError {
  return new FormulaError(code, msg, text, span, hint);
}

function callExpr(text: string, node: Extract<Node, { kind: "call" }>, place: Place, p: object): VarExpr {
  const { fn, args } = node;
  const arity = FORMULA_FUNCTIONS.get(fn);
  if (arity === undefined) {
    const known = [...FORMULA_FUNCTIONS.keys()];
    const guess = fn.length > 1 ? didYouMean(fn, known) : undefined;
    throw new FormulaError(
      "E_FORMULA_UNKNOWN_FUNCTION",
      `unknown function ${quote(fn)}${guess ? ` (did you mean '${guess}'?)` : ""}`,
      text,
      node.fnSpan,
      `the formula functions are ${known.join(", ")}`,
    );
  }
  const misplaced = (msg: string, hint: string): never => {
    throw makeError("E_FORMULA_MISPLACED_FUNCTION", msg, text, node.fnSpan, hint);
  };
  if (fn === "cbind" && place !== "response") {
    misplaced("cbind() can only be the whole response", "write cbind(successes, failures) ~ terms");
  }
  if (fn === "offset" && place !== "term") {
    misplaced(
      `offset() cannot be used ${placeName(place)}`,
      "add it as a term of the fixed part: y ~ x + offset(z)",
    );
  }
  if ((fn === "factor" || fn === "poly") && place !== "term") {
    misplaced(
      `${fn}() cannot be used ${placeName(place)}`,
      `use ${fn}(...) as a term on its own, e.g. y ~ ${fn}(x${fn === "poly" ? ", 2" : ""})`,
    );
  }
  if (args.length === 0) {
    throw makeError(
      "E_FORMULA_BAD_ARGUMENT",
      fn === "poly"
        ? "poly() needs a variable and a degree"
        : `${fn}() needs ${arity === 1 ? "one argument" : `${arity} arguments`}`,
      text,
      node.span,
      fn === "poly" ? "write poly(x, 2)" : undefined,
    );
  }
  if (args.length < arity) {
    throw makeError(
      "E_FORMULA_BAD_ARGUMENT",
      fn === "poly" ? "poly() needs a degree" : `${fn}() needs ${arity} arguments`,
      text,
      node.span,
      fn === "poly"
        ? "write poly(x, 2) for orthogonal polynomials of degree 2"
        : "write cbind(successes, failures)",
    );
  }
  if (args.length > arity) {
    const extra = args[arity];
    throw makeError(
      "E_FORMULA_BAD_ARGUMENT",
      `${fn}() takes ${arity === 1 ? "one argument" : `${arity} arguments`}, got ${args.length}`,
      text,
      [extra.span[0], args[args.length - 1].span[1]],
      fn === "log"
        ? "for another base use log2(x), log10(x) or I(log(x) / log(b))"
        : "remove the extra arguments",
    );
  }
  const converted = args.map((a) => toVarExpr(text, a, "nested"));
  if (fn === "poly") converted[1] = polyDegree(text, args[1], converted[1]);
  return { kind: "call", fn, args: converted, span: node.span, ...p };
}

function polyDegree(text: string, node: Node, e: VarExpr): VarExpr {
  if (e.kind !== "number" || !Number.isInteger(e.value) || e.value < 1) {
    throw makeError(
      "E_FORMULA_BAD_ARGUMENT",
      `the degree of poly() must be a whole number of at least 1, not '${text.slice(node.span[0], node.span[1])}'`,
      text,
      node.span,
      "write e.g. poly(x, 2)",
    );
  }
  return e;
}
