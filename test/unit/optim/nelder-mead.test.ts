import assert from "node:assert/strict";
import { test } from "node:test";
import { OptionError } from "../../../src/errors.ts";
import { nelderMead } from "../../../src/optim/nelder-mead.ts";
import { maxAbsDiff, rosenbrock, shiftedQuadratic } from "./test-functions.ts";

test("nelderMead: 2-D Rosenbrock from (-1.2, 1)", () => {
  const r = nelderMead(rosenbrock, [-1.2, 1], { ftolAbs: 0 });
  assert.equal(r.converged, true);
  assert.equal(r.optimizer, "nelder-mead");
  assert.ok(maxAbsDiff(r.x, [1, 1]) < 1e-5, `x = ${r.x}`);
  assert.ok(r.fval < 1e-10);
  assert.ok(r.feval <= 600, `feval = ${r.feval}`);
});

test("nelderMead: 4-D Rosenbrock", () => {
  const r = nelderMead(rosenbrock, [-1.2, 1, -1.2, 1], { ftolAbs: 0 });
  assert.equal(r.converged, true);
  assert.ok(maxAbsDiff(r.x, [1, 1, 1, 1]) < 1e-5, `x = ${r.x}`);
  assert.ok(r.feval <= 3000, `feval = ${r.feval}`);
});

test("nelderMead: active lower bound, start on the bound", () => {
  for (const x0 of [
    [3, 0],
    [0, 0],
  ]) {
    const r = nelderMead(shiftedQuadratic, x0, { lower: [0, -Infinity], ftolAbs: 0 });
    assert.equal(r.x[0], 0);
    assert.ok(Math.abs(r.x[1] - 2) < 1e-5, `x = ${r.x}`);
    assert.ok(Math.abs(r.fval - 1) < 1e-10);
  }
});

test("nelderMead: every evaluated point is inside the box", () => {
  const lower = [0.5, -Infinity];
  const upper = [Infinity, 1.5];
  const r = nelderMead(rosenbrock, [2, 0], { lower, upper, trace: true });
  assert.ok(r.trace && r.trace.length === r.feval);
  for (const e of r.trace) {
    assert.ok(e.x[0] >= 0.5 && e.x[1] <= 1.5, `outside: ${e.x}`);
  }
  assert.ok(maxAbsDiff(r.x, [1, 1]) < 1e-4);
});

test("nelderMead: deterministic, respects maxfun, NaN/Inf tolerated", () => {
  const a = nelderMead(rosenbrock, [-1.2, 1]);
  const b = nelderMead(rosenbrock, [-1.2, 1]);
  assert.deepEqual(a.x, b.x);
  assert.equal(a.feval, b.feval);
  const c = nelderMead(rosenbrock, [-1.2, 1], { maxfun: 50 });
  assert.equal(c.feval, 50);
  assert.equal(c.converged, false);
  assert.equal(c.status, "maxfun");
  // NaN for x < 0.5 in the first coordinate, Infinity when y > 3
  const g = (x: Float64Array) => (x[0] < 0.5 ? Number.NaN : x[1] > 3 ? Infinity : shiftedQuadratic(x));
  const r = nelderMead(g, [1, 1]);
  assert.ok(Math.abs(r.x[0] - 0.5) < 1e-4 && Math.abs(r.x[1] - 2) < 1e-4, `x = ${r.x}`);
  assert.ok(Number.isFinite(r.fval));
});

test("nelderMead: invalid options throw OptionError", () => {
  assert.throws(() => nelderMead(rosenbrock, [0, 0], { lower: [1, 1], upper: [0, 0] }), OptionError);
  assert.throws(() => nelderMead(rosenbrock, [0, 0], { lower: [1] }), OptionError);
  assert.throws(() => nelderMead(rosenbrock, [Number.NaN, 0]), OptionError);
});
