/**
 * Kenward–Roger tests against lmerTest/pbkrtest: the `lmerTest.kenward_roger` blocks of the REML
 * reference fits (test/reference/fits), the full-precision extras of
 * scripts/fixtures/lme4/13_kenward_roger.R (test/reference/extras/kenward_roger.json: unbalanced
 * subsets, type III and joint F-tests with pbkrtest's scaling, the adjusted covariance), and the
 * numbers of the printed Kenward–Roger sections of test/reference/summaries/lmertest_*.txt.
 *
 * Through the public path (our own fit) the df and p are compared at 1e-3 relative and the SE at
 * the fit's own tolerance (our θ differs from lme4's in the 5th-6th digit, which moves the SE by
 * up to ~3e-5); at the reference θ, σ, β the same code matches to 1e-6 (SE) and better.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import type { DataSource } from "../../../src/data/column.ts";
import { buildDesign } from "../../../src/design/design.ts";
import { parseCsv } from "../../../src/data/parse-csv.ts";
import { parseSchema } from "../../../src/data/schema.ts";
import { parseFormula } from "../../../src/formula/parse-formula.ts";
import { anovaType3 } from "../../../src/inference/anova-type3.ts";
import { fixedEffectTests } from "../../../src/inference/fixed-effect-tests.ts";
import {
  kenwardRogerCoefTable,
  kenwardRogerContrastTest,
  kenwardRogerFTest,
  kenwardRogerTests,
} from "../../../src/inference/kenward-roger.ts";
import {
  type KenwardRogerAdjustment,
  kenwardRogerAdjustment,
  kenwardRogerAdjustmentAt,
  MAX_CLUSTER_RANDOM_EFFECTS,
} from "../../../src/inference/kenward-roger-adjustment.ts";
import { symmetricEigen } from "../../../src/linalg/symmetric-eigen.ts";
import { fitInternals } from "../../../src/lmm/fit-internals.ts";
import { fitLmm, type LmmFit } from "../../../src/lmm/fit-lmm.ts";
import { MixedError } from "../../../src/errors.ts";
import { loadBundled } from "../../helpers/load-bundled.ts";
import { TOL } from "../../helpers/tolerances.ts";
import { loadRef } from "../lmm/reference-problem.ts";

const relErr = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);
const pClose = (a: number, b: number, rel: number) => Math.abs(a - b) <= Math.max(rel * Math.abs(b), 1e-10);

const REML_MODELS = [
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

const fits = new Map<string, LmmFit>();
function fitRef(id: string): LmmFit {
  const hit = fits.get(id);
  if (hit) return hit;
  const ref = loadRef(id);
  const fit = fitLmm(ref.formula, loadBundled(ref.dataset), { REML: ref.REML });
  fits.set(id, fit);
  return fit;
}

/** The adjustment of a fit's design at given θ, σ, β (the reference's estimates). */
function adjustmentAt(fit: LmmFit, theta: number[], sigma: number, beta: number[]): KenwardRogerAdjustment {
  const internals = fitInternals(fit);
  assert.ok(internals);
  return kenwardRogerAdjustmentAt(internals.design, theta, sigma, beta);
}

function assertSpd(M: Float64Array, p: number, what: string): void {
  for (let a = 0; a < p; a++)
    for (let b = 0; b < a; b++) assert.equal(M[a * p + b], M[b * p + a], `${what} symmetric`);
  const e = symmetricEigen(M, p);
  assert.ok(e.values[p - 1] > 0, `${what} positive definite: smallest eigenvalue ${e.values[p - 1]}`);
}

