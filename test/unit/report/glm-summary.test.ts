/**
 * printSummary of a GLM fit reproduces R 4.2.2's print(summary(glm(...))) byte for byte
 * (test/reference/glm/summaries/*.txt, written by scripts/fixtures/glm.R), including R's line
 * breaking of the call, an aliased coefficient, and the separated fit's scientific notation.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { fitGlm } from "../../../src/glm/fit-glm.ts";
import { deparseCall } from "../../../src/report/deparse-call.ts";
import { printSummary } from "../../../src/report/fit-summary.ts";
import { glmCallLines } from "../../../src/report/glm-summary.ts";
import { glmData } from "../../helpers/glm-data.ts";

interface RefFit {
  id: string;
  data: string;
  formula: string;
  family: string;
  link: string;
  weights: string | null;
}
const ref = JSON.parse(readFileSync("test/reference/glm/glm.json", "utf8")) as { fits: RefFit[] };

for (const r of ref.fits) {
  test(`summary(glm) layout: ${r.id}`, () => {
    const fit = fitGlm(r.formula, glmData(r.data), {
      family: r.family,
      link: r.link,
      weights: r.weights ?? undefined,
    });
    // R's print(summary) output captured line by line, without the final newline
    const expected = `${readFileSync(`test/reference/glm/summaries/${r.id}.txt`, "utf8")}`;
    assert.equal(`${printSummary(fit)}`, expected.replace(/\n?$/, "\n"));
  });
}

test("deparseCall breaks long argument lists and formulas as R's deparse", () => {
  const text = (t: string) => ({ kind: "text", text: t }) as const;
  const lines = deparseCall({
    kind: "call",
    fn: "glm",
    args: [
      { name: "formula", value: text("y ~ x") },
      { name: "family", value: text("binomial") },
      { name: "data", value: text("a_rather_long_data_set_name_for_testing") },
      { name: "weights", value: text("w") },
    ],
  });
  assert.deepEqual(lines, [
    "glm(formula = y ~ x, family = binomial, data = a_rather_long_data_set_name_for_testing, ",
    "    weights = w)",
  ]);
});

test("a long formula breaks after ' + ' and the continuation keeps one indent (R 4.2.2's deparse)", () => {
  // R: deparse(quote(glm(formula = cbind(incidence, size - incidence) ~ period + herd +
  //   some_long_variable_name + another_one:period, family = binomial(link = "cloglog"), data = cbpp, weights = w)))
  const lines = glmCallLines({
    formula:
      "cbind(incidence, size - incidence) ~ period + herd + some_long_variable_name + another_one:period",
    dataName: "cbpp",
    family: "binomial",
    link: "cloglog",
    defaultLink: false,
    weights: "w",
  } as Parameters<typeof glmCallLines>[0]);
  assert.deepEqual(lines, [
    "glm(formula = cbind(incidence, size - incidence) ~ period + herd + ",
    '    some_long_variable_name + another_one:period, family = binomial(link = "cloglog"), ',
    "    data = cbpp, weights = w)",
  ]);
});
