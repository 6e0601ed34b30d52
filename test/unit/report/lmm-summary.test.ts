/**
 * Snapshot tests: every lme4 summary in test/reference/summaries/ (except the lmerTest variants,
 * `*.lmerTest.txt` and `lmertest_*.txt`, which test/unit/inference checks)
 * rebuilt from the numbers in the matching test/reference/fits/<id>.json must equal the printed
 * text byte for byte.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { expandDoubleBars } from "../../../src/report/expand-double-bars.ts";
import {
  formatGlmmSummary,
  formatLmmSummary,
  type GlmmSummaryInput,
  type LmmSummaryInput,
} from "../../../src/report/lmm-summary.ts";
import { assertSameText, readJson, readText } from "./snapshot-helper.ts";
import { cbppScaledResidualQuantiles } from "./cbpp-residuals.ts";

const SUMMARIES = "test/reference/summaries";
const FITS = "test/reference/fits";

// biome-ignore lint/suspicious/noExplicitAny: reference JSON is untyped
type FitJson = Record<string, any>;

function lmmInput(fit: FitJson): LmmSummaryInput {
  return {
    ...(fit as LmmSummaryInput),
    formula: expandDoubleBars(fit.formula),
    dataName: fit.dataset,
    optinfo: fit.optinfo,
    // exercise the default table (t = beta / se) rather than R's own coef_table
    coef_table: null,
  };
}

const ids = readdirSync(SUMMARIES)
  .filter((f) => f.endsWith(".txt") && !f.endsWith(".lmerTest.txt") && !f.startsWith("lmertest_"))
  .map((f) => f.replace(/\.txt$/, ""))
  .filter((id) => id !== "coffee_lm" && !id.startsWith("cbpp_"));

test("all LMM reference summaries are covered", () => {
  assert.equal(ids.length, 24);
});

for (const id of ids) {
  test(`formatLmmSummary reproduces ${id}.txt`, () => {
    const fit = readJson<FitJson>(`${FITS}/${id}.json`);
    const expectedPath = `${SUMMARIES}/${id}.txt`;
    assertSameText(id, formatLmmSummary(lmmInput(fit)), readText(expectedPath), expectedPath);
  });
}

for (const id of ["cbpp_laplace", "cbpp_agq25"]) {
  test(`formatGlmmSummary reproduces ${id}.txt`, () => {
    const fit = readJson<FitJson>(`${FITS}/${id}.json`);
    const input: GlmmSummaryInput = {
      ...(fit as GlmmSummaryInput),
      formula: fit.formula,
      dataName: fit.dataset,
      scaled_residuals_quantiles: cbppScaledResidualQuantiles(fit),
    };
    const expectedPath = `${SUMMARIES}/${id}.txt`;
    assertSameText(id, formatGlmmSummary(input), readText(expectedPath), expectedPath);
  });
}

test("a changed number changes the text (the snapshot comparison can fail)", () => {
  const fit = readJson<FitJson>(`${FITS}/sleepstudy_full_reml.json`);
  const base = formatLmmSummary(lmmInput(fit));
  const moved = formatLmmSummary({ ...lmmInput(fit), se: { ...fit.se, Days: fit.se.Days * 1.01 } });
  assert.notEqual(moved, base);
  assert.ok(moved.includes("Days          10.467      1.561   6.704\n"));
});

test("non-zero optimizer code, rank-deficiency note and forced correlation are printed as lme4 does", () => {
  const fit = readJson<FitJson>(`${FITS}/cake_reml.json`);
  const text = formatLmmSummary({
    ...lmmInput(fit),
    correlation: true,
    fitMsgs: ["fixed-effect model matrix is rank deficient so dropping 1 column / coefficient"],
    optinfo: { optimizer: "bobyqa", conv_opt: 1, message: "max evaluations", lme4_messages: [] },
  });
  assert.ok(!text.includes("Correlation matrix not shown"));
  assert.ok(text.includes("\nCorrelation of Fixed Effects:\n"));
  // 17 columns of width 7 do not fit in 80 characters: the table is printed in blocks
  assert.ok(text.split("\n").every((l) => l.length < 80));
  assert.ok(
    text.endsWith(
      "fit warnings:\nfixed-effect model matrix is rank deficient so dropping 1 column / coefficient\n" +
        "optimizer (bobyqa) convergence code: 1 (max evaluations)\n\n",
    ),
  );
});
