/**
 * varianceDecomposition(fit) against the by-hand Nakagawa–Johnson–Schielzeth values of
 * test/reference/lmm/variance-decomposition.json (scripts/fixtures/variance-decomposition.R):
 * the formulas at 1e-6 relative on lme4's own estimates (β, σ, Σ per term plugged into our
 * design), and our fits' decompositions at the variance-component tolerance.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { buildDesign } from "../../../src/design/design.ts";
import { parseFormula } from "../../../src/formula/parse-formula.ts";
import {
  fitLm,
  fitLmm,
  lmmToJSON,
  MixedError,
  printVarianceDecomposition,
  type VarianceDecomposition,
  varianceDecomposition,
} from "../../../src/index.ts";
import { decomposeVariance } from "../../../src/lmm/decompose-variance.ts";
import { expectClose } from "../../helpers/expect-close.ts";
import { loadBundled } from "../../helpers/load-bundled.ts";
import { TOL } from "../../helpers/tolerances.ts";

// biome-ignore lint/suspicious/noExplicitAny: reference JSON is untyped
const REF: any = JSON.parse(readFileSync("test/reference/lmm/variance-decomposition.json", "utf8"));

// biome-ignore lint/suspicious/noExplicitAny: reference JSON is untyped
function compare(d: VarianceDecomposition, ref: any, rtol: number, label: string): void {
  const close = (a: number, e: number, what: string) =>
    expectClose(a, e, { rtol, atol: rtol * 1e-12, label: `${label} ${what}` });
  close(d.fixed, ref.fixed, "fixed");
  close(d.random, ref.random, "random");
  close(d.residual, ref.residual, "residual");
  close(d.total, ref.total, "total");
  assert.deepEqual(
    d.components.map((c) => c.name),
    // biome-ignore lint/suspicious/noExplicitAny: reference JSON is untyped
    ref.components.map((c: any) => c.name),
  );
  d.components.forEach((c, i) => {
    close(c.variance, ref.components[i].variance, `${c.name} variance`);
    assert.equal(c.factor, ref.components[i].factor);
    close(c.share, ref.components[i].variance / ref.total, `${c.name} share`);
  });
  assert.deepEqual(Object.keys(d.icc).sort(), Object.keys(ref.icc).sort());
  for (const f of Object.keys(ref.icc)) close(d.icc[f], ref.icc[f], `ICC ${f}`);
  close(d.iccAdjusted, ref.icc_adjusted, "adjusted ICC");
  close(d.r2Marginal, ref.r2_marginal, "marginal R²");
  close(d.r2Conditional, ref.r2_conditional, "conditional R²");
}

for (const ref of REF.fits) {
  test(`the decomposition formulas on lme4's estimates: ${ref.id} (rel 1e-6)`, () => {
    const design = buildDesign(parseFormula(ref.formula), loadBundled(ref.data));
    // biome-ignore lint/suspicious/noExplicitAny: reference JSON is untyped
    const byName = new Map<string, any>(ref.components.map((c: any) => [c.name, c]));
    const d = decomposeVariance({
      n: design.n,
      X: design.X,
      beta: design.xnames.map((nm) => ref.beta[nm]),
      terms: design.reterms.map((t) => ({
        name: t.name,
        factor: t.factor,
        terms: t.cnames,
        z: t.z,
        covariance: byName.get(t.name).covariance,
      })),
      sigma: ref.sigma,
    });
    // our term order may differ from lme4's: compare by name
    const sorted = {
      ...d,
      components: ref.components.map(
        // biome-ignore lint/suspicious/noExplicitAny: reference JSON is untyped
        (c: any) => d.components.find((x) => x.name === c.name)!,
      ),
    };
    compare(sorted, ref, 1e-6, ref.id);
  });

  test(`varianceDecomposition(fitLmm(...)) ≈ lme4: ${ref.id} (rel ${TOL.varcomp})`, () => {
    const fit = fitLmm(ref.formula, loadBundled(ref.data), { REML: ref.REML });
    const d = varianceDecomposition(fit);
    const sorted = {
      ...d,
      // biome-ignore lint/suspicious/noExplicitAny: reference JSON is untyped
      components: ref.components.map((c: any) => d.components.find((x) => x.name === c.name)!),
    };
    compare(sorted, ref, TOL.varcomp, ref.id);
  });
}

test("invariants: shares sum to 1, R² between 0 and 1, conditional ≥ marginal", () => {
  const d = varianceDecomposition(fitLmm("Reaction ~ Days + (Days | Subject)", loadBundled("sleepstudy")));
  const shares = d.fixed / d.total + d.residual / d.total + d.components.reduce((s, c) => s + c.share, 0);
  expectClose(shares, 1, { atol: 1e-12 });
  assert.ok(d.r2Marginal >= 0 && d.r2Marginal <= d.r2Conditional && d.r2Conditional <= 1);
});

test("the seed's explained variance 0.988 is the coffee model's conditional R²", () => {
  const d = varianceDecomposition(fitLmm("y ~ x + (x | group)", loadBundled("coffee")));
  assert.equal(d.r2Conditional.toFixed(3), "0.988");
});

test("lmmToJSON carries variance_decomposition (snake_case, full precision)", () => {
  const fit = fitLmm("y ~ x + (x | group)", loadBundled("coffee"));
  const j = lmmToJSON(fit).variance_decomposition as Record<string, unknown>;
  assert.deepEqual(Object.keys(j), [
    "fixed",
    "random",
    "residual",
    "total",
    "components",
    "icc",
    "icc_adjusted",
    "r2_marginal",
    "r2_conditional",
  ]);
  assert.equal(j.r2_conditional, varianceDecomposition(fit).r2Conditional);
});

test("printVarianceDecomposition: coffee", () => {
  const d = varianceDecomposition(fitLmm("y ~ x + (x | group)", loadBundled("coffee")));
  const text = printVarianceDecomposition(d);
  const lines = text.split("\n");
  assert.equal(
    lines[0],
    "Variance decomposition (Nakagawa & Schielzeth R², Johnson's random-slope extension):",
  );
  assert.match(lines[1], /^\s+Variance\s+Share %$/);
  assert.match(lines[2], /^Fixed effects\s+0\.2416\s+0\.2892$/);
  assert.match(lines[3], /^group \(Intercept\), x\s+82\.3\d+\s+98\.5\d+$/);
  assert.match(lines[5], /^Total\s+83\.5\d+\s+100\.0+$/);
  assert.equal(lines[6], "ICC (adjusted) by grouping factor: group 0.9884");
  assert.equal(lines[7], "R² marginal (fixed effects): 0.002892   R² conditional (fixed + random): 0.9885");
});

test("a fit not made by fitLmm is refused with a typed error", () => {
  const fit = fitLmm("y ~ x + (1 | group)", loadBundled("coffee"));
  assert.throws(
    () => varianceDecomposition({ ...fit }),
    (e: unknown) => e instanceof MixedError && e.code === "E_SPEC_UNSUPPORTED",
  );
  assert.ok(fitLm("y ~ x", loadBundled("coffee")));
});
