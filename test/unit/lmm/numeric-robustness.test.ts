/**
 * The LMM engine on hostile numbers: estimates invariant to shifting/scaling the response, the
 * covariates and the weights; near-perfect fits warned about; values outside double range typed
 * errors that name what to rescale; each fit that is returned without a warning checked against
 * an independent dense computation of the criterion (value and local optimality).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { ColumnTable } from "../../../src/data/column-table.ts";
import type { Column } from "../../../src/data/column.ts";
import { buildDesign } from "../../../src/design/design.ts";
import { isMixedError } from "../../../src/errors.ts";
import { parseFormula } from "../../../src/formula/parse-formula.ts";
import { type LmmFit, type LmmFitOptions, fitLmm } from "../../../src/lmm/fit-lmm.ts";
import type { LmmProblem } from "../../../src/lmm/lmm-problem.ts";
import { expectClose } from "../../helpers/expect-close.ts";
import { loadBundled } from "../../helpers/load-bundled.ts";
import { bestImprovement, denseObjective } from "../../helpers/dense-lmm.ts";
import { rng } from "./synthetic-problems.ts";

interface Raw {
  y: Float64Array;
  x: Float64Array;
  g: Int32Array;
  w: Float64Array;
}

/** y = 1 + 0.5x + group intercept + group slope·x + noise, quantised to multiples of 2^-10. */
function raw(n: number, G: number, seed: number, noise = 0.5): Raw {
  const r = rng(seed);
  const ge = Array.from({ length: G }, () => (r() - 0.5) * 2);
  const gs = Array.from({ length: G }, () => (r() - 0.5) * 0.6);
  const q = (v: number) => Math.round(v * 1024) / 1024;
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  const g = new Int32Array(n);
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    g[i] = i % G;
    x[i] = q(r() * 4);
    y[i] = q(1 + 0.5 * x[i] + ge[g[i]] + gs[g[i]] * x[i] + noise * (r() - 0.5) * 3.4);
    w[i] = q(0.5 + r());
  }
  return { y, x, g, w };
}

function table(cols: Record<string, Float64Array | Int32Array>): ColumnTable {
  const columns: Column[] = Object.entries(cols).map(([name, v]) =>
    v instanceof Int32Array
      ? {
          kind: "factor",
          name,
          codes: v,
          levels: Array.from({ length: Math.max(...v) + 1 }, (_, i) => `L${i}`),
          ordered: false,
          contrasts: null,
        }
      : { kind: "numeric", name, values: v, integer: false },
  );
  return new ColumnTable("hostile", columns);
}

function problemOf(formula: string, data: ColumnTable, weights?: string): LmmProblem {
  const d = buildDesign(parseFormula(formula), data, { weights });
  return { y: d.y, X: d.X, xnames: d.xnames, reterms: d.reterms, weights: d.weights, offset: d.offset };
}

function codes(fit: LmmFit): string[] {
  return fit.warnings.map((w) => w.code);
}

/** The fit's criterion equals the dense one at θ̂, and no small move of θ lowers the dense one. */
function checkAgainstDense(fit: LmmFit, label: string, data: ColumnTable, opts: LmmFitOptions = {}): void {
  const formula = label.slice(label.lastIndexOf(":") + 1).trim();
  const prob = problemOf(formula, data, opts.weights);
  const reml = opts.REML ?? true;
  const dense = denseObjective(prob, fit.theta, reml);
  expectClose(fit.objective, dense, { rtol: 1e-8, atol: 1e-8, label: `${label}: criterion at θ̂` });
  const gain = bestImprovement(prob, fit.theta, fit.thetaLower, reml);
  assert.ok(gain < 1e-6, `${label}: θ̂ is not a local minimum of the dense criterion (improves by ${gain})`);
}

function relClose(a: readonly number[], b: readonly number[], rtol: number, label: string): void {
  expectClose(Float64Array.from(a), Float64Array.from(b), { rtol, atol: 0, label });
}

/** θ to rtol of its largest entry (the optimiser stops at a trust radius of 1e-7 on θ). */
function thetaClose(a: readonly number[], b: readonly number[], rtol: number, label: string): void {
  const atol = rtol * Math.max(...b.map(Math.abs));
  expectClose(Float64Array.from(a), Float64Array.from(b), { rtol, atol, label });
}

