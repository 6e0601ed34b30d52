/**
 * R's deparse of a variable expression, used for variable and term labels (`log(x)`, `I(x^2)`,
 * `I(x * 2)`, `I(x/2)`, `poly(x, 2)`, `` `my col` ``). Rules read off R 4.2's `deparse()`:
 * `+ - *` and `%in%` get a space on each side, `/ ^ :` none; arguments are joined by ", ";
 * non-syntactic names are back-quoted; doubles print with up to 15 significant digits, in fixed
 * notation unless scientific is strictly narrower (`1e+05`, `1e-04`, but `10000`, `0.001`).
 */
import { RESERVED_WORDS } from "./lexer.ts";
import type { VarExpr } from "./model-formula.ts";

const SYNTACTIC = /^(?:(?:\p{L}|\.(?![0-9]))[\p{L}\p{N}._]*|\.)$/u;

/** A column name as R writes it in a label: back-quoted unless it is a syntactic name. */
export function quoteName(name: string): string {
  return SYNTACTIC.test(name) && !RESERVED_WORDS.has(name) && !/^\.\.[0-9]+$/.test(name)
    ? name
    : `\`${name}\``;
}

/** R's formatting of a double with 15 significant digits (as `deparse` and `as.character` do). */
export function formatNumber(x: number): string {
  if (Number.isNaN(x)) return "NaN";
  if (!Number.isFinite(x)) return x > 0 ? "Inf" : "-Inf";
  if (x === 0) return "0";
  const target = Number(x.toPrecision(15));
  let digits = 1;
  while (digits < 15 && Number(x.toPrecision(digits)) !== target) digits++;
  const sci = x.toExponential(digits - 1); // e.g. "1.5e+10"
  const [mant, expStr] = sci.split("e");
  const exp = Number(expStr);
  const sciText = `${mant}e${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
  const decimals = Math.max(0, digits - 1 - exp);
  const neg = x < 0 ? 1 : 0;
  const fixedWidth = neg + (exp >= 0 ? exp + 1 : 1) + (decimals > 0 ? decimals + 1 : 0);
  if (fixedWidth <= sciText.length && decimals <= 100) return target.toFixed(decimals);
  return sciText;
}

const PREC: Record<"+" | "-" | "*" | "/" | "^", number> = { "+": 3, "-": 3, "*": 4, "/": 4, "^": 8 };
const PREC_UNARY = 7;

function precedence(e: VarExpr): number {
  if ((e.parens ?? 0) > 0) return 100;
  if (e.kind === "binary") return PREC[e.op];
  if (e.kind === "unary") return PREC_UNARY;
  return 100;
}

function wrap(s: string, n: number): string {
  return "(".repeat(n) + s + ")".repeat(n);
}

/** The label R gives `e` (its deparse), including parentheses the user wrote. */
export function deparse(e: VarExpr): string {
  return wrap(bare(e), e.parens ?? 0);
}

function bare(e: VarExpr): string {
  switch (e.kind) {
    case "column":
      return quoteName(e.name);
    case "number":
      return e.integer ? `${e.value}L` : formatNumber(e.value);
    case "call":
      return `${e.fn}(${e.args.map(deparse).join(", ")})`;
    case "unary": {
      const arg = deparse(e.arg);
      return e.op + (precedence(e.arg) < PREC_UNARY ? `(${arg})` : arg);
    }
    case "binary": {
      const p = PREC[e.op];
      const rightAssoc = e.op === "^";
      // Parentheses R's deparse would add for a tree built without them.
      const lp = precedence(e.left);
      const rp = precedence(e.right);
      let left = deparse(e.left);
      let right = deparse(e.right);
      if (lp < p || (rightAssoc && lp === p)) left = `(${left})`;
      const rightUnary = e.right.kind === "unary" && (e.right.parens ?? 0) === 0;
      if (!rightUnary && (rp < p || (!rightAssoc && rp === p))) right = `(${right})`;
      return e.op === "/" || e.op === "^" ? `${left}${e.op}${right}` : `${left} ${e.op} ${right}`;
    }
  }
}
