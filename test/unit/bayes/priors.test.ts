/**
 * Prior strings, their typed errors (code and the span of the offending text), resolution against
 * a model (specificity, unknown coefficients), the default constants, and the refusals of
 * improper posteriors and unsupported families.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { buildBayesModel } from "../../../src/bayes/build-bayes-model.ts";
import { parsePrior } from "../../../src/bayes/parse-prior.ts";
import { PriorError } from "../../../src/bayes/prior-error.ts";
import { mad, priorLogKernel, priorLogKernelDerivative } from "../../../src/bayes/priors.ts";
import { ColumnTable } from "../../../src/data/column-table.ts";
import { MixedError } from "../../../src/errors.ts";
import { loadBundled } from "../../helpers/load-bundled.ts";

function expectPriorError(text: string, code: string, marked: string): void {
  try {
    parsePrior(text);
  } catch (e) {
    assert.ok(e instanceof PriorError, `expected PriorError, got ${e}`);
    assert.equal(e.code, code, e.message);
    assert.equal(text.slice(e.span[0], e.span[1]), marked, e.message);
    assert.ok(e.caret().includes("^"));
    return;
  }
  assert.fail(`'${text}' parsed`);
}

test("prior strings parse to specs", () => {
  assert.deepEqual(parsePrior("b: normal(0, 5)"), {
    class: "b",
    group: undefined,
    coef: undefined,
    dist: { family: "normal", mu: 0, sigma: 5 },
    text: "b: normal(0, 5)",
  });
  assert.deepEqual(parsePrior("sd: student_t(3, 0, 10)").dist, {
    family: "student_t",
    nu: 3,
    mu: 0,
    sigma: 10,
  });
  assert.deepEqual(parsePrior("cor: lkj(2)").dist, { family: "lkj", eta: 2 });
  assert.deepEqual(parsePrior("sigma: exponential(1)").dist, { family: "exponential", rate: 1 });
  assert.deepEqual(parsePrior("  sd : uniform( 0 , 1e2 )").dist, { family: "uniform", lower: 0, upper: 100 });
  assert.deepEqual(parsePrior("b: flat").dist, { family: "flat" });
  const s = parsePrior("sd_my_group__Days: cauchy(0, 2.5)");
  assert.deepEqual([s.class, s.group, s.coef], ["sd", "my_group", "Days"]);
  assert.equal(parsePrior("b_Intercept: normal(300, 50)").class, "Intercept");
  assert.deepEqual([parsePrior("b_x:z: normal(0, 1)").coef], ["x:z"]);
  assert.equal(parsePrior("cor_Subject: lkj(1)").group, "Subject");
});

test("bad prior strings give typed errors pointing at the offending text", () => {
  expectPriorError("b normal(0, 5)", "E_PRIOR_SYNTAX", "b normal(0, 5)");
  expectPriorError("beta: normal(0, 5)", "E_PRIOR_UNKNOWN_CLASS", "beta");
  expectPriorError("sigma_x: normal(0, 5)", "E_PRIOR_UNKNOWN_CLASS", "sigma_x");
  expectPriorError("b: gaussian(0, 5)", "E_PRIOR_UNKNOWN_DISTRIBUTION", "gaussian");
  expectPriorError("b: normal(0)", "E_PRIOR_BAD_ARGUMENT", "(0)");
  expectPriorError("b: normal(0, x)", "E_PRIOR_SYNTAX", "x");
  expectPriorError("b: normal(0, -1)", "E_PRIOR_BAD_ARGUMENT", "normal(0, -1)");
  expectPriorError("sd: lkj(2)", "E_PRIOR_BAD_ARGUMENT", "lkj(2)");
  expectPriorError("cor: normal(0, 1)", "E_PRIOR_BAD_ARGUMENT", "normal(0, 1)");
  expectPriorError("b: exponential(1)", "E_PRIOR_BAD_ARGUMENT", "exponential(1)");
  expectPriorError("sd: uniform(5, 1)", "E_PRIOR_BAD_ARGUMENT", "uniform(5, 1)");
  expectPriorError("sd: normal(0, 1", "E_PRIOR_SYNTAX", "(0, 1");
  expectPriorError("sd:", "E_PRIOR_SYNTAX", "");
});

test("priors resolve against the model: most specific wins, unknown names are refused", () => {
  const data = loadBundled("sleepstudy");
  const b = buildBayesModel("Reaction ~ Days + (Days | Subject)", data, {
    priors: [
      "b: normal(0, 100)",
      "b_Days: normal(10, 5)",
      "sd: exponential(0.1)",
      "sd_Subject__Days: uniform(0, 50)",
    ],
  });
  assert.deepEqual(b.priorsText, [
    "b_Intercept ~ normal(0, 100)",
    "b_Days ~ normal(10, 5)",
    "sd_Subject__Intercept ~ exponential(0.1) T[0, ]",
    "sd_Subject__Days ~ uniform(0, 50)",
    "sigma ~ student_t(3, 0, 59.3) T[0, ]",
    "cor_Subject ~ lkj(2)",
  ]);
  assert.deepEqual(
    b.priors.b.map((p) => p.source),
    ["user", "user"],
  );
  const bad = (prior: string) =>
    assert.throws(
      () => buildBayesModel("Reaction ~ Days + (1 | Subject)", data, { priors: [prior] }),
      (e: unknown) => e instanceof PriorError && e.code === "E_PRIOR_UNKNOWN_CLASS",
    );
  bad("b_Hours: normal(0, 1)");
  bad("sd_Patient: normal(0, 1)");
  bad("sd_Subject__Days: normal(0, 1)");
  bad("cor: lkj(2)");
});

test("the seed model's priors: uniform SDs bound the transform, flat b and sigma", () => {
  const b = buildBayesModel("y ~ x + (x || group)", loadBundled("coffee"), {
    priors: ["sd: uniform(0, 100)", "b: flat", "sigma: flat"],
    method: "nuts-full",
    parameterisation: "centred",
  });
  assert.deepEqual(b.priorsText, [
    "b_Intercept ~ flat",
    "b_x ~ flat",
    "sd_group__Intercept ~ uniform(0, 100)",
    "sd_group__x ~ uniform(0, 100)",
    "sigma ~ flat T[0, ]",
  ]);
  assert.deepEqual(b.model.unconstrainedNames.slice(0, 5), [
    "b_Intercept",
    "b_x",
    "logit(sd_group__Intercept)",
    "logit(sd_group__x)",
    "log(sigma)",
  ]);
  assert.equal(b.model.outputNames.length, 2 + 2 + 1 + 200);
  assert.equal(b.model.outputNames[5], "r_group[1,Intercept]");
  assert.equal(b.model.outputNames[6], "r_group[1,x]");
});

test("improper posteriors and unsupported families are refused", () => {
  const cols = new ColumnTable("two", [
    { kind: "numeric", name: "y", values: Float64Array.from([1, 2, 3, 5, 4, 6, 8, 7]), integer: false },
    {
      kind: "factor",
      name: "g",
      codes: Int32Array.from([0, 0, 0, 0, 1, 1, 1, 1]),
      levels: ["a", "b"],
      ordered: false,
      contrasts: null,
    },
  ]);
  assert.throws(
    () => buildBayesModel("y ~ 1 + (1 | g)", cols, { priors: ["sd: flat"] }),
    (e: unknown) =>
      e instanceof MixedError && e.code === "E_PRIOR_IMPROPER" && /3 levels|fewer than 3/.test(e.message),
  );
  // a proper prior on the same model is accepted
  assert.ok(buildBayesModel("y ~ 1 + (1 | g)", cols, { priors: ["sd: uniform(0, 10)"] }).model.dim > 0);
  const constant = new ColumnTable("constant", [
    { kind: "numeric", name: "y", values: new Float64Array(8).fill(3), integer: false },
    cols.columns[1],
  ]);
  assert.throws(
    () => buildBayesModel("y ~ 1 + (1 | g)", constant),
    (e: unknown) => e instanceof MixedError && e.code === "E_SPEC_CONSTANT_RESPONSE",
  );
  assert.throws(
    () =>
      buildBayesModel("Reaction ~ Days + (1 | Subject)", loadBundled("sleepstudy"), { family: "poisson" }),
    (e: unknown) => e instanceof MixedError && e.code === "E_BAYES_UNSUPPORTED",
  );
});

test("kernels and R's mad", () => {
  assert.equal(mad([1, 2, 3, 4, 100]), 1.4826);
  const d = { family: "student_t", nu: 3, mu: 1, sigma: 2 } as const;
  const h = 1e-6;
  const fd = (priorLogKernel(d, 2 + h) - priorLogKernel(d, 2 - h)) / (2 * h);
  assert.ok(Math.abs(priorLogKernelDerivative(d, 2) - fd) < 1e-8);
  assert.equal(priorLogKernel(d, 1 + 2 * Math.sqrt(3)), -2 * Math.log(2));
});

test("REML-based start: initial points near the fit, a positive suggested inverse metric", () => {
  const data = loadBundled("sleepstudy");
  for (const [method, parameterisation] of [
    ["nuts-full", "hcentred"],
    ["nuts-full", "noncentred"],
    ["collapsed", undefined],
  ] as const) {
    const b = buildBayesModel("Reaction ~ Days + (Days | Subject)", data, { method, parameterisation });
    const mInv = b.suggestedInverseMetric;
    assert.ok(mInv && mInv.length === b.model.dim);
    assert.ok(mInv.every((v) => v > 0 && Number.isFinite(v)));
    assert.ok(b.reml);
    assert.ok(Math.abs(mInv[0] - b.reml.betaSE[0] ** 2) < 1e-12);
    const q = new Float64Array(b.model.dim);
    let s = 5;
    b.model.initialPoint(q, () => {
      s = (s * 16807) % 2147483647;
      return s / 2147483647;
    });
    // β within 10% (+ 0.1σ) of the REML estimate; σ within a factor e^0.5
    assert.ok(Math.abs(q[0] - b.reml.beta[0]) <= 0.1 * (Math.abs(b.reml.beta[0]) + b.reml.sigma));
    assert.ok(Math.abs(q[5] - Math.log(b.reml.sigma)) <= 0.5);
    if (parameterisation === "hcentred") {
      // group coefficient near β₀ + conditional mode
      assert.ok(
        Math.abs(q[6] - (b.reml.beta[0] + (b.reml.ranef?.[0][0] ?? 0))) <= 2 * (b.reml.ranefSD?.[0][0] ?? 0),
      );
    }
  }
  const off = buildBayesModel("Reaction ~ Days + (1 | Subject)", data, { dataDrivenStart: false });
  assert.equal(off.suggestedInverseMetric, null);
});