test("estimates are invariant to a large constant added to the response (up to 1e12)", () => {
  const d = raw(200, 10, 11);
  for (const formula of ["y ~ x + (1 | g)", "y ~ x + (x | g)"])
    for (const REML of [true, false]) {
      const ref = fitLmm(formula, table({ y: d.y, x: d.x, g: d.g }), { REML });
      assert.deepEqual(codes(ref), []);
      for (const off of [1e4, 1e8, 1e10, 1e12]) {
        const label = `${formula} REML=${REML} y+${off}`;
        const fit = fitLmm(formula, table({ y: d.y.map((v) => v + off), x: d.x, g: d.g }), { REML });
        assert.deepEqual(codes(fit), [], label);
        thetaClose(fit.theta, ref.theta, 1e-6, `${label} θ`);
        relClose(
          [fit.sigma, fit.logLik, fit.beta[1], ...fit.se],
          [ref.sigma, ref.logLik, ref.beta[1], ...ref.se],
          1e-6,
          `${label} σ, logLik, slope, SEs`,
        );
        // the intercept carries the shift: equal up to the rounding of the shifted value itself
        assert.ok(
          Math.abs(fit.beta[0] - off - ref.beta[0]) <= 1e-6 + 4 * off * Number.EPSILON,
          `${label} intercept`,
        );
        const rf = fit.ranef.g.values.flat();
        const rr = ref.ranef.g.values.flat();
        expectClose(Float64Array.from(rf), Float64Array.from(rr), { atol: 1e-6, label: `${label} ranef` });
      }
    }
});

test("shift invariance holds with prior weights, an offset and refit", () => {
  const d = raw(150, 12, 5);
  const off = 1e12;
  const o = d.x.map((v) => Math.round(v * 3) / 4);
  const opts = { weights: "w" };
  const ref = fitLmm("y ~ x + offset(o) + (1 | g)", table({ y: d.y, x: d.x, g: d.g, w: d.w, o }), opts);
  // the constant is added to the response and to the offset: y − offset is unchanged, the fit must be too
  const viaOffset = fitLmm(
    "y ~ x + offset(o) + (1 | g)",
    table({ y: d.y.map((v) => v + off), x: d.x, g: d.g, w: d.w, o: o.map((v) => v + off) }),
    opts,
  );
  thetaClose(viaOffset.theta, ref.theta, 1e-6, "offset θ");
  relClose([viaOffset.sigma, viaOffset.beta[1]], [ref.sigma, ref.beta[1]], 1e-6, "offset σ, slope");
  const shifted = fitLmm(
    "y ~ x + offset(o) + (1 | g)",
    table({ y: d.y.map((v) => v + off), x: d.x, g: d.g, w: d.w, o }),
    opts,
  );
  thetaClose(shifted.theta, ref.theta, 1e-6, "weighted θ");
  relClose([shifted.sigma, shifted.logLik], [ref.sigma, ref.logLik], 1e-6, "weighted σ, logLik");
  // refit to the shifted response from the unshifted fit, and back
  const re = ref.refit(d.y.map((v) => v + off));
  relClose(re.theta, shifted.theta, 1e-9, "refit θ");
  relClose(
    [re.sigma, re.logLik, re.beta[0]],
    [shifted.sigma, shifted.logLik, shifted.beta[0]],
    1e-9,
    "refit σ, logLik, β₀",
  );
  const back = re.refit(d.y);
  relClose(back.theta, ref.theta, 1e-9, "refit back θ");
});

test("estimates scale with the response: θ unchanged, σ and β scaled, from 1e-8 to 1e8 and by 2^±400", () => {
  const d = raw(200, 10, 3);
  const ref = fitLmm("y ~ x + (x | g)", table({ y: d.y, x: d.x, g: d.g }));
  for (const s of [1e-8, 1e-4, 1e4, 1e8, 2 ** -400, 2 ** 400]) {
    const fit = fitLmm("y ~ x + (x | g)", table({ y: d.y.map((v) => v * s), x: d.x, g: d.g }));
    assert.deepEqual(codes(fit), [], `×${s}`);
    thetaClose(fit.theta, ref.theta, 1e-6, `×${s} θ`);
    relClose(
      [fit.sigma / s, fit.beta[0] / s, fit.beta[1] / s, fit.se[1] / s],
      [ref.sigma, ...ref.beta, ref.se[1]],
      1e-6,
      `×${s} σ, β, SE`,
    );
  }
});

