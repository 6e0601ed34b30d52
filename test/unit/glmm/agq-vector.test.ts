/**
 * Extended adaptive Gauss–Hermite quadrature for a vector-valued random-effects term (beyond lme4):
 * the AGQ log-likelihood equals brute-force two-dimensional integration, the one-point rule is the
 * Laplace approximation, the fit runs, and the grid limit is enforced.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { ColumnTable } from "../../../src/data/column-table.ts";
import { MixedError } from "../../../src/errors.ts";
import { makeFamily } from "../../../src/glm/make-family.ts";
import { agqDevianceVector } from "../../../src/glmm/agq.ts";
import { fitGlmm } from "../../../src/glmm/fit-glmm.ts";
import { glmmFamily } from "../../../src/glmm/glmm-family.ts";
import type { GlmmProblem } from "../../../src/glmm/glmm-problem.ts";
import { createGlmmWork, pirls, setFixed } from "../../../src/glmm/pirls.ts";
import { expectClose } from "../../helpers/expect-close.ts";
import { rng } from "../lmm/synthetic-problems.ts";

const G = 6;
const PER = 12;

function poissonData(seed: number) {
  const r = rng(seed);
  const z = () => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
  const n = G * PER;
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  const g = new Int32Array(n);
  for (let l = 0; l < G; l++) {
    const b0 = 0.6 * z();
    const b1 = 0.4 * z();
    for (let k = 0; k < PER; k++) {
      const t = l * PER + k;
      g[t] = l;
      x[t] = (k - PER / 2) / PER;
      const lambda = Math.exp(0.5 + b0 + (0.7 + b1) * x[t]);
      let cnt = 0;
      let p = Math.exp(-lambda);
      let s = p;
      const u = r();
      while (u > s) {
        cnt++;
        p *= lambda / cnt;
        s += p;
      }
      y[t] = cnt;
    }
  }
  return { x, y, g, n };
}

function lfact(k: number): number {
  let s = 0;
  for (let i = 2; i <= k; i++) s += Math.log(i);
  return s;
}

test("AGQ for a (1 + x | g) term equals brute-force 2-D integration of the Poisson likelihood", () => {
  const { x, y, g, n } = poissonData(11);
  const X = new Float64Array(2 * n);
  const zr = new Float64Array(2 * n);
  for (let t = 0; t < n; t++) {
    X[t] = 1;
    X[n + t] = x[t];
    zr[2 * t] = 1;
    zr[2 * t + 1] = x[t];
  }
  const fam = makeFamily("poisson");
  const problem: GlmmProblem = {
    y,
    X,
    xnames: ["(Intercept)", "x"],
    reterms: [
      {
        name: "g",
        factor: "g",
        levels: Array.from({ length: G }, (_, l) => `g${l}`),
        refs: g,
        cnames: ["(Intercept)", "x"],
        z: zr,
      },
    ],
    family: glmmFamily(fam, new Float64Array(n).fill(1)),
  };
  const theta = [0.55, 0.2, 0.35]; // λ = [[0.55, 0], [0.2, 0.35]]
  const beta = [0.45, 0.65];
  const work = createGlmmWork(problem);
  setFixed(work, beta);
  const lap = pirls(work, theta, false);
  // the one-point rule is the Laplace approximation (deviance-residual form)
  expectClose(agqDevianceVector(work, theta, 1), lap.ldL2 + lap.sqrL + lap.devResid, {
    rtol: 1e-12,
    label: "nAGQ = 1",
  });
  const d15 = agqDevianceVector(work, theta, 15);
  const logLikAgq = -(d15 + work.minus2LogLikSaturated) / 2;
  // brute force: Σ_l log ∫∫ Π_t Pois(y_t | exp(xβ + z'Λu)) φ(u1) φ(u2) du, trapezoid on [−8, 8]²
  const h = 0.04;
  const m = Math.round(16 / h);
  let total = 0;
  for (let l = 0; l < G; l++) {
    let acc = 0;
    for (let i = 0; i <= m; i++) {
      const u1 = -8 + i * h;
      const wi = i === 0 || i === m ? 0.5 : 1;
      for (let j = 0; j <= m; j++) {
        const u2 = -8 + j * h;
        const wj = j === 0 || j === m ? 0.5 : 1;
        const b0 = theta[0] * u1;
        const b1 = theta[1] * u1 + theta[2] * u2;
        let ll = -0.5 * (u1 * u1 + u2 * u2) - Math.log(2 * Math.PI);
        for (let k = 0; k < PER; k++) {
          const t = l * PER + k;
          const eta = beta[0] + b0 + (beta[1] + b1) * x[t];
          ll += y[t] * eta - Math.exp(eta) - lfact(y[t]);
        }
        acc += wi * wj * Math.exp(ll);
      }
    }
    total += Math.log(acc * h * h);
  }
  expectClose(logLikAgq, total, { rtol: 1e-8, label: "AGQ(15²) vs brute force" });
  // and the Laplace approximation is visibly coarser than the quadrature
  const logLikLap = -(lap.ldL2 + lap.sqrL + lap.devResid + work.minus2LogLikSaturated) / 2;
  assert.ok(Math.abs(logLikLap - total) > 10 * Math.abs(logLikAgq - total));
});

test("fitGlmm with agq = extended fits a vector term by AGQ, close to the Laplace fit; limits are enforced", () => {
  const { x, y, g, n } = poissonData(5);
  const data = new ColumnTable("pv", [
    { kind: "numeric", name: "y", values: y, integer: true },
    { kind: "numeric", name: "x", values: x, integer: false },
    {
      kind: "factor",
      name: "g",
      codes: g,
      levels: Array.from({ length: G }, (_, l) => `g${l}`),
      ordered: false,
      contrasts: null,
    },
  ]);
  void n;
  const f = "y ~ x + (1 + x | g)";
  const lap = fitGlmm(f, data, { family: "poisson" });
  const agq = fitGlmm(f, data, { family: "poisson", nAGQ: 9, agq: "extended" });
  assert.equal(agq.nAGQ, 9);
  assert.ok(agq.optinfo.converged);
  agq.beta.forEach((b, j) => {
    assert.ok(Math.abs(b - lap.beta[j]) < 0.2 * lap.se[j], `beta ${j}: ${b} vs Laplace ${lap.beta[j]}`);
  });
  assert.ok(Math.abs(agq.logLikFull - lap.logLik) < 1, "AGQ and Laplace log-likelihoods close");
  const limit = (e: unknown) =>
    e instanceof MixedError && e.code === "E_SPEC_NAGQ" && /10000/.test(e.message);
  assert.throws(
    () => fitGlmm(f, data, { family: "poisson", nAGQ: 101, agq: "extended" }),
    (e: unknown) => e instanceof MixedError,
  );
  assert.throws(
    () =>
      fitGlmm("y ~ x + (1 + x + I(x^2) + I(x^3) | g)", data, {
        family: "poisson",
        nAGQ: 11,
        agq: "extended",
      }),
    limit,
  );
  assert.throws(
    () => fitGlmm(f, data, { family: "poisson", nAGQ: 5 }),
    (e: unknown) => e instanceof MixedError && e.code === "E_SPEC_NAGQ" && /agq: "extended"/.test(e.message),
  );
});