for (const id of REML_MODELS) {
  test(`Kenward-Roger t-tests match lmerTest: ${id}_reml`, () => {
    const ref = loadRef(`${id}_reml`);
    const kr = ref.lmerTest.kenward_roger;
    const fit = fitRef(`${id}_reml`);
    const rows = kenwardRogerTests(fit);
    assert.deepEqual(
      rows.map((r) => r.name),
      kr.terms,
    );
    for (const r of rows) {
      assert.ok(relErr(r.df, kr.df[r.name]) < 1e-3, `${r.name} df ${r.df} vs ${kr.df[r.name]}`);
      assert.ok(pClose(r.pValue, kr.p[r.name], 1e-3), `${r.name} p ${r.pValue} vs ${kr.p[r.name]}`);
      assert.ok(relErr(r.stdError, kr.se[r.name]) < TOL.se, `${r.name} SE ${r.stdError} vs ${kr.se[r.name]}`);
      assert.equal(r.tValue, r.estimate / r.stdError);
    }
    // the same code at lme4's θ, σ, β: SE within 1e-6, df and p within 1e-6
    const adj = adjustmentAt(
      fit,
      Object.values(ref.theta) as number[],
      ref.sigma,
      fit.xnames.map((n) => ref.beta[n]),
    );
    for (const r of kenwardRogerCoefTable(adj, fit.xnames)) {
      assert.ok(
        relErr(r.stdError, kr.se[r.name]) < 1e-6,
        `${r.name} SE at ref θ ${r.stdError} vs ${kr.se[r.name]}`,
      );
      assert.ok(relErr(r.df, kr.df[r.name]) < 1e-6, `${r.name} df at ref θ ${r.df} vs ${kr.df[r.name]}`);
      assert.ok(pClose(r.pValue, kr.p[r.name], 1e-6), `${r.name} p at ref θ ${r.pValue} vs ${kr.p[r.name]}`);
    }
    // invariants: Φ_A symmetric positive definite, Φ_A − Φ positive semi-definite
    const a = kenwardRogerAdjustment(fit);
    assertSpd(a.PhiA, a.p, "Φ_A");
    assertSpd(a.Phi, a.p, "Φ");
    const diff = Float64Array.from(a.PhiA, (v, i) => v - a.Phi[i]);
    const scale = Math.max(...Array.from(a.Phi, Math.abs));
    assert.ok(symmetricEigen(diff, a.p).values[a.p - 1] > -1e-10 * scale, "Φ_A ≥ Φ");
    // Φ is vcov(β̂) of the fit
    for (let j = 0; j < a.p; j++) assert.ok(relErr(Math.sqrt(a.Phi[j * a.p + j]), fit.se[j]) < 1e-8);
  });

  test(`Kenward-Roger refuses an ML fit, as lmerTest: ${id}_ml`, () => {
    const ref = loadRef(`${id}_ml`);
    assert.match(ref.lmerTest.kenward_roger.skipped, /REML/);
    const fit = fitRef(`${id}_ml`);
    assert.throws(
      () => kenwardRogerTests(fit),
      (e: unknown) => e instanceof MixedError && e.code === "E_SPEC_UNSUPPORTED" && /REML/.test(e.message),
    );
    assert.throws(() => kenwardRogerFTest(fit, [new Float64Array(fit.xnames.length).fill(1)]), MixedError);
  });
}

test("balanced designs: the adjusted covariance equals the unadjusted one (sleepstudy, cake)", () => {
  for (const id of ["sleepstudy_full_reml", "cake_reml", "dyestuff_reml"]) {
    const a = kenwardRogerAdjustment(fitRef(id));
    for (let i = 0; i < a.p * a.p; i++)
      assert.ok(
        Math.abs(a.PhiA[i] - a.Phi[i]) <= 1e-7 * Math.abs(a.Phi[(i % a.p) * (a.p + 1)]),
        `${id} ${i}`,
      );
  }
  // ...but not in general: gasoline's intercept SE grows
  const g = kenwardRogerAdjustment(fitRef("gasoline_reml"));
  assert.ok(g.PhiA[0] > g.Phi[0] * (1 + 1e-6));
});

test("a response on a large scale takes pbkrtest's generalised-inverse path, with the same df", () => {
  // pbkrtest switches to a generalised inverse when the information's smallest |eigenvalue| is
  // ≤ 1e-10, an absolute threshold: ×1000 on the response divides the information by 10¹², and the
  // generalised inverse of a well-conditioned matrix is its inverse, so nothing else changes
  const sleep = loadBundled("sleepstudy");
  const reaction = sleep.column("Reaction");
  assert.ok(reaction && reaction.kind === "numeric");
  const scaled: DataSource = {
    name: "sleepstudy_scaled",
    nrow: sleep.nrow,
    names: sleep.names,
    column: (name) =>
      name === "Reaction"
        ? { ...reaction, values: reaction.values.map((v) => v * 1000) }
        : sleep.column(name),
  };
  const formula = "Reaction ~ 1 + Days + (1 + Days | Subject)";
  const base = fitRef("sleepstudy_full_reml");
  const big = fitLmm(formula, scaled);
  assert.equal(kenwardRogerAdjustment(base).generalisedInverse, false);
  assert.equal(kenwardRogerAdjustment(big).generalisedInverse, true);
  const t0 = kenwardRogerTests(base);
  kenwardRogerTests(big).forEach((r, j) => {
    assert.ok(relErr(r.df, t0[j].df) < 1e-4, `${r.name} df ${r.df} vs ${t0[j].df}`);
    assert.ok(relErr(r.stdError, 1000 * t0[j].stdError) < 1e-4, `${r.name} SE`);
  });
});

