/**
 * Expansion of the right-hand side into model terms with the semantics of R's `terms.formula`
 * (src/library/stats/src/model.c): `+` joins, `-` removes, `a*b = a + b + a:b`, `a:b` interacts
 * (`a:a = a`), `a %in% b` interacts every left term with all right variables, `a/b = a + a:b` with all
 * left variables, `(a+b)^k` multiplies out to degree k. `1` / `0` switch the intercept on / off and
 * `-` flips that (`-1`, `-0`); the last one written wins. Repeated terms are dropped silently, as R does.
 * Terms are then ordered by degree, stable within a degree, and a term's variables by their first
 * appearance in the (sub)formula, so labels equal R's (`y ~ b:a + a` gives `a`, `b:a`).
 */
import { type ErrorCode, FormulaError } from "../errors.ts";
import { type BarNode, isBar, type Node, unwrapParens } from "./ast.ts";
import { deparse } from "./deparse.ts";
import type { Span, Term, TermList, VarExpr } from "./model-formula.ts";
import { toVarExpr } from "./var-expr.ts";

/** A term during expansion: variable indices (ascending) and where it was written. */
interface Encoded {
  readonly vars: readonly number[];
  readonly key: string;
  readonly span: Span;
}

/**
 * additive: a term of the model (or of a random term's left side);
 * removal: on the right of `-`; interaction: inside `*`, `:`, `/`, `%in%`, `^`.
 */
type Ctx = "additive" | "removal" | "interaction";

export interface TermHooks {
  /** A variable met while encoding (every occurrence, text order). */
  variable(e: VarExpr, label: string): void;
  /** An `offset(...)` term of the fixed part. */
  offset(e: VarExpr): void;
  /** A parenthesised random term `( ... | g)` met as a term of the fixed part. */
  random(bar: BarNode, parenSpan: Span): void;
}

const MAX_TERMS = 4096;
const MAX_ROUNDS = 1000;

export class TermEncoder {
  private readonly labels: string[] = [];
  private readonly index = new Map<string, number>();
  private intercept = true;

  /** `scope` "random" is the left side of a random term (no offsets, no nested random terms). */
  constructor(
    private readonly text: string,
    private readonly scope: "fixed" | "random",
    private readonly hooks: TermHooks,
  ) {}

  /** Expand `node` and return the TermList in R's order. */
  termList(node: Node): TermList {
    const encoded = this.encode(node, "additive", true);
    const terms: Term[] = encoded
      .map((t, i) => ({ t, i }))
      .sort((a, b) => a.t.vars.length - b.t.vars.length || a.i - b.i)
      .map(({ t }) => {
        const variables = t.vars.map((v) => this.labels[v]);
        return { label: variables.join(":"), variables, span: t.span };
      });
    return { intercept: this.intercept, terms };
  }

  private fail(code: ErrorCode, msg: string, span: Span, hint?: string): never {
    throw new FormulaError(code, msg, this.text, span, hint);
  }

  private single(e: VarExpr, span: Span): Encoded {
    const label = deparse(e);
    this.hooks.variable(e, label);
    let i = this.index.get(label);
    if (i === undefined) {
      i = this.labels.length;
      this.labels.push(label);
      this.index.set(label, i);
    }
    return { vars: [i], key: String(i), span };
  }

  private encode(n: Node, ctx: Ctx, parity: boolean): Encoded[] {
    switch (n.kind) {
      case "paren": {
        const inner = unwrapParens(n).node;
        if (isBar(inner)) return this.randomTerm(inner, n.span, ctx);
        return this.encode(n.inner, ctx, parity);
      }
      case "number":
        return this.number(n, ctx, parity);
      case "name":
        return [this.single(toVarExpr(this.text, n, "term"), n.span)];
      case "call": {
        const e = toVarExpr(this.text, n, "term");
        if (n.fn === "offset") {
          if (this.scope === "random" || ctx !== "additive") {
            this.fail(
              "E_FORMULA_MISPLACED_FUNCTION",
              this.scope === "random"
                ? "offset() cannot be used inside a random term"
                : "offset() must be added to the model with '+'",
              n.fnSpan,
              "write it as a term of the fixed part: y ~ x + offset(z) + (1 | g)",
            );
          }
          this.hooks.offset(e);
          return [];
        }
        return [this.single(e, n.span)];
      }
      case "unary":
        if (ctx === "interaction") {
          this.fail(
            "E_FORMULA_SYNTAX",
            `a sign '${n.op}' cannot be part of an interaction`,
            n.opSpan,
            "to remove an interaction write '- (a:b)' after the terms",
          );
        }
        if (n.op === "+") return this.encode(n.arg, ctx, parity);
        this.encode(n.arg, "removal", !parity);
        return [];
      case "binary":
        return this.binary(n, ctx, parity);
    }
  }

  private number(n: Extract<Node, { kind: "number" }>, ctx: Ctx, parity: boolean): Encoded[] {
    if (ctx === "interaction") {
      this.fail(
        "E_FORMULA_SYNTAX",
        `the number '${n.text}' cannot be part of an interaction`,
        n.span,
        "use I(...) for arithmetic, e.g. I(2 * x)",
      );
    }
    if (n.value !== 0 && n.value !== 1) {
      this.fail(
        "E_FORMULA_SYNTAX",
        `the number '${n.text}' is not a term: only 1 (intercept) and 0 (no intercept) can be written as numbers`,
        n.span,
        "use I(...) for arithmetic, e.g. I(2 * x)",
      );
    }
    this.intercept = (n.value === 1) === parity;
    return [];
  }

