/**
 * anova(): likelihood-ratio tests against lme4's anova() (test/reference/extras/anova_*.json, at
 * full precision) and its printed table (anova_sleepstudy_print.txt, from
 * scripts/fixtures/lme4/11_anova_print.R).
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { anova, anovaToJSON, fitLm, fitLmm, MixedError, parseCsv, printAnova } from "../../../src/index.ts";
import { loadBundled } from "../../helpers/load-bundled.ts";
import { TOL } from "../../helpers/tolerances.ts";

const sleep = loadBundled("sleepstudy");
const m0 = fitLmm("Reaction ~ 1 + Days + (1 | Subject)", sleep);
const m1 = fitLmm("Reaction ~ 1 + Days + (1 + Days | Subject)", sleep);
const m2 = fitLmm("Reaction ~ 1 + Days + (1 + Days || Subject)", sleep);

interface RefBlock {
  npar: Record<string, number>;
  AIC: Record<string, number>;
  BIC: Record<string, number>;
  logLik: Record<string, number>;
  deviance: Record<string, number>;
  Chisq: Record<string, number | null>;
  Df: Record<string, number | null>;
  "Pr(>Chisq)": Record<string, number | null>;
  messages: string[];
}
const ref = (id: string) =>
  JSON.parse(readFileSync(`test/reference/extras/${id}.json`, "utf8")) as {
    refit_ML: RefBlock;
    no_refit_REML: RefBlock;
  };
const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1);

function check(table: ReturnType<typeof anova>, r: RefBlock): void {
  assert.deepEqual(
    table.rows.map((x) => x.name),
    ["m0", "m1"],
  );
  for (const row of table.rows) {
    const k = row.name;
    assert.equal(row.npar, r.npar[k]);
    for (const q of ["AIC", "BIC", "logLik", "deviance"] as const)
      assert.ok(rel(row[q], r[q][k]) < TOL.objective, `${k} ${q}: ${row[q]} vs ${r[q][k]}`);
    if (r.Chisq[k] === null) {
      assert.equal(row.Chisq, null);
      assert.equal(row.p, null);
    } else {
      // χ² is a difference of deviances ~1800: absolute 1e-6 × 1800 on each
      assert.ok(Math.abs((row.Chisq as number) - (r.Chisq[k] as number)) < 4e-3, `${k} Chisq ${row.Chisq}`);
      assert.equal(row.Df, r.Df[k]);
      const p = row.p as number;
      const pr = r["Pr(>Chisq)"][k] as number;
      assert.ok(
        Math.abs(p - pr) <= Math.max(1e-3 * pr, 1e-10) || Math.abs(p - pr) < 1e-12,
        `${k} p ${p} vs ${pr}`,
      );
    }
  }
  assert.deepEqual(table.messages, r.messages);
}

test("anova(m0, m1) refits by ML and matches lme4 (intercept vs correlated slopes)", () => {
  const r = ref("anova_sleepstudy_intercept_vs_full");
  const a = anova([m0, m1]);
  assert.equal(a.refitML, true);
  check(a, r.refit_ML);
  check(anova([m0, m1], { refit: false }), r.no_refit_REML);
});

test("anova(m0, m1) for independent vs correlated slopes, given in either order", () => {
  const r = ref("anova_sleepstudy_zerocorr_vs_full");
  check(anova([m2, m1]), r.refit_ML);
  // rows are ordered by npar whatever the input order
  check(anova([m1, m2], { names: ["m1", "m0"] }), r.refit_ML);
  check(anova([m2, m1], { refit: false }), r.no_refit_REML);
});

test("the refitted ML fits are the ML fits", () => {
  const ml = fitLmm("Reaction ~ 1 + Days + (1 + Days | Subject)", sleep, { REML: false });
  const re = m1.refitML();
  assert.equal(re.REML, false);
  assert.ok(rel(re.logLik, ml.logLik) < 1e-8);
  assert.equal(ml.refitML(), ml);
  assert.equal(m1.REML, true, "the REML fit is unchanged");
});

test("printAnova prints lme4's table byte for byte", () => {
  const expected = readFileSync("test/reference/extras/anova_sleepstudy_print.txt", "utf8");
  const l0 = fitLm("Reaction ~ Days", sleep);
  const got = [
    "## anova(m0, m1)\n",
    printAnova(anova([m0, m1])),
    "## anova(m1, m0, m2)\n",
    printAnova(anova([m1, m0, m2], { names: ["m1", "m0", "m2"] })),
    "## anova(m0, m1, refit = FALSE)\n",
    printAnova(anova([m0, m1], { refit: false })),
    "## anova(m0, l0)\n",
    printAnova(anova([m0, l0], { names: ["m0", "l0"] })),
  ].join("");
  assert.equal(got, expected);
});

test("anovaToJSON has the CONTRACT fields with null tests on the first row", () => {
  const j = anovaToJSON(anova([m0, m1])) as { refit_ML: boolean; rows: Record<string, unknown>[] };
  assert.equal(j.refit_ML, true);
  assert.deepEqual(Object.keys(j.rows[0]).sort(), [
    "AIC",
    "BIC",
    "Chisq",
    "Df",
    "deviance",
    "formula",
    "logLik",
    "name",
    "npar",
    "p",
  ]);
  assert.equal(j.rows[0].Chisq, null);
  assert.equal(j.rows[0].p, null);
  assert.equal(typeof j.rows[1].p, "number");
});

test("models that cannot be compared are refused with E_SPEC_NOT_COMPARABLE", () => {
  const code = (f: () => unknown) => {
    try {
      f();
    } catch (e) {
      assert.ok(e instanceof MixedError);
      return e.code;
    }
    return "no error";
  };
  assert.equal(
    code(() => anova([m0])),
    "E_SPEC_NOT_COMPARABLE",
  );
  // a different response
  const logm = fitLmm("log(Reaction) ~ 1 + Days + (1 | Subject)", sleep);
  assert.equal(
    code(() => anova([m0, logm])),
    "E_SPEC_NOT_COMPARABLE",
  );
  // different rows
  const few = parseCsv("y,x,g\n1,1,a\n2,2,a\n2.5,3,b\n4,4,b\n6,5,c\n5,6,c\n7,7,d\n9,8,d\n", { name: "few" });
  const f1 = fitLmm("y ~ x + (1 | g)", few);
  assert.equal(
    code(() => anova([m0, f1])),
    "E_SPEC_NOT_COMPARABLE",
  );
  // REML criteria of different fixed effects, and REML against ML, without refitting
  const noDays = fitLmm("Reaction ~ 1 + (1 | Subject)", sleep);
  assert.equal(
    code(() => anova([noDays, m1], { refit: false })),
    "E_SPEC_NOT_COMPARABLE",
  );
  assert.equal(
    code(() => anova([m0, m1.refitML()], { refit: false })),
    "E_SPEC_NOT_COMPARABLE",
  );
  assert.equal(
    code(() => anova([m0, m1], { names: ["a"] })),
    "E_SPEC_NOT_COMPARABLE",
  );
});

test("refitML after refit(newY) uses the fit's own response, not the last refit's", () => {
  const m = fitLmm("Reaction ~ 1 + Days + (1 + Days | Subject)", sleep);
  const y2 = Float64Array.from(m.fitted, (f, i) => f + 0.5 * m.residuals[(i * 7) % m.residuals.length]);
  const r2 = m.refit(y2);
  const ml = m.refitML();
  const direct = fitLmm("Reaction ~ 1 + Days + (1 + Days | Subject)", sleep, { REML: false });
  assert.ok(rel(ml.logLik, direct.logLik) < 1e-8, `${ml.logLik} vs ${direct.logLik}`);
  // and the refit's own ML refit is of y2
  const r2ml = r2.refitML();
  assert.ok(Math.abs(r2ml.fitted[0] + r2ml.residuals[0] - y2[0]) < 1e-9);
  assert.ok(rel(r2ml.logLik, direct.logLik) > 1e-3);
});
