/**
 * The extended adaptive Gauss–Hermite quadrature (agq: "extended") for several random-effects
 * terms, against brute-force numerical integration on small simulated data (seeded): a nested
 * binomial model (1 | A) + (1 | A:B) (one 4-dimensional block per level of A) and a Poisson model
 * with two crossed scalar terms on 3 × 3 levels (one 6-dimensional block). The exact marginal
 * log-likelihood at fixed (θ, β) comes from nested one-dimensional trapezoid rules on a wide fixed
 * grid (an independent route: no modes, no factor); the quadrature converges to it as nAGQ grows.
 * It reduces to lme4's rule for a single scalar term and to the per-level rule of a single vector
 * term; fits beat the Laplace approximation in the expected direction; the grid limit and lme4's
 * refusal without the opt-in are enforced. On real data: cbpp with an observation-level effect per
 * herd and period, whose Laplace fit reproduces glmer (test/reference/glmm/cbpp_obs_laplace.json,
 * scripts/fixtures/glmm.R) and whose quadrature at lme4's estimates converges to brute force.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import type { Column } from "../../../src/data/column.ts";
import { ColumnTable } from "../../../src/data/column-table.ts";
import { buildDesign } from "../../../src/design/design.ts";
import { MixedError } from "../../../src/errors.ts";
import { parseFormula } from "../../../src/formula/parse-formula.ts";
import { glmResponse } from "../../../src/glm/glm-response.ts";
import { makeFamily } from "../../../src/glm/make-family.ts";
import { agqDeviance, agqDevianceVector } from "../../../src/glmm/agq.ts";
import { agqDevianceComponents } from "../../../src/glmm/agq-components.ts";
import { fitGlmm } from "../../../src/glmm/fit-glmm.ts";
import { glmmFamily } from "../../../src/glmm/glmm-family.ts";
import type { GlmmProblem } from "../../../src/glmm/glmm-problem.ts";
import { createGlmmWork, type GlmmWork, pirls, setFixed } from "../../../src/glmm/pirls.ts";
import { reComponents } from "../../../src/glmm/re-components.ts";
import { printSummary } from "../../../src/index.ts";
import { expectClose } from "../../helpers/expect-close.ts";
import { loadBundled } from "../../helpers/load-bundled.ts";
import { rng } from "../lmm/synthetic-problems.ts";

function normal(r: () => number): () => number {
  return () => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
}

function poissonDraw(r: () => number, lambda: number): number {
  let k = 0;
  let p = Math.exp(-lambda);
  let s = p;
  const u = r();
  while (u > s && k < 1000) {
    k++;
    p *= lambda / k;
    s += p;
  }
  return k;
}

const factor = (name: string, codes: Int32Array, nl: number): Column => ({
  kind: "factor",
  name,
  codes,
  levels: Array.from({ length: nl }, (_, l) => `${name}${l}`),
  ordered: false,
  contrasts: null,
});
const numeric = (name: string, values: Float64Array, integer = false): Column => ({
  kind: "numeric",
  name,
  values,
  integer,
});

function lfact(k: number): number {
  let s = 0;
  for (let i = 2; i <= k; i++) s += Math.log(i);
  return s;
}

/** The GLMM problem fitGlmm would build. */
function problemOf(formula: string, data: ColumnTable, family: string): GlmmProblem {
  const fam = makeFamily(family);
  const design = buildDesign(parseFormula(formula), data, { family: fam.name });
  const resp = glmResponse(design.frame, fam);
  return {
    y: resp.y,
    X: design.X,
    xnames: design.xnames,
    reterms: design.reterms,
    weights: resp.priorWeights,
    offset: resp.hasOffset ? resp.offset : undefined,
    family: glmmFamily(fam, resp.n),
  };
}

/** θ in the problem's term order from a value per grouping factor. */
function thetaFor(problem: GlmmProblem, sd: Record<string, number>): number[] {
  return problem.reterms.map((t) => sd[t.factor]);
}

/** PIRLS at (θ, β), converged tightly; the state the AGQ deviances read. */
function stateAt(problem: GlmmProblem, theta: readonly number[], beta: readonly number[]): GlmmWork {
  const work = createGlmmWork(problem);
  setFixed(work, beta);
  pirls(work, theta, false);
  return work;
}

