/**
 * lm on hostile values: zero residual degrees of freedom, perfect fits, data near the ends of
 * the double range, all-zero weights. Numbers follow R where R gives them (NaN for a residual SE
 * on 0 df), always with a warning naming the cause; nothing overflows silently.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { ColumnTable } from "../../../src/data/column-table.ts";
import { MixedError } from "../../../src/errors.ts";
import { parseFormula } from "../../../src/formula/parse-formula.ts";
import { fitLm } from "../../../src/lm/fit-lm.ts";
import { lmToJSON } from "../../../src/lm/lm-json.ts";
import { printSummary } from "../../../src/report/fit-summary.ts";
import { rng } from "../../helpers/dense-reference.ts";
import { expectClose } from "../../helpers/expect-close.ts";

function table(cols: Record<string, ArrayLike<number>>): ColumnTable {
  return new ColumnTable(
    "d",
    Object.entries(cols).map(([name, v]) => ({
      kind: "numeric" as const,
      name,
      values: Float64Array.from(v),
      integer: false,
    })),
  );
}

const codes = (fit: { warnings: readonly { code: string }[] }) => fit.warnings.map((w) => w.code);

test("fitLm takes a formula string as well as a parsed formula", () => {
  const d = table({ y: [1, 3, 2, 5, 4], x: [1, 2, 3, 4, 5] });
  const a = fitLm("y ~ x", d);
  const b = fitLm(parseFormula("y ~ x"), d);
  assert.deepEqual(a.beta, b.beta);
  assert.equal(a.formula, "y ~ x");
  assert.deepEqual(a.xnames, ["(Intercept)", "x"]);
  assert.equal(a.kind, "lm");
  assert.equal(a.weightsColumn, undefined);
  assert.deepEqual(a.droppedColumns, []);
  assert.equal(a.vcov.length, 2);
  assert.deepEqual(JSON.parse(JSON.stringify(a)), JSON.parse(JSON.stringify(lmToJSON(a))));
  assert.throws(
    () => fitLm("y ~ x + (1 | x)", d),
    (e: unknown) => e instanceof MixedError && e.code === "E_SPEC_UNSUPPORTED",
  );
});

test("n = p: NaN residual SE and standard errors (as R) with a no_residual_df warning", () => {
  const fit = fitLm("y ~ x", table({ y: [1, 3], x: [0, 1] }));
  assert.equal(fit.dfResidual, 0);
  expectClose(fit.beta, [1, 2], { rtol: 1e-14, label: "beta" });
  assert.ok(Number.isNaN(fit.sigma));
  assert.ok(fit.se.every(Number.isNaN));
  assert.ok(codes(fit).includes("no_residual_df"), JSON.stringify(fit.warnings));
  assert.ok(!fit.se.some((v) => v === Number.POSITIVE_INFINITY));
  const text = printSummary(fit);
  assert.match(text, /ALL 2 residuals are 0: no residual degrees of freedom!/);
  assert.match(text, /Residual standard error: NaN on 0 degrees of freedom/);
  const j = lmToJSON(fit) as { warnings: { code: string }[] };
  assert.ok(j.warnings.some((w) => w.code === "no_residual_df"));
});

test("n = p prints as R: NaN (not NA) for the estimable rows, and the F line with NaN", () => {
  // R 4.x: d <- data.frame(y = c(1, 3), x = c(2, 5)); summary(lm(y ~ x, d))
  const fit = fitLm("y ~ x", table({ y: [1, 3], x: [2, 5] }));
  const text = printSummary(fit);
  const want = [
    "Coefficients:",
    "            Estimate Std. Error t value Pr(>|t|)",
    "(Intercept)  -0.3333        NaN     NaN      NaN",
    "x             0.6667        NaN     NaN      NaN",
    "",
    "Residual standard error: NaN on 0 degrees of freedom",
    "Multiple R-squared:      1,\tAdjusted R-squared:    NaN ",
    "F-statistic:   NaN on 1 and 0 DF,  p-value: NA",
    "",
  ].join("\n");
  assert.ok(text.endsWith(`${want}\n`), text);
});

test("an intercept-only model has no F line, as R", () => {
  const text = printSummary(fitLm("y ~ 1", table({ y: [1, 3, 4] })));
  assert.ok(text.endsWith("Residual standard error: 1.528 on 2 degrees of freedom\n\n"), text);
});

test("an exact linear response gives the right coefficients and a perfect_fit warning", () => {
  const x = [1, 2, 3, 4, 5, 6, 7, 8];
  const fit = fitLm("y ~ x", table({ y: x.map((v) => 2 + 3 * v), x }));
  expectClose(fit.beta, [2, 3], { rtol: 1e-12, label: "beta" });
  assert.ok(codes(fit).includes("perfect_fit"), JSON.stringify(fit.warnings));
});

test("an ordinary fit has none of the new warnings", () => {
  const r = rng(11);
  const x = Array.from({ length: 30 }, () => r());
  const fit = fitLm("y ~ x", table({ y: x.map((v) => 1 + v + r()), x }));
  assert.deepEqual(codes(fit), []);
});

/** y ~ x on data d and on d scaled by powers of two: the coefficients scale exactly. */
function scaledPair(sy: number, sx: number) {
  const r = rng(5);
  const x = Array.from({ length: 40 }, () => Math.round(r() * 1000) - 500);
  const y = x.map((v) => Math.round(3 * v + 200 * r()));
  const ref = fitLm("y ~ x", table({ y, x }));
  const fit = fitLm("y ~ x", table({ y: y.map((v) => v * sy), x: x.map((v) => v * sx) }));
  return { ref, fit };
}

