/**
 * Invariants on small random problems (crossed, nested, vector-valued, weights, offset):
 * 1. L·Lᵀ equals the augmented system [ΛᵀZᵀWZΛ + I, ΛᵀZᵀW[X y]; ·, [X y]ᵀW[X y]] for random θ;
 * 2. the ML deviance / REML criterion equals a dense brute-force −2 log-likelihood built from
 *    V = ZΛΛᵀZᵀ + W⁻¹ with GLS β̂ and profiled σ̂, and the same from a dense QR of the penalised
 *    least-squares problem (test/helpers/dense-lmm.ts, shared with the fuzz test).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { toDense } from "../../../src/linalg/block-types.ts";
import { createLmm, type LmmModel } from "../../../src/lmm/lmm-model.ts";
import { objective, updateL } from "../../../src/lmm/update-l.ts";
import { denseObjective, denseObjectiveMarginal, matmul } from "../../helpers/dense-lmm.ts";
import { expectClose } from "../../helpers/expect-close.ts";
import { rng, syntheticProblem, type TermSpec } from "./synthetic-problems.ts";

const CASES: {
  name: string;
  n: number;
  p: number;
  specs: TermSpec[];
  weights?: boolean;
  offset?: boolean;
  sparse?: boolean;
}[] = [
  {
    name: "crossed scalar",
    n: 60,
    p: 2,
    specs: [
      { nl: 12, S: 1 },
      { nl: 5, S: 1 },
    ],
  },
  {
    name: "nested scalar",
    n: 50,
    p: 1,
    specs: [
      { nl: 12, S: 1, nestedIn: 1 },
      { nl: 4, S: 1 },
    ],
  },
  {
    name: "vector + crossed",
    n: 70,
    p: 3,
    specs: [
      { nl: 8, S: 2 },
      { nl: 6, S: 1 },
    ],
    weights: true,
  },
  {
    name: "three crossed, weights, offset",
    n: 80,
    p: 2,
    specs: [
      { nl: 10, S: 1 },
      { nl: 7, S: 2 },
      { nl: 3, S: 1 },
    ],
    weights: true,
    offset: true,
  },
  {
    name: "nested vector",
    n: 60,
    p: 2,
    specs: [
      { nl: 9, S: 2, nestedIn: 1 },
      { nl: 3, S: 2 },
    ],
  },
  {
    name: "three-level nesting (sparse blocks)",
    n: 120,
    p: 2,
    specs: [
      { nl: 40, S: 1, nestedIn: 1 },
      { nl: 20, S: 1, nestedIn: 2 },
      { nl: 10, S: 1 },
    ],
    sparse: true,
  },
  {
    name: "three-level nesting, vector (sparse blocks)",
    n: 160,
    p: 2,
    specs: [
      { nl: 40, S: 2, nestedIn: 1 },
      { nl: 20, S: 1, nestedIn: 2 },
      { nl: 10, S: 2 },
    ],
    weights: true,
    sparse: true,
  },
];

/** Dense Z (n×q, internal term order, column-major) and Λ (q×q). */
function denseZLambda(model: LmmModel): { Z: Float64Array; Lam: Float64Array; q: number } {
  const { n, terms, problem } = model;
  const q = terms.reduce((s, t) => s + t.q, 0);
  const Z = new Float64Array(n * q);
  const Lam = new Float64Array(q * q);
  let off = 0;
  for (const t of terms) {
    const z = problem.reterms[t.input].z;
    for (let r = 0; r < n; r++)
      for (let s = 0; s < t.S; s++) Z[(off + t.refs[r] * t.S + s) * n + r] = z[r * t.S + s];
    for (let l = 0; l < t.nl; l++)
      for (let c = 0; c < t.S; c++)
        for (let r = c; r < t.S; r++)
          Lam[(off + l * t.S + c) * q + off + l * t.S + r] = t.lambda[c * t.S + r];
    off += t.q;
  }
  return { Z, Lam, q };
}

