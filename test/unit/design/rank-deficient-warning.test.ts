/** The rank-deficiency warning keeps lme4's wording and stays one paragraph for any number of columns. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { rankDeficientWarning } from "../../../src/design/rank-deficient-warning.ts";

test("one column: lme4's wording", () => {
  assert.deepEqual(rankDeficientWarning(["x2"]), {
    code: "rank_deficient",
    message: "fixed-effect model matrix is rank deficient so dropping 1 column / coefficient: x2",
  });
});

test("thousands of columns: 20 named, then the count; control characters escaped", () => {
  const names = Array.from({ length: 5000 }, (_, i) => `g${i}\u0007`);
  const w = rankDeficientWarning(names);
  assert.match(
    w.message,
    /^fixed-effect model matrix is rank deficient so dropping 5000 columns \/ coefficients: g0\\x07, /,
  );
  assert.match(w.message, /g19\\x07, … \(5000 in all\)$/);
  assert.ok(w.message.length < 500, `${w.message.length} characters`);
});