/** The marginal log-likelihood of the extended quadrature (deviance residuals + saturated part). */
function logLikExtended(work: GlmmWork, theta: readonly number[], nAGQ: number): number {
  const comps = reComponents(work.problem.reterms, work.n);
  return -(agqDevianceComponents(work, theta, nAGQ, comps) + work.minus2LogLikSaturated) / 2;
}

/** Trapezoid nodes on [−R, R] with step h, weights h·φ(v) (φ the standard normal density). */
function trapezoid(R: number, h: number): { v: Float64Array; w: Float64Array } {
  const m = Math.round((2 * R) / h);
  const v = new Float64Array(m + 1);
  const w = new Float64Array(m + 1);
  for (let i = 0; i <= m; i++) {
    v[i] = -R + i * h;
    w[i] = ((i === 0 || i === m ? 0.5 : 1) * h * Math.exp(-0.5 * v[i] * v[i])) / Math.sqrt(2 * Math.PI);
  }
  return { v, w };
}

// ---- nested binomial: (1 | A) + (1 | A:B), 4 levels of A with 3 of B each, 4 rows of 3 trials per B

const NA = 4;
const NB = 3;
const PER_B = 4;
const TRIALS = 3;

function nestedData(seed: number, nA = NA) {
  const r = rng(seed);
  const z = normal(r);
  const n = nA * NB * PER_B;
  const A = new Int32Array(n);
  const B = new Int32Array(n);
  const x = new Float64Array(n);
  const s = new Float64Array(n);
  const tr = new Float64Array(n).fill(TRIALS);
  for (let a = 0; a < nA; a++) {
    const ba = 0.9 * z();
    for (let b = 0; b < NB; b++) {
      const bb = 0.7 * z();
      for (let k = 0; k < PER_B; k++) {
        const t = (a * NB + b) * PER_B + k;
        A[t] = a;
        B[t] = b;
        x[t] = z();
        const p = 1 / (1 + Math.exp(-(-0.3 + 0.6 * x[t] + ba + bb)));
        for (let j = 0; j < TRIALS; j++) if (r() < p) s[t]++;
      }
    }
  }
  return {
    n,
    A,
    B,
    x,
    s,
    table: new ColumnTable(`nested${seed}`, [
      numeric("s", s, true),
      numeric("trials", tr, true),
      numeric("x", x),
      factor("A", A, nA),
      factor("B", B, NB),
    ]),
  };
}

const NESTED = "cbind(s, trials - s) ~ x + (1 | A) + (1 | A:B)";

/** Σ_a log ∫ φ(a) Π_b ∫ φ(v) Π_rows Bin(s | 3, logit⁻¹(η)) dv da by nested trapezoid rules. */
function nestedBruteForce(
  d: ReturnType<typeof nestedData>,
  lamA: number,
  lamB: number,
  beta: readonly number[],
): number {
  const { v, w } = trapezoid(9, 0.05);
  const m = v.length;
  let total = 0;
  const nA = d.n / (NB * PER_B);
  for (let a = 0; a < nA; a++) {
    let outer = 0;
    for (let i = 0; i < m; i++) {
      let prod = 1;
      for (let b = 0; b < NB; b++) {
        let inner = 0;
        for (let j = 0; j < m; j++) {
          let ll = 0;
          for (let k = 0; k < PER_B; k++) {
            const t = (a * NB + b) * PER_B + k;
            const eta = beta[0] + beta[1] * d.x[t] + lamA * v[i] + lamB * v[j];
            // log C(3, s) + s η − 3 log(1 + e^η)
            const sp = eta > 0 ? eta + Math.log1p(Math.exp(-eta)) : Math.log1p(Math.exp(eta));
            ll += lfact(TRIALS) - lfact(d.s[t]) - lfact(TRIALS - d.s[t]) + d.s[t] * eta - TRIALS * sp;
          }
          inner += w[j] * Math.exp(ll);
        }
        prod *= inner;
      }
      outer += w[i] * prod;
    }
    total += Math.log(outer);
  }
  return total;
}

// ---- crossed Poisson: (1 | F) + (1 | G) on 3 × 3 levels, 2 rows per cell (one 6-dimensional block)

