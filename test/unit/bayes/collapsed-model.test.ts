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
import { type CollapsedModel, MAX_DENSE_Q } from "../../../src/bayes/collapsed-model.ts";
import { ColumnTable } from "../../../src/data/column-table.ts";
import { MixedError } from "../../../src/errors.ts";
import { cholesky, forwardSolve } from "../../helpers/dense-lmm.ts";
import { rng } from "../../helpers/dense-reference.ts";
import { loadBundled } from "../../helpers/load-bundled.ts";

interface Dense {
  ll: number;
  /** E[b | y] in output order. */
  mean: Float64Array;
  /** Cov[b | y] (q×q, output order). */
  cov: Float64Array;
}

/** log N(y; Xβ, σ²I + Z Σ_b Zᵀ) and the moments of b | y by dense n×n algebra (Z n×q row-major). */
function dense(
  y: Float64Array,
  X: Float64Array,
  p: number,
  Z: Float64Array,
  q: number,
  beta: ArrayLike<number>,
  Sb: Float64Array,
  sigma: number,
): Dense {
  const n = y.length;
  // ZS = Z Σ_b (n×q)
  const ZS = new Float64Array(n * q);
  for (let i = 0; i < n; i++)
    for (let b = 0; b < q; b++) {
      let v = 0;
      for (let a = 0; a < q; a++) v += Z[i * q + a] * Sb[a * q + b];
      ZS[i * q + b] = v;
    }
  const V = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      let v = i === j ? sigma * sigma : 0;
      for (let a = 0; a < q; a++) v += ZS[i * q + a] * Z[j * q + a];
      V[j * n + i] = v;
    }
  const L = cholesky(V, n);
  const r = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let v = y[i];
    for (let a = 0; a < p; a++) v -= X[a * n + i] * beta[a];
    r[i] = v;
  }
  const x = forwardSolve(L, n, r);
  let logdet = 0;
  for (let i = 0; i < n; i++) logdet += 2 * Math.log(L[i * n + i]);
  const ll = -0.5 * n * Math.log(2 * Math.PI) - 0.5 * logdet - 0.5 * x.reduce((acc, v) => acc + v * v, 0);
  const Vr = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let v = x[i];
    for (let k = i + 1; k < n; k++) v -= L[i * n + k] * Vr[k];
    Vr[i] = v / L[i * n + i];
  }
  const mean = new Float64Array(q);
  for (let i = 0; i < n; i++) for (let a = 0; a < q; a++) mean[a] += ZS[i * q + a] * Vr[i];
  const W: Float64Array[] = [];
  for (let a = 0; a < q; a++)
    W.push(
      forwardSolve(
        L,
        n,
        Float64Array.from({ length: n }, (_, i) => ZS[i * q + a]),
      ),
    );
  const cov = Float64Array.from(Sb);
  for (let a = 0; a < q; a++)
    for (let b = 0; b < q; b++) cov[a * q + b] -= W[a].reduce((acc, v, i) => acc + v * W[b][i], 0);
  return { ll, mean, cov };
}

const models: [string, string, string, string[]][] = [
  ["sleepstudy correlated", "sleepstudy", "Reaction ~ Days + (Days | Subject)", []],
  ["sleepstudy intercept", "sleepstudy", "Reaction ~ Days + (1 | Subject)", []],
  ["sleepstudy independent", "sleepstudy", "Reaction ~ Days + (Days || Subject)", ["sd: uniform(0, 100)"]],
  ["crossed (dense path)", "Penicillin", "diameter ~ 1 + (1 | plate) + (1 | sample)", []],
  ["nested (dense path)", "Pastes", "strength ~ 1 + (1 | batch/cask)", []],
];