test("a rescaled random-slope covariate rescales θ exactly instead of stalling the optimiser", () => {
  const d = raw(200, 10, 3);
  const ref = fitLmm("y ~ x + (x | g)", table({ y: d.y, x: d.x, g: d.g }), { REML: false });
  checkAgainstDense(ref, "y ~ x + (x | g)", table({ y: d.y, x: d.x, g: d.g }), { REML: false });
  for (const s of [1e-8, 1e8, 1e-100]) {
    const data = table({ y: d.y, x: d.x.map((v) => v * s), g: d.g });
    const fit = fitLmm("y ~ x + (x | g)", data, { REML: false });
    assert.deepEqual(codes(fit), [], `x×${s}`);
    // λ rows of the slope scale by 1/s; the ML deviance does not change
    relClose(fit.theta, [ref.theta[0], ref.theta[1] / s, ref.theta[2] / s], 1e-5, `x×${s} θ`);
    relClose([fit.logLik, fit.sigma, fit.beta[1] * s], [ref.logLik, ref.sigma, ref.beta[1]], 1e-6, `x×${s}`);
    if (s !== 1e-100) checkAgainstDense(fit, "y ~ x + (x | g)", data, { REML: false });
  }
});

test("weights multiplied by a huge or tiny constant give the same model (θ, σ rescaled)", () => {
  const d = raw(200, 10, 9);
  const base = table({ y: d.y, x: d.x, g: d.g, w: d.w });
  const ref = fitLmm("y ~ x + (1 | g)", base, { weights: "w", REML: false });
  checkAgainstDense(ref, "y ~ x + (1 | g)", base, { weights: "w", REML: false });
  for (const c of [2 ** -1000, 1e-100, 1e-6, 1e6, 1e100, 2 ** 1000]) {
    const fit = fitLmm("y ~ x + (1 | g)", table({ y: d.y, x: d.x, g: d.g, w: d.w.map((v) => v * c) }), {
      weights: "w",
      REML: false,
    });
    assert.deepEqual(codes(fit), [], `w×${c}`);
    relClose(fit.theta, [ref.theta[0] / Math.sqrt(c)], 1e-5, `w×${c} θ`);
    relClose(
      [fit.sigma / Math.sqrt(c), fit.logLik, ...fit.beta, ...fit.se],
      [ref.sigma, ref.logLik, ...ref.beta, ...ref.se],
      1e-6,
      `w×${c}`,
    );
  }
});

test("near-perfect fits carry residual_variance_zero; ordinary fits do not", () => {
  const d = raw(200, 10, 21, 0);
  const ge = Array.from({ length: 10 }, (_, l) => Math.sin(l + 1));
  const exact = d.x.map((v, i) => 1 + 0.5 * v + ge[d.g[i]]);
  const cases: [string, Record<string, Float64Array | Int32Array>][] = [
    ["y = linear in x + group effect", { y: exact, x: d.x, g: d.g }],
    // every row of a group is a copy of its first row
    [
      "identical rows in each group",
      { y: exact.map((_, i) => exact[i % 10]), x: d.x.map((_, i) => d.x[i % 10]), g: d.g },
    ],
  ];
  for (const [label, cols] of cases) {
    const fit = fitLmm("y ~ x + (1 | g)", table(cols));
    assert.ok(codes(fit).includes("residual_variance_zero"), `${label}: ${codes(fit)}`);
    const msg = fit.warnings.find((w) => w.code === "residual_variance_zero")?.message ?? "";
    assert.match(msg, /not meaningful/);
  }
  const noisy = raw(200, 10, 21, 1e-4);
  assert.ok(
    !codes(fitLmm("y ~ x + (1 | g)", table({ y: noisy.y, x: noisy.x, g: noisy.g }))).includes(
      "residual_variance_zero",
    ),
  );
  for (const [formula, name] of [
    ["Reaction ~ Days + (Days | Subject)", "sleepstudy"],
    ["Yield ~ 1 + (1 | Batch)", "Dyestuff"],
  ]) {
    const fit = fitLmm(formula, loadBundled(name));
    assert.ok(!codes(fit).includes("residual_variance_zero"), formula);
  }
});

test("a response that is an exact function of the fixed effects is refused with E_NUMERIC_EXACT_FIT", () => {
  const d = raw(60, 6, 4);
  // integers: the least-squares residuals of y on [1, x] are exactly 0
  const x = Float64Array.from(d.x, (_, i) => i % 7);
  for (const [xs, y] of [
    [x, x.map((v) => 2 + 3 * v)],
    [d.x, d.x.map((v) => 3 + 2 * v)],
  ])
    assert.throws(
      () => fitLmm("y ~ x + (1 | g)", table({ y, x: xs, g: d.g })),
      (e) => isMixedError(e) && e.code === "E_NUMERIC_EXACT_FIT",
    );
});

