/** Descriptive statistics against R 4.2.2 (fixture from scripts/fixtures/numerics.R). */
import assert from "node:assert/strict";
import { test } from "node:test";
import { mean, median, quantile, sampleVariance, scaleColumn, sd } from "../../../src/util/stats.ts";
import { assertClose, loadNumerics } from "../linalg/numerics-fixture.ts";

interface StatsRef {
  x: number[];
  mean: number;
  var: number;
  sd: number;
  median: number;
  median_even: number;
  probs: number[];
  quantile: number[];
  quantile_even: number[];
  scale_input_with_na: number[];
  scale_values: number[];
  scale_center: number;
  scale_scale: number;
}
const ref = loadNumerics<StatsRef>("stats");

test("mean, var, sd, median match R", () => {
  assertClose(mean(ref.x), ref.mean, { rtol: 1e-15 });
  assertClose(sampleVariance(ref.x), ref.var, { rtol: 1e-14 });
  assertClose(sd(ref.x), ref.sd, { rtol: 1e-14 });
  assert.equal(median(ref.x), ref.median);
  assert.equal(median(ref.x.slice(1)), ref.median_even);
});

test("quantile type 7 matches R (odd and even n, p = 1/3)", () => {
  assertClose(quantile(ref.x, ref.probs), ref.quantile, { rtol: 1e-15, label: "odd" });
  assertClose(quantile(ref.x.slice(1), ref.probs), ref.quantile_even, { rtol: 1e-15, label: "even" });
  assert.throws(() => quantile(ref.x, [1.5]), { code: "E_OPTION_INVALID" });
  assert.ok(Number.isNaN(quantile([], [0.5])[0]));
});

test("scaleColumn matches R's scale(), ignoring NA", () => {
  const s = scaleColumn(ref.scale_input_with_na);
  assertClose(s.center, ref.scale_center, { rtol: 1e-15 });
  assertClose(s.scale, ref.scale_scale, { rtol: 1e-14 });
  assertClose(s.values, ref.scale_values, { rtol: 1e-14, atol: 1e-15 });
});

test("edge cases: empty input, one value, constant column", () => {
  assert.ok(Number.isNaN(mean([])));
  assert.ok(Number.isNaN(sampleVariance([3])));
  assert.ok(Number.isNaN(median([])));
  assert.equal(mean([1e308, 1e308]), 1e308);
  const c = scaleColumn([2, 2, 2]);
  assert.equal(c.scale, 0);
  assert.ok(Number.isNaN(c.values[0]));
  // R's mean is exact for values whose naive sum rounds: mean(c(1, 1e-16, 1e-16, ...)) style
  assert.equal(mean([0.1, 0.2, 0.3]), 0.2);
});