function crossedData(seed: number) {
  const r = rng(seed);
  const z = normal(r);
  const bf = [0, 1, 2].map(() => 0.6 * z());
  const bg = [0, 1, 2].map(() => 0.5 * z());
  const n = 18;
  const F = new Int32Array(n);
  const G = new Int32Array(n);
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  for (let t = 0; t < n; t++) {
    F[t] = Math.floor(t / 6);
    G[t] = Math.floor(t / 2) % 3;
    x[t] = z();
    y[t] = poissonDraw(r, Math.exp(0.2 + 0.4 * x[t] + bf[F[t]] + bg[G[t]]));
  }
  return {
    n,
    F,
    G,
    x,
    y,
    table: new ColumnTable(`crossed${seed}`, [
      numeric("y", y, true),
      numeric("x", x),
      factor("F", F, 3),
      factor("G", G, 3),
    ]),
  };
}

const CROSSED = "y ~ x + (1 | F) + (1 | G)";

/**
 * log ∫ φ(a₁)φ(a₂)φ(a₃) Π_g ∫ φ(b) Π_{rows in g} Pois(y | exp(η)) db da: given the three F effects
 * the G effects are independent, so a three-dimensional trapezoid rule over a with a
 * one-dimensional one inside for each level of G.
 */
function crossedBruteForce(
  d: ReturnType<typeof crossedData>,
  lamF: number,
  lamG: number,
  beta: readonly number[],
): number {
  const { v, w } = trapezoid(8, 0.2);
  const m = v.length;
  // T[f][g][ia][ib] = Π_{rows in cell (f, g)} Pois(y | exp(η(a = v[ia], b = v[ib])))
  const T: Float64Array[][] = [];
  for (let f = 0; f < 3; f++) {
    T.push([]);
    for (let g = 0; g < 3; g++) {
      const cell = new Float64Array(m * m);
      for (let ia = 0; ia < m; ia++)
        for (let ib = 0; ib < m; ib++) {
          let ll = 0;
          for (let t = 0; t < d.n; t++) {
            if (d.F[t] !== f || d.G[t] !== g) continue;
            const eta = beta[0] + beta[1] * d.x[t] + lamF * v[ia] + lamG * v[ib];
            ll += d.y[t] * eta - Math.exp(eta) - lfact(d.y[t]);
          }
          cell[ia * m + ib] = Math.exp(ll);
        }
      T[f].push(cell);
    }
  }
  let total = 0;
  for (let i1 = 0; i1 < m; i1++)
    for (let i2 = 0; i2 < m; i2++)
      for (let i3 = 0; i3 < m; i3++) {
        let prod = w[i1] * w[i2] * w[i3];
        for (let g = 0; g < 3; g++) {
          const c1 = T[0][g];
          const c2 = T[1][g];
          const c3 = T[2][g];
          let inner = 0;
          for (let ib = 0; ib < m; ib++) inner += w[ib] * c1[i1 * m + ib] * c2[i2 * m + ib] * c3[i3 * m + ib];
          prod *= inner;
        }
        total += prod;
      }
  return Math.log(total);
}

test("the blocks of linked random effects: nested gives one per outer level, crossed one in all", () => {
  const nested = problemOf(NESTED, nestedData(1).table, "binomial");
  const cn = reComponents(nested.reterms, nested.y.length);
  assert.equal(cn.components.length, NA);
  assert.equal(cn.maxDim, 1 + NB);
  for (const c of cn.components) assert.equal(c.rows.length, NB * PER_B);
  const crossed = problemOf(CROSSED, crossedData(1).table, "poisson");
  const cc = reComponents(crossed.reterms, crossed.y.length);
  assert.equal(cc.components.length, 1);
  assert.equal(cc.maxDim, 6);
});