  private randomTerm(bar: BarNode, parenSpan: Span, ctx: Ctx): Encoded[] {
    if (this.scope === "random") {
      this.fail("E_FORMULA_NESTED_BAR", "a random term cannot contain another random term", bar.opSpan);
    }
    if (ctx !== "additive") {
      this.fail(
        "E_FORMULA_SYNTAX",
        "a random term can only be added to the model with '+'",
        bar.opSpan,
        "write y ~ x + (1 | g); random terms cannot be removed, multiplied or interacted",
      );
    }
    this.hooks.random(bar, parenSpan);
    return [];
  }

  private binary(n: Extract<Node, { kind: "binary" }>, ctx: Ctx, parity: boolean): Encoded[] {
    const inner: Ctx = "interaction";
    switch (n.op) {
      case "|":
      case "||":
        return this.fail(
          this.scope === "random" ? "E_FORMULA_NESTED_BAR" : "E_FORMULA_BAR_OUTSIDE_PARENS",
          this.scope === "random"
            ? "a random term cannot contain another random term"
            : `'${n.op}' must be inside parentheses: a random term is written (terms ${n.op} group)`,
          n.opSpan,
          this.scope === "random" ? undefined : "e.g. y ~ x + (1 + x | g)",
        );
      case "~":
        return this.fail("E_FORMULA_SYNTAX", "the formula has more than one '~'", n.opSpan);
      case "+":
        return this.limit(
          trim([...this.encode(n.left, ctx, parity), ...this.encode(n.right, ctx, parity)]),
          n,
        );
      case "-": {
        const left = this.encode(n.left, ctx, parity);
        const right = this.encode(n.right, ctx === "interaction" ? ctx : "removal", !parity);
        const removed = new Set(right.map((t) => t.key));
        return left.filter((t) => !removed.has(t.key));
      }
      case "*": {
        const l = this.encode(n.left, inner, parity);
        const r = this.encode(n.right, inner, parity);
        return this.limit(trim([...l, ...r, ...this.interact(l, r, n)]), n);
      }
      case ":":
        return this.limit(
          trim(this.interact(this.encode(n.left, inner, parity), this.encode(n.right, inner, parity), n)),
          n,
        );
      case "%in%": {
        const l = this.encode(n.left, inner, parity);
        const all = union(this.encode(n.right, inner, parity));
        return trim(l.map((t) => join(t, all, n.span)));
      }
      case "/": {
        const l = this.encode(n.left, inner, parity);
        const all = union(l);
        const r = this.encode(n.right, inner, parity).map((t) => join(all, t, n.span));
        return this.limit(trim([...l, ...r]), n);
      }
      case "^":
        return this.power(n);
    }
  }

  private interact(l: readonly Encoded[], r: readonly Encoded[], n: Node): Encoded[] {
    if (l.length * r.length > MAX_TERMS) this.tooMany(n);
    const out: Encoded[] = [];
    for (const a of l) for (const b of r) out.push(join(a, b, n.span));
    return out;
  }

  private power(n: Extract<Node, { kind: "binary" }>): Encoded[] {
    const k = n.right;
    if (k.kind !== "number" || !Number.isInteger(k.value) || k.value < 2) {
      this.fail(
        "E_FORMULA_BAD_POWER",
        `the power in a formula must be a whole number of at least 2, not '${this.text.slice(k.span[0], k.span[1])}'`,
        k.span,
        "(a + b + c)^2 means all terms and their two-way interactions; use I(x^2) for a squared variable",
      );
    }
    const left = this.encode(n.left, "interaction", true);
    let acc = left;
    // R multiplies k - 1 times; once the list stops changing (same terms, same order) more rounds
    // cannot change it, which keeps a large k cheap.
    for (let i = 1; i < k.value && i <= MAX_ROUNDS; i++) {
      const next = this.limit(trim(this.interact(left, acc, n)), n);
      const same = next.length === acc.length && next.every((t, j) => t.key === acc[j].key);
      acc = next;
      if (same) break;
    }
    return acc;
  }

  private limit(list: Encoded[], n: Node): Encoded[] {
    if (list.length > MAX_TERMS) this.tooMany(n);
    return list;
  }

  private tooMany(n: Node): never {
    return this.fail(
      "E_FORMULA_SYNTAX",
      `this part of the formula expands to more than ${MAX_TERMS} terms`,
      n.span,
    );
  }
}

/** The interaction of two terms (`a:a` is `a`; keeps the span of an operand it equals). */
function join(a: Encoded, b: Encoded, span: Span): Encoded {
  const vars = Array.from(new Set([...a.vars, ...b.vars])).sort((x, y) => x - y);
  const key = vars.join(",");
  if (key === a.key) return a;
  if (key === b.key) return b;
  return { vars, key, span };
}

/** One term holding every variable of `list` (R's bitwise or of all terms). */
function union(list: readonly Encoded[]): Encoded {
  let acc: Encoded = { vars: [], key: "", span: list[0]?.span ?? [0, 0] };
  for (const t of list) acc = join(acc, t, t.span);
  return acc;
}

/** Drop repeated terms (first occurrence kept) and the empty term. */
function trim(list: readonly Encoded[]): Encoded[] {
  const seen = new Set<string>();
  const out: Encoded[] = [];
  for (const t of list) {
    if (t.vars.length === 0 || seen.has(t.key)) continue;
    seen.add(t.key);
    out.push(t);
  }
  return out;
}
