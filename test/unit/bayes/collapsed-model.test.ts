/**
 * The collapsed model against brute-force dense algebra: its marginal likelihood equals
 * log N(y; Xβ, σ²I + Z Σ Zᵀ) computed with an n×n Cholesky, its log density differs from the
 * full model's hyper-parameter part only by that likelihood, and `constrain` draws the random
 * effects from the exact conditional N(Σ Zᵀ V⁻¹ r, Σ − Σ Zᵀ V⁻¹ Z Σ) (mean with a zero normal
 * stream, covariance from unit streams). Plus the refusal of several grouping factors.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { buildBayesModel } from "../../../src/bayes/build-bayes-model.ts";
import type { CollapsedModel } from "../../../src/bayes/collapsed-model.ts";
import { MixedError } from "../../../src/errors.ts";
import { cholesky, forwardSolve } from "../../helpers/dense-lmm.ts";
import { rng } from "../../helpers/dense-reference.ts";
import { loadBundled } from "../../helpers/load-bundled.ts";

interface Dense {
  ll: number;
  /** E[b | y] per level (level-major, K per level). */
  mean: Float64Array;
  /** Cov[b_0 | y] of level 0 (K×K). */
  cov0: Float64Array;
}

/** Dense marginal likelihood and conditional moments for one grouping factor. */
function dense(
  y: Float64Array,
  X: Float64Array,
  p: number,
  refs: Int32Array,
  Z: Float64Array, // n×K row-major
  K: number,
  J: number,
  beta: Float64Array,
  Sigma: Float64Array, // K×K
  sigma: number,
): Dense {
  const n = y.length;
  const V = new Float64Array(n * n);
  const zs = (i: number, j: number) => {
    let s = 0;
    for (let a = 0; a < K; a++)
      for (let b = 0; b < K; b++) s += Z[i * K + a] * Sigma[a * K + b] * Z[j * K + b];
    return s;
  };
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++)
      V[j * n + i] = (i === j ? sigma * sigma : 0) + (refs[i] === refs[j] ? zs(i, j) : 0);
  const L = cholesky(V, n);
  const r = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = y[i];
    for (let a = 0; a < p; a++) s -= X[a * n + i] * beta[a];
    r[i] = s;
  }
  const x = forwardSolve(L, n, r);
  let logdet = 0;
  for (let i = 0; i < n; i++) logdet += 2 * Math.log(L[i * n + i]);
  const ll = -0.5 * n * Math.log(2 * Math.PI) - 0.5 * logdet - 0.5 * x.reduce((s, v) => s + v * v, 0);
  // V⁻¹ r by back substitution on Lᵀ
  const Vr = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let s = x[i];
    for (let k = i + 1; k < n; k++) s -= L[i * n + k] * Vr[k];
    Vr[i] = s / L[i * n + i];
  }
  const mean = new Float64Array(J * K);
  for (let i = 0; i < n; i++)
    for (let a = 0; a < K; a++) {
      let s = 0;
      for (let b = 0; b < K; b++) s += Sigma[a * K + b] * Z[i * K + b];
      mean[refs[i] * K + a] += s * Vr[i];
    }
  // Cov of level 0: Σ − Σ Z₀ᵀ V⁻¹ Z₀ Σ with W = L⁻¹ (Z Σ) columns for level 0
  const cov0 = Float64Array.from(Sigma);
  const cols: Float64Array[] = [];
  for (let a = 0; a < K; a++) {
    const c = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      if (refs[i] !== 0) continue;
      let s = 0;
      for (let b = 0; b < K; b++) s += Z[i * K + b] * Sigma[b * K + a];
      c[i] = s;
    }
    cols.push(forwardSolve(L, n, c));
  }
  for (let a = 0; a < K; a++)
    for (let b = 0; b < K; b++) cov0[a * K + b] -= cols[a].reduce((s, v, i) => s + v * cols[b][i], 0);
  return { ll, mean, cov0 };
}

const models: [string, string, string, string[]][] = [
  ["sleepstudy correlated", "sleepstudy", "Reaction ~ Days + (Days | Subject)", []],
  ["sleepstudy intercept", "sleepstudy", "Reaction ~ Days + (1 | Subject)", []],
  ["sleepstudy independent", "sleepstudy", "Reaction ~ Days + (Days || Subject)", ["sd: uniform(0, 100)"]],
];