for (const [label, data, formula, priors] of models) {
  test(`collapsed ${label}: marginal likelihood and random-effect conditional = dense algebra`, () => {
    const build = buildBayesModel(formula, loadBundled(data), { method: "collapsed", priors });
    const m = build.model as CollapsedModel;
    const bd = build.design;
    const n = bd.n;
    const names = m.outputNames;
    const r0 = names.findIndex((nm) => nm.startsWith("r_"));
    const q = names.length - r0;
    const u = rng(3);
    const out = new Float64Array(names.length);
    for (let k = 0; k < 2; k++) {
      const qv = new Float64Array(m.dim);
      m.initialPoint(qv, u);
      m.constrain(qv, out, () => 0);
      // Z and Σ_b in output order
      const Z = new Float64Array(n * q);
      const Sb = new Float64Array(q * q);
      let j = 0;
      for (const f of bd.factors)
        for (let l = 0; l < f.levels.length; l++) {
          const start = j;
          for (const ti of f.terms) {
            const t = bd.terms[ti];
            const tStart = j;
            const sd = t.cnames.map(
              (c) => out[names.indexOf(`sd_${t.factor}__${c === "(Intercept)" ? "Intercept" : c}`)],
            );
            for (let c = 0; c < t.S; c++, j++) {
              for (let i = 0; i < n; i++) if (t.refs[i] === l) Z[i * q + j] = t.z[i * t.S + c];
              for (let c2 = 0; c2 < t.S; c2++) {
                const rho = c === c2 ? 1 : out[names.findIndex((nm) => nm.startsWith(`cor_${t.factor}__`))];
                Sb[j * q + tStart + c2] = rho * sd[c] * sd[c2];
              }
            }
          }
          void start;
        }
      const sigma = out[names.indexOf("sigma")];
      const d = dense(bd.y, bd.X, bd.p, Z, q, out.subarray(0, bd.p), Sb, sigma);
      const ll = m.logMarginalLikelihood(qv);
      assert.ok(Math.abs(ll - d.ll) < 1e-9 * Math.abs(d.ll), `${ll} vs dense ${d.ll}`);
      for (let i = 0; i < q; i++)
        assert.ok(Math.abs(out[r0 + i] - d.mean[i]) < 1e-8 * (1 + Math.abs(d.mean[i])), `${names[r0 + i]}`);
      // covariance from unit normal streams: Σ_a (draw_a − mean)(draw_a − mean)ᵀ
      const cov = new Float64Array(q * q);
      for (let a = 0; a < q; a++) {
        let count = 0;
        m.constrain(qv, out, () => (count++ === a ? 1 : 0));
        for (let x = 0; x < q; x++) {
          const dx = out[r0 + x] - d.mean[x];
          if (dx === 0) continue;
          for (let y = 0; y < q; y++) cov[x * q + y] += dx * (out[r0 + y] - d.mean[y]);
        }
      }
      const scale = Math.max(...Array.from({ length: q }, (_, i) => d.cov[i * q + i]));
      for (let i = 0; i < q * q; i++)
        assert.ok(Math.abs(cov[i] - d.cov[i]) < 1e-8 * scale, `cov ${i}: ${cov[i]} vs ${d.cov[i]}`);
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

test("collapsed refuses several grouping factors beyond the dense limit, naming nuts-full", () => {
  const n = 1200;
  const u = rng(9);
  const table = new ColumnTable("big", [
    { kind: "numeric", name: "y", values: Float64Array.from({ length: n }, () => u()), integer: false },
    {
      kind: "factor",
      name: "a",
      codes: Int32Array.from({ length: n }, (_, i) => i % 200),
      levels: Array.from({ length: 200 }, (_, i) => `a${i}`),
      ordered: false,
      contrasts: null,
    },
    {
      kind: "factor",
      name: "b",
      codes: Int32Array.from({ length: n }, (_, i) => Math.floor(i / 12)),
      levels: Array.from({ length: 100 }, (_, i) => `b${i}`),
      ordered: false,
      contrasts: null,
    },
  ]);
  assert.ok(300 > MAX_DENSE_Q);
  assert.throws(
    () => buildBayesModel("y ~ 1 + (1 | a) + (1 | b)", table, { method: "collapsed" }),
    (e: unknown) =>
      e instanceof MixedError && e.code === "E_BAYES_UNSUPPORTED" && /nuts-full/.test(e.message),
  );
  // the default method there is nuts-full; for small crossed models collapsed
  assert.equal(buildBayesModel("y ~ 1 + (1 | a) + (1 | b)", table).method, "nuts-full");
  assert.equal(
    buildBayesModel("diameter ~ 1 + (1 | plate) + (1 | sample)", loadBundled("Penicillin")).method,
    "collapsed",
  );
});
