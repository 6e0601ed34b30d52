/**
 * confint(): likelihood-profile intervals against lme4's (test/reference/extras/confint_*_profile.json,
 * 1e-3 relative), Wald intervals, the printed table (confint_print.txt, from
 * scripts/fixtures/lme4/13_confint_print.R) and bad options.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { confint, confintToJSON, fitLmm, MixedError, printConfint } from "../../../src/index.ts";
import { loadBundled } from "../../helpers/load-bundled.ts";
import { assertTextClose } from "../../helpers/text-close.ts";

const CASES: [string, string][] = [
  ["confint_dyestuff_profile", "Dyestuff"],
  ["confint_sleepstudy_full_profile", "sleepstudy"],
];

for (const [id, data] of CASES)
  test(`profile and Wald intervals match lme4: ${id}`, () => {
    const ref = JSON.parse(readFileSync(`test/reference/extras/${id}.json`, "utf8"));
    const m = fitLmm(ref.formula, loadBundled(data));
    const c = confint(m);
    assert.equal(c.method, "profile");
    assert.deepEqual(c.parameters, ref.profile.parameters);
    c.parameters.forEach((nm, i) => {
      for (const [ours, theirs] of [
        [c.lower[i], ref.profile.lower[i]],
        [c.upper[i], ref.profile.upper[i]],
      ])
        assert.ok(
          Math.abs(ours - theirs) <= 1e-3 * Math.max(Math.abs(theirs), 1e-2),
          `${nm}: ${ours} vs ${theirs}`,
        );
    });
    const w = confint(m, { method: "wald" });
    assert.deepEqual(w.parameters, ref.wald.parameters);
    w.parameters.forEach((nm, i) => {
      if (ref.wald.lower[i] === null) {
        assert.ok(Number.isNaN(w.lower[i]) && Number.isNaN(w.upper[i]), nm);
        return;
      }
      assert.ok(
        Math.abs(w.lower[i] - ref.wald.lower[i]) < 1e-3 * m.se[i - (w.parameters.length - m.se.length)],
      );
      assert.ok(
        Math.abs(w.upper[i] - ref.wald.upper[i]) < 1e-3 * m.se[i - (w.parameters.length - m.se.length)],
      );
    });
    const j = confintToJSON(w) as { lower: (number | null)[] };
    assert.equal(j.lower[0], null);
  });

test("printConfint lays out R's table", () => {
  const txt = readFileSync("test/reference/extras/confint_print.txt", "utf8");
  const [, a, b] = txt.split(/^## .*\n/m);
  const m1 = fitLmm("Yield ~ 1 + (1 | Batch)", loadBundled("Dyestuff"));
  assertTextClose(printConfint(confint(m1)), a, 1e-3, "Dyestuff profile");
  const m2 = fitLmm("Reaction ~ Days + (Days | Subject)", loadBundled("sleepstudy"));
  assertTextClose(
    printConfint(confint(m2, { method: "wald", level: 0.9 })),
    b,
    1e-3,
    "sleepstudy Wald 90%",
    false,
  );
});

test("a wider level gives a wider profile interval; bad options are refused", () => {
  const m = fitLmm("Yield ~ 1 + (1 | Batch)", loadBundled("Dyestuff"));
  const a = confint(m, { level: 0.8 });
  const b = confint(m, { level: 0.99 });
  a.parameters.forEach((_, i) => {
    assert.ok(b.lower[i] < a.lower[i] && a.upper[i] < b.upper[i]);
  });
  for (const bad of [0, 1, 1.5, Number.NaN])
    assert.throws(
      () => confint(m, { level: bad }),
      (e) => e instanceof MixedError && e.code === "E_OPTION_INVALID",
    );
  assert.throws(
    () => confint(m, { method: "bogus" as "wald" }),
    (e) => e instanceof MixedError && e.code === "E_OPTION_INVALID",
  );
});
