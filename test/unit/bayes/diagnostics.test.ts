import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import {
  type DrawsByChain,
  ebfmi,
  essBasic,
  essBulk,
  essMean,
  essQuantile,
  essSd,
  essTail,
  mad,
  mcseMean,
  mcseQuantile,
  mcseSd,
  rankNormalise,
  rhat,
  rhatBasic,
  rhatBulk,
  rhatTail,
  splitChains,
} from "../../../src/bayes/diagnostics.ts";
import { summariseDraws, summariseVariable } from "../../../src/bayes/summarise-draws.ts";
import { median, quantile, sd } from "../../../src/util/stats.ts";

const dir = new URL("../../reference/bayes/", import.meta.url);

interface FixtureCase {
  source: string;
  column: string;
  chains: number;
  iterations: number;
  draws_by_chain?: number[][];
  [measure: string]: unknown;
}
const fixture = JSON.parse(readFileSync(new URL("diagnostics_fixture.json", dir), "utf8")) as {
  cases: FixtureCase[];
};

const csvCache = new Map<string, { header: string[]; rows: number[][] }>();
function readCsv(file: string): { header: string[]; rows: number[][] } {
  let t = csvCache.get(file);
  if (!t) {
    const lines = readFileSync(new URL(file, dir), "utf8").trim().split("\n");
    const header = lines[0].split(",").map((h) => h.replace(/"/g, ""));
    t = { header, rows: lines.slice(1).map((l) => l.split(",").map(Number)) };
    csvCache.set(file, t);
  }
  return t;
}

function drawsOf(c: FixtureCase): number[][] {
  if (c.draws_by_chain) return c.draws_by_chain;
  const file = `draws/${c.source.split("/").pop()}`;
  const { header, rows } = readCsv(file);
  const ci = header.indexOf("chain");
  const ii = header.indexOf("iteration");
  const vi = header.indexOf(c.column);
  const out: number[][] = Array.from({ length: c.chains }, () => new Array(c.iterations));
  for (const r of rows) out[r[ci] - 1][r[ii] - 1] = r[vi];
  return out;
}

const measures: Record<string, (x: DrawsByChain) => number> = {
  median: (x) => median(x.flatMap((c) => Array.from(c))),
  sd: (x) => sd(x.flatMap((c) => Array.from(c))),
  q5: (x) =>
    quantile(
      x.flatMap((c) => Array.from(c)),
      [0.05],
    )[0],
  q95: (x) =>
    quantile(
      x.flatMap((c) => Array.from(c)),
      [0.95],
    )[0],
  rhat,
  rhat_bulk: rhatBulk,
  rhat_tail: rhatTail,
  rhat_basic_split: (x) => rhatBasic(x, true),
  rhat_basic_nosplit: (x) => rhatBasic(x, false),
  ess_bulk: essBulk,
  ess_tail: essTail,
  ess_q5: (x) => essQuantile(x, 0.05),
  ess_q95: (x) => essQuantile(x, 0.95),
  ess_basic_split: (x) => essBasic(x, true),
  ess_basic_nosplit: (x) => essBasic(x, false),
  ess_mean: essMean,
  ess_sd: essSd,
  mcse_mean: mcseMean,
  mcse_sd: mcseSd,
  mcse_q5: (x) => mcseQuantile(x, 0.05),
  mcse_q95: (x) => mcseQuantile(x, 0.95),
};

const TOL = 1e-8;

test("diagnostics match posterior 1.4.0 on all 14 fixture cases (relative 1e-8)", () => {
  assert.equal(fixture.cases.length, 14);
  let worst = 0;
  let worstAt = "";
  for (const c of fixture.cases) {
    const x = drawsOf(c);
    assert.equal(x.length, c.chains);
    for (const [name, f] of Object.entries(measures)) {
      const want = c[name] as number;
      const got = f(x);
      const rel = Math.abs(got - want) / Math.abs(want);
      if (rel > worst) {
        worst = rel;
        worstAt = `${c.column}/${name}`;
      }
      assert.ok(rel <= TOL, `${c.source} ${c.column} ${name}: got ${got}, posterior ${want} (rel ${rel})`);
    }
  }
  // the figure quoted in the report: the largest relative difference over all 14 × 21 values
  assert.ok(worst < TOL, `${worstAt} ${worst}`);
  console.log(`largest relative difference from posterior: ${worst.toExponential(2)} (${worstAt})`);
});

test("summariseDraws / summariseVariable give the fixture's values (even and odd chain lengths)", () => {
  for (const c of fixture.cases) {
    const x = drawsOf(c);
    const s = summariseVariable(c.column, x);
    assert.equal(s.variable, c.column);
    const keys = [
      "mean",
      "median",
      "sd",
      "q5",
      "q95",
      "rhat",
      "ess_bulk",
      "ess_tail",
      "mcse_mean",
      "mcse_sd",
    ];
    for (const key of [...keys, "mcse_q5", "mcse_q95"]) {
      const want = c[key] as number;
      const got = s[key as keyof typeof s] as number;
      assert.ok(Math.abs(got - want) <= 1e-8 * Math.abs(want), `${c.column} ${key}: ${got} vs ${want}`);
    }
    assert.equal(s.mad, mad(x.flat()));
    assert.ok(s.mcse_median > 0);
  }
  const c = fixture.cases.find((k) => k.column === "synthetic_ar1_shifted")!;
  const chains = drawsOf(c).map((ch) => Float64Array.from(ch));
  const [one] = summariseDraws(["theta"], chains, c.iterations);
  assert.deepEqual(one, summariseVariable("theta", chains));
  assert.throws(() => summariseDraws(["a", "b"], chains, c.iterations), RangeError);
});

test("split drops the middle draw of an odd chain; ranks average ties", () => {
  const sp = splitChains([[1, 2, 3, 4, 5]]);
  assert.deepEqual(
    sp.map((c) => Array.from(c)),
    [
      [1, 2],
      [4, 5],
    ],
  );
  const z = rankNormalise([[1, 2, 2, 3]]);
  // ranks 1, 2.5, 2.5, 4 of T = 4: z = qnorm((r - 3/8) / 4.25)
  assert.equal(z[0][1], z[0][2]);
  assert.ok(Math.abs(z[0][1]) < 1e-15, "the tied middle ranks map to z = 0");
  assert.ok(Math.abs(z[0][0] + 1.04913139796) < 1e-10, `${z[0][0]}`); // qnorm(0.625 / 4.25)
});

test("NA cases: constant draws, non-finite draws, fewer than 3 iterations", () => {
  const constant = [new Float64Array(20).fill(2), new Float64Array(20).fill(2)];
  assert.ok(Number.isNaN(essBulk(constant)));
  assert.ok(Number.isNaN(rhat(constant)));
  assert.ok(Number.isNaN(essMean([[1, 2, Number.NaN, 4, 5, 6, 7, 8]])));
  assert.ok(Number.isNaN(essMean([[1, 2, 3, 4, 5]])), "split halves of 2 draws");
});

test("hand-computed R-hat and ESS of a tiny matrix", () => {
  // two chains, no split: means 2 and 5, variances 1 and 1 (n = 3)
  const x = [
    [1, 2, 3],
    [4, 5, 6],
  ];
  // B/n = var(2, 5) = 4.5, W = 1, var+ = (2/3)·1 + 4.5 → R = sqrt(5.1666…)
  assert.ok(Math.abs(rhatBasic(x, false) - Math.sqrt(2 / 3 + 4.5)) < 1e-14);
  // ESS by hand (n = 3 ≤ 5: no Geyer pairs beyond lag 1): acov(0) = 2/3, acov(1) = 0 for both
  // chains; W = 1, var+ = 2/3 + 4.5; rho(1) = 1 − (1 − 0)/var+; max_t = 0 and R's 1:0 quirk give
  // tau = −1 + 2·rho(0) + rho(0) = 2, so ESS = 6 / 2 = 3
  assert.ok(Math.abs(essBasic(x, false) - 3) < 1e-14);
});

test("mad and E-BFMI", () => {
  assert.ok(Math.abs(mad([1, 2, 3, 4, 100]) - 1.4826) < 1e-15);
  // energies 0, 1, 0, 1: Σ diff² = 3, Σ (E − 0.5)² = 1 → 3
  assert.equal(ebfmi([0, 1, 0, 1]), 3);
  assert.ok(Number.isNaN(ebfmi([1])));
});
