/** Gauss–Hermite rules by Golub–Welsch: lme4's GHrule values, exactness on polynomials, bad input. */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { MixedError } from "../../../src/errors.ts";
import { gaussHermite } from "../../../src/glmm/gauss-hermite.ts";
import { expectClose } from "../../helpers/expect-close.ts";

interface Rule {
  readonly k: number;
  readonly z: number | number[];
  readonly w: number | number[];
}
const ref = JSON.parse(readFileSync("test/reference/glmm/ghrule.json", "utf8")) as Rule[];

test("nodes and weights equal lme4's GHrule (k = 1, 2, 5, 25)", () => {
  for (const r of ref) {
    const g = gaussHermite(r.k);
    const z = ([] as number[]).concat(r.z);
    const w = ([] as number[]).concat(r.w);
    expectClose(Array.from(g.z), z, { atol: 1e-13, label: `z, k = ${r.k}` });
    // relative accuracy even for the smallest weights (1.5e-17 at k = 25)
    for (let i = 0; i < w.length; i++)
      expectClose(g.w[i], w[i], { rtol: 1e-12, label: `w[${i}], k = ${r.k}` });
  }
});

test("the k-point rule integrates polynomials of degree < 2k against N(0, 1) exactly", () => {
  // E z^(2m) = (2m − 1)!!
  for (const k of [3, 10, 25, 60]) {
    const g = gaussHermite(k);
    let df = 1;
    for (let m = 0; 2 * m < 2 * k && m <= 12; m++) {
      if (m > 0) df *= 2 * m - 1;
      let s = 0;
      let odd = 0;
      for (let i = 0; i < k; i++) {
        s += g.w[i] * g.z[i] ** (2 * m);
        odd += g.w[i] * g.z[i] ** (2 * m + 1);
      }
      expectClose(s, df, { rtol: 1e-11, label: `E z^${2 * m}, k = ${k}` });
      assert.ok(Math.abs(odd) < 1e-9 * df, `odd moment ${2 * m + 1}, k = ${k}`);
    }
  }
});

test("the number of points must be an integer from 1 to 100", () => {
  for (const k of [0, -1, 2.5, 101, Number.NaN])
    assert.throws(
      () => gaussHermite(k),
      (e: unknown) => e instanceof MixedError && e.code === "E_OPTION_INVALID",
    );
});