for (const [label, data, formula, priors] of models) {
  test(`collapsed ${label}: marginal likelihood and random-effect conditional = dense algebra`, () => {
    const build = buildBayesModel(formula, loadBundled(data), { method: "collapsed", priors });
    const m = build.model as CollapsedModel;
    const bd = build.design;
    const f = bd.factors[0];
    const K = f.K;
    const n = bd.n;
    const Z = new Float64Array(n * K);
    let o = 0;
    for (const ti of f.terms) {
      const t = bd.terms[ti];
      for (let i = 0; i < n; i++) for (let c = 0; c < t.S; c++) Z[i * K + o + c] = t.z[i * t.S + c];
      o += t.S;
    }
    const u = rng(3);
    const nOut = m.outputNames.length;
    const out = new Float64Array(nOut);
    for (let k = 0; k < 2; k++) {
      const q = new Float64Array(m.dim);
      m.initialPoint(q, u);
      m.constrain(q, out, () => 0);
      const beta = out.subarray(0, bd.p);
      const names = m.outputNames;
      const sds = f.terms.flatMap((ti) =>
        bd.terms[ti].cnames.map(
          (_, c) =>
            out[
              bd.p + o * 0 + c + f.terms.slice(0, f.terms.indexOf(ti)).reduce((s, t) => s + bd.terms[t].S, 0)
            ],
        ),
      );
      const sigma = out[names.indexOf("sigma")];
      const Sigma = new Float64Array(K * K);
      for (let a = 0; a < K; a++) Sigma[a * K + a] = sds[a] * sds[a];
      const ci = names.findIndex((nm) => nm.startsWith("cor_"));
      if (ci >= 0) {
        Sigma[1] = Sigma[K] = out[ci] * sds[0] * sds[1];
      }
      const d = dense(
        bd.y,
        bd.X,
        bd.p,
        bd.terms[0].refs,
        Z,
        K,
        f.levels.length,
        Float64Array.from(beta),
        Sigma,
        sigma,
      );
      const ll = m.logMarginalLikelihood(q);
      assert.ok(Math.abs(ll - d.ll) < 1e-9 * Math.abs(d.ll), `${ll} vs dense ${d.ll}`);
      const r0 = names.findIndex((nm) => nm.startsWith("r_"));
      for (let i = 0; i < d.mean.length; i++)
        assert.ok(Math.abs(out[r0 + i] - d.mean[i]) < 1e-8 * (1 + Math.abs(d.mean[i])), `${names[r0 + i]}`);
      // covariance of level 0 from unit normal streams
      const cov = new Float64Array(K * K);
      for (let a = 0; a < K; a++) {
        let count = 0;
        m.constrain(q, out, () => (count++ === a ? 1 : 0));
        for (let x = 0; x < K; x++)
          for (let y = 0; y < K; y++) cov[x * K + y] += (out[r0 + x] - d.mean[x]) * (out[r0 + y] - d.mean[y]);
      }
      for (let i = 0; i < K * K; i++)
        assert.ok(
          Math.abs(cov[i] - d.cov0[i]) < 1e-8 * (1 + Math.abs(d.cov0[0])),
          `cov ${i}: ${cov[i]} vs ${d.cov0[i]}`,
        );
    }
  });
}

test("collapsed log density = marginal likelihood + the full model's hyper-parameter terms (differences)", () => {
  const data = loadBundled("sleepstudy");
  const c = buildBayesModel("Reaction ~ Days + (Days | Subject)", data, { method: "collapsed" })
    .model as CollapsedModel;
  const u = rng(5);
  const g = new Float64Array(c.dim);
  const pts = [0, 1].map(() => {
    const q = new Float64Array(c.dim);
    c.initialPoint(q, u);
    return q;
  });
  // the prior + Jacobian part is the collapsed lp minus the likelihood; on a full non-centred model
  // with z = 0 the likelihood is the fixed-effects-only Gaussian, so compare the priors via z = 0
  const full = buildBayesModel("Reaction ~ Days + (Days | Subject)", data, {
    method: "nuts-full",
    parameterisation: "noncentred",
  }).model;
  const gf = new Float64Array(full.dim);
  const bd = buildBayesModel("Reaction ~ Days + (1 | Subject)", data).design;
  const y = bd.y;
  const days = bd.X.subarray(y.length, 2 * y.length);
  const priorPart = (q: Float64Array) => {
    const qf = new Float64Array(full.dim);
    qf.set(q);
    const lp = full.logDensityGradient(qf, gf);
    const sigma = Math.exp(q[5]);
    let ss = 0;
    for (let i = 0; i < y.length; i++) ss += (y[i] - q[0] - q[1] * days[i]) ** 2;
    return lp + y.length * Math.log(sigma) + ss / (2 * sigma * sigma);
  };
  const diffC =
    c.logDensityGradient(pts[1], g) -
    c.logMarginalLikelihood(pts[1]) -
    (c.logDensityGradient(pts[0], g) - c.logMarginalLikelihood(pts[0]));
  const diffF = priorPart(pts[1]) - priorPart(pts[0]);
  assert.ok(Math.abs(diffC - diffF) < 1e-9 * (1 + Math.abs(diffF)), `${diffC} vs ${diffF}`);
});

test("collapsed refuses several grouping factors, naming nuts-full", () => {
  assert.throws(
    () =>
      buildBayesModel("diameter ~ 1 + (1 | plate) + (1 | sample)", loadBundled("Penicillin"), {
        method: "collapsed",
      }),
    (e: unknown) =>
      e instanceof MixedError && e.code === "E_BAYES_UNSUPPORTED" && /nuts-full/.test(e.message),
  );
  // the default method for crossed factors is nuts-full
  assert.equal(
    buildBayesModel("diameter ~ 1 + (1 | plate) + (1 | sample)", loadBundled("Penicillin")).method,
    "nuts-full",
  );
});
