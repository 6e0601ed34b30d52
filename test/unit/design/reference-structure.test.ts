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
    const design = buildDesign(parseFormula(ref.formula), data);
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
