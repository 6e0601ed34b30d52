/**
 * fitGlm on inputs R refuses or warns about: typed errors (random terms, unknown family or link,
 * no valid start), the separation warning naming the coefficient, non-integer Poisson counts.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { parseCsv } from "../../../src/data/parse-csv.ts";
import { NumericalError, OptionError, SpecError } from "../../../src/errors.ts";
import { fitGlm } from "../../../src/glm/fit-glm.ts";
import { glmData } from "../../helpers/glm-data.ts";

const csv = (s: string) => parseCsv(s, { name: "d" });

test("a random-effects term is refused (GLMMs are not fitGlm's)", () => {
  assert.throws(
    () =>
      fitGlm("cbind(incidence, size - incidence) ~ period + (1 | herd)", glmData("cbpp"), {
        family: "binomial",
      }),
    (e: unknown) => e instanceof SpecError && e.code === "E_SPEC_UNSUPPORTED",
  );
});

test("unknown family and a link the family does not take are OptionErrors", () => {
  const d = glmData("bernoulli");
  assert.throws(() => fitGlm("y ~ x", d, { family: "gamma" }), OptionError);
  assert.throws(() => fitGlm("y ~ x", d, { family: "binomial", link: "identity" }), OptionError);
});

test("an identity-link Poisson fit whose first step leaves the valid range is a NumericalError (R: no valid set of coefficients)", () => {
  const d = csv("y,x\n0,1\n0,2\n0,3\n10,4\n40,5\n");
  assert.throws(
    () => fitGlm("y ~ x", d, { family: "poisson", link: "identity" }),
    (e: unknown) => e instanceof NumericalError && /no valid set of coefficients/.test(e.message),
  );
});

test("complete separation warns, naming the separating coefficient", () => {
  const fit = fitGlm("y ~ x", glmData("separation"), { family: "binomial" });
  const w = fit.warnings.find((x) => x.code === "fitted_probabilities_0_or_1");
  assert.ok(w);
  assert.match(w.message, /separation, driven by 'x'/);
  assert.ok(fit.warnings.some((x) => x.code === "not_converged"));
});

test("non-integer Poisson counts warn; the AIC is infinite as in R", () => {
  const fit = fitGlm("y ~ x", csv("y,x\n1.5,1\n2,2\n4,3\n3,4\n"), { family: "poisson" });
  assert.ok(fit.warnings.some((x) => x.code === "non_integer_response"));
  assert.equal(fit.aic, Number.POSITIVE_INFINITY);
  assert.ok(Number.isFinite(fit.deviance));
  assert.equal(fit.toJSON().AIC, null);
});

test("the offset option adds a column to the linear predictor like offset() in the formula", () => {
  const text = readFileSync("test/reference/glm/poisson_offset.csv", "utf8").trim().split("\n");
  const head = text[0].split(",");
  const e = head.indexOf('"exposure"');
  const withLog = [
    `${text[0]},le`,
    ...text.slice(1).map((l) => `${l},${Math.log(Number(l.split(",")[e]))}`),
  ].join("\n");
  const d = parseCsv(withLog, { name: "d" });
  const a = fitGlm("y ~ x + site + offset(log(exposure))", d, { family: "poisson" });
  const b = fitGlm("y ~ x + site", d, { family: "poisson", offset: "le" });
  for (let j = 0; j < a.beta.length; j++) assert.ok(Math.abs(a.beta[j] - b.beta[j]) < 1e-12);
  assert.ok(Math.abs(a.nullDeviance - b.nullDeviance) < 1e-9);
  assert.throws(() => fitGlm("y ~ x", d, { family: "poisson", offset: "nope" }), /not in the data/);
});
