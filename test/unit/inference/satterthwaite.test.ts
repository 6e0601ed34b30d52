/**
 * Satterthwaite's df (t-tests and type III F-tests) against the lmerTest blocks of the lme4
 * reference fits (test/reference/fits/*.json; df within 1e-3 relative, p within 1e-3 relative or
 * 1e-10 absolute), lmerTest's printed tables (test/reference/summaries/lmertest_*.txt, from
 * scripts/fixtures/lme4/12_lmertest_print.R), exact df of balanced designs, and invariance under
 * rescaling the response.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import {
  anovaType3,
  fitLmm,
  fixedEffectTests,
  type LmmFit,
  MixedError,
  parseCsv,
  printAnovaType3,
  printSummary,
} from "../../../src/index.ts";
import { pf, pt } from "../../../src/special/distributions.ts";
import { loadBundled } from "../../helpers/load-bundled.ts";
import { assertTextClose } from "../../helpers/text-close.ts";

interface LmerTestRef {
  satterthwaite: { df: Record<string, number>; t: Record<string, number>; p: Record<string, number> };
  anova_type3_satterthwaite: {
    rows: string[];
    "Sum Sq": Record<string, number>;
    NumDF: Record<string, number>;
    DenDF: Record<string, number>;
    "F value": Record<string, number>;
    "Pr(>F)": Record<string, number>;
  };
}

function loadFit(id: string): { fit: LmmFit; ref: LmerTestRef } {
  const r = JSON.parse(readFileSync(`test/reference/fits/${id}.json`, "utf8"));
  return { fit: fitLmm(r.formula, loadBundled(r.dataset), { REML: r.REML }), ref: r.lmerTest };
}

const relErr = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);
const pClose = (a: number, b: number, rtol = 1e-3) => Math.abs(a - b) <= Math.max(rtol * Math.abs(b), 1e-10);
/**
 * p within 1e-3 of lmerTest's, or, where lmerTest's own df is off (its numerical derivatives
 * carry ~1e-4 relative error: Penicillin's intercept df is 5.48659 there, 5.48709 here, stable to
 * 1e-6 over steps 1e-3..1e-2), the p of our statistic at lmerTest's df within 1e-3 and ours within 1e-2.
 */
function checkP(ours: number, pAtRefDf: number, ref: number, what: string): void {
  assert.ok(
    pClose(ours, ref) || (pClose(pAtRefDf, ref) && pClose(ours, ref, 1e-2)),
    `${what} p ${ours} vs ${ref} (${pAtRefDf} at lmerTest's df)`,
  );
}

export function checkSatterthwaite(id: string): void {
  const { fit, ref } = loadFit(id);
  const tests = fixedEffectTests(fit);
  assert.equal(tests.method, "satterthwaite");
  for (const row of tests.rows) {
    const s = ref.satterthwaite;
    assert.ok(relErr(row.df, s.df[row.name]) < 1e-3, `${id} ${row.name} df ${row.df} vs ${s.df[row.name]}`);
    assert.ok(relErr(row.tValue, s.t[row.name]) < 1e-3, `${id} ${row.name} t`);
    checkP(row.pValue, 2 * pt(-Math.abs(row.tValue), s.df[row.name]), s.p[row.name], `${id} ${row.name}`);
  }
  const a3 = anovaType3(fit);
  const r3 = ref.anova_type3_satterthwaite;
  assert.deepEqual(
    a3.rows.map((r) => r.term),
    r3.rows,
  );
  for (const row of a3.rows) {
    const t = row.term;
    assert.equal(row.numDF, r3.NumDF[t], `${id} ${t} NumDF`);
    assert.ok(relErr(row.denDF, r3.DenDF[t]) < 1e-3, `${id} ${t} DenDF ${row.denDF} vs ${r3.DenDF[t]}`);
    assert.ok(relErr(row.F, r3["F value"][t]) < 1e-3, `${id} ${t} F ${row.F} vs ${r3["F value"][t]}`);
    assert.ok(relErr(row.sumSq, r3["Sum Sq"][t]) < 1e-3, `${id} ${t} Sum Sq`);
    checkP(row.pValue, pf(row.F, row.numDF, r3.DenDF[t], false), r3["Pr(>F)"][t], `${id} ${t}`);
  }
}

const MODELS = [
  "sleepstudy_full",
  "sleepstudy_zerocorr",
  "sleepstudy_intercept",
  "dyestuff",
  "dyestuff2",
  "penicillin",
  "pastes",
  "gasoline",
  "coffee",
  "cake",
];
for (const id of MODELS)
  for (const kind of ["reml", "ml"])
    test(`Satterthwaite t and type III F tests match lmerTest: ${id}_${kind}`, () =>
      checkSatterthwaite(`${id}_${kind}`));

