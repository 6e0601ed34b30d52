/**
 * Selected inversion of the blocked factor (selected-cond-var.ts) gives the same conditional
 * covariances as the per-level solves of the fit (condVarTerm) and as lme4, on crossed, nested,
 * correlated-slope and weighted models.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import type { Column } from "../../../src/data/column.ts";
import { ColumnTable } from "../../../src/data/column-table.ts";
import { fitLmm } from "../../../src/lmm/fit-lmm.ts";
import type { Optimizer } from "../../../src/lmm/fit-lmm-problem.ts";
import { fitInternals } from "../../../src/lmm/fit-internals.ts";
import { condVarByInputTerm } from "../../../src/lmm/selected-cond-var.ts";
import { rng } from "../../helpers/dense-reference.ts";
import { expectClose } from "../../helpers/expect-close.ts";
import { loadBundled } from "../../helpers/load-bundled.ts";

// biome-ignore lint/suspicious/noExplicitAny: reference JSON is untyped
const REF: any = JSON.parse(readFileSync("test/reference/plots/condvar.json", "utf8"));

const atStart: Optimizer = (f, x0) => {
  const x = Float64Array.from(x0);
  return {
    x,
    fval: f(x),
    feval: 1,
    converged: true,
    status: "xtol",
    message: "fixed θ",
    optimizer: "bobyqa",
  };
};

function selected(fit: ReturnType<typeof fitLmm>) {
  const model = fitInternals(fit)?.model;
  assert.ok(model, "the fit's model is registered");
  const cv = condVarByInputTerm(model, fit.theta, fit.sigma);
  assert.ok(cv);
  return cv;
}

for (const m of REF.models) {
  test(`selected inversion = lme4 at its θ̂: ${m.id}`, () => {
    const data = loadBundled(m.dataset);
    const probe = fitLmm(m.formula, data, { optimizerOptions: { maxfun: 30 } });
    const start = probe.thetaNames.map((nm) => m.theta[nm] as number);
    const fit = fitLmm(m.formula, data, { optimizer: atStart, start });
    const cv = selected(fit);
    for (const f of m.factors) {
      const terms = fit.ranefTerms.map((t, i) => ({ t, i })).filter(({ t }) => t.factor === f.factor);
      terms.forEach(({ i }, b) => {
        expectClose(cv[i], f.condVar[b], { rtol: 1e-9, label: `${m.id} ${f.factor} block ${b}` });
        expectClose(cv[i], fit.ranefTerms[i].condVar!, { rtol: 1e-10, label: `${m.id} vs per-level solves` });
      });
    }
  });
}

function simulated(weights: boolean): ColumnTable {
  const r = rng(11);
  const n = 400;
  const a = Int32Array.from({ length: n }, () => Math.floor(r() * 40));
  const b = Int32Array.from({ length: n }, () => Math.floor(r() * 9));
  const x = Float64Array.from({ length: n }, () => r() * 4);
  const ea = Float64Array.from({ length: 40 }, () => r() - 0.5);
  const sa = Float64Array.from({ length: 40 }, () => 0.5 * (r() - 0.5));
  const eb = Float64Array.from({ length: 9 }, () => 2 * (r() - 0.5));
  const sb = Float64Array.from({ length: 9 }, () => 0.3 * (r() - 0.5));
  const y = Float64Array.from(
    { length: n },
    (_, i) => 1 + 0.5 * x[i] + ea[a[i]] + sa[a[i]] * x[i] + eb[b[i]] + sb[b[i]] * x[i] + 0.3 * (r() - 0.5),
  );
  const cols: Column[] = [
    { kind: "numeric", name: "y", values: y, integer: false },
    { kind: "numeric", name: "x", values: x, integer: false },
    {
      kind: "factor",
      name: "a",
      codes: a,
      levels: Array.from({ length: 40 }, (_, i) => `a${i}`),
      ordered: false,
      contrasts: null,
    },
    {
      kind: "factor",
      name: "b",
      codes: b,
      levels: Array.from({ length: 9 }, (_, i) => `b${i}`),
      ordered: false,
      contrasts: null,
    },
  ];
  if (weights)
    cols.push({
      kind: "numeric",
      name: "w",
      values: Float64Array.from({ length: n }, () => 0.5 + r()),
      integer: false,
    });
  return new ColumnTable("sim", cols);
}

for (const [formula, weights] of [
  ["y ~ x + (x | a) + (x | b)", false],
  ["y ~ x + (1 | a) + (0 + x | a) + (x | b)", false],
  ["y ~ x + (x | b) + (1 | a)", true],
  ["y ~ x + (1 | b/a)", false],
] as const) {
  test(`selected inversion = per-level solves: ${formula}${weights ? " (weights)" : ""}`, () => {
    const fit = fitLmm(formula, simulated(weights), weights ? { weights: "w" } : {});
    const cv = selected(fit);
    fit.ranefTerms.forEach((t, i) => {
      assert.ok(t.condVar, "the fit computed condVar itself");
      const scale = Math.max(...t.condVar.flat(2).map(Math.abs));
      expectClose(cv[i], t.condVar, { rtol: 1e-9, atol: 1e-12 * scale, label: `${formula} ${t.name}` });
    });
  });
}
