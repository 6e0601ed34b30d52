import assert from "node:assert/strict";
import { test } from "node:test";
import { OptionError } from "../../../src/errors.ts";
import { bobyqa } from "../../../src/optim/bobyqa.ts";
import { maxAbsDiff, mixedLike, rosenbrock, shiftedQuadratic } from "./test-functions.ts";

test("bobyqa: 2-D Rosenbrock to 1e-6 within 300 evaluations", () => {
  const r = bobyqa(rosenbrock, [-1.2, 1]);
  assert.equal(r.converged, true, r.message);
  assert.equal(r.optimizer, "bobyqa");
  assert.ok(maxAbsDiff(r.x, [1, 1]) < 1e-6, `x = ${r.x}`);
  assert.ok(r.fval < 1e-12);
  assert.ok(r.feval <= 300, `feval = ${r.feval}`);
});

test("bobyqa: 4-D Rosenbrock to 1e-6 within 800 evaluations", () => {
  const r = bobyqa(rosenbrock, [-1.2, 1, -1.2, 1]);
  assert.equal(r.converged, true, r.message);
  assert.ok(maxAbsDiff(r.x, [1, 1, 1, 1]) < 1e-6, `x = ${r.x}`);
  assert.ok(r.feval <= 800, `feval = ${r.feval}`);
});

test("bobyqa: Rosenbrock with an active upper bound x ≤ 0.5 → (0.5, 0.25)", () => {
  // for fixed x the minimum over y is at y = x², leaving (1 − x)², decreasing up to the bound
  const r = bobyqa(rosenbrock, [-1.2, 1], { upper: [0.5, Infinity] });
  assert.equal(r.x[0], 0.5);
  assert.ok(Math.abs(r.x[1] - 0.25) < 1e-6, `x = ${r.x}`);
  assert.ok(Math.abs(r.fval - 0.25) < 1e-12);
});

test("bobyqa: active lower bound from inside and from x0 on the bound", () => {
  for (const x0 of [
    [3, 0],
    [0, 0],
    [0.05, 5],
  ]) {
    const r = bobyqa(shiftedQuadratic, x0, { lower: [0, -Infinity] });
    assert.equal(r.converged, true);
    assert.equal(r.x[0], 0, `x0 = ${x0}: x = ${r.x}`); // exactly on the bound
    assert.ok(Math.abs(r.x[1] - 2) < 1e-6, `x = ${r.x}`);
    assert.ok(Math.abs(r.fval - 1) < 1e-12);
    assert.ok(r.feval <= 100, `feval = ${r.feval}`);
  }
});

test("bobyqa: every evaluated point is inside the box", () => {
  const lower = [0.5, -Infinity, 0];
  const upper = [Infinity, 1.5, 0.3];
  const r = bobyqa(rosenbrock, [2, 0, 0.3], { lower, upper, trace: true });
  assert.ok(r.trace && r.trace.length === r.feval);
  for (const e of r.trace) {
    for (let i = 0; i < 3; i++) assert.ok(e.x[i] >= lower[i] && e.x[i] <= upper[i], `outside: ${e.x}`);
  }
});

test("bobyqa: flat direction (f depends on x + y only)", () => {
  const f = (x: Float64Array) => (x[0] + x[1] - 1) ** 2 + (x[2] - 2) ** 2;
  const r = bobyqa(f, [0, 0, 0]);
  assert.equal(r.converged, true);
  assert.ok(r.fval < 1e-12, `fval = ${r.fval}`);
  assert.ok(Math.abs(r.x[0] + r.x[1] - 1) < 1e-6 && Math.abs(r.x[2] - 2) < 1e-6);
  assert.ok(r.feval <= 200, `feval = ${r.feval}`);
});

test("bobyqa: 1-D mixed-model-like profile, interior and boundary optimum", () => {
  // interior: θ̂ = sqrt((b − 1)/a), f̂ = log(b) + 1
  for (const [a, b] of [
    [2, 5],
    [0.3, 1.5],
    [50, 10],
  ]) {
    const r = bobyqa(mixedLike(a, b), [1], { lower: [0] });
    assert.equal(r.converged, true);
    assert.ok(Math.abs(r.x[0] - Math.sqrt((b - 1) / a)) < 1e-6, `a=${a} b=${b}: x = ${r.x}`);
    assert.ok(Math.abs(r.fval - (Math.log(b) + 1)) < 1e-12);
    assert.ok(r.feval <= 60, `feval = ${r.feval}`);
  }
  // boundary: b ≤ 1 gives θ̂ = 0 exactly, f̂ = b; also starting at 0
  for (const x0 of [1, 0]) {
    const r = bobyqa(mixedLike(2, 0.5), [x0], { lower: [0] });
    assert.equal(r.x[0], 0);
    assert.equal(r.fval, 0.5);
  }
});

