import assert from "node:assert/strict";
import { test } from "node:test";
import { OptionError } from "../../../src/errors.ts";
import { brent } from "../../../src/optim/brent.ts";
import { mixedLike } from "./test-functions.ts";

test("brent: interior minimum of the mixed-model-like profile", () => {
  const r = brent(mixedLike(2, 5), [1], { lower: [0], upper: [10] });
  assert.equal(r.converged, true);
  assert.equal(r.optimizer, "brent");
  assert.ok(Math.abs(r.x[0] - Math.SQRT2) < 1e-7, `x = ${r.x}`);
  assert.ok(Math.abs(r.fval - (Math.log(5) + 1)) < 1e-14);
  assert.ok(r.feval <= 30, `feval = ${r.feval}`);
});

test("brent: minimum on a bound is evaluated exactly at the bound", () => {
  const r = brent((x) => (x[0] + 1) ** 2, [2], { lower: [0], upper: [5] });
  assert.equal(r.x[0], 0);
  assert.equal(r.fval, 1);
  const u = brent((x) => -x[0], [0.5], { lower: [-1], upper: [3] });
  assert.equal(u.x[0], 3);
});

test("brent: cos on [0, 10] finds π; deterministic", () => {
  const a = brent((x) => Math.cos(x[0]), [1], { lower: [0], upper: [10] });
  assert.ok(Math.abs(a.x[0] - Math.PI) < 1e-7);
  assert.deepEqual(
    a,
    brent((x) => Math.cos(x[0]), [1], { lower: [0], upper: [10] }),
  );
});

test("brent: needs one variable and finite bounds", () => {
  assert.throws(() => brent((x) => x[0] ** 2, [1], { lower: [0] }), OptionError);
  assert.throws(() => brent((x) => x[0] ** 2, [1, 2], { lower: [0, 0], upper: [1, 1] }), OptionError);
});
