import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { callsPerRep, median, minimum, roundDeep, roundSig } from "../../../bench/bench-stats.ts";

describe("bench-stats", () => {
  it("median of odd and even counts, unsorted input left alone", () => {
    const xs = [3, 1, 2];
    assert.equal(median(xs), 2);
    assert.deepEqual(xs, [3, 1, 2]);
    assert.equal(median([4, 1, 3, 2]), 2.5);
    assert.throws(() => median([]), RangeError);
    assert.equal(minimum([0.3, 0.1, 0.2]), 0.1);
  });

  it("calls per repetition follow 04_timings.R: ceil(target / w), clamped to [1, 100]", () => {
    assert.equal(callsPerRep(0.02), 25); // 0.5 / 0.02
    assert.equal(callsPerRep(0.0224), 23); // ceil(22.32)
    assert.equal(callsPerRep(0.0001), 100);
    assert.equal(callsPerRep(3), 1);
    assert.equal(callsPerRep(0.01, 0.2), 20);
  });

  it("rounds to significant digits, deeply, keeping the listed keys exact", () => {
    assert.equal(roundSig(0.0012345678), 0.001235);
    assert.equal(roundSig(1743.6282719585834, 6), 1743.63);
    assert.equal(roundSig(0), 0);
    assert.ok(Number.isNaN(roundSig(Number.NaN)));
    const v = { a: 1.23456, b: [9.87654, null, "x"], c: { objective: 1743.6282719585834, d: 2.000001 } };
    assert.deepEqual(roundDeep(v, 3, new Set(["objective"])), {
      a: 1.23,
      b: [9.88, null, "x"],
      c: { objective: 1743.6282719585834, d: 2 },
    });
  });
});