test("bobyqa: 3-parameter mixed-model-like sum with one boundary component", () => {
  const parts = [mixedLike(2, 5), mixedLike(1, 0.8), mixedLike(10, 3)];
  const buf = new Float64Array(1);
  const f = (x: Float64Array) => {
    let s = 0;
    for (let i = 0; i < 3; i++) {
      buf[0] = x[i];
      s += parts[i](buf);
    }
    return s;
  };
  const r = bobyqa(f, [1, 1, 1], { lower: [0, 0, 0] });
  const want = [Math.sqrt(4 / 2), 0, Math.sqrt(2 / 10)];
  assert.ok(maxAbsDiff(r.x, want) < 1e-6, `x = ${r.x}`);
  // f is flat (∝ θ²) at the bound, so θ₂ is only determined to about sqrt(eps)
  assert.ok(r.x[1] >= 0 && r.x[1] < 1e-6);
  assert.ok(Math.abs(r.fval - (Math.log(5) + 1 + 0.8 + Math.log(3) + 1)) < 1e-12);
  assert.ok(r.feval <= 150, `feval = ${r.feval}`);
});

test("bobyqa: 20-D separable quadratic with 7 active lower bounds", () => {
  const n = 20;
  const c = Float64Array.from({ length: n }, (_, i) => (i % 3 === 0 ? -0.5 : 1 + i / 10));
  const wt = Float64Array.from({ length: n }, (_, i) => 1 + (i % 5));
  const f = (x: Float64Array) => {
    let s = 0;
    for (let i = 0; i < n; i++) s += wt[i] * (x[i] - c[i]) ** 2 + 0.1 * x[i] * x[(i + 1) % n];
    return s;
  };
  const r = bobyqa(f, new Float64Array(n).fill(1), { lower: new Float64Array(n) });
  assert.equal(r.converged, true);
  // KKT check by central differences: zero gradient on free coordinates, ≥ 0 on bound ones
  const h = 1e-5;
  const x = Float64Array.from(r.x);
  for (let i = 0; i < n; i++) {
    const xi = x[i];
    x[i] = xi + h;
    const fp = f(x);
    x[i] = Math.max(0, xi - h);
    const fm = f(x);
    x[i] = xi;
    const g = (fp - fm) / (xi + h - Math.max(0, xi - h));
    if (xi === 0) assert.ok(g > -1e-6, `coordinate ${i}: g = ${g}`);
    else assert.ok(Math.abs(g) < 1e-5, `coordinate ${i}: x = ${xi}, g = ${g}`);
  }
  assert.ok(r.feval <= 1500, `feval = ${r.feval}`);
});

test("bobyqa: deterministic", () => {
  const a = bobyqa(rosenbrock, [-1.2, 1, 0.5]);
  const b = bobyqa(rosenbrock, [-1.2, 1, 0.5]);
  assert.deepEqual(a, b);
});

test("bobyqa: NaN and Infinity from the objective do not crash", () => {
  // NaN for x < 0.5, Infinity for y > 3; optimum (1, 2) inside the finite region
  const g = (x: Float64Array) =>
    x[0] < 0.5 ? Number.NaN : x[1] > 3 ? Infinity : (x[0] - 1) ** 2 + (x[1] - 2) ** 2;
  const r = bobyqa(g, [0.6, 2.9]);
  assert.ok(Number.isFinite(r.fval));
  assert.ok(maxAbsDiff(r.x, [1, 2]) < 1e-5, `x = ${r.x}`);
  // non-finite at the start: the initial set still has finite points, and the run recovers
  const r2 = bobyqa(g, [0.4, 0.4]);
  assert.ok(maxAbsDiff(r2.x, [1, 2]) < 1e-5, `x = ${r2.x}`);
  const r3 = bobyqa(() => Number.NaN, [1, 1], { maxfun: 50 });
  assert.equal(r3.converged, false);
  assert.equal(r3.status, "nonfinite");
  assert.ok(r3.feval <= 50);
});

test("bobyqa: maxfun, fixed coordinates, invalid options", () => {
  const r = bobyqa(rosenbrock, [-1.2, 1], { maxfun: 30 });
  assert.equal(r.status, "maxfun");
  assert.equal(r.feval, 30);
  assert.equal(r.converged, false);
  // x₂ fixed at 0.49 by its bounds; with x₂ = 0.49 the cross term vanishes and the rest is
  // minimised at x₁ = 0, x₃ = −3
  const fixed = bobyqa(shiftedQuadratic3, [3, 0.49, 1], { lower: [-5, 0.49, -5], upper: [5, 0.49, 5] });
  assert.equal(fixed.x[1], 0.49);
  assert.ok(maxAbsDiff(fixed.x, [0, 0.49, -3]) < 1e-6, `x = ${fixed.x}`);
  assert.throws(() => bobyqa(rosenbrock, [0, 0], { npt: 10 }), OptionError);
  assert.throws(() => bobyqa(rosenbrock, [0, 0], { rhobeg: -1 }), OptionError);
});

function shiftedQuadratic3(x: Float64Array): number {
  return x[0] ** 2 + (x[1] - 1) ** 2 + (x[2] + 3) ** 2 + x[0] * (x[1] - 0.49);
}

test("bobyqa: npt = n + 2 also converges", () => {
  const r = bobyqa(rosenbrock, [-1.2, 1, -1.2, 1], { npt: 6 });
  assert.ok(maxAbsDiff(r.x, [1, 1, 1, 1]) < 1e-5, `x = ${r.x}, ${r.message}`);
});