test("the InstEval models are refused with a typed error naming the size limit", () => {
  for (const id of ["insteval_dept_reml", "insteval_service_reml"]) {
    const ref = loadRef(id);
    assert.match(ref.lmerTest.kenward_roger.skipped, /not feasible/);
    // the refusal comes before any heavy work, so the design and the reference θ suffice
    const design = buildDesign(parseFormula(ref.formula), loadBundled(ref.dataset));
    assert.throws(
      () =>
        kenwardRogerAdjustmentAt(
          design,
          Object.values(ref.theta) as number[],
          ref.sigma,
          Object.values(ref.beta) as number[],
        ),
      (e: unknown) =>
        e instanceof MixedError &&
        e.code === "E_SPEC_UNSUPPORTED" &&
        e.message.includes(String(MAX_CLUSTER_RANDOM_EFFECTS)) &&
        /satterthwaite/.test(e.message),
    );
  }
});

test("a fit with prior weights is refused (pbkrtest assumes a residual covariance σ²I)", () => {
  const fit = fitLmm("angle ~ recipe + (1 | replicate)", loadBundled("cake"), { weights: "temp" });
  assert.throws(
    () => kenwardRogerTests(fit),
    (e: unknown) => e instanceof MixedError && e.code === "E_SPEC_UNSUPPORTED" && /weights/.test(e.message),
  );
});

test("a one-row F-test is the squared t-test with the same df and no scaling", () => {
  const fit = fitRef("gasoline_reml");
  const t = kenwardRogerTests(fit);
  for (let j = 0; j < t.length; j++) {
    const l = new Float64Array(t.length);
    l[j] = 1;
    const f = kenwardRogerFTest(fit, [l]);
    assert.equal(f.numDF, 1);
    assert.ok(relErr(f.F, t[j].tValue ** 2) < 1e-9);
    assert.ok(relErr(f.denDF, t[j].df) < 1e-9);
    assert.ok(relErr(f.pValue, t[j].pValue) < 1e-7);
    assert.ok(Math.abs((f.unscaledF as number) - f.F) < 1e-9 * f.F);
  }
  assert.throws(
    () => kenwardRogerFTest(fit, [new Float64Array(t.length), new Float64Array(t.length)]),
    MixedError,
  );
});

test("fixedEffectTests and anovaType3 dispatch to Kenward-Roger", () => {
  const fit = fitRef("gasoline_reml");
  const ft = fixedEffectTests(fit, { ddf: "kenward-roger" });
  assert.equal(ft.method, "kenward-roger");
  assert.deepEqual(ft.rows, kenwardRogerTests(fit));
  const a = anovaType3(fit, { ddf: "kenward-roger" });
  assert.equal(a.method, "kenward-roger");
  assert.deepEqual(
    a.rows.map((r) => r.term),
    ["Time", "LIncomeP", "LRPMG"],
  );
});

// ---- full-precision extras (scripts/fixtures/lme4/13_kenward_roger.R) ----

interface ExtraCase {
  dataset: string;
  formula: string;
  unbalanced: boolean;
  nobs: number;
  theta: number[];
  sigma: number;
  terms: string[];
  beta: number[];
  se: number[];
  df: number[];
  t: number[];
  p: number[];
  vcov_adj: number[][];
  vcov: number[][];
  joint: {
    sumSq: number;
    meanSq: number;
    numDF: number;
    denDF: number;
    F: number;
    p: number;
    F_scaling: number;
    F_unscaled: number;
  };
  anova?: {
    rows: string[];
    sumSq: number[];
    meanSq: number[];
    numDF: number[];
    denDF: number[];
    F: number[];
    p: number[];
  };
}
const extras = JSON.parse(readFileSync("test/reference/extras/kenward_roger.json", "utf8")) as Record<
  string,
  ExtraCase
>;

/** A bundled dataset, optionally without its rows 3, 10, 17, ... (1-based i with i % 7 === 3). */
function loadData(name: string, unbalanced: boolean) {
  if (!unbalanced) return loadBundled(name);
  const metaPath = `data/${name}.meta.json`;
  const meta = JSON.parse(readFileSync(metaPath, "utf8"));
  delete meta.nrow;
  const schema = parseSchema(JSON.stringify(meta), metaPath);
  const lines = readFileSync(`data/${name}.csv`, "utf8")
    .split(/\r?\n/)
    .filter((l) => l.length > 0);
  const kept = [lines[0], ...lines.slice(1).filter((_, i) => (i + 1) % 7 !== 3)];
  return parseCsv(`${kept.join("\n")}\n`, { name, schema });
}