test("values outside double range are E_NUMERIC_OVERFLOW naming what to rescale, never 'constant response'", () => {
  const d = raw(120, 10, 8);
  const cases: [string, string, Record<string, Float64Array | Int32Array>, RegExp][] = [
    ["y×1e200", "y ~ x + (1 | g)", { y: d.y.map((v) => v * 1e200), x: d.x, g: d.g }, /the response/],
    ["y×1e-200", "y ~ x + (1 | g)", { y: d.y.map((v) => v * 1e-200), x: d.x, g: d.g }, /the response/],
    ["y near 1.7e308", "y ~ x + (1 | g)", { y: d.y.map((v) => v * 3e307), x: d.x, g: d.g }, /the response/],
    ["x×1e308", "y ~ x + (1 | g)", { y: d.y, x: d.x.map((v) => v * 1e307), g: d.g }, /'x'/],
    ["slope x×1e200", "y ~ x + (x | g)", { y: d.y, x: d.x.map((v) => v * 1e200), g: d.g }, /'x'/],
  ];
  for (const [label, formula, cols, hint] of cases)
    assert.throws(
      () => fitLmm(formula, table(cols)),
      (e) =>
        isMixedError(e) &&
        e.code === "E_NUMERIC_OVERFLOW" &&
        hint.test(e.message) &&
        !/constant/.test(e.message),
      label,
    );
  // weights spanning 600 orders of magnitude: a typed error that says so
  const w = Float64Array.from(d.w, (_, i) => 10 ** (-300 + (600 * ((i * 37) % 120)) / 119));
  assert.throws(
    () => fitLmm("y ~ x + (1 | g)", table({ y: d.y, x: d.x, g: d.g, w }), { weights: "w" }),
    (e) => isMixedError(e) && e.code.startsWith("E_NUMERIC") && /orders of magnitude/.test(e.message),
  );
});

test("a response of tiny magnitude is not 'constant'; a constant one is", () => {
  const d = raw(100, 10, 2);
  const fit = fitLmm("y ~ x + (1 | g)", table({ y: d.y.map((v) => v * 1e-150), x: d.x, g: d.g }));
  const ref = fitLmm("y ~ x + (1 | g)", table({ y: d.y, x: d.x, g: d.g }));
  thetaClose(fit.theta, ref.theta, 1e-6, "y×1e-150 θ");
  assert.throws(
    () => fitLmm("y ~ x + (1 | g)", table({ y: new Float64Array(100).fill(5), x: d.x, g: d.g })),
    (e) => isMixedError(e) && e.code === "E_SPEC_CONSTANT_RESPONSE",
  );
});

test("collinear columns in a random-effects term carry random_effects_collinear", () => {
  const d = raw(100, 10, 6);
  const fit = fitLmm(
    "y ~ x + (x + x2 | g)",
    table({ y: d.y, x: d.x, x2: d.x.map((v) => 2 * v - 1), g: d.g }),
  );
  assert.ok(codes(fit).includes("random_effects_collinear"), `${codes(fit)}`);
  const ok = fitLmm("y ~ x + (x | g)", table({ y: d.y, x: d.x, g: d.g }));
  assert.ok(!codes(ok).includes("random_effects_collinear"));
});

test("fits on awkward shapes agree with the dense criterion (value and local optimum)", () => {
  type Cols = Record<string, Float64Array | Int32Array>;
  // label, formula, columns, options, columns for the dense criterion (default: the same)
  const cases: [string, string, Cols, LmmFitOptions, Cols?][] = [];
  for (const n of [12, 15]) {
    const d = raw(n, 10, 30 + n);
    cases.push([`n=${n}, 10 groups`, "y ~ x + (1 | g)", { y: d.y, x: d.x, g: d.g }, {}]);
  }
  const d = raw(200, 10, 17);
  const wide = Float64Array.from(d.w, (_, i) => 10 ** (-6 + (12 * ((i * 37) % 200)) / 199));
  const cols = { x: d.x, g: d.g };
  cases.push([
    "weights 1e-6..1e6",
    "y ~ x + (1 | g)",
    { ...cols, y: d.y, w: wide },
    { weights: "w", REML: false },
  ]);
  // the dense computation itself loses 1e12·ε to the shift: it gets the unshifted response
  const shifted = { ...cols, y: d.y.map((v) => v + 1e12) };
  cases.push(["y + 1e12, ML", "y ~ x + (1 | g)", shifted, { REML: false }, { ...cols, y: d.y }]);
  cases.push(["x×1e-6 in slope", "y ~ x + (x | g)", { y: d.y, x: d.x.map((v) => v * 1e-6), g: d.g }, {}]);
  for (const [label, formula, columns, opts, denseColumns] of cases) {
    const fit = fitLmm(formula, table(columns), opts);
    if (fit.warnings.length > 0 && !fit.warnings.every((w) => w.code === "boundary_fit"))
      assert.fail(`${label}: unexpected warnings ${codes(fit)}`);
    checkAgainstDense(fit, `${label}: ${formula}`, table(denseColumns ?? columns), opts);
  }
});