test("response near 1e308: finite coefficients and standard errors, overflowing deviance named", () => {
  const sy = 2 ** 1010; // |y| up to ~1e306
  const { ref, fit } = scaledPair(sy, 1);
  expectClose(
    fit.beta.map((v) => v / sy),
    ref.beta,
    { rtol: 1e-12, label: "beta" },
  );
  expectClose(
    fit.se.map((v) => v / sy),
    ref.se,
    { rtol: 1e-12, label: "se" },
  );
  expectClose([fit.sigma / sy, fit.rSquared], [ref.sigma, ref.rSquared], { rtol: 1e-12, label: "sigma, R²" });
  expectClose([fit.logLik - ref.logLik], [-40 * 1010 * Math.LN2], { rtol: 1e-12, label: "logLik shift" });
  assert.equal(fit.deviance, Number.POSITIVE_INFINITY);
  const w = fit.warnings.find((x) => x.code === "non_finite_result");
  assert.ok(w, JSON.stringify(fit.warnings));
  assert.match(w.message, /deviance/);
});

test("subnormal data (~1e-320) in y and x: the fit of the same numbers scaled up", () => {
  const s = 2 ** -1070;
  const { ref, fit } = scaledPair(s, s);
  expectClose(fit.beta.slice(1), ref.beta.slice(1), { rtol: 1e-3, label: "slope" });
  expectClose(fit.se.slice(1), ref.se.slice(1), { rtol: 1e-2, label: "se of slope" });
  expectClose([fit.rSquared], [ref.rSquared], { rtol: 1e-3, label: "R²" });
});

test("a coefficient beyond the double range is a warning naming it, and no Inf standard error", () => {
  const { fit } = scaledPair(2 ** 600, 2 ** -600);
  const w = fit.warnings.find((x) => x.code === "non_finite_result");
  assert.ok(w, JSON.stringify(fit.warnings));
  assert.match(w.message, /'x'/);
  assert.ok(!fit.se.some((v) => v === Number.POSITIVE_INFINITY));
});

test("all-zero weights are refused with a typed error", () => {
  const d = table({ y: [1, 2, 3, 4], x: [1, 2, 3, 5], w: [0, 0, 0, 0] });
  assert.throws(
    () => fitLm("y ~ x", d, { weights: "w" }),
    (e: unknown) => e instanceof MixedError && e.code === "E_DATA_NO_COMPLETE_ROWS" && /zero/.test(e.message),
  );
});

test("weights leaving as many positive-weight rows as coefficients: no_residual_df", () => {
  const d = table({ y: [1, 2, 3, 4], x: [1, 2, 3, 5], w: [1, 0, 2, 0] });
  const fit = fitLm("y ~ x", d, { weights: "w" });
  assert.equal(fit.dfResidual, 0);
  assert.ok(codes(fit).includes("no_residual_df"));
});
