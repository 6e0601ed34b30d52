/**
 * The parsed, expanded formula: what `parseFormula(text)` returns. It knows nothing about data;
 * `design/` evaluates variables against a DataSource.
 *
 * Spans are `[start, end)` offsets into the formula text, so errors found later (unknown column,
 * factor inside log(), ...) can still point at the user's own token.
 */

export type Span = readonly [number, number];

/**
 * An expression that yields one variable (a column or a function of columns).
 * `parens` (optional, default 0) counts the parentheses the user wrapped around this expression,
 * so labels deparse exactly as R keeps them (`I((x + 1)^2)`); spans never include those parentheses.
 */
export type VarExpr =
  | { readonly kind: "column"; readonly name: string; readonly span: Span; readonly parens?: number }
  | {
      readonly kind: "number";
      readonly value: number;
      readonly span: Span;
      /** Written with R's integer suffix (`2L`). */
      readonly integer?: boolean;
      readonly parens?: number;
    }
  | {
      readonly kind: "call";
      /** Function name as written: log, log2, log10, exp, sqrt, abs, scale, I, factor, as.numeric, poly, offset, cbind */
      readonly fn: string;
      readonly args: readonly VarExpr[];
      readonly span: Span;
      readonly parens?: number;
    }
  | {
      readonly kind: "binary";
      /** Arithmetic, only inside I(...), offset(...) or a function argument. */
      readonly op: "+" | "-" | "*" | "/" | "^";
      readonly left: VarExpr;
      readonly right: VarExpr;
      readonly span: Span;
      readonly parens?: number;
    }
  | {
      readonly kind: "unary";
      readonly op: "-" | "+";
      readonly arg: VarExpr;
      readonly span: Span;
      readonly parens?: number;
    };

/** A variable of the formula, identified by its R deparse label (`Days`, `log(x)`, `I(x^2)`, `poly(x, 2)`). */
export interface Variable {
  readonly label: string;
  readonly expr: VarExpr;
  /** Span of its first occurrence. */
  readonly span: Span;
}

/**
 * One term of a model: a set of variables (an interaction when more than one).
 * `variables` are labels in the order R's terms() uses (order of first appearance of each
 * variable in the whole formula); `label` joins them with ":" (R's term label).
 */
export interface Term {
  readonly label: string;
  readonly variables: readonly string[];
  /** Span of the (first) place this term was written. */
  readonly span: Span;
}

/** The fixed-effects part (or the left-hand side of a random term). */
export interface TermList {
  readonly intercept: boolean;
  /** Terms in R's terms() order: by degree (number of variables), stable within a degree. */
  readonly terms: readonly Term[];
}

/**
 * One random-effects term `(lhs | group)`, after lme4's expansions:
 * - `(x | a/b)` gives two terms, in lme4's order: group ["b", "a"] with label "b:a" (lme4 names it
 *   so), then group ["a"]; `(x | a/b/c)` gives "c:(b:a)", "b:a", "a" (lme4 1.1-31's deparsed names);
 * - `(x | a:b)` gives group ["a", "b"] with label "a:b";
 * - `(1 + x || g)` gives `(1 | g)` and `(0 + x | g)`, both with `fromDoubleBar: true`.
 * `group` lists the grouping variables (column names) in the order of `groupLabel`, so the interaction
 * factor built with the first variable varying slowest has R's level names (`a:A` for `cask:batch`).
 */
export interface RandomTerm {
  readonly lhs: TermList;
  readonly group: readonly string[];
  readonly groupLabel: string;
  readonly fromDoubleBar: boolean;
  readonly span: Span;
  /** Span of the grouping expression (for "numeric grouping variable" errors). */
  readonly groupSpan: Span;
}

export interface ModelFormula {
  /** The formula text as given. */
  readonly text: string;
  /** Response expression (a column, a function of one, or cbind(a, b)). */
  readonly response: VarExpr;
  readonly responseLabel: string;
  readonly fixed: TermList;
  /** offset(...) expressions of the fixed part, in order. */
  readonly offsets: readonly VarExpr[];
  /** Random terms in formula order (design/ sorts them as lme4 does). */
  readonly random: readonly RandomTerm[];
  /** Every variable used (response, fixed, random lhs), keyed by label. */
  readonly variables: ReadonlyMap<string, Variable>;
  /** Every column name referenced anywhere (including grouping factors), with first span. */
  readonly columns: ReadonlyMap<string, Span>;
}
