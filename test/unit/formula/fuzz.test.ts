/**
 * Property tests (fast-check, seeded): random token strings never crash the parser with anything
 * but a FormulaError whose span lies inside the text, and never hang; formulas built from the
 * grammar always parse, with spans that point at the text they label.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { FormulaError } from "../../../src/errors.ts";
import type { ModelFormula, Span } from "../../../src/formula/model-formula.ts";
import { parseFormula } from "../../../src/formula/parse-formula.ts";

const PIECES = [
  "y",
  "x",
  "z",
  "g",
  "h",
  "Days",
  "as.numeric",
  ".x",
  "`my col`",
  "`",
  "``",
  "0",
  "1",
  "2",
  "1.5",
  "1e-3",
  "2L",
  ".5",
  "~",
  "+",
  "-",
  "*",
  "/",
  ":",
  "^",
  "|",
  "||",
  "%in%",
  "%",
  "%o%",
  "(",
  ")",
  ",",
  "log(",
  "poly(",
  "I(",
  "offset(",
  "cbind(",
  "scale(",
  "factor(",
  "lgo(",
  "exp(",
  "$",
  "=",
  '"',
  "_",
  ".",
  "TRUE",
  "é",
  "\t",
  "\n",
  "😀",
];

function sane(text: string, f: ModelFormula): void {
  const inside = (s: Span) => s[0] >= 0 && s[1] <= text.length && s[0] <= s[1];
  for (const t of [...f.fixed.terms, ...f.random.flatMap((r) => r.lhs.terms)]) {
    assert.equal(t.variables.join(":"), t.label);
    assert.ok(inside(t.span));
    for (const v of t.variables) assert.ok(f.variables.has(v), v);
  }
  for (const r of f.random) {
    assert.ok(r.group.length > 0 && inside(r.span) && inside(r.groupSpan));
    for (const g of r.group) assert.ok(f.columns.has(g), g);
  }
  for (const s of f.columns.values()) assert.ok(inside(s));
}

test("random token strings: a ModelFormula or a FormulaError, nothing else", { timeout: 120_000 }, () => {
  const tokens = fc.array(fc.constantFrom(...PIECES), { maxLength: 30 });
  const spaces = fc.array(fc.constantFrom("", " ", "  "), { minLength: 30, maxLength: 30 });
  fc.assert(
    fc.property(tokens, spaces, (toks, sp) => {
      const text = toks.map((t, i) => t + sp[i]).join("");
      const t0 = performance.now();
      try {
        sane(text, parseFormula(text));
      } catch (e) {
        if (!(e instanceof FormulaError)) throw e;
        assert.ok(e.span[0] >= 0 && e.span[1] <= text.length && e.span[0] <= e.span[1]);
        assert.equal(e.formula, text);
      }
      assert.ok(performance.now() - t0 < 500, `slow on ${JSON.stringify(text)}`);
    }),
    { seed: 42, numRuns: 2000 },
  );
});

test("arbitrary strings: a ModelFormula or a FormulaError", { timeout: 120_000 }, () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 60 }), (s) => {
      const text = `y ~ ${s}`;
      try {
        parseFormula(text);
      } catch (e) {
        if (!(e instanceof FormulaError)) throw e;
      }
    }),
    { seed: 42, numRuns: 2000 },
  );
});

test("deep nesting and long sums fail or succeed quickly, without a stack overflow", () => {
  const deep = `y ~ ${"(".repeat(5000)}x${")".repeat(5000)}`;
  assert.throws(() => parseFormula(deep), FormulaError);
  const unary = `y ~ ${"-".repeat(5000)}x`;
  assert.throws(() => parseFormula(unary), FormulaError);
  const sum = (n: number) => `y ~ ${Array.from({ length: n }, (_, i) => `x${i}`).join(" + ")}`;
  assert.equal(parseFormula(sum(900)).fixed.terms.length, 900);
  assert.throws(() => parseFormula(sum(3000)), FormulaError);
  const chain = `y ~ (${Array.from({ length: 900 }, (_, i) => `x${i}`).join(" + ")} || ${Array.from({ length: 3 }, (_, i) => `g${i}`).join("/")})`;
  assert.equal(parseFormula(chain).random.length, 901 * 3);
  const big = parseFormula("y ~ (a + b + c + d + e)^100000");
  assert.equal(big.fixed.terms.length, 31);
});

// Formulas built from the grammar always parse.
const name = fc.constantFrom("a", "b", "c", "x", "z", "`w 1`");
const variable = fc.oneof(
  name,
  name.map((n) => `log(${n})`),
  name.map((n) => `I(${n}^2)`),
  fc.tuple(name, fc.integer({ min: 1, max: 4 })).map(([n, k]) => `poly(${n}, ${k})`),
  name.map((n) => `scale(${n} * 2 + 1)`),
);
const term = fc.oneof(
  { weight: 3, arbitrary: variable },
  {
    weight: 1,
    arbitrary: fc
      .tuple(variable, fc.constantFrom(":", "*", "/", " %in% "), variable)
      .map(([l, o, r]) => l + o + r),
  },
  {
    weight: 1,
    arbitrary: fc.array(name, { minLength: 2, maxLength: 3 }).map((ns) => `(${ns.join(" + ")})^2`),
  },
);
const group = fc.constantFrom("g", "h", "g:h", "g/h", "`grp 2`");
const randomTerm = fc
  .tuple(
    fc.constantFrom("1", "0 + ", "1 + ", ""),
    fc.array(variable, { maxLength: 2 }),
    fc.constantFrom("|", "||"),
    group,
  )
  .filter(([i, vs]) => !(i === "0 + " && vs.length === 0) && (i.endsWith("+ ") ? vs.length > 0 : true))
  .map(
    ([i, vs, bar, g]) =>
      `(${i === "1" ? ["1", ...vs].join(" + ") : i + (vs.length ? vs.join(" + ") : "1")} ${bar} ${g})`,
  );

test("formulas built from the grammar always parse", { timeout: 120_000 }, () => {
  fc.assert(
    fc.property(
      fc.constantFrom("0", "1", "-1"),
      fc.array(term, { maxLength: 4 }),
      fc.uniqueArray(randomTerm, { maxLength: 2 }),
      (intercept, terms, randoms) => {
        const text = `y ~ ${[intercept, ...terms].join(" + ")}${randoms.map((r) => ` + ${r}`).join("")}`;
        let f: ModelFormula;
        try {
          f = parseFormula(text);
        } catch (e) {
          // Two generated random terms may coincide after expansion, which is refused on purpose.
          if (e instanceof FormulaError && e.code === "E_FORMULA_DUPLICATE_TERM") return;
          throw e;
        }
        sane(text, f);
        assert.equal(f.fixed.intercept, intercept === "1");
      },
    ),
    { seed: 42, numRuns: 2000 },
  );
});

test("a formula that starts with ',' is a FormulaError, not a crash (found by the fit fuzz test)", () => {
  for (const text of [", ~ y y", ",y ~ x", " , ~"]) {
    assert.throws(
      () => parseFormula(text),
      (e: unknown) => e instanceof FormulaError && e.code === "E_FORMULA_UNEXPECTED_TOKEN",
      text,
    );
  }
});
