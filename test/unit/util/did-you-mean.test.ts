import assert from "node:assert/strict";
import { test } from "node:test";
import { didYouMean, editDistance } from "../../../src/util/did-you-mean.ts";

test("editDistance counts single edits", () => {
  assert.equal(editDistance("Dayz", "Days"), 1);
  assert.equal(editDistance("", "abc"), 3);
  assert.equal(editDistance("kitten", "sitting"), 3);
});

test("didYouMean finds close names and refuses far ones", () => {
  assert.equal(didYouMean("Dayz", ["Reaction", "Days", "Subject"]), "Days");
  assert.equal(didYouMean("subject", ["Reaction", "Days", "Subject"]), "Subject");
  assert.equal(didYouMean("zzzzzz", ["Reaction", "Days", "Subject"]), undefined);
});

test("didYouMean suggests a column whose header name has blanks around it", () => {
  assert.equal(didYouMean("x", ["y", " x"]), " x");
});
