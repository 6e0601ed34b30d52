import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { crossedData, crossedDesign } from "../../../bench/crossed-data.ts";
import { seededRng } from "../../../bench/seeded-rng.ts";

describe("crossed benchmark data (design of 04_timings.R)", () => {
  it("sizes and seed as R's script: n/100 subjects, round(√n) items, seed 4242 + log10 n", () => {
    assert.deepEqual(crossedDesign(1e6), { n: 1e6, nsubj: 10000, nitem: 1000, seed: 4248 });
    assert.deepEqual(crossedDesign(1e5), { n: 1e5, nsubj: 1000, nitem: 316, seed: 4247 });
    assert.throws(() => crossedDesign(12345), RangeError);
    assert.throws(() => crossedDesign(5000), RangeError);
  });

  it("each subject sees 100 distinct items; columns typed; reproducible", () => {
    const t = crossedData(crossedDesign(1e4));
    assert.equal(t.nrow, 1e4);
    assert.deepEqual(t.names, ["y", "x", "subj", "item"]);
    const subj = t.column("subj");
    const item = t.column("item");
    assert.ok(subj?.kind === "factor" && item?.kind === "factor");
    assert.equal(subj.levels.length, 100);
    assert.equal(item.levels.length, 100); // 100 × 100 draws from 100 items: all seen
    for (let s = 0; s < 100; s++) {
      const seen = new Set<number>();
      for (let k = 0; k < 100; k++) {
        assert.equal(subj.codes[s * 100 + k], s);
        seen.add(item.codes[s * 100 + k]);
      }
      assert.equal(seen.size, 100);
    }
    const again = crossedData(crossedDesign(1e4)).column("y");
    assert.ok(again?.kind === "numeric");
    const y = t.column("y");
    assert.ok(y?.kind === "numeric");
    assert.deepEqual(again.values, y.values);
  });

  it("moments match the design: x ~ N(0,1), var(y) ≈ 0.25 + 1 + 0.25 + 0.49 + 1", () => {
    const t = crossedData(crossedDesign(1e5));
    const x = t.column("x");
    const y = t.column("y");
    assert.ok(x?.kind === "numeric" && y?.kind === "numeric");
    const mean = (v: Float64Array) => v.reduce((a, b) => a + b, 0) / v.length;
    const variance = (v: Float64Array) => {
      const m = mean(v);
      return v.reduce((a, b) => a + (b - m) ** 2, 0) / (v.length - 1);
    };
    assert.ok(Math.abs(mean(x.values)) < 0.02);
    assert.ok(Math.abs(variance(x.values) - 1) < 0.02);
    // 1000 subjects, 316 items: sampling error of the variance components is a few percent
    assert.ok(Math.abs(variance(y.values) - 2.99) < 0.3, `var(y) = ${variance(y.values)}`);
  });

  it("the RNG gives uniforms in [0,1) and standard normals", () => {
    const r = seededRng(1);
    let s = 0;
    let s2 = 0;
    const n = 200000;
    for (let i = 0; i < n; i++) {
      const u = r.uniform();
      assert.ok(u >= 0 && u < 1);
      const z = r.normal();
      s += z;
      s2 += z * z;
    }
    assert.ok(Math.abs(s / n) < 0.01);
    assert.ok(Math.abs(s2 / n - 1) < 0.01);
    assert.equal(seededRng(7).uniform(), seededRng(7).uniform());
  });
});
