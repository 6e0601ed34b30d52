/**
 * restoreLmm: a fit saved with toJSON() and restored with the same data, without refitting, gives
 * the same predictions, conditional modes, summary, intervals and JSON as the original fit (to the
 * last bit: the same arithmetic at the same θ); data that differ are refused with typed errors.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  confint,
  fitLmm,
  type LmmFit,
  type LmmFitOptions,
  MixedError,
  parseCsv,
  predict,
  printSummary,
  ranef,
  restoreLmm,
} from "../../../src/index.ts";
import { loadBundled } from "../../helpers/load-bundled.ts";

const cases: { id: string; data: string; formula: string; opts: LmmFitOptions; newdata: string }[] = [
  {
    id: "sleepstudy full (REML)",
    data: "sleepstudy",
    formula: "Reaction ~ 1 + Days + (1 + Days | Subject)",
    opts: {},
    newdata: "Subject,Days\n308,0\n309,2.5\n372,11\n999,4\n",
  },
  {
    id: "penicillin crossed (REML)",
    data: "Penicillin",
    formula: "diameter ~ 1 + (1 | plate) + (1 | sample)",
    opts: {},
    newdata: "plate,sample\na,A\nb,F\nx,C\n",
  },
  {
    id: "gasoline weighted with offset (REML)",
    data: "Gasoline",
    formula: "LCarPCap ~ LIncomeP + LRPMG + offset(0.5 * Time) + (1 | Country)",
    opts: { weights: "Year" },
    newdata: "Country,LIncomeP,LRPMG,Time\nAUSTRIA,-6,-0.3,2\nNOWHERE,-6.2,0.1,5\n",
  },
  {
    id: "sleepstudy full (ML)",
    data: "sleepstudy",
    formula: "Reaction ~ 1 + Days + (1 + Days | Subject)",
    opts: { REML: false },
    newdata: "Subject,Days\n308,0\n309,2.5\n372,11\n999,4\n",
  },
  {
    id: "sleepstudy uncorrelated slopes (REML)",
    data: "sleepstudy",
    formula: "Reaction ~ Days + (Days || Subject)",
    opts: {},
    newdata: "Subject,Days\n308,0\n309,2.5\n372,11\n999,4\n",
  },
  {
    id: "pastes nested (ML)",
    data: "Pastes",
    formula: "strength ~ 1 + (1 | batch/cask)",
    opts: { REML: false },
    newdata: "batch,cask\nA,a\nB,c\nZ,a\n",
  },
  {
    id: "sleepstudy poly (REML)",
    data: "sleepstudy",
    formula: "Reaction ~ poly(Days, 2) + (1 | Subject)",
    opts: {},
    newdata: "Subject,Days\n308,0\n309,2.5\n372,11\n999,4\n",
  },
];

function sameArray(a: ArrayLike<number>, b: ArrayLike<number>, what: string): void {
  assert.equal(a.length, b.length, what);
  for (let i = 0; i < a.length; i++)
    assert.ok(Object.is(a[i], b[i]) || a[i] === b[i], `${what}[${i}]: ${a[i]} vs ${b[i]}`);
}

/** Save as the CLI does (JSON text) and restore. */
function roundTrip(fit: LmmFit, data: string): LmmFit {
  return restoreLmm(JSON.stringify(fit.toJSON()), loadBundled(data));
}

for (const c of cases)
  test(`restoreLmm round trip: ${c.id}`, () => {
    const data = loadBundled(c.data);
    const m = fitLmm(c.formula, data, c.opts);
    const r = roundTrip(m, c.data);
    // every number of the saved JSON comes back identical
    assert.deepEqual(r.toJSON(), m.toJSON());
    sameArray(r.theta, m.theta, "theta");
    sameArray(r.beta, m.beta, "beta");
    assert.equal(r.sigma, m.sigma);
    sameArray(r.fitted, m.fitted, "fitted");
    assert.equal(printSummary(r), printSummary(m));
    assert.deepEqual(ranef(r), ranef(m));
    const nd = parseCsv(c.newdata, { name: "nd" });
    const pm = predict(m, nd, { newLevels: "population" });
    const pr = predict(r, nd, { newLevels: "population" });
    sameArray(pr.fit, pm.fit, "predict fit");
    sameArray(pr.seFit, pm.seFit, "predict se");
    sameArray(pr.lower, pm.lower, "predict lower");
    assert.deepEqual(confint(r, { method: "wald" }), confint(m, { method: "wald" }));
  });

