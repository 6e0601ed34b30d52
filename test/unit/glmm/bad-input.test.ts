/** GLMM input errors are typed and name the problem; PIRLS breakdowns are typed errors, not NaN. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { ColumnTable } from "../../../src/data/column-table.ts";
import type { Column } from "../../../src/data/column.ts";
import { MixedError } from "../../../src/errors.ts";
import { fitGlmm } from "../../../src/glmm/fit-glmm.ts";
import { fitGlmmProblem } from "../../../src/glmm/fit-glmm-problem.ts";
import type { GlmmFamily, GlmmProblem } from "../../../src/glmm/glmm-problem.ts";
import { createGlmmWork, pirls } from "../../../src/glmm/pirls.ts";
import { loadBundled } from "../../helpers/load-bundled.ts";

const code = (c: string, re?: RegExp) => (e: unknown) =>
  e instanceof MixedError && e.code === c && (!re || re.test(e.message));

const CBPP = "cbind(incidence, size - incidence) ~ period + (1 | herd)";

function small(y: number[]): ColumnTable {
  const n = y.length;
  const cols: Column[] = [
    { kind: "numeric", name: "y", values: Float64Array.from(y), integer: false },
    {
      kind: "numeric",
      name: "x",
      values: Float64Array.from({ length: n }, (_, i) => (i % 5) / 5),
      integer: false,
    },
    {
      kind: "factor",
      name: "g",
      codes: Int32Array.from({ length: n }, (_, i) => i % 4),
      levels: ["a", "b", "c", "d"],
      ordered: false,
      contrasts: null,
    },
  ];
  return new ColumnTable("small", cols);
}

test("nAGQ > 1 needs a single scalar random-effects term (lme4's rule): E_SPEC_NAGQ", () => {
  const sleep = loadBundled("sleepstudy");
  const y = sleep.column("Reaction")!;
  assert.ok(y.kind === "numeric");
  const counts = Float64Array.from(y.values, (v) => Math.round(v / 50));
  const data = new ColumnTable("sleep", [
    ...sleep.columns.filter((c) => c.name !== "Reaction"),
    { ...y, values: counts },
  ]);
  assert.throws(
    () => fitGlmm("Reaction ~ Days + (Days | Subject)", data, { family: "poisson", nAGQ: 5 }),
    code("E_SPEC_NAGQ", /vector-valued term \(\(Intercept\) \+ Days \| Subject\)/),
  );
  assert.throws(
    () =>
      fitGlmm("Reaction ~ Days + (1 | Subject) + (0 + Days | Subject)", data, { family: "poisson", nAGQ: 2 }),
    code("E_SPEC_NAGQ", /2 random-effects terms/),
  );
});

test("nAGQ must be an integer from 0 to 100", () => {
  for (const nAGQ of [-1, 2.5, 101])
    assert.throws(
      () => fitGlmm(CBPP, loadBundled("cbpp"), { family: "binomial", nAGQ }),
      code("E_OPTION_INVALID"),
    );
});

test("responses outside the family's range are refused (E_DATA_DOMAIN)", () => {
  assert.throws(
    () => fitGlmm("y ~ x + (1 | g)", small([0, 1, 2, 0, 1, 0, 1, 1]), { family: "binomial" }),
    code("E_DATA_DOMAIN", /outside \[0, 1\]/),
  );
  assert.throws(
    () => fitGlmm("y ~ x + (1 | g)", small([0, 1, -2, 0, 1, 0, 1, 1]), { family: "poisson" }),
    code("E_DATA_DOMAIN", /negative/),
  );
  // successes > trials: cbind(y, 1 - y) with y = 2 has negative failures
  assert.throws(
    () => fitGlmm("cbind(y, 1 - y) ~ x + (1 | g)", small([0, 1, 2, 0, 1, 0, 1, 1]), { family: "binomial" }),
    code("E_DATA_DOMAIN", /successes exceed trials/),
  );
});

test("an unknown family or link, and a model without random effects, are refused", () => {
  const d = loadBundled("cbpp");
  assert.throws(() => fitGlmm(CBPP, d, { family: "gamma" }), code("E_OPTION_INVALID", /unknown family/));
  assert.throws(() => fitGlmm(CBPP, d, { family: "poisson", link: "logit" }), code("E_OPTION_INVALID"));
  assert.throws(
    () => fitGlmm("cbind(incidence, size - incidence) ~ period", d, { family: "binomial" }),
    code("E_SPEC_NO_RANDOM_EFFECTS"),
  );
});

test("non-integer Poisson counts warn (as R) and still fit", () => {
  const fit = fitGlmm("y ~ x + (1 | g)", small([0.5, 1, 2, 0, 3, 1, 4, 2, 1, 0, 2, 5]), {
    family: "poisson",
  });
  assert.ok(fit.warnings.some((w) => w.code === "non_integer_response"));
  assert.ok(Number.isFinite(fit.beta[0]) && Number.isFinite(fit.devianceResidualSum));
});

test("a PIRLS breakdown is a typed error naming the step, not NaN output", () => {
  const ones = new Float64Array(8).fill(1);
  const broken: GlmmFamily = {
    family: "binomial",
    link: "logit",
    linkfun: (mu) => Math.log(mu / (1 - mu)),
    linkinv: () => Number.NaN, // a link that breaks down
    muEta: () => 0.25,
    variance: (mu) => mu * (1 - mu),
    devResid: () => Number.NaN,
    saturatedMinus2LogLik: () => 0,
    muStart: (y) => Float64Array.from(y, (v) => (v + 0.5) / 2),
  };
  const problem: GlmmProblem = {
    y: Float64Array.from([0, 1, 1, 0, 1, 0, 0, 1]),
    X: ones,
    xnames: ["(Intercept)"],
    reterms: [
      {
        name: "g",
        factor: "g",
        levels: ["a", "b"],
        refs: Int32Array.from([0, 0, 0, 0, 1, 1, 1, 1]),
        cnames: ["(Intercept)"],
        z: ones,
      },
    ],
    family: broken,
  };
  const work = createGlmmWork(problem);
  assert.throws(() => pirls(work, [1], true), code("E_NUMERIC_PIRLS_DIVERGED", /PIRLS|iteration 1/));
  assert.throws(() => fitGlmmProblem(problem), code("E_NUMERIC_PIRLS_DIVERGED", /iteration/));
});

test("complete separation by a fixed effect warns, naming the coefficient", () => {
  // y = 1 exactly when x > 0.5: the slope runs off
  const y = Array.from({ length: 40 }, (_, i) => ((i % 5) / 5 > 0.5 ? 1 : 0));
  const fit = fitGlmm("y ~ x + (1 | g)", small(y), { family: "binomial" });
  const w = fit.warnings.find((x) => x.code === "fitted_probabilities_0_or_1");
  assert.ok(w, "separation warning");
  assert.match(w.message, /'x'/);
});
