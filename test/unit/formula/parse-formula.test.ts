/**
 * Exact structure of parsed formulas: random terms (group, label, `||` flag, spans), columns and
 * variables with their first spans, offsets, responses. Spans are checked against the position of
 * the written token, found with `spanOf`.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { ModelFormula, Span } from "../../../src/formula/model-formula.ts";
import { parseFormula } from "../../../src/formula/parse-formula.ts";

/** `[start, end)` of the `nth` occurrence of `sub` in `text` (fails loudly if absent). */
function spanOf(text: string, sub: string, nth = 0): Span {
  let i = -1;
  for (let k = 0; k <= nth; k++) {
    i = text.indexOf(sub, i + 1);
    assert.ok(i >= 0, `'${sub}' (#${nth}) not in '${text}'`);
  }
  return [i, i + sub.length];
}

function randomSummary(f: ModelFormula) {
  return f.random.map((r) => ({
    lhs: `${r.lhs.intercept ? "1" : "0"}${r.lhs.terms.map((t) => ` + ${t.label}`).join("")}`,
    group: [...r.group],
    label: r.groupLabel,
    double: r.fromDoubleBar,
  }));
}

test("sleepstudy: correlated intercept and slope", () => {
  const text = "Reaction ~ 1 + Days + (1 + Days | Subject)";
  const f = parseFormula(text);
  assert.equal(f.text, text);
  assert.deepEqual(f.response, { kind: "column", name: "Reaction", span: [0, 8] });
  assert.equal(f.responseLabel, "Reaction");
  assert.deepEqual(f.fixed, {
    intercept: true,
    terms: [{ label: "Days", variables: ["Days"], span: spanOf(text, "Days") }],
  });
  assert.deepEqual(randomSummary(f), [
    { lhs: "1 + Days", group: ["Subject"], label: "Subject", double: false },
  ]);
  assert.deepEqual(f.random[0].span, spanOf(text, "(1 + Days | Subject)"));
  assert.deepEqual(f.random[0].groupSpan, spanOf(text, "Subject"));
  assert.deepEqual(f.random[0].lhs.terms[0].span, spanOf(text, "Days", 1));
  assert.deepEqual(
    [...f.columns],
    [
      ["Reaction", [0, 8]],
      ["Days", spanOf(text, "Days")],
      ["Subject", spanOf(text, "Subject")],
    ],
  );
  assert.deepEqual([...f.variables.keys()], ["Reaction", "Days"]);
  assert.deepEqual(f.variables.get("Days")!.span, spanOf(text, "Days"));
  assert.deepEqual(f.offsets, []);
});

test("sleepstudy: || splits into independent terms, as lme4's expandDoubleVerts", () => {
  const f = parseFormula("Reaction ~ 1 + Days + (1 + Days || Subject)");
  assert.deepEqual(randomSummary(f), [
    { lhs: "1", group: ["Subject"], label: "Subject", double: true },
    { lhs: "0 + Days", group: ["Subject"], label: "Subject", double: true },
  ]);
  assert.equal(f.random[0].span, f.random[1].span);
});

test("Dyestuff and Penicillin: intercept-only fixed part, crossed factors", () => {
  const d = parseFormula("Yield ~ 1 + (1 | Batch)");
  assert.deepEqual(d.fixed, { intercept: true, terms: [] });
  assert.deepEqual(randomSummary(d), [{ lhs: "1", group: ["Batch"], label: "Batch", double: false }]);
  const p = parseFormula("diameter ~ 1 + (1 | plate) + (1 | sample)");
  assert.deepEqual(
    randomSummary(p).map((r) => r.label),
    ["plate", "sample"],
  );
});

test("Pastes: (1 | batch/cask) gives cask:batch (group in label order) then batch", () => {
  const text = "strength ~ 1 + (1 | batch/cask)";
  const f = parseFormula(text);
  assert.deepEqual(randomSummary(f), [
    { lhs: "1", group: ["cask", "batch"], label: "cask:batch", double: false },
    { lhs: "1", group: ["batch"], label: "batch", double: false },
  ]);
  for (const r of f.random) assert.deepEqual(r.groupSpan, spanOf(text, "batch/cask"));
  assert.deepEqual(f.columns.get("cask"), spanOf(text, "cask"));
  assert.deepEqual(f.columns.get("batch"), spanOf(text, "batch"));
});

