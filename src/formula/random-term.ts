/**
 * Random-effects terms `(lhs | g)` and `(lhs || g)`, expanded as lme4 1.1-31 does (`findbars`,
 * `expandDoubleVerts`, `expandSlash`):
 * - `(1 + x + z || g)` becomes `(1 | g) + (0 + x | g) + (0 + z | g)` (one term per column of lhs);
 * - `(lhs | a/b)` becomes `(lhs | b:a) + (lhs | a)`, and `a/b/c` gives `c:(b:a)`, `b:a`, `a`,
 *   deepest first, with the names lme4 deparses;
 * - `(lhs | a:b)` keeps the interaction as written.
 */
import { FormulaError } from "../errors.ts";
import { type BarNode, findBars, type Node } from "./ast.ts";
import { quoteName } from "./deparse.ts";
import type { RandomTerm, Span, TermList } from "./model-formula.ts";

/** One nesting level of a grouping expression: column names joined by ":". */
interface Level {
  readonly names: readonly string[];
  readonly spans: readonly Span[];
}

function badGrouping(text: string, n: Node): never {
  const span = n.kind === "binary" || n.kind === "unary" ? n.opSpan : n.span;
  const what =
    n.kind === "binary" || n.kind === "unary" ? `'${n.op}'` : `'${text.slice(n.span[0], n.span[1])}'`;
  throw new FormulaError(
    "E_FORMULA_BAD_GROUPING",
    `${what} cannot be used in a grouping factor`,
    text,
    span,
    "the grouping after '|' is a column name, an interaction a:b, or a nesting a/b",
  );
}

/** Column names of an interaction `a:b:c` (or a single name). */
function interactionNames(text: string, n: Node, out: { names: string[]; spans: Span[] }): void {
  if (n.kind === "name") {
    out.names.push(n.name);
    out.spans.push(n.span);
  } else if (n.kind === "binary" && n.op === ":") {
    interactionNames(text, n.left, out);
    interactionNames(text, n.right, out);
  } else badGrouping(text, n);
}

/** The nesting levels of `a/b/c` (outermost first); `a:b` and `a` are one level. */
function levels(text: string, n: Node): Level[] {
  if (n.kind === "binary" && n.op === "/") return [...levels(text, n.left), ...levels(text, n.right)];
  const out = { names: [] as string[], spans: [] as Span[] };
  interactionNames(text, n, out);
  return [out];
}

/**
 * Grouping factors of `g`, in lme4's order: for a/b/c the deepest (`c:(b:a)`) first. Labels are
 * lme4's `deparse()` of the grouping expression: a single name as it is (`` (1 | `my g`) `` is
 * named `my g`), names inside an interaction back-quoted when not syntactic (`` a:`my g` ``).
 */
function groupings(text: string, g: Node): { group: string[]; label: string }[] {
  const out: { group: string[]; label: string }[] = [];
  // `quoted`: the label as part of a larger deparsed call (back-quoted names).
  let prev: { group: string[]; quoted: string } | undefined;
  for (const lv of levels(text, g)) {
    const own = lv.names.map(quoteName).join(":");
    if (prev) {
      const quoted = `${own}:${prev.group.length > 1 ? `(${prev.quoted})` : prev.quoted}`;
      prev = { group: [...lv.names, ...prev.group], quoted };
      out.unshift({ group: prev.group, label: quoted });
    } else {
      prev = { group: [...lv.names], quoted: own };
      out.unshift({ group: prev.group, label: lv.names.length === 1 ? lv.names[0] : own });
    }
  }
  return out;
}

/** Column names of the grouping expression with their spans, in text order. */
export function groupingColumns(text: string, g: Node): { names: string[]; spans: Span[] } {
  const names: string[] = [];
  const spans: Span[] = [];
  for (const lv of levels(text, g)) {
    names.push(...lv.names);
    spans.push(...lv.spans);
  }
  return { names, spans };
}

/** Throw if the random term holds a second bar (`(1 | g1 | g2)`, `(1 | (x | g))`); points at the second one. */
export function checkNestedBars(text: string, bar: BarNode): void {
  const bars = findBars(bar);
  if (bars.length > 1) {
    throw new FormulaError(
      "E_FORMULA_NESTED_BAR",
      `a random term has one '|' (or '||'); found a second '${bars[1].op}'`,
      text,
      bars[1].opSpan,
      "write separate terms: (1 | g1) + (1 | g2)",
    );
  }
}

/**
 * Expand one random term whose left side has been encoded as `lhs`. `parenSpan` is the span of
 * the whole parenthesised term.
 */
export function expandRandomTerm(text: string, bar: BarNode, lhs: TermList, parenSpan: Span): RandomTerm[] {
  if (!lhs.intercept && lhs.terms.length === 0) {
    throw new FormulaError(
      "E_FORMULA_EMPTY_RANDOM_TERM",
      "the random term has neither an intercept nor a variable before the bar",
      text,
      bar.left.span,
      "write (1 | g) for a random intercept or (0 + x | g) for a random slope",
    );
  }
  const doubleBar = bar.op === "||";
  const pieces: TermList[] = doubleBar
    ? [
        ...(lhs.intercept ? [{ intercept: true, terms: [] }] : []),
        ...lhs.terms.map((t) => ({ intercept: false, terms: [t] })),
      ]
    : [lhs];
  const out: RandomTerm[] = [];
  const groups = groupings(text, bar.right);
  for (const piece of pieces) {
    for (const g of groups) {
      out.push({
        lhs: piece,
        group: g.group,
        groupLabel: g.label,
        fromDoubleBar: doubleBar,
        span: parenSpan,
        groupSpan: bar.right.span,
      });
    }
  }
  return out;
}
