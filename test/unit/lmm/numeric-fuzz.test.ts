/**
 * Seeded fuzz of the LMM engine over hostile numbers: group counts down to n = G + 1, responses
 * shifted by up to 1e12 and scaled by 1e±150, covariates scaled by 1e±100, weights spanning up to
 * 20 orders of magnitude, exact and near-exact fits. Every case must end in a typed error, a fit
 * carrying a warning, or a fit whose criterion equals an independent dense computation at θ̂ and
 * that no coordinate step improves. MIXED_FUZZ_RUNS sets the number of cases (default 200; try 5000).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { Column } from "../../../src/data/column.ts";
import { ColumnTable } from "../../../src/data/column-table.ts";
import { buildDesign } from "../../../src/design/design.ts";
import { isMixedError } from "../../../src/errors.ts";
import { parseFormula } from "../../../src/formula/parse-formula.ts";
import { fitLmm } from "../../../src/lmm/fit-lmm.ts";
import { bestImprovement, denseObjective } from "../../helpers/dense-lmm.ts";
import { rng } from "./synthetic-problems.ts";

const FORMULAS = [
  "y ~ x + (1 | g)",
  "y ~ x + (x | g)",
  "y ~ 1 + (1 | g)",
  "y ~ x + (1 | g) + (1 | h)",
  "y ~ 0 + x + (1 | g)",
  "y ~ x + (0 + x | g)",
];

interface Case {
  label: string;
  formula: string;
  data: ColumnTable;
  REML: boolean;
  weights: string | undefined;
  shift: number;
  wideWeights: boolean;
}

function pick<T>(r: () => number, a: readonly T[]): T {
  return a[Math.floor(r() * a.length)];
}

function fuzzCase(it: number): Case {
  const r = rng(1000 + 7919 * it);
  for (let k = 0; k < 5; k++) r();
  const G = pick(r, [2, 3, 5, 10, 20]);
  const n = G + pick(r, [1, 2, 5, 20, 100]);
  const shift = pick(r, [0, 0, 1e6, 1e12, -1e10]);
  const yScale = pick(r, [1, 1, 1e-10, 1e10, 1e-150, 1e150]);
  const xScale = pick(r, [1, 1, 1e-6, 1e6, 1e-100, 1e100]);
  const noise = pick(r, [1, 1, 0.1, 1e-6, 0]);
  const wRange = pick(r, [0, 0, 2, 8, 20]);
  const formula = pick(r, FORMULAS);
  const REML = r() < 0.5;
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  const w = new Float64Array(n);
  const g = new Int32Array(n);
  const h = new Int32Array(n);
  const ge = Array.from({ length: G }, () => r() - 0.5);
  const gs = Array.from({ length: G }, () => 0.3 * (r() - 0.5));
  for (let i = 0; i < n; i++) {
    g[i] = i % G;
    h[i] = i % 3;
    const xi = r() * 4;
    x[i] = xi * xScale;
    y[i] = (1 + 0.5 * xi + ge[g[i]] + gs[g[i]] * xi + noise * (r() - 0.5) + 0.2 * h[i]) * yScale + shift;
    w[i] = 10 ** (wRange * (r() - 0.5));
  }
  const factor = (name: string, codes: Int32Array, k: number): Column => ({
    kind: "factor",
    name,
    codes,
    levels: Array.from({ length: k }, (_, l) => `${name}${l}`),
    ordered: false,
    contrasts: null,
  });
  const data = new ColumnTable("fuzz", [
    { kind: "numeric", name: "y", values: y, integer: false },
    { kind: "numeric", name: "x", values: x, integer: false },
    { kind: "numeric", name: "w", values: w, integer: false },
    factor("g", g, G),
    factor("h", h, 3),
  ]);
  const label = `#${it} ${formula} n=${n} G=${G} shift=${shift} y×${yScale} x×${xScale} noise=${noise} weights 1e±${wRange / 2} REML=${REML}`;
  return {
    label,
    formula,
    data,
    REML,
    weights: wRange > 0 ? "w" : undefined,
    shift,
    wideWeights: wRange > 8,
  };
}

/** "error", "warned", "checked" or "unchecked"; throws on a silently wrong fit. */
function runCase(c: Case): string {
  let fit: ReturnType<typeof fitLmm>;
  try {
    fit = fitLmm(c.formula, c.data, { REML: c.REML, weights: c.weights });
  } catch (e) {
    assert.ok(isMixedError(e), `${c.label}: untyped error ${e}`);
    return "error";
  }
  if (fit.warnings.some((w) => w.code !== "boundary_fit")) return "warned";
  const d = buildDesign(parseFormula(c.formula), c.data, { weights: c.weights });
  // without an intercept the shift is part of the model, and the dense computation loses |shift|·ε
  if (c.shift !== 0 && !d.xnames.includes("(Intercept)")) return "unchecked";
  const prob = {
    y: d.y.map((v) => v - c.shift), // the dense computation gets the unshifted response
    X: d.X,
    xnames: d.xnames,
    reterms: d.reterms,
    weights: d.weights,
    offset: d.offset,
  };
  const dense = denseObjective(prob, fit.theta, c.REML);
  // weights over 20 orders of magnitude: neither computation is better than ~1e-5 relative
  const rtol = c.wideWeights ? 1e-4 : 1e-6;
  assert.ok(
    Math.abs(fit.objective - dense) <= rtol * Math.max(1, Math.abs(dense)),
    `${c.label}: criterion ${fit.objective} but dense ${dense}`,
  );
  const gain = bestImprovement(prob, fit.theta, fit.thetaLower, c.REML);
  assert.ok(
    gain < (c.wideWeights ? 1e-4 : 1e-5),
    `${c.label}: θ̂ is not a local minimum (a step gains ${gain})`,
  );
  return "checked";
}

test("LMM numeric fuzz: typed error, warning, or a fit checked against the dense criterion", () => {
  const N = Number(process.env.MIXED_FUZZ_RUNS ?? 200);
  const counts: Record<string, number> = {};
  for (let it = 0; it < N; it++) {
    const k = runCase(fuzzCase(it));
    counts[k] = (counts[k] ?? 0) + 1;
  }
  // the fuzz must exercise the dense check, not only the error paths
  assert.ok((counts.checked ?? 0) >= N / 3, JSON.stringify(counts));
});

test("weights over 20 orders of magnitude with a random slope: BOBYQA's stall is caught (fuzz case 78)", () => {
  // BOBYQA stops here after 5 model rescues, 66 units above the minimum: the fit probes and restarts
  assert.equal(runCase(fuzzCase(78)), "checked");
});