test("deeper nesting follows lme4 1.1-31's names: c:(b:a), b:a, a", () => {
  const f = parseFormula("y ~ (1 | a/b/c)");
  assert.deepEqual(randomSummary(f), [
    { lhs: "1", group: ["c", "b", "a"], label: "c:(b:a)", double: false },
    { lhs: "1", group: ["b", "a"], label: "b:a", double: false },
    { lhs: "1", group: ["a"], label: "a", double: false },
  ]);
  assert.deepEqual(
    randomSummary(parseFormula("y ~ (1 | a/b:c)")).map((r) => [r.label, r.group]),
    [
      ["b:c:a", ["b", "c", "a"]],
      ["a", ["a"]],
    ],
  );
});

test("cake: interaction fixed part and an interaction grouping factor", () => {
  const text = "angle ~ recipe * temperature + (1 | recipe:replicate)";
  const f = parseFormula(text);
  assert.deepEqual(
    f.fixed.terms.map((t) => [t.label, t.span]),
    [
      ["recipe", spanOf(text, "recipe")],
      ["temperature", spanOf(text, "temperature")],
      ["recipe:temperature", spanOf(text, "recipe * temperature")],
    ],
  );
  assert.deepEqual(randomSummary(f), [
    { lhs: "1", group: ["recipe", "replicate"], label: "recipe:replicate", double: false },
  ]);
  assert.deepEqual(f.random[0].groupSpan, spanOf(text, "recipe:replicate"));
  assert.deepEqual(f.columns.get("recipe"), spanOf(text, "recipe"));
  assert.deepEqual(f.columns.get("replicate"), spanOf(text, "replicate"));
});

test("InstEval, Gasoline and coffee models", () => {
  const i = parseFormula("y ~ 1 + service + (1 | s) + (1 | d) + (1 | dept:service)");
  assert.deepEqual(
    i.fixed.terms.map((t) => t.label),
    ["service"],
  );
  assert.deepEqual(
    randomSummary(i).map((r) => [r.label, r.group]),
    [
      ["s", ["s"]],
      ["d", ["d"]],
      ["dept:service", ["dept", "service"]],
    ],
  );
  const g = parseFormula("LCarPCap ~ 1 + Time + LIncomeP + LRPMG + (1 | Country)");
  assert.deepEqual(
    g.fixed.terms.map((t) => t.label),
    ["Time", "LIncomeP", "LRPMG"],
  );
  const c = parseFormula("y ~ x + (x | group)");
  assert.deepEqual(randomSummary(c), [{ lhs: "1 + x", group: ["group"], label: "group", double: false }]);
});

test("cbpp: cbind response with arithmetic", () => {
  const text = "cbind(incidence, size - incidence) ~ period + (1 | herd)";
  const f = parseFormula(text);
  assert.equal(f.responseLabel, "cbind(incidence, size - incidence)");
  assert.deepEqual(f.response, {
    kind: "call",
    fn: "cbind",
    span: spanOf(text, "cbind(incidence, size - incidence)"),
    args: [
      { kind: "column", name: "incidence", span: spanOf(text, "incidence") },
      {
        kind: "binary",
        op: "-",
        span: spanOf(text, "size - incidence"),
        left: { kind: "column", name: "size", span: spanOf(text, "size") },
        right: { kind: "column", name: "incidence", span: spanOf(text, "incidence", 1) },
      },
    ],
  });
  assert.deepEqual([...f.columns.keys()], ["incidence", "size", "period", "herd"]);
  assert.deepEqual([...f.variables.keys()], ["cbind(incidence, size - incidence)", "period"]);
});

test("functions become variables with R labels and VarExpr trees", () => {
  const text = "log(y) ~ log(x) + I(x^2) + poly(x, 3) + scale(z) + factor(g) + as.numeric(h)";
  const f = parseFormula(text);
  assert.equal(f.responseLabel, "log(y)");
  assert.deepEqual(
    [...f.variables.keys()],
    ["log(y)", "log(x)", "I(x^2)", "poly(x, 3)", "scale(z)", "factor(g)", "as.numeric(h)"],
  );
  assert.deepEqual(f.variables.get("poly(x, 3)")!.expr, {
    kind: "call",
    fn: "poly",
    span: spanOf(text, "poly(x, 3)"),
    args: [
      { kind: "column", name: "x", span: spanOf(text, "x", 2) },
      { kind: "number", value: 3, span: spanOf(text, "3") },
    ],
  });
  assert.deepEqual(f.variables.get("I(x^2)")!.expr, {
    kind: "call",
    fn: "I",
    span: spanOf(text, "I(x^2)"),
    args: [
      {
        kind: "binary",
        op: "^",
        span: spanOf(text, "x^2"),
        left: { kind: "column", name: "x", span: spanOf(text, "x", 1) },
        right: { kind: "number", value: 2, span: spanOf(text, "2") },
      },
    ],
  });
  assert.deepEqual([...f.columns.keys()], ["y", "x", "z", "g", "h"]);
});

