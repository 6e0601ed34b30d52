/**
 * groupGlm: per-group GLM fits of a GLMM ("no pooling", the other fixed effects as an offset)
 * against R's glm per herd (test/reference/plots/glmm_residuals.json, scripts/fixtures/glmm-plots.R),
 * a group without cases, and the response and prior weights a GLMM fit carries.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { groupGlm } from "../../../src/accessors/group-glm.ts";
import { parseCsv } from "../../../src/data/parse-csv.ts";
import { parseSchema } from "../../../src/data/schema.ts";
import { fitGlmm } from "../../../src/glmm/fit-glmm.ts";
import { shrinkage } from "../../../src/plot/index.ts";
import { expectClose } from "../../helpers/expect-close.ts";
import { loadBundled } from "../../helpers/load-bundled.ts";

const ref = JSON.parse(readFileSync("test/reference/plots/glmm_residuals.json", "utf8"));
const cbpp = loadBundled("cbpp");
const mCbpp = fitGlmm(ref.cbpp_laplace.formula, cbpp, { family: "binomial" });

test("groupGlm: each herd's own glm with the period effects at glmer's β̂ as an offset, as R", () => {
  const own = groupGlm(mCbpp, cbpp).herd;
  assert.deepEqual(own.terms, ["(Intercept)"]);
  assert.equal(
    own.n.reduce((a, b) => a + b, 0),
    56,
  );
  // glmer's β̂ agrees with lme4's to ~1e-5, so the offsets and the fits do too
  expectClose(
    own.values.map((v) => v[0]),
    ref.cbpp_laplace.group_glm,
    { atol: 1e-4, label: "per-herd glm" },
  );
  assert.ok(own.estimable.every(Boolean));
});

test("a GLMM fit carries its response as fitted and the prior weights (trials)", () => {
  const inc = cbpp.column("incidence");
  const size = cbpp.column("size");
  assert.ok(inc?.kind === "numeric" && size?.kind === "numeric");
  expectClose(mCbpp.priorWeights, Array.from(size.values), { atol: 0 });
  expectClose(
    mCbpp.y,
    Array.from(inc.values, (v, i) => v / size.values[i]),
    { atol: 1e-15 },
  );
  expectClose(
    mCbpp.residuals,
    Array.from(mCbpp.y, (v, i) => v - mCbpp.fitted[i]),
    { atol: 1e-15 },
  );
});

test("groupGlm: a group with no cases has no estimate of its own", () => {
  // herd 1 with every incidence set to 0: the herd's own logit is −∞
  const rows = cbpp.nrow;
  const herd = cbpp.column("herd");
  const inc = cbpp.column("incidence");
  assert.ok(herd?.kind === "factor" && inc?.kind === "numeric");
  const csv = ["herd,incidence,size,period"];
  const size = cbpp.column("size");
  const period = cbpp.column("period");
  assert.ok(size?.kind === "numeric" && period?.kind === "factor");
  for (let i = 0; i < rows; i++) {
    const h = herd.levels[herd.codes[i]];
    csv.push(`${h},${h === "1" ? 0 : inc.values[i]},${size.values[i]},${period.levels[period.codes[i]]}`);
  }
  const schema = parseSchema(readFileSync("data/cbpp.meta.json", "utf8"), "cbpp.meta.json");
  const data = parseCsv(csv.join("\n"), { name: "cbpp0", schema });
  const fit = fitGlmm(ref.cbpp_laplace.formula, data, { family: "binomial" });
  const own = groupGlm(fit, data).herd;
  assert.equal(own.estimable[0], false);
  assert.ok(Number.isNaN(own.values[0][0]));
  assert.ok(own.estimable.slice(1).every(Boolean));
  assert.match(shrinkage(fit, data), /1 of 15 groups have no finite estimate of their own/);
});