for (const [id, c] of Object.entries(extras)) {
  if (id === "versions") continue;
  test(`Kenward-Roger at full precision: ${id}`, () => {
    const fit = fitLmm(c.formula, loadData(c.dataset, c.unbalanced), { REML: true });
    assert.equal(fit.nobs, c.nobs);
    assert.deepEqual(fit.xnames, c.terms);
    const p = c.terms.length;
    // the public path
    const rows = kenwardRogerTests(fit);
    rows.forEach((r, j) => {
      assert.ok(relErr(r.df, c.df[j]) < 1e-3, `${r.name} df ${r.df} vs ${c.df[j]}`);
      assert.ok(pClose(r.pValue, c.p[j], 1e-3), `${r.name} p ${r.pValue} vs ${c.p[j]}`);
      assert.ok(relErr(r.stdError, c.se[j]) < TOL.se, `${r.name} SE ${r.stdError} vs ${c.se[j]}`);
    });
    const all = Array.from({ length: p }, (_, j) =>
      Float64Array.from({ length: p }, (_, k) => (k === j ? 1 : 0)),
    );
    const joint = kenwardRogerFTest(fit, all);
    assert.equal(joint.numDF, c.joint.numDF);
    assert.ok(relErr(joint.denDF, c.joint.denDF) < 1e-3, `joint df ${joint.denDF} vs ${c.joint.denDF}`);
    assert.ok(relErr(joint.F, c.joint.F) < 1e-3, `joint F ${joint.F} vs ${c.joint.F}`);
    assert.ok(pClose(joint.pValue, c.joint.p, 1e-3), `joint p ${joint.pValue} vs ${c.joint.p}`);
    if (c.anova) {
      const a = anovaType3(fit, { ddf: "kenward-roger" });
      assert.deepEqual(
        a.rows.map((r) => r.term),
        c.anova.rows,
      );
      a.rows.forEach((r, i) => {
        const an = c.anova as NonNullable<ExtraCase["anova"]>;
        assert.equal(r.numDF, an.numDF[i]);
        assert.ok(relErr(r.denDF, an.denDF[i]) < 1e-3, `${r.term} DenDF ${r.denDF} vs ${an.denDF[i]}`);
        assert.ok(relErr(r.F, an.F[i]) < 1e-3, `${r.term} F ${r.F} vs ${an.F[i]}`);
        assert.ok(relErr(r.meanSq, an.meanSq[i]) < 1e-3, `${r.term} Mean Sq ${r.meanSq} vs ${an.meanSq[i]}`);
        assert.ok(relErr(r.sumSq, an.sumSq[i]) < 1e-3, `${r.term} Sum Sq ${r.sumSq} vs ${an.sumSq[i]}`);
        assert.ok(pClose(r.pValue, an.p[i], 1e-3), `${r.term} p ${r.pValue} vs ${an.p[i]}`);
      });
    }
    // at lme4's estimates: the adjusted covariance, the df, the scaled and unscaled F
    const adj = adjustmentAt(fit, c.theta, c.sigma, c.beta);
    for (let a = 0; a < p; a++)
      for (let b = 0; b < p; b++) {
        const scale = Math.sqrt(c.vcov_adj[a][a] * c.vcov_adj[b][b]);
        assert.ok(Math.abs(adj.PhiA[a * p + b] - c.vcov_adj[a][b]) < 1e-8 * scale, `Φ_A[${a},${b}]`);
        assert.ok(Math.abs(adj.Phi[a * p + b] - c.vcov[a][b]) < 1e-8 * scale, `Φ[${a},${b}]`);
      }
    kenwardRogerCoefTable(adj, c.terms).forEach((r, j) => {
      assert.ok(relErr(r.df, c.df[j]) < 1e-7, `${r.name} df at ref θ ${r.df} vs ${c.df[j]}`);
      assert.ok(relErr(r.stdError, c.se[j]) < 1e-8, `${r.name} SE at ref θ`);
      assert.ok(pClose(r.pValue, c.p[j], 1e-6), `${r.name} p at ref θ ${r.pValue} vs ${c.p[j]}`);
    });
    const jt = kenwardRogerContrastTest(adj, all);
    assert.ok(relErr(jt.denDF, c.joint.denDF) < 1e-7, `joint df at ref θ ${jt.denDF} vs ${c.joint.denDF}`);
    assert.ok(relErr(jt.F, c.joint.F) < 1e-7, `joint F at ref θ ${jt.F} vs ${c.joint.F}`);
    assert.ok(relErr(jt.unscaledF as number, c.joint.F_unscaled) < 1e-7, "joint unscaled F at ref θ");
    assert.ok(relErr(jt.F / (jt.unscaledF as number), c.joint.F_scaling) < 1e-7, "F scaling at ref θ");
    assert.ok(pClose(jt.pValue, c.joint.p, 1e-6), `joint p at ref θ ${jt.pValue} vs ${c.joint.p}`);
  });
}

