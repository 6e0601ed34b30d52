/** groupOls(fit, data) against lme4's coef(lmList(...)) (test/reference/plots/condvar.json). */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { groupOls } from "../../../src/accessors/group-ols.ts";
import { ColumnTable } from "../../../src/data/column-table.ts";
import { MixedError } from "../../../src/errors.ts";
import { fitLmm } from "../../../src/lmm/fit-lmm.ts";
import { expectClose } from "../../helpers/expect-close.ts";
import { loadBundled } from "../../helpers/load-bundled.ts";

// biome-ignore lint/suspicious/noExplicitAny: reference JSON is untyped
const REF: any = JSON.parse(readFileSync("test/reference/plots/condvar.json", "utf8"));

const CASES: Record<string, { formula: string; factor: string }> = {
  sleepstudy: { formula: "Reaction ~ Days + (Days | Subject)", factor: "Subject" },
  coffee: { formula: "y ~ x + (x | group)", factor: "group" },
  dyestuff: { formula: "Yield ~ 1 + (1 | Batch)", factor: "Batch" },
};

for (const ref of REF.lmlist) {
  test(`groupOls = lmList: ${ref.id}`, () => {
    const c = CASES[ref.id];
    const data = loadBundled(ref.dataset);
    const g = groupOls(fitLmm(c.formula, data), data)[c.factor];
    assert.deepEqual(g.terms, ref.terms);
    assert.deepEqual([...g.levels].sort(), [...ref.levels].sort());
    for (let r = 0; r < ref.levels.length; r++) {
      const l = g.levels.indexOf(ref.levels[r]);
      expectClose(g.values[l], ref.values[r], {
        rtol: 1e-10,
        atol: 1e-10,
        label: `${ref.id} ${ref.levels[r]}`,
      });
      assert.equal(g.estimable[l], true);
    }
    assert.equal(
      g.n.reduce((a, b) => a + b, 0),
      data.nrow,
    );
  });
}

test("groupOls: a one-row group has NaN slope and is flagged", () => {
  const g: string[] = [];
  const x: number[] = [];
  const y: number[] = [];
  let s = 1;
  const rnd = () => {
    s = (s * 16807) % 2147483647;
    return s / 2147483647 - 0.5;
  };
  for (let k = 0; k < 6; k++)
    for (let i = 0; i < (k === 5 ? 1 : 8); i++) {
      g.push(`g${k}`);
      x.push(i);
      y.push(k + 0.5 * i + rnd());
    }
  const levels = [...new Set(g)];
  const data = new ColumnTable("sim", [
    { kind: "numeric", name: "y", values: Float64Array.from(y), integer: false },
    { kind: "numeric", name: "x", values: Float64Array.from(x), integer: false },
    {
      kind: "factor",
      name: "g",
      codes: Int32Array.from(g, (v) => levels.indexOf(v)),
      levels,
      ordered: false,
      contrasts: null,
    },
  ]);
  const fit = fitLmm("y ~ x + (x | g)", data);
  const o = groupOls(fit, data).g;
  const l = o.levels.indexOf("g5");
  assert.equal(o.n[l], 1);
  assert.equal(o.estimable[l], false);
  assert.ok(Number.isNaN(o.values[l][1]));
  assert.ok(o.estimable.filter((e) => e).length === 5);
});

test("groupOls: data that do not match the fit are a typed error", () => {
  const data = loadBundled("sleepstudy");
  const fit = fitLmm("Reaction ~ Days + (Days | Subject)", data);
  assert.throws(
    () => groupOls(fit, loadBundled("coffee")),
    (e: unknown) => e instanceof MixedError,
  );
});
