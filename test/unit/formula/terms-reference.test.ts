/**
 * parseFormula against R: fixed-effect term labels and intercept as `attr(terms(f), "term.labels")`
 * / `attr(terms(f), "intercept")` give them, and random terms as lme4's `findbars()` expands them
 * (left-side labels and intercept, grouping-factor name, order). Reference values:
 * test/reference/formula/terms.json, written by scripts/fixtures/formula-terms.R (R 4.2, lme4 1.1-31).
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { parseFormula } from "../../../src/formula/parse-formula.ts";

interface RefCase {
  formula: string;
  labels: string[];
  intercept: boolean;
  random: { labels: string[]; intercept: boolean; group: string }[];
}

const ref = JSON.parse(readFileSync("test/reference/formula/terms.json", "utf8")) as { cases: RefCase[] };

test("the reference file holds the expected number of cases", () => {
  assert.equal(ref.cases.length, 67);
});

for (const c of ref.cases) {
  test(`terms of ${c.formula} equal R's`, () => {
    const f = parseFormula(c.formula);
    assert.deepEqual(
      f.fixed.terms.map((t) => t.label),
      c.labels,
      "fixed term labels",
    );
    assert.equal(f.fixed.intercept, c.intercept, "fixed intercept");
    assert.deepEqual(
      f.random.map((r) => ({
        labels: r.lhs.terms.map((t) => t.label),
        intercept: r.lhs.intercept,
        group: r.groupLabel,
      })),
      c.random,
      "random terms (lme4 findbars)",
    );
    for (const t of [...f.fixed.terms, ...f.random.flatMap((r) => r.lhs.terms)]) {
      assert.equal(t.variables.join(":"), t.label, "label joins the variables");
      for (const v of t.variables) assert.ok(f.variables.has(v), `variable ${v} is listed`);
    }
  });
}
