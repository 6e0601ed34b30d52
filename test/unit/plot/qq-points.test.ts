/** qqData/ppoints against R's qqnorm and qqline (test/reference/plots/condvar.json, R 4.2.2). */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { ppoints, qqData } from "../../../src/plot/qq-points.ts";
import { expectClose } from "../../helpers/expect-close.ts";

// biome-ignore lint/suspicious/noExplicitAny: reference JSON is untyped
const REF: any = JSON.parse(readFileSync("test/reference/plots/condvar.json", "utf8"));

for (const [name, q] of Object.entries(REF.qq) as [
  string,
  { x: number[]; theoretical: number[]; intercept: number; slope: number },
][]) {
  test(`qqData = qqnorm + qqline: ${name} (n = ${q.x.length})`, () => {
    const d = qqData(q.x);
    // qqnorm returns the theoretical quantile per input value; ours are sorted by value
    const order = q.x.map((_, i) => i).sort((a, b) => q.x[a] - q.x[b]);
    expectClose(
      d.points.map((p) => p.sample),
      order.map((i) => q.x[i]),
      { rtol: 0 },
    );
    expectClose(
      d.points.map((p) => p.theoretical),
      order.map((i) => q.theoretical[i]),
      { rtol: 1e-13, atol: 1e-15, label: `${name} theoretical` },
    );
    expectClose(d.slope, q.slope, { rtol: 1e-12, label: "qqline slope" });
    expectClose(d.intercept, q.intercept, {
      rtol: 1e-12,
      atol: 1e-12 * Math.abs(q.slope),
      label: "qqline intercept",
    });
  });
}

test("ppoints: R's a = 3/8 up to n = 10, 1/2 above", () => {
  expectClose(ppoints(1), [0.5], { rtol: 1e-15 });
  expectClose(ppoints(10)[0], (1 - 3 / 8) / (10 + 1 - 3 / 4), { rtol: 1e-15 });
  expectClose(ppoints(11)[0], 0.5 / 11, { rtol: 1e-15 });
});

test("qqData drops non-finite values and tolerates an empty sample", () => {
  assert.equal(qqData([1, Number.NaN, 3, Number.POSITIVE_INFINITY]).points.length, 2);
  const e = qqData([]);
  assert.equal(e.points.length, 0);
  assert.ok(Number.isNaN(e.slope));
});
