/**
 * lme4's PIRLS evaluation (`pirlsLme4`) reuses work across calls: the first iteration from the
 * stage's linear predictor is cached (μ, working weights and response, the engine's refilled A),
 * and with β fixed the engine's [X y] block can be left out (`modesOnly`). Neither may change a
 * result: each call on one long-lived state equals the same call on a fresh state, bit for bit.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { ColumnTable } from "../../../src/data/column-table.ts";
import { buildDesign } from "../../../src/design/design.ts";
import { parseFormula } from "../../../src/formula/parse-formula.ts";
import { glmResponse } from "../../../src/glm/glm-response.ts";
import { makeFamily } from "../../../src/glm/make-family.ts";
import { glmmFamily } from "../../../src/glmm/glmm-family.ts";
import type { GlmmProblem } from "../../../src/glmm/glmm-problem.ts";
import { createGlmmWork, type GlmmWork, pirlsLme4 } from "../../../src/glmm/pirls.ts";
import { rng } from "../lmm/synthetic-problems.ts";

/** Bernoulli responses, two crossed factors (the second planned: a dense block). */
function problem(seed: number): GlmmProblem {
  const r = rng(seed);
  const n = 400;
  const g = new Int32Array(n);
  const h = new Int32Array(n);
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  for (let t = 0; t < n; t++) {
    g[t] = t % 40;
    h[t] = Math.floor(r() * 12);
    x[t] = r() - 0.5;
    y[t] = r() < 1 / (1 + Math.exp(-(0.3 + x[t] + 0.5 * Math.sin(g[t]) + 0.3 * Math.cos(h[t])))) ? 1 : 0;
  }
  const lv = (m: number, p: string) => Array.from({ length: m }, (_, l) => `${p}${l}`);
  const data = new ColumnTable("sim", [
    { kind: "numeric", name: "y", values: y, integer: true },
    { kind: "numeric", name: "x", values: x, integer: false },
    { kind: "factor", name: "g", codes: g, levels: lv(40, "g"), ordered: false, contrasts: null },
    { kind: "factor", name: "h", codes: h, levels: lv(12, "h"), ordered: false, contrasts: null },
  ]);
  const family = makeFamily("binomial");
  const design = buildDesign(parseFormula("y ~ x + (1 | g) + (1 | h)"), data, { family: "binomial" });
  const resp = glmResponse(design.frame, family);
  return {
    y: resp.y,
    X: design.X,
    xnames: design.xnames,
    reterms: design.reterms,
    weights: resp.priorWeights,
    family: glmmFamily(family, resp.n),
  };
}

function snapshot(work: GlmmWork, r: ReturnType<typeof pirlsLme4>) {
  return { r, u: Array.from(work.u), eta: Array.from(work.eta), mu: Array.from(work.mu) };
}

test("pirlsLme4: the cached first iteration and modesOnly leave every result bit-identical to a fresh state", () => {
  const prob = problem(5);
  const p = prob.xnames.length;
  const long = createGlmmWork(prob);
  // the stage-1 start, then its linear predictor as the stage-2 start (as the fit does)
  const first = createGlmmWork(prob);
  pirlsLme4(first, [1, 1], true, new Float64Array(first.n));
  const lp1 = Float64Array.from(first.eta);
  const lp2 = lp1.map((v) => 0.9 * v + 0.05);
  const r = rng(6);
  for (let call = 0; call < 16; call++) {
    // a change of start (by value, in the same array too) must not reuse the cached iteration
    const lp = call < 6 ? lp1 : call < 11 ? lp2 : Float64Array.from(call % 2 ? lp1 : lp2);
    const theta = [0.4 + r(), 0.2 + r()];
    const varyBeta = call % 3 === 0;
    const modesOnly = call % 2 === 1;
    const beta = Float64Array.from({ length: p }, () => r() - 0.5);
    const fresh = createGlmmWork(prob);
    long.beta.set(beta);
    fresh.beta.set(beta);
    const a = snapshot(long, pirlsLme4(long, theta, varyBeta, lp, { modesOnly }));
    const b = snapshot(fresh, pirlsLme4(fresh, theta, varyBeta, lp));
    assert.deepEqual(a, b, `call ${call} (varyBeta ${varyBeta}, modesOnly ${modesOnly})`);
  }
  assert.ok(long.start.snap, "the first iteration was cached");
});
