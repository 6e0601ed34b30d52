/**
 * `parseFormula(text)`: the lme4 formula language to a `ModelFormula` (response, fixed terms in
 * R's `terms()` order, offsets, expanded random terms, every variable and column with its span).
 * Pure syntax: nothing here looks at data.
 */
import { FormulaError } from "../errors.ts";
import { type BarNode, findBars } from "./ast.ts";
import { deparse } from "./deparse.ts";
import type { ModelFormula, RandomTerm, Span, TermList, VarExpr, Variable } from "./model-formula.ts";
import { parseAst } from "./parser.ts";
import { checkNestedBars, expandRandomTerm, groupingColumns } from "./random-term.ts";
import { type TermHooks, TermEncoder } from "./terms.ts";
import { toVarExpr } from "./var-expr.ts";
import { quote } from "../util/quote.ts";

function collectColumns(e: VarExpr, columns: Map<string, Span>): void {
  switch (e.kind) {
    case "column":
      if (!columns.has(e.name)) columns.set(e.name, e.span);
      break;
    case "call":
      for (const a of e.args) collectColumns(a, columns);
      break;
    case "binary":
      collectColumns(e.left, columns);
      collectColumns(e.right, columns);
      break;
    case "unary":
      collectColumns(e.arg, columns);
      break;
    case "number":
      break;
  }
}

/** Parse and expand a model formula; throws a `FormulaError` (with code and span) if it is invalid. */
export function parseFormula(text: string): ModelFormula {
  const ast = parseAst(text);
  const variables = new Map<string, Variable>();
  const columns = new Map<string, Span>();
  const offsets: VarExpr[] = [];
  const offsetLabels = new Set<string>();
  const random: RandomTerm[] = [];

  const responseBars = findBars(ast.lhs);
  if (responseBars.length > 0) {
    throw new FormulaError(
      "E_FORMULA_RANDOM_IN_RESPONSE",
      "a random term cannot be part of the response",
      text,
      responseBars[0].opSpan,
      "random terms go after '~': y ~ x + (1 | g)",
    );
  }
  const response = toVarExpr(text, ast.lhs, "response");
  const responseLabel = deparse(response);
  variables.set(responseLabel, { label: responseLabel, expr: response, span: response.span });
  collectColumns(response, columns);

  const addVariable = (e: VarExpr, label: string) => {
    if (!variables.has(label)) variables.set(label, { label, expr: e, span: e.span });
    collectColumns(e, columns);
  };
  const lhsHooks: TermHooks = {
    variable: addVariable,
    offset: () => undefined, // unreachable: the encoder refuses offsets in a random term
    random: () => undefined, // unreachable: nested bars are refused first
  };
  const hooks: TermHooks = {
    variable: addVariable,
    offset: (e) => {
      const label = deparse(e);
      collectColumns(e, columns);
      if (offsetLabels.has(label)) return;
      offsetLabels.add(label);
      offsets.push(e);
    },
    random: (bar: BarNode, parenSpan: Span) => {
      checkNestedBars(text, bar);
      const lhs = new TermEncoder(text, "random", lhsHooks).termList(bar.left);
      const g = groupingColumns(text, bar.right);
      g.names.forEach((name, i) => {
        if (!columns.has(name)) columns.set(name, g.spans[i]);
      });
      random.push(...expandRandomTerm(text, bar, lhs, parenSpan));
    },
  };
  const fixed = new TermEncoder(text, "fixed", hooks).termList(ast.rhs);

  checkResponseNotATerm(text, responseLabel, [fixed, ...random.map((r) => r.lhs)]);
  checkDuplicateRandom(text, random);
  return { text, response, responseLabel, fixed, offsets, random, variables, columns };
}

function checkResponseNotATerm(text: string, responseLabel: string, lists: readonly TermList[]): void {
  for (const list of lists) {
    for (const t of list.terms) {
      if (t.variables.includes(responseLabel)) {
        throw new FormulaError(
          "E_FORMULA_SYNTAX",
          `the response ${quote(responseLabel)} also appears among the terms`,
          text,
          t.span,
          "remove it from the right-hand side",
        );
      }
    }
  }
}

/** The same random term twice (after expansion) has no identifiable variance: refuse it. */
function checkDuplicateRandom(text: string, random: readonly RandomTerm[]): void {
  const seen = new Map<string, RandomTerm>();
  for (const r of random) {
    const key = `${r.lhs.intercept ? "1" : "0"}+${r.lhs.terms.map((t) => t.label).join("+")}|${r.groupLabel}`;
    const first = seen.get(key);
    if (first && first.span !== r.span) {
      throw new FormulaError(
        "E_FORMULA_DUPLICATE_TERM",
        `the random term for ${quote(r.groupLabel)} repeats one written earlier`,
        text,
        r.span,
        "two identical random terms cannot be told apart; remove one",
      );
    }
    if (!first) seen.set(key, r);
  }
}