test("extended AGQ reduces to lme4's rule for one scalar term and to the per-level rule for a vector term", () => {
  const d = nestedData(3);
  const scalar = problemOf("cbind(s, trials - s) ~ x + (1 | A:B)", d.table, "binomial");
  const th1 = [0.8];
  const w1 = stateAt(scalar, th1, [-0.2, 0.5]);
  const c1 = reComponents(scalar.reterms, w1.n);
  for (const q of [1, 2, 5, 11, 25])
    expectClose(agqDevianceComponents(w1, th1, q, c1), agqDeviance(w1, th1, q), {
      rtol: 1e-12,
      label: `scalar term, nAGQ = ${q}`,
    });
  const vector = problemOf("cbind(s, trials - s) ~ x + (1 + x | A)", d.table, "binomial");
  const th2 = [0.7, 0.25, 0.4];
  const w2 = stateAt(vector, th2, [-0.2, 0.5]);
  const c2 = reComponents(vector.reterms, w2.n);
  for (const q of [1, 3, 8, 15])
    expectClose(agqDevianceComponents(w2, th2, q, c2), agqDevianceVector(w2, th2, q), {
      rtol: 1e-12,
      label: `vector term, nAGQ = ${q}`,
    });
  // and nAGQ = 1 is the Laplace approximation for several terms too
  const nested = problemOf(NESTED, d.table, "binomial");
  const th3 = thetaFor(nested, { A: 0.9, "A:B": 0.7 });
  const w3 = createGlmmWork(nested);
  setFixed(w3, [-0.2, 0.5]);
  const lap = pirls(w3, th3, false);
  expectClose(
    agqDevianceComponents(w3, th3, 1, reComponents(nested.reterms, w3.n)),
    lap.ldL2 + lap.sqrL + lap.devResid,
    { rtol: 1e-12, label: "nested, nAGQ = 1 vs Laplace" },
  );
});

test("nested binomial (1 | A) + (1 | A:B): extended AGQ converges to brute-force integration", () => {
  const d = nestedData(7);
  const problem = problemOf(NESTED, d.table, "binomial");
  const lamA = 1.1;
  const lamB = 0.8;
  const beta = [-0.3, 0.6];
  const theta = thetaFor(problem, { A: lamA, "A:B": lamB });
  const work = stateAt(problem, theta, beta);
  const exact = nestedBruteForce(d, lamA, lamB, beta);
  const qs = [1, 2, 3, 5, 7, 10, 15, 20];
  const errs = qs.map((q) => Math.abs(logLikExtended(work, theta, q) - exact) / Math.abs(exact));
  const shown = qs.map((q, i) => `${q}: ${errs[i].toExponential(2)}`).join(", ");
  // measured: 2.1e-3 (Laplace), 1.4e-3, 2.6e-4, 1.1e-5, 4.6e-7, 8.9e-9, 1.6e-11, 5.6e-14
  for (let i = 1; i < qs.length; i++) assert.ok(errs[i] < errs[i - 1], `not decreasing: ${shown}`);
  assert.ok(errs[0] > 1e-3, `Laplace is visibly coarser: ${shown}`);
  // nAGQ = 10 is the largest grid within the limit (10^4 points for 4 effects)
  assert.ok(errs[4] < 1e-6 && errs[5] < 2e-8, `nAGQ = 7, 10: ${shown}`);
  // beyond the limit (called directly): agreement to rounding
  assert.ok(errs[7] < 1e-12, `nAGQ = 20: ${shown}`);
});

test("crossed Poisson (1 | F) + (1 | G) on 3 × 3 levels: one 6-dimensional block, AGQ converges to brute force", () => {
  const d = crossedData(2);
  const problem = problemOf(CROSSED, d.table, "poisson");
  const lamF = 0.7;
  const lamG = 0.55;
  const beta = [0.25, 0.35];
  const theta = thetaFor(problem, { F: lamF, G: lamG });
  const work = stateAt(problem, theta, beta);
  const exact = crossedBruteForce(d, lamF, lamG, beta);
  const qs = [1, 2, 3, 4, 7];
  const errs = qs.map((q) => Math.abs(logLikExtended(work, theta, q) - exact) / Math.abs(exact));
  const shown = qs.map((q, i) => `${q}: ${errs[i].toExponential(2)}`).join(", ");
  // measured: 5.3e-4 (Laplace), 1.5e-3, 5.8e-4, 5.0e-6, 9.1e-8 (not monotone in nAGQ: 5, 6, 8, 9,
  // 10 give 2.5e-5, 7.3e-6, 7.5e-7, 1.3e-7, 1.0e-8)
  // nAGQ = 4 (4^6 = 4096 points) is the largest grid within the limit
  assert.ok(errs[3] < 1e-5 && errs[3] < errs[0] / 50, `nAGQ = 4: ${shown}`);
  // beyond the limit (called directly)
  assert.ok(errs[4] < 1e-6, `nAGQ = 7: ${shown}`);
});

