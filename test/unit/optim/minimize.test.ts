import assert from "node:assert/strict";
import { test } from "node:test";
import { OptionError } from "../../../src/errors.ts";
import { type MinimizeOptions, minimize } from "../../../src/optim/minimize.ts";
import { maxAbsDiff, mixedLike, shiftedQuadratic } from "./test-functions.ts";

test("minimize dispatches on method (bobyqa by default, also for n = 1)", () => {
  const opts = { lower: [0, -Infinity] };
  assert.equal(minimize(shiftedQuadratic, [1, 1], opts).optimizer, "bobyqa");
  const nm = minimize(shiftedQuadratic, [1, 1], { ...opts, method: "nelder-mead" });
  assert.equal(nm.optimizer, "nelder-mead");
  assert.ok(maxAbsDiff(nm.x, [0, 2]) < 1e-4);
  const one = minimize(mixedLike(2, 5), [1], { lower: [0] });
  assert.equal(one.optimizer, "bobyqa");
  assert.ok(Math.abs(one.x[0] - Math.SQRT2) < 1e-6);
  const b = minimize(mixedLike(2, 5), [1], { lower: [0], upper: [4], method: "brent" });
  assert.equal(b.optimizer, "brent");
  assert.ok(Math.abs(b.x[0] - Math.SQRT2) < 1e-6);
});

test("minimize rejects an unknown method", () => {
  const bad = { method: "lbfgs" } as unknown as MinimizeOptions;
  assert.throws(() => minimize(shiftedQuadratic, [1, 1], bad), OptionError);
});

test("trace records every evaluation in order", () => {
  const r = minimize(shiftedQuadratic, [1, 1], { trace: true });
  assert.ok(r.trace);
  assert.equal(r.trace.length, r.feval);
  const best = r.trace.reduce((a, e) => (e.f < a.f ? e : a));
  assert.equal(best.f, r.fval);
  assert.deepEqual(best.x, r.x);
});
