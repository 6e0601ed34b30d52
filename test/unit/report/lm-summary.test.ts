import { test } from "node:test";
import assert from "node:assert/strict";
import { formatLmSummary, type LmSummaryInput } from "../../../src/report/lm-summary.ts";
import { assertSameText, readJson, readText } from "./snapshot-helper.ts";

interface LmFitJson {
  beta: Record<string, number>;
  se: Record<string, number>;
  t: Record<string, number>;
  p: Record<string, number>;
  sigma: number;
  df_residual: number;
  r_squared: number;
  adj_r_squared: number;
  fstatistic: { value: number; numdf: number; dendf: number };
}

/** Residuals of the coffee lm fit, recomputed from the bundled data and the reference coefficients. */
function coffeeResiduals(beta: Record<string, number>): number[] {
  const lines = readText("data/coffee.csv").trim().split("\n");
  const header = lines[0].split(",").map((s) => s.replace(/"/g, ""));
  const ix = header.indexOf("x");
  const iy = header.indexOf("y");
  return lines.slice(1).map((line) => {
    const f = line.split(",");
    return Number(f[iy]) - (beta["(Intercept)"] + beta.x * Number(f[ix]));
  });
}

function coffeeInput(): LmSummaryInput {
  const fit = readJson<LmFitJson>("test/reference/fits/coffee_lm.json");
  return {
    ...fit,
    formula: "y ~ x",
    dataName: "coffee",
    residuals: coffeeResiduals(fit.beta),
    // With one numerator df the F test is the t test of x: same p-value.
    f_pvalue: fit.p.x,
  };
}

test("formatLmSummary reproduces R's summary(lm(y ~ x, coffee)) byte for byte", () => {
  const expectedPath = "test/reference/summaries/coffee_lm.txt";
  assertSameText("coffee_lm", formatLmSummary(coffeeInput()), readText(expectedPath), expectedPath);
});

test("formatLmSummary: aliased coefficient, missing rows, no F test", () => {
  const input: LmSummaryInput = {
    formula: "y ~ 1",
    dataName: "d",
    beta: { "(Intercept)": 0.00001234, z: null },
    se: { "(Intercept)": 0.5, z: null },
    t: { "(Intercept)": 0.00002468, z: null },
    p: { "(Intercept)": 0.99998, z: null },
    sigma: 1.23456,
    df_residual: 10,
    r_squared: 0,
    adj_r_squared: 0,
    fstatistic: null,
    residual_quantiles: [-2, -1, 0, 1, 2],
    n_dropped: 1,
  };
  const text = formatLmSummary(input);
  assert.match(text, /\nCoefficients: \(1 not defined because of singularities\)\n/);
  // the rows R prints for this table (checked with R 4.2.2's printCoefmat)
  assert.ok(text.includes("\n(Intercept) 1.234e-05  5.000e-01       0        1\n"));
  assert.ok(text.includes("\nz                  NA         NA      NA       NA\n"));
  assert.match(
    text,
    /Residual standard error: 1\.235 on 10 degrees of freedom\n {2}\(1 observation deleted due to missingness\)\n/,
  );
  assert.doesNotMatch(text, /R-squared/);
});
