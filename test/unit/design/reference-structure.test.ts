/**
 * Acceptance test that needs no fitting: for every reference fit, the fixed-effect column names and
 * the random-effects terms (factor, term names, number of levels, lme4 order, VarCorr names) that
 * the design layer builds equal lme4's exactly.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { test } from "node:test";
import { buildDesign } from "../../../src/design/design.ts";
import { parseFormula } from "../../../src/formula/parse-formula.ts";
import { loadBundled } from "../../helpers/load-bundled.ts";

interface RefFit {
  id: string;
  dataset: string;
  formula: string;
  model_class: string;
  beta: Record<string, number>;
  reterms?: { factor: string; terms: string[]; nlevels: number }[];
  varcorr?: { groups: { name: string; factor: string }[] };
  ngroups?: Record<string, number>;
}

const dir = "test/reference/fits";
const fits = readdirSync(dir)
  .filter((f) => f.endsWith(".json"))
  .map((f) => JSON.parse(readFileSync(`${dir}/${f}`, "utf8")) as RefFit);

for (const ref of fits) {
  test(`design of ${ref.id} matches lme4's structure`, () => {
    const data = loadBundled(ref.dataset);
    const family = ref.model_class === "glmerMod" ? "binomial" : "gaussian";
    const design = buildDesign(parseFormula(ref.formula), data, { family });
    assert.deepEqual(design.xnames, Object.keys(ref.beta), "fixed-effect column names");
    if (!ref.reterms) {
      assert.equal(design.reterms.length, 0);
      return;
    }
    assert.deepEqual(
      design.reterms.map((t) => ({ factor: t.factor, terms: [...t.cnames], nlevels: t.levels.length })),
      ref.reterms,
      "random-effects terms in lme4 order",
    );
    assert.deepEqual(
      design.reterms.map((t) => t.name),
      ref.varcorr!.groups.map((g) => g.name),
      "VarCorr names",
    );
  });
}

test("interaction grouping factor levels follow R (first factor slowest)", () => {
  const data = loadBundled("Pastes");
  const design = buildDesign(parseFormula("strength ~ 1 + (1 | batch/cask)"), data);
  const ref = JSON.parse(readFileSync(`${dir}/pastes_ml.json`, "utf8"));
  assert.deepEqual(design.reterms[0].levels, ref.ranef["cask:batch"].levels);
});

test("random terms are ordered as lme4's mkReTrms (rev(order(nl)) only when needed)", () => {
  const data = loadBundled("Pastes");
  // batch has 10 levels, cask 3, sample (= batch:cask) 30: reorder needed, ties reversed.
  const d1 = buildDesign(parseFormula("strength ~ 1 + (1 | cask) + (1 | sample) + (1 | batch)"), data);
  assert.deepEqual(
    d1.reterms.map((t) => t.factor),
    ["sample", "batch", "cask"],
  );
  // Ties come out in reverse formula order (checked with lme4 1.1-31: sample, batch/slope, batch, cask).
  const d2 = buildDesign(
    parseFormula("strength ~ 1 + (1|cask) + (1|batch) + (0+log(strength)|batch) + (1|sample)"),
    data,
  );
  assert.deepEqual(
    d2.reterms.map((t) => `${t.name}/${t.cnames.join(",")}`),
    ["sample/(Intercept)", "batch/log(strength)", "batch.1/(Intercept)", "cask/(Intercept)"],
  );
  // Non-increasing level counts keep the formula order.
  const d3 = buildDesign(parseFormula("strength ~ 1 + (1 | batch) + (0 + log(strength) | batch)"), data);
  assert.deepEqual(
    d3.reterms.map((t) => `${t.name}/${t.cnames.join(",")}`),
    ["batch/(Intercept)", "batch.1/log(strength)"],
  );
});