function sections(id: string): Record<string, string> {
  const txt = readFileSync(`test/reference/summaries/lmertest_${id}.txt`, "utf8");
  const out: Record<string, string> = {};
  for (const block of txt.split(/^## /m).filter(Boolean)) {
    const i = block.indexOf("\n");
    out[block.slice(0, i)] = block.slice(i + 1);
  }
  return out;
}

const PRINTED: [string, string, string, boolean][] = [
  ["sleepstudy_full_reml", "sleepstudy", "Reaction ~ Days + (Days | Subject)", true],
  ["sleepstudy_full_ml", "sleepstudy", "Reaction ~ Days + (Days | Subject)", false],
  ["cake_reml", "cake", "angle ~ recipe * temperature + (1 | recipe:replicate)", true],
  ["gasoline_reml", "Gasoline", "LCarPCap ~ 1 + Time + LIncomeP + LRPMG + (1 | Country)", true],
  ["dyestuff_reml", "Dyestuff", "Yield ~ 1 + (1 | Batch)", true],
];
for (const [id, data, formula, reml] of PRINTED)
  test(`printSummary(ddf) and printAnovaType3 lay out as lmerTest: ${id}`, () => {
    const m = fitLmm(formula, loadBundled(data), { REML: reml });
    const r = sections(id);
    // lme4 sends the "correlation matrix not shown" note (p > 12) to stderr
    const summary = printSummary(m, { ddf: "satterthwaite" }).replace(
      /\nCorrelation matrix not shown[\s\S]*$/,
      "",
    );
    assertTextClose(summary, r["summary(m)"], 2e-3, `${id} summary`);
    assertTextClose(printAnovaType3(anovaType3(m)), r["anova(m)"], 2e-3, `${id} anova`);
  });

test("balanced designs give the exact df: J − 1 for a one-way intercept, n − J − 1 within subjects", () => {
  const dy = fitLmm("Yield ~ 1 + (1 | Batch)", loadBundled("Dyestuff"));
  assert.ok(Math.abs(fixedEffectTests(dy).rows[0].df - 5) < 1e-6);
  const ss = fitLmm("Reaction ~ Days + (1 | Subject)", loadBundled("sleepstudy"));
  assert.ok(Math.abs(fixedEffectTests(ss).rows[1].df - 161) < 1e-5);
});

test("the df do not change when the response is shifted and rescaled", () => {
  const text = readFileSync("data/sleepstudy.csv", "utf8");
  const lines = text.trim().split("\n");
  const head = lines[0].split(",");
  const yi = head.indexOf("Reaction");
  const shifted = [
    lines[0],
    ...lines.slice(1).map((l) => {
      const c = l.split(",");
      c[yi] = String(1e6 + 1000 * Number(c[yi]));
      return c.join(",");
    }),
  ].join("\n");
  const f = "Reaction ~ Days + (Days | Subject)";
  const a = fixedEffectTests(fitLmm(f, loadBundled("sleepstudy"))).rows;
  const b = fixedEffectTests(fitLmm(f, parseCsv(shifted, { name: "shifted" }))).rows;
  a.forEach((r, j) => {
    assert.ok(relErr(b[j].df, r.df) < 1e-4, `${r.name}: ${b[j].df} vs ${r.df}`);
  });
});

test("tests need a fit made by fitLmm; type III needs a full-rank design", () => {
  const m = fitLmm("Reaction ~ Days + (Days | Subject)", loadBundled("sleepstudy"));
  assert.throws(
    () => fixedEffectTests({ ...m }),
    (e) => e instanceof MixedError && e.code === "E_SPEC_UNSUPPORTED",
  );
  const csv = [
    "y,x,z,g",
    ...Array.from({ length: 40 }, (_, i) => `${(i * 7) % 11},${i % 5},${2 * (i % 5)},g${i % 8}`),
  ].join("\n");
  const aliased = fitLmm("y ~ x + z + (1 | g)", parseCsv(csv, { name: "aliased" }));
  assert.throws(
    () => anovaType3(aliased),
    (e) => e instanceof MixedError && e.code === "E_SPEC_UNSUPPORTED" && /aliased/.test(e.message),
  );
});

for (const [id, data, formula, reml] of PRINTED.filter((x) => x[3]))
  test(`printSummary and printAnovaType3 with Kenward-Roger lay out as lmerTest: ${id}`, () => {
    const m = fitLmm(formula, loadBundled(data), { REML: reml });
    const r = sections(id);
    const summary = printSummary(m, { ddf: "kenward-roger" }).replace(
      /\nCorrelation matrix not shown[\s\S]*$/,
      "",
    );
    assertTextClose(summary, r['summary(m, ddf = "Kenward-Roger")'], 2e-3, `${id} KR summary`);
    assertTextClose(
      printAnovaType3(anovaType3(m, { ddf: "kenward-roger" })),
      r['anova(m, ddf = "Kenward-Roger")'],
      2e-3,
      `${id} KR anova`,
    );
  });
