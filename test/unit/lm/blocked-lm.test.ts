/**
 * The blocked solver for a large dummy-coded factor (`y ~ g`, `y ~ x + g`, …) against dense QR
 * on the same data: coefficients, standard errors, covariance, aliased columns and summary
 * numbers agree to rounding; where the blocked path cannot keep R's choice of aliased columns it
 * hands over to QR. Plus the closed form of `y ~ g` (group means) on a factor with 3,000 levels,
 * a size that dense QR could not handle in reasonable time and memory.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { Column } from "../../../src/data/column.ts";
import { ColumnTable } from "../../../src/data/column-table.ts";
import { MixedError } from "../../../src/errors.ts";
import { fitLm, type LmFit, type LmFitOptions } from "../../../src/lm/fit-lm.ts";
import { rng } from "../../helpers/dense-reference.ts";
import { expectClose } from "../../helpers/expect-close.ts";

interface Data {
  readonly table: ColumnTable;
  readonly g: Int32Array;
  readonly y: Float64Array;
}

function makeData(
  n: number,
  levels: number,
  seed: number,
  extra: Record<string, (i: number, g: number) => number> = {},
): Data {
  const r = rng(seed);
  const g = new Int32Array(n);
  for (let i = 0; i < n; i++) g[i] = i < levels ? i : Math.floor(r() * levels);
  const a = Float64Array.from({ length: levels }, () => r() * 4 - 2);
  const x = Float64Array.from({ length: n }, () => r() * 10 + 100);
  const y = Float64Array.from({ length: n }, (_, i) => 3 + 0.5 * x[i] + a[g[i]] + r() - 0.5);
  const cols: Column[] = [
    { kind: "numeric", name: "y", values: y, integer: false },
    { kind: "numeric", name: "x", values: x, integer: false },
    {
      kind: "factor",
      name: "g",
      codes: g,
      levels: Array.from({ length: levels }, (_, l) => `L${l + 1}`),
      ordered: false,
      contrasts: null,
    },
  ];
  for (const [name, f] of Object.entries(extra)) {
    cols.push({
      kind: "numeric",
      name,
      values: Float64Array.from({ length: n }, (_, i) => f(i, g[i])),
      integer: false,
    });
  }
  return { table: new ColumnTable("d", cols), g, y };
}

function nonNaN(v: readonly number[]): number[] {
  return v.filter((x) => !Number.isNaN(x));
}

function compare(blocked: LmFit, qr: LmFit, label: string): void {
  assert.equal(blocked.method, "blocked", `${label}: blocked solver used`);
  assert.equal(qr.method, "qr");
  assert.deepEqual(blocked.xnames, qr.xnames);
  assert.deepEqual(blocked.droppedColumns, qr.droppedColumns, `${label}: aliased columns`);
  assert.deepEqual(blocked.estimable, qr.estimable);
  expectClose(nonNaN(blocked.beta), nonNaN(qr.beta), { rtol: 1e-9, atol: 1e-11, label: `${label} beta` });
  expectClose(nonNaN(blocked.se), nonNaN(qr.se), { rtol: 1e-9, label: `${label} se` });
  expectClose(nonNaN(blocked.p), nonNaN(qr.p), { rtol: 1e-7, atol: 1e-300, label: `${label} p` });
  expectClose(
    [
      blocked.sigma,
      blocked.rSquared,
      blocked.adjRSquared,
      blocked.logLik,
      blocked.deviance,
      blocked.fstatistic.value,
    ],
    [qr.sigma, qr.rSquared, qr.adjRSquared, qr.logLik, qr.deviance, qr.fstatistic.value],
    { rtol: 1e-10, label: `${label} summary numbers` },
  );
  assert.equal(blocked.dfResidual, qr.dfResidual);
  expectClose(blocked.fitted, qr.fitted, { rtol: 1e-10, label: `${label} fitted` });
  const est = qr.estimable;
  const pick = (f: LmFit) => est.flatMap((i) => est.map((j) => f.vcov[i][j]));
  // Off-diagonal covariances of nearly collinear columns (x, x²) cancel: compare them relative to
  // the geometric mean of their variances.
  const scale = est.flatMap((i) => est.map((j) => Math.sqrt(Math.abs(qr.vcov[i][i] * qr.vcov[j][j]))));
  const want = pick(qr);
  const diff = pick(blocked).map((v, k) => Math.abs(v - want[k]) / scale[k]);
  assert.ok(Math.max(...diff) < 1e-8, `${label} vcov: max relative difference ${Math.max(...diff)}`);
  assert.deepEqual(
    blocked.warnings.map((w) => w.code),
    qr.warnings.map((w) => w.code),
  );
}

function both(formula: string, d: ColumnTable, opts: LmFitOptions = {}): [LmFit, LmFit] {
  return [fitLm(formula, d, { ...opts, method: "blocked" }), fitLm(formula, d, { ...opts, method: "qr" })];
}

test("y ~ g, y ~ x + g, y ~ g + x, y ~ 0 + g: blocked equals dense QR", () => {
  const d = makeData(900, 120, 3).table;
  for (const f of ["y ~ g", "y ~ x + g", "y ~ g + x", "y ~ 0 + g", "y ~ 0 + g + x", "y ~ x + I(x^2) + g"]) {
    const [b, q] = both(f, d);
    compare(b, q, f);
  }
});

test("random designs (seeded): blocked equals QR, or hands over to QR", () => {
  const formulas = ["y ~ g", "y ~ x + g", "y ~ g + x + z", "y ~ 0 + g + z", "y ~ z + g + x", "y ~ g + zg"];
  let blocked = 0;
  for (let seed = 1; seed <= 24; seed++) {
    const r = rng(1000 + seed);
    const levels = 2 + Math.floor(r() * 40);
    const n = levels + 5 + Math.floor(r() * 300);
    const weighted = r() < 0.5;
    const d = makeData(n, levels, seed, {
      z: (i) => (r() < 0.3 ? 0 : (i % 5) - 2 + r()),
      zg: (_i, g) => g % 3,
      w: (i) => (i % 9 === 0 ? 0 : 0.5 + r()),
    }).table;
    const f = formulas[seed % formulas.length];
    const opts = weighted ? { weights: "w" } : {};
    const [b, q] = both(f, d, opts);
    if (b.method === "qr") {
      assert.deepEqual(b.beta, q.beta, `seed ${seed} ${f}: fallback is QR`);
      continue;
    }
    compare(b, q, `seed ${seed} ${f}`);
    blocked++;
  }
  assert.ok(blocked >= 16, `blocked solver ran on ${blocked} of 24 designs`);
});

test("auto picks the blocked solver for a factor with many levels, QR for a small one", () => {
  assert.equal(fitLm("y ~ x + g", makeData(900, 120, 4).table).method, "blocked");
  assert.equal(fitLm("y ~ x + g", makeData(200, 5, 4).table).method, "qr");
});

test("weights (some zero, one level with only zero weights) and an offset", () => {
  const d = makeData(700, 60, 7, {
    w: (i, g) => (g === 5 ? 0 : i % 7 === 0 ? 0 : 1 + (i % 3)),
    o: (i) => (i % 5) * 0.25,
  }).table;
  for (const f of ["y ~ x + g + offset(o)", "y ~ g"]) {
    const [b, q] = both(f, d, { weights: "w" });
    compare(b, q, f);
    assert.ok(b.droppedColumns.includes("gL6"), "level with zero weight aliased");
  }
});

test("a group-level covariate after g is aliased as R aliases it; before g, QR decides", () => {
  const d = makeData(600, 40, 9, { z: (_i, g) => (g * 7) % 11 }).table;
  const [b, q] = both("y ~ g + z", d);
  compare(b, q, "y ~ g + z");
  assert.deepEqual(b.droppedColumns, ["z"]);
  // z before g: R keeps z and drops the last level's column; the blocked path would not, so QR runs.
  const before = fitLm("y ~ z + g", d, { method: "blocked" });
  assert.equal(before.method, "qr");
  assert.deepEqual(before.droppedColumns, ["gL40"]);
});

test("poorly scaled covariates: x + 1e6 and a constant-shift column", () => {
  const d = makeData(800, 150, 13, { big: (i) => 1e6 + (i % 17), tiny: (i) => (i % 13) * 1e-9 }).table;
  const [b, q] = both("y ~ big + tiny + g", d);
  compare(b, q, "y ~ big + tiny + g");
});

test("a covariate shifted by 1e6 leaves the level coefficients and SEs as without the shift", () => {
  const d0 = makeData(800, 150, 17, { s: (i) => i % 17 }).table;
  const d6 = makeData(800, 150, 17, { s: (i) => 1e6 + (i % 17) }).table;
  const ref = fitLm("y ~ s + g", d0, { method: "qr" });
  const fit = fitLm("y ~ s + g", d6);
  assert.equal(fit.method, "blocked");
  expectClose(fit.beta.slice(1), ref.beta.slice(1), { rtol: 1e-9, label: "beta" });
  expectClose(fit.se.slice(1), ref.se.slice(1), { rtol: 1e-11, label: "se" });
});

test("y ~ g with 3,000 levels: coefficients are group-mean differences, SEs σ√(1/n_g + 1/n_1)", () => {
  const levels = 3000;
  const { table, g, y } = makeData(12000, levels, 21);
  const fit = fitLm("y ~ g", table);
  assert.equal(fit.method, "blocked");
  const sum = new Float64Array(levels);
  const cnt = new Float64Array(levels);
  for (let i = 0; i < y.length; i++) {
    sum[g[i]] += y[i];
    cnt[g[i]]++;
  }
  const mean = Array.from(sum, (s, l) => s / cnt[l]);
  let rss = 0;
  for (let i = 0; i < y.length; i++) rss += (y[i] - mean[g[i]]) ** 2;
  const sigma = Math.sqrt(rss / (y.length - levels));
  expectClose([fit.sigma], [sigma], { rtol: 1e-10, label: "sigma" });
  expectClose(
    fit.beta,
    mean.map((m, l) => (l === 0 ? m : m - mean[0])),
    { rtol: 1e-9, atol: 1e-12, label: "beta" },
  );
  expectClose(
    fit.se,
    mean.map((_, l) => sigma * Math.sqrt(l === 0 ? 1 / cnt[0] : 1 / cnt[l] + 1 / cnt[0])),
    { rtol: 1e-9, label: "se" },
  );
});

test("a model matrix over the byte budget is refused with E_DATA_TOO_LARGE naming the term", () => {
  const d = makeData(900, 120, 3).table;
  assert.throws(
    () => fitLm("y ~ x + g", d, { method: "qr", maxBytes: 100_000 }),
    (e: unknown) =>
      e instanceof MixedError &&
      e.code === "E_DATA_TOO_LARGE" &&
      /'g'/.test(e.message) &&
      /maxBytes/.test(e.message),
  );
  // The blocked path needs far less and fits within the same budget.
  assert.equal(fitLm("y ~ x + g", d, { maxBytes: 100_000 }).method, "blocked");
});