test("the extras exercise a scaling λ ≠ 1 and an adjustment Φ_A ≠ Φ", () => {
  const c = extras.cake_nested_unbalanced;
  assert.ok(Math.abs(c.joint.F_scaling - 1) > 0.01);
  assert.ok(Math.abs(c.vcov_adj[0][0] / c.vcov[0][0] - 1) > 1e-4);
});

// ---- the printed Kenward–Roger sections of lmerTest (numbers only; the printers are elsewhere) ----

/** Whether `v` rounds to the printed `text` ("0.2354", "3.264e-06", "<2e-16", "< 2.2e-16"). */
function printedMatch(v: number, text: string): boolean {
  const t = text.replace(/\s+/g, "");
  if (t.startsWith("<")) return v < Number(t.slice(1));
  const m = /^-?\d*\.?(\d*)(?:e([-+]?\d+))?$/.exec(t);
  if (!m) return false;
  const unit = 10 ** ((m[2] ? Number(m[2]) : 0) - m[1].length);
  return Math.abs(v - Number(t)) <= 0.5 * unit + 2e-5 * Math.abs(v);
}

/** The rows of a printed table section: name and numeric fields ("<" joined to its number). */
function tableRows(lines: string[]): { name: string; fields: string[] }[] {
  return lines.map((line) => {
    const tok = line.trim().split(/\s+/);
    const fields: string[] = [];
    for (let i = 1; i < tok.length; i++) {
      if (tok[i] === "<") {
        fields.push(`<${tok[i + 1]}`);
        i++;
      } else if (/^[-<\d.]/.test(tok[i])) fields.push(tok[i]);
    }
    return { name: tok[0], fields };
  });
}

for (const id of ["sleepstudy_full", "cake", "gasoline", "dyestuff"]) {
  test(`Kenward-Roger numbers match lmerTest's printed summary and anova: ${id}_reml`, () => {
    const text = readFileSync(`test/reference/summaries/lmertest_${id}_reml.txt`, "utf8").split("\n");
    const fit = fitRef(`${id}_reml`);
    const start = text.indexOf('## summary(m, ddf = "Kenward-Roger")');
    assert.ok(start >= 0);
    // coefficient table
    const fe = text.indexOf("Fixed effects:", start) + 2;
    const coefLines: string[] = [];
    for (let i = fe; text[i] && text[i].trim() !== "" && !text[i].startsWith("---"); i++)
      coefLines.push(text[i]);
    const tests = kenwardRogerTests(fit);
    const coef = tableRows(coefLines);
    assert.deepEqual(
      coef.map((r) => r.name),
      tests.map((r) => r.name),
    );
    coef.forEach((r, j) => {
      const t = tests[j];
      const ours = [t.estimate, t.stdError, t.df, t.tValue, t.pValue];
      ours.forEach((v, k) => {
        assert.ok(printedMatch(v, r.fields[k]), `${r.name} column ${k}: ${v} vs ${r.fields[k]}`);
      });
    });
    // type III table
    const an = text.indexOf('## anova(m, ddf = "Kenward-Roger")') + 3;
    const anovaLines: string[] = [];
    for (let i = an; text[i] && text[i].trim() !== "" && !text[i].startsWith("---"); i++)
      anovaLines.push(text[i]);
    const table = anovaType3(fit, { ddf: "kenward-roger" });
    const printed = tableRows(anovaLines);
    assert.deepEqual(
      printed.map((r) => r.name),
      table.rows.map((r) => r.term),
    );
    printed.forEach((r, i) => {
      const row = table.rows[i];
      const ours = [row.sumSq, row.meanSq, row.numDF, row.denDF, row.F, row.pValue];
      ours.forEach((v, k) => {
        assert.ok(printedMatch(v, r.fields[k]), `${r.name} column ${k}: ${v} vs ${r.fields[k]}`);
      });
    });
  });
}