function randomTheta(model: LmmModel, seed: number): Float64Array {
  const r = rng(seed);
  const th = new Float64Array(model.ntheta);
  for (const t of model.terms)
    for (let c = 0, o = t.thetaOffset; c < t.S; c++)
      for (let rr = c; rr < t.S; rr++, o++) th[o] = rr === c ? 0.2 + 1.5 * r() : r() - 0.5;
  return th;
}

function assembleL(model: LmmModel, q: number): Float64Array {
  const N = q + model.p + 1;
  const F = new Float64Array(N * N);
  const offs: number[] = [];
  let o = 0;
  for (const t of model.terms) {
    offs.push(o);
    o += t.q;
  }
  offs.push(q);
  for (let i = 0; i <= model.k; i++)
    for (let j = 0; j <= i; j++) {
      const d = toDense(model.L[i][j]);
      for (let c = 0; c < d.cols; c++)
        for (let r = 0; r < d.rows; r++) {
          if (i === j && r < c) continue;
          F[(offs[j] + c) * N + offs[i] + r] = d.data[c * d.rows + r];
        }
    }
  return F;
}

for (const [ci, cs] of CASES.entries()) {
  test(`L·Lᵀ = augmented ΛᵀZᵀWZΛ + I system: ${cs.name}`, () => {
    const prob = syntheticProblem(100 + ci, cs.n, cs.p, cs.specs, cs);
    const model = createLmm(prob);
    if (cs.sparse) {
      // the nested chain keeps block-diagonal diagonal blocks and sparse off-diagonal blocks
      assert.deepEqual(
        model.L.slice(0, 3).map((row) => row.map((b) => b.kind)),
        [["blkdiag"], ["sparse", "blkdiag"], ["sparse", "sparse", "blkdiag"]],
      );
    }
    for (let rep = 0; rep < 3; rep++) {
      const theta = randomTheta(model, 7 * ci + rep + 1);
      assert.ok(updateL(model, theta));
      const { Z, Lam, q } = denseZLambda(model);
      const n = model.n;
      const N = q + model.p + 1;
      // weighted [ZΛ X y]
      const ZL = matmul(Z, Lam, n, q, q);
      const B = new Float64Array(n * N);
      B.set(ZL);
      B.set(model.Xy, n * q);
      if (prob.weights)
        for (let c = 0; c < q; c++) for (let t = 0; t < n; t++) B[c * n + t] *= Math.sqrt(prob.weights[t]);
      const M = matmul(B, B, N, n, N, true);
      for (let c = 0; c < q; c++) M[c * N + c] += 1;
      const F = assembleL(model, q);
      const LLt = new Float64Array(N * N);
      for (let j = 0; j < N; j++)
        for (let i = 0; i < N; i++) {
          let s = 0;
          for (let x = 0; x <= Math.min(i, j); x++) s += F[x * N + i] * F[x * N + j];
          LLt[j * N + i] = s;
        }
      const scale = Math.max(...M.map(Math.abs));
      expectClose(LLt, M, { atol: 1e-10 * scale, label: `${cs.name} LLᵀ` });
    }
  });

  test(`criterion equals brute-force marginal likelihood: ${cs.name}`, () => {
    const prob = syntheticProblem(200 + ci, cs.n, cs.p, cs.specs, cs);
    const model = createLmm(prob);
    for (let rep = 0; rep < 2; rep++) {
      const theta = randomTheta(model, 31 * ci + rep + 5);
      for (const reml of [false, true]) {
        const got = objective(model, theta, reml);
        const want = denseObjective(prob, theta, reml);
        expectClose(got, want, { rtol: 1e-9, label: `${cs.name} ${reml ? "REML" : "ML"}` });
        const marginal = denseObjectiveMarginal(prob, theta, reml);
        expectClose(got, marginal, { rtol: 1e-9, label: `${cs.name} ${reml ? "REML" : "ML"} (from V)` });
      }
    }
  });
}