test("parentheses inside I() are kept in the label and counted on the expression", () => {
  const f = parseFormula("y ~ I((x + 1)^2)");
  assert.deepEqual(
    f.fixed.terms.map((t) => t.label),
    ["I((x + 1)^2)"],
  );
  const call = f.variables.get("I((x + 1)^2)")!.expr;
  assert.ok(call.kind === "call" && call.args[0].kind === "binary");
  assert.equal(call.args[0].left.parens, 1);
  assert.deepEqual(call.args[0].left.span, [7, 12]);
});

test("offsets are recorded (once) and are not terms; their columns are listed", () => {
  const text = "y ~ x + offset(log(n)) + offset(log(n)) + (1 | g)";
  const f = parseFormula(text);
  assert.deepEqual(
    f.fixed.terms.map((t) => t.label),
    ["x"],
  );
  assert.equal(f.offsets.length, 1);
  assert.deepEqual(f.offsets[0], {
    kind: "call",
    fn: "offset",
    span: spanOf(text, "offset(log(n))"),
    args: [
      {
        kind: "call",
        fn: "log",
        span: spanOf(text, "log(n)"),
        args: [{ kind: "column", name: "n", span: spanOf(text, "n") }],
      },
    ],
  });
  assert.deepEqual([...f.columns.keys()], ["y", "x", "n", "g"]);
  assert.ok(!f.variables.has("offset(log(n))"));
});

test("back-quoted names: raw column name, back-quoted label, span over the quotes", () => {
  // A single grouping name is labelled as lme4 deparses a symbol (no back-quotes); inside an
  // interaction it is back-quoted, as lme4 deparses a call.
  const text = "`my y` ~ `my col` + log(`a b`) + (1 | `the group`)";
  const f = parseFormula(text);
  assert.deepEqual(f.response, { kind: "column", name: "my y", span: spanOf(text, "`my y`") });
  assert.equal(f.responseLabel, "`my y`");
  assert.deepEqual(
    f.fixed.terms.map((t) => t.label),
    ["`my col`", "log(`a b`)"],
  );
  assert.deepEqual(f.random[0].group, ["the group"]);
  assert.equal(f.random[0].groupLabel, "the group");
  assert.deepEqual(
    parseFormula("y ~ (1 | `my g`/h)").random.map((r) => r.groupLabel),
    ["h:`my g`", "my g"],
  );
  assert.deepEqual(f.columns.get("my col"), spanOf(text, "`my col`"));
  assert.deepEqual(f.columns.get("the group"), spanOf(text, "`the group`"));
});

test("random-term left sides: own intercept rule and own variable order", () => {
  const f = parseFormula("y ~ a:b + (0 + b:a + log(x) | g) + (-1 + x | h) + (x - 1 | k)");
  assert.deepEqual(
    f.fixed.terms.map((t) => t.label),
    ["a:b"],
  );
  assert.deepEqual(
    randomSummary(f).map((r) => r.lhs),
    ["0 + log(x) + b:a", "0 + x", "0 + x"],
  );
  const one = parseFormula("y ~ (1 || g)");
  assert.deepEqual(randomSummary(one), [{ lhs: "1", group: ["g"], label: "g", double: true }]);
});

test("random terms keep formula order, with || and / expansions in lme4's order", () => {
  const f = parseFormula("y ~ (1 | h) + (1 + x || a/b) + (0 + z | g)");
  assert.deepEqual(
    randomSummary(f).map((r) => `(${r.lhs} ${r.double ? "||" : "|"} ${r.label})`),
    ["(1 | h)", "(1 || b:a)", "(1 || a)", "(0 + x || b:a)", "(0 + x || a)", "(0 + z | g)"],
  );
});

test("whitespace, tabs and newlines are insignificant; spans stay in the original text", () => {
  const text = "y\t~\n  x +\n (1|g)";
  const f = parseFormula(text);
  assert.deepEqual(f.fixed.terms[0].span, spanOf(text, "x"));
  assert.deepEqual(f.random[0].span, spanOf(text, "(1|g)"));
});

test("y ~ 0 + (1 | g) has neither intercept nor fixed terms", () => {
  const f = parseFormula("y ~ 0 + (1 | g)");
  assert.deepEqual(f.fixed, { intercept: false, terms: [] });
  assert.equal(f.random.length, 1);
});

test("duplicate fixed terms are dropped silently, as R does", () => {
  const f = parseFormula("y ~ x + x + a:b + b:a");
  assert.deepEqual(
    f.fixed.terms.map((t) => t.label),
    ["x", "a:b"],
  );
});