test("fitGlmm with agq = extended: nested binomial fit, larger variances than Laplace, reported as such", () => {
  const d = nestedData(11, 12);
  const lap = fitGlmm(NESTED, d.table, { family: "binomial" });
  const agq = fitGlmm(NESTED, d.table, { family: "binomial", nAGQ: 7, agq: "extended" });
  assert.ok(agq.optinfo.converged);
  assert.deepEqual(agq.quadrature, { mode: "extended", blocks: 12, maxDimension: 4, gridPoints: 2401 });
  assert.equal(lap.quadrature, null);
  // the Laplace approximation is known to shrink the variance components of binomial GLMMs with
  // few trials per level (Breslow & Lin 1995; Joe 2008): the quadrature's are larger
  agq.theta.forEach((t, i) => {
    assert.ok(t > lap.theta[i], `θ ${i}: AGQ ${t} vs Laplace ${lap.theta[i]}`);
  });
  // β stays within a fraction of a standard error
  agq.beta.forEach((b, j) => {
    assert.ok(Math.abs(b - lap.beta[j]) < 0.5 * lap.se[j], `β ${j}: ${b} vs ${lap.beta[j]}`);
  });
  // lme4's AGQ convention: logLik without the saturated part, logLik_full the marginal one
  expectClose(agq.logLikFull, agq.logLik + agq.logLikSaturated, { rtol: 1e-14 });
  // at its own optimum the AGQ likelihood is at least the AGQ likelihood at the Laplace estimates
  const problem = problemOf(NESTED, d.table, "binomial");
  const w = stateAt(problem, lap.theta, lap.beta);
  assert.ok(agq.logLikFull >= logLikExtended(w, lap.theta, 7) - 1e-6);
  const json = agq.toJSON();
  assert.deepEqual(json.agq, {
    mode: "extended",
    blocks: 12,
    max_dimension: 4,
    grid_points: 2401,
    grid_limit: 10000,
  });
  assert.equal(lap.toJSON().agq, null);
  const text = printSummary(agq);
  assert.match(text, /Adaptive\s+Gauss-Hermite Quadrature, nAGQ = 7, extended/);
  assert.match(text, /\n Quadrature: 12 blocks of linked random effects, largest 4 \(7\^4 = 2401 points\)\n/);
});

test("extended AGQ refuses a block whose grid exceeds the limit; without the opt-in lme4's refusal stays", () => {
  const crossed = crossedData(2).table;
  // 4^6 = 4096 points is allowed, 5^6 = 15625 is not
  const big = (e: unknown): boolean =>
    e instanceof MixedError &&
    e.code === "E_SPEC_NAGQ" &&
    /5\^6 = 15625/.test(e.message) &&
    /6 effects: 3 levels of F and 3 levels of G/.test(e.message) &&
    /10000/.test(e.message) &&
    /nAGQ = 4 or fewer/.test(e.message);
  assert.throws(() => fitGlmm(CROSSED, crossed, { family: "poisson", nAGQ: 5, agq: "extended" }), big);
  const nested = nestedData(1).table;
  // 4 effects per block: 10^4 fits, 11^4 does not
  assert.throws(
    () => fitGlmm(NESTED, nested, { family: "binomial", nAGQ: 11, agq: "extended" }),
    (e: unknown) => e instanceof MixedError && e.code === "E_SPEC_NAGQ" && /11\^4 = 14641/.test(e.message),
  );
  // lme4's rule without the opt-in
  const refused = (e: unknown): boolean =>
    e instanceof MixedError &&
    e.code === "E_SPEC_NAGQ" &&
    /2 random-effects terms/.test(e.message) &&
    /agq: "extended"/.test(e.message);
  assert.throws(() => fitGlmm(NESTED, nested, { family: "binomial", nAGQ: 5 }), refused);
  assert.throws(() => fitGlmm(NESTED, nested, { family: "binomial", nAGQ: 5, agq: "lme4" }), refused);
  assert.throws(
    // biome-ignore lint/suspicious/noExplicitAny: a bad mode from untyped callers
    () => fitGlmm(NESTED, nested, { family: "binomial", nAGQ: 5, agq: "more" as any }),
    (e: unknown) => e instanceof MixedError && e.code === "E_OPTION_INVALID",
  );
});