test("a restored fit profiles and refits like the original", () => {
  const m = fitLmm("Reaction ~ Days + (1 | Subject)", loadBundled("sleepstudy"));
  const r = roundTrip(m, "sleepstudy");
  const a = confint(m, { method: "profile" });
  const b = confint(r, { method: "profile" });
  sameArray(b.lower, a.lower, "profile lower");
  sameArray(b.upper, a.upper, "profile upper");
  assert.equal(r.refitML().objective, m.refitML().objective);
});

function code(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    return e instanceof MixedError ? e.code : `not a MixedError: ${e}`;
  }
  return "no error";
}

test("restoring with other data or a bad JSON is refused with typed errors", () => {
  const sleep = loadBundled("sleepstudy");
  const m = fitLmm("Reaction ~ Days + (Days | Subject)", sleep);
  const saved = m.toJSON();
  const csv = (rows: (string | number)[][]) =>
    parseCsv(`Reaction,Days,Subject\n${rows.map((r) => r.join(",")).join("\n")}`, { name: "other" });
  const rows = Array.from({ length: sleep.nrow }, (_, i) => [
    sleep.column("Reaction")!.kind === "numeric"
      ? (sleep.column("Reaction") as { values: Float64Array }).values[i]
      : 0,
    (sleep.column("Days") as { values: Float64Array }).values[i],
    `S${(sleep.column("Subject") as { codes: Int32Array }).codes[i]}`,
  ]);
  // fewer rows
  assert.equal(
    code(() => restoreLmm(saved, csv(rows.slice(10)))),
    "E_FIT_DATA_MISMATCH",
  );
  // a different response
  const shifted = rows.map((r, i) => (i === 3 ? [Number(r[0]) + 1, r[1], r[2]] : r));
  assert.equal(
    code(() => restoreLmm(saved, csv(shifted))),
    "E_FIT_DATA_MISMATCH",
  );
  // different level labels of the grouping factor
  assert.equal(
    code(() => restoreLmm(saved, csv(rows))),
    "E_FIT_DATA_MISMATCH",
  );
  // a different objective (θ edited): the saved numbers do not belong to these data
  const theta = { ...(saved.theta as Record<string, number>) };
  theta["Subject.(Intercept)"] *= 1.01;
  assert.equal(
    code(() => restoreLmm({ ...saved, theta }, sleep)),
    "E_FIT_DATA_MISMATCH",
  );
  // a formula whose columns differ from the saved fit's
  assert.equal(
    code(() => restoreLmm({ ...saved, beta: { "(Intercept)": 1, "I(Days)": 2 } }, sleep)),
    "E_FIT_DATA_MISMATCH",
  );
  // not a fit
  assert.equal(
    code(() => restoreLmm("{not json", sleep)),
    "E_FIT_BAD_JSON",
  );
  assert.equal(
    code(() => restoreLmm({ ...saved, model_class: "lm" }, sleep)),
    "E_FIT_BAD_JSON",
  );
  assert.equal(
    code(() => restoreLmm({ ...saved, theta: undefined }, sleep)),
    "E_FIT_BAD_JSON",
  );
  assert.equal(
    code(() => restoreLmm({ ...saved, REML: "yes" }, sleep)),
    "E_FIT_BAD_JSON",
  );
  const neg = { ...(saved.theta as Record<string, number>), "Subject.(Intercept)": -1 };
  assert.equal(
    code(() => restoreLmm({ ...saved, theta: neg }, sleep)),
    "E_FIT_BAD_JSON",
  );
  // a weights column the data lack
  assert.equal(
    code(() => restoreLmm({ ...saved, weights: "w" }, sleep)),
    "E_DATA_UNKNOWN_COLUMN",
  );
});