test("cbpp with (1 | herd) + (1 | herd:period): Laplace reproduces glmer; extended AGQ converges to brute force", () => {
  const ref = JSON.parse(readFileSync("test/reference/glmm/cbpp_obs_laplace.json", "utf8"));
  const data = loadBundled("cbpp");
  // 56 levels of herd:period for 56 rows: glmer accepts it (an observation-level effect)
  const fit = fitGlmm(ref.formula, data, { family: "binomial" });
  assert.deepEqual(fit.thetaNames, Object.keys(ref.theta));
  expectClose(fit.logLik, ref.logLik, { rtol: 1e-4, label: "logLik" });
  assert.ok(fit.logLik >= ref.logLik - 1e-3, "not worse than lme4's optimum");
  Object.values(ref.theta as Record<string, number>).forEach((t, i) => {
    expectClose(fit.theta[i], t, { atol: 1e-3, label: `theta ${i}` });
  });
  fit.xnames.forEach((nm, j) => {
    assert.ok(
      Math.abs(fit.beta[j] - ref.beta[nm]) < 2e-3 * ref.se[nm],
      `beta ${nm}: ${fit.beta[j]} vs ${ref.beta[nm]}`,
    );
    assert.ok(Math.abs(fit.se[j] / ref.se[nm] - 1) < 1e-2, `se ${nm}: ${fit.se[j]} vs ${ref.se[nm]}`);
  });
  // at lme4's estimates: Σ_herd log ∫ φ(a) Π_period ∫ φ(v) Bin(incidence | size, logit⁻¹(η)) dv da
  const problem = problemOf(ref.formula, data, "binomial");
  const theta = Object.values(ref.theta as Record<string, number>);
  const beta = fit.xnames.map((nm) => ref.beta[nm] as number);
  const work = stateAt(problem, theta, beta);
  const herdTerm = problem.reterms.find((t) => t.factor === "herd");
  assert.ok(herdTerm);
  const [lamObs, lamHerd] = theta;
  const { v, w } = trapezoid(9, 0.05);
  const m = v.length;
  const n = problem.y.length;
  const fixed = new Float64Array(n);
  for (let j = 0; j < problem.xnames.length; j++)
    for (let t = 0; t < n; t++) fixed[t] += problem.X[j * n + t] * beta[j];
  const size = problem.weights ?? new Float64Array(n).fill(1);
  let exact = 0;
  for (let h = 0; h < herdTerm.levels.length; h++) {
    let outer = 0;
    for (let i = 0; i < m; i++) {
      let prod = 1;
      for (let t = 0; t < n; t++) {
        if (herdTerm.refs[t] !== h) continue;
        const k = Math.round(problem.y[t] * size[t]);
        const N = size[t];
        let inner = 0;
        for (let j = 0; j < m; j++) {
          const eta = fixed[t] + lamHerd * v[i] + lamObs * v[j];
          const sp = eta > 0 ? eta + Math.log1p(Math.exp(-eta)) : Math.log1p(Math.exp(eta));
          inner += w[j] * Math.exp(lfact(N) - lfact(k) - lfact(N - k) + k * eta - N * sp);
        }
        prod *= inner;
      }
      outer += w[i] * prod;
    }
    exact += Math.log(outer);
  }
  const qs = [1, 2, 3, 4, 5, 6, 10];
  const errs = qs.map((q) => Math.abs(logLikExtended(work, theta, q) - exact) / Math.abs(exact));
  const shown = qs.map((q, i) => `${q}: ${errs[i].toExponential(2)}`).join(", ");
  // measured (exact −87.34031): 2.4e-4 (Laplace), 1.4e-3, 2.1e-3, 1.6e-4, 2.7e-5, 2.9e-5, 3.1e-7; the
  // zero counts make the observation-level integrands skewed, so the rule converges slowly
  // (7, 8, 12 give 7.0e-6, 1.7e-6, 1.0e-8)
  expectClose(logLikExtended(work, theta, 1), ref.logLik, {
    rtol: 1e-6,
    label: "nAGQ = 1 is lme4's Laplace logLik",
  });
  assert.ok(errs[0] > 1e-4, `Laplace: ${shown}`);
  // nAGQ = 6 (6^5 = 7776 points) is the largest grid within the limit
  assert.ok(errs[4] < errs[0] / 5 && errs[5] < errs[0] / 5 && errs[5] < 5e-5, `nAGQ = 5, 6: ${shown}`);
  // beyond the limit (called directly)
  assert.ok(errs[6] < 1e-6, `nAGQ = 10: ${shown}`);
});
