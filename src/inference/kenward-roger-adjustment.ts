/**
 * The Kenward–Roger adjusted covariance of β̂ (Kenward & Roger 1997, as pbkrtest's `vcovAdj`)
 * and the ingredients of its degrees of freedom.
 *
 * Covariance parameters are taken in pbkrtest's linear parameterisation: the marginal covariance
 * is Σ = Σ_i γ_i G_i, with one γ per variance or covariance element of each random-effects term's
 * covariance matrix (lower triangle, column by column, terms in lme4's order) and the residual
 * variance last; G_i = Z_t (I ⊗ (E_ab + E_ba)) Z_tᵀ (E_aa once for a variance), G_res = I. With
 * Φ = (XᵀΣ⁻¹X)⁻¹,
 *   P_i  = −XᵀΣ⁻¹G_iΣ⁻¹X,            Q_ij = XᵀΣ⁻¹G_iΣ⁻¹G_jΣ⁻¹X   (R_ij = 0, Σ is linear in γ),
 *   I_ij = tr(Σ⁻¹G_iΣ⁻¹G_j) − 2 tr(ΦQ_ij) + tr(ΦP_iΦP_j)   (twice the REML expected information),
 *   W    = 2 I⁻¹ (a generalised inverse when I is near singular, as pbkrtest),
 *   Φ_A  = Φ + 2Φ [Σ_ij W_ij (Q_ij − P_iΦP_j)] Φ.
 *
 * No n×n matrix is formed. Σ is block diagonal over the connected clusters of observations (two
 * observations are connected when they share a level of some grouping factor), and within a
 * cluster every quantity is reduced to the cluster's random effects through
 * Σ⁻¹ = σ⁻²(I − ZΛC⁻¹ΛᵀZᵀ), C = ΛᵀZᵀZΛ + I (Λ the relative covariance factor, from θ):
 *   ZᵀΣ⁻¹Z  = σ⁻²(A − FᵀC⁻¹F),  ZᵀΣ⁻²Z = σ⁻⁴(A − FᵀC⁻¹F − FᵀC⁻²F),  A = ZᵀZ, F = ΛᵀA,
 *   tr Σ⁻²  = σ⁻⁴(n − q + ‖C⁻¹‖²_F),
 * and Σ⁻¹X, Σ⁻²X by the same identity row by row. The cost is O(Σ_c q_c³) for clusters of q_c
 * random effects plus O(n·p·(k + p)) for n rows with k random-effect columns each: nested and
 * single-factor models cost little at any n; crossed factors form one cluster of all their levels,
 * which is refused above {@link MAX_CLUSTER_RANDOM_EFFECTS}.
 */
import type { Design } from "../design/design.ts";
import { NumericalError, SpecError } from "../errors.ts";
import { backSolveTransposed, choleskyInPlace, forwardSolve } from "../linalg/dense-cholesky.ts";
import { symmetricEigen } from "../linalg/symmetric-eigen.ts";
import { fitInternals } from "../lmm/fit-internals.ts";
import type { LmmFit } from "../lmm/fit-lmm.ts";

/**
 * The largest number of random effects in one connected cluster that the dense computation takes.
 * Its time grows as the cube (a Cholesky factor and q_c solves, about 1.3·q_c³ flops): on the
 * 2-core test machine 724 random effects took 1.0 s of CPU and 1,224 took 3.6 s, so the limit
 * costs about 15 s.
 */
export const MAX_CLUSTER_RANDOM_EFFECTS = 2000;

export interface KenwardRogerAdjustment {
  /** Number of fixed effects p. */
  readonly p: number;
  /** Number of covariance parameters (variance/covariance elements, then the residual). */
  readonly d: number;
  /** β̂ (user scale). */
  readonly beta: Float64Array;
  /** Φ = (XᵀΣ⁻¹X)⁻¹, p×p row-major. */
  readonly Phi: Float64Array;
  /** Φ_A, the adjusted covariance of β̂, p×p row-major. */
  readonly PhiA: Float64Array;
  /** P_i = −XᵀΣ⁻¹G_iΣ⁻¹X, each p×p row-major. */
  readonly P: readonly Float64Array[];
  /** ΦP_iΦ, each p×p row-major (what the df of any contrast need). */
  readonly PhiPPhi: readonly Float64Array[];
  /** W = 2·I⁻¹, the asymptotic covariance of the covariance parameters, d×d row-major. */
  readonly W: Float64Array;
  /** Whether W came from a generalised inverse (pbkrtest: smallest |eigenvalue| ≤ 1e-10). */
  readonly generalisedInverse: boolean;
  /** Number of random effects in the largest connected cluster. */
  readonly largestCluster: number;
}

const cache = new WeakMap<object, KenwardRogerAdjustment>();

/** pbkrtest's switch to a generalised inverse of the information. */
const SINGULAR_INFORMATION = 1e-10;
/** MASS::ginv's relative tolerance, sqrt(.Machine$double.eps). */
const GINV_TOL = Math.sqrt(2.220446049250313e-16);

/** One covariance parameter of a random-effects term: the (a, b) element of its covariance. */
interface ReParam {
  readonly term: number;
  readonly a: number;
  readonly b: number;
}

class UnionFind {
  readonly parent: Int32Array;
  constructor(n: number) {
    this.parent = Int32Array.from({ length: n }, (_, i) => i);
  }
  find(x: number): number {
    const par = this.parent;
    let r = x;
    while (par[r] !== r) r = par[r];
    while (par[x] !== r) {
      const nx = par[x];
      par[x] = r;
      x = nx;
    }
    return r;
  }
  union(a: number, b: number): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent[Math.max(ra, rb)] = Math.min(ra, rb);
  }
}

/** Solve A x = b for a small symmetric positive-definite p×p row-major A (copy; Cholesky). */
function invertSpd(A: Float64Array, p: number): Float64Array {
  const L = Float64Array.from(A);
  if (choleskyInPlace(L, p) !== -1)
    throw new NumericalError(
      "E_NUMERIC_NOT_POSITIVE_DEFINITE",
      "XᵀΣ⁻¹X is not positive definite at the fitted variance parameters",
    );
  const out = new Float64Array(p * p);
  const e = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    e.fill(0);
    e[j] = 1;
    forwardSolve(L, p, e);
    backSolveTransposed(L, p, e);
    for (let i = 0; i < p; i++) out[i * p + j] = e[i];
  }
  for (let i = 0; i < p; i++)
    for (let j = 0; j < i; j++) {
      const v = 0.5 * (out[i * p + j] + out[j * p + i]);
      out[i * p + j] = v;
      out[j * p + i] = v;
    }
  return out;
}

/** C = A·B for p×p row-major matrices. */
function mul(A: Float64Array, B: Float64Array, p: number): Float64Array {
  const C = new Float64Array(p * p);
  for (let i = 0; i < p; i++)
    for (let k = 0; k < p; k++) {
      const a = A[i * p + k];
      if (a === 0) continue;
      for (let j = 0; j < p; j++) C[i * p + j] += a * B[k * p + j];
    }
  return C;
}

/** tr(AB) = Σ_ij A_ij B_ji for p×p row-major matrices. */
function traceProduct(A: Float64Array, B: Float64Array, p: number): number {
  let s = 0;
  for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) s += A[i * p + j] * B[j * p + i];
  return s;
}

/** The Kenward–Roger adjustment of a REML fit (computed once per fit). */
export function kenwardRogerAdjustment(fit: LmmFit): KenwardRogerAdjustment {
  const hit = cache.get(fit);
  if (hit) return hit;
  if (!fit.REML) {
    throw new SpecError(
      "E_SPEC_UNSUPPORTED",
      "Kenward-Roger's method is only available for REML fits (as lmerTest)",
      "fit with REML, or use ddf satterthwaite",
    );
  }
  const internals = fitInternals(fit);
  if (!internals) {
    throw new SpecError(
      "E_SPEC_UNSUPPORTED",
      "this fit was not made by fitLmm in this session, so its design is not available",
      "fit the model with fitLmm (a fit restored from JSON has no design)",
    );
  }
  const out = kenwardRogerAdjustmentAt(internals.design, fit.theta, fit.sigma, fit.beta);
  cache.set(fit, out);
  return out;
}

/**
 * The Kenward–Roger adjustment for a design at given variance parameters: θ in lme4's layout
 * (per random-effects term, the lower triangle of its relative covariance factor column by
 * column), the residual standard deviation σ, and the fixed effects β (carried for the tests).
 */
export function kenwardRogerAdjustmentAt(
  design: Design,
  theta: ArrayLike<number>,
  sigma: number,
  beta: ArrayLike<number>,
): KenwardRogerAdjustment {
  if (design.weights) {
    throw new SpecError(
      "E_SPEC_UNSUPPORTED",
      "Kenward-Roger degrees of freedom are not available for fits with prior weights (pbkrtest takes the residual covariance as σ²I)",
      "use ddf satterthwaite",
    );
  }
  const n = design.n;
  const p = design.p;
  const X = design.X;
  const terms = design.reterms;
  const nt = terms.length;
  const sigma2 = sigma * sigma;
  const is2 = 1 / sigma2;

  const nTheta = terms.reduce((a, t) => a + (t.cnames.length * (t.cnames.length + 1)) / 2, 0);
  if (theta.length !== nTheta || beta.length !== p || !(sigma > 0))
    throw new SpecError(
      "E_SPEC_UNSUPPORTED",
      `the Kenward-Roger adjustment needs ${nTheta} θ, ${p} β and σ > 0 for this design`,
    );
  // Λ of each term (S×S lower, row-major), from θ (lower triangle, column by column)
  const lambdas: Float64Array[] = [];
  {
    let k = 0;
    for (const t of terms) {
      const S = t.cnames.length;
      const lam = new Float64Array(S * S);
      for (let c = 0; c < S; c++) for (let r = c; r < S; r++) lam[r * S + c] = theta[k++];
      lambdas.push(lam);
    }
  }
  // covariance parameters
  const params: ReParam[] = [];
  terms.forEach((t, term) => {
    const S = t.cnames.length;
    for (let b = 0; b < S; b++) for (let a = b; a < S; a++) params.push({ term, a, b });
  });
  const dr = params.length;
  const d = dr + 1;

  // clusters: union of the levels every observation touches
  const nodeBase = new Int32Array(nt + 1);
  terms.forEach((t, i) => {
    nodeBase[i + 1] = nodeBase[i] + t.levels.length;
  });
  const nNodes = nodeBase[nt];
  const uf = new UnionFind(nNodes);
  for (let r = 0; r < n; r++) {
    const n0 = nodeBase[0] + terms[0].refs[r];
    for (let t = 1; t < nt; t++) uf.union(n0, nodeBase[t] + terms[t].refs[r]);
  }
  const clusterOf = new Int32Array(nNodes).fill(-1);
  const nodeCount: number[] = [];
  const qOf: number[] = [];
  const nodeTerm = new Int32Array(nNodes);
  for (let t = 0; t < nt; t++) for (let x = nodeBase[t]; x < nodeBase[t + 1]; x++) nodeTerm[x] = t;
  for (let x = 0; x < nNodes; x++) {
    const root = uf.find(x);
    if (clusterOf[root] < 0) {
      clusterOf[root] = nodeCount.length;
      nodeCount.push(0);
      qOf.push(0);
    }
    const c = clusterOf[root];
    clusterOf[x] = c;
    nodeCount[c]++;
    qOf[c] += terms[nodeTerm[x]].cnames.length;
  }
  const nClusters = nodeCount.length;
  const largestCluster = qOf.reduce((a, b) => Math.max(a, b), 0);
  if (largestCluster > MAX_CLUSTER_RANDOM_EFFECTS) {
    throw new SpecError(
      "E_SPEC_UNSUPPORTED",
      `Kenward-Roger degrees of freedom need dense matrices of the random effects that are linked through shared observations; this model links ${largestCluster} random effects in one cluster, above the limit of ${MAX_CLUSTER_RANDOM_EFFECTS}`,
      "use ddf satterthwaite",
    );
  }
  // nodes of each cluster (in node order) with their local column offsets
  const clusterNodeStart = new Int32Array(nClusters + 1);
  for (let c = 0; c < nClusters; c++) clusterNodeStart[c + 1] = clusterNodeStart[c] + nodeCount[c];
  const clusterNodes = new Int32Array(nNodes);
  const localBase = new Int32Array(nNodes);
  {
    const fillN = clusterNodeStart.slice(0, nClusters);
    const fillQ = new Int32Array(nClusters);
    for (let x = 0; x < nNodes; x++) {
      const c = clusterOf[x];
      clusterNodes[fillN[c]++] = x;
      localBase[x] = fillQ[c];
      fillQ[c] += terms[nodeTerm[x]].cnames.length;
    }
  }
  // rows of each cluster
  const rowStart = new Int32Array(nClusters + 1);
  const rowCluster = new Int32Array(n);
  for (let r = 0; r < n; r++) {
    const c = clusterOf[nodeBase[0] + terms[0].refs[r]];
    rowCluster[r] = c;
    rowStart[c + 1]++;
  }
  for (let c = 0; c < nClusters; c++) rowStart[c + 1] += rowStart[c];
  const clusterRows = new Int32Array(n);
  {
    const fill = rowStart.slice(0, nClusters);
    for (let r = 0; r < n; r++) clusterRows[fill[rowCluster[r]]++] = r;
  }
  // the nonzero columns of a row: k = Σ S_t entries
  let k = 0;
  for (const t of terms) k += t.cnames.length;
  const rowIdx = new Int32Array(k);
  const rowVal = new Float64Array(k);

  // accumulators
  const XtT = new Float64Array(p * p);
  const TtT = new Float64Array(p * p);
  const TtU = new Float64Array(p * p);
  const P: Float64Array[] = Array.from({ length: d }, () => new Float64Array(p * p));
  // Q[i][j] for i ≤ j, p×p row-major
  const Q: Float64Array[][] = Array.from({ length: d }, () =>
    Array.from({ length: d }, () => new Float64Array(0)),
  );
  for (let i = 0; i < d; i++) for (let j = i; j < d; j++) Q[i][j] = new Float64Array(p * p);
  const K = new Float64Array(d * d);
  let sumCinv2MinusQ = 0;

  const ctx: ClusterContext = {
    n,
    p,
    X,
    terms,
    nt,
    is2,
    lambdas,
    nodeTerm,
    localBase,
    nodeBase,
    qOf,
    rowStart,
    clusterRows,
    clusterNodes,
    clusterNodeStart,
    k,
    rowIdx,
    rowVal,
    params,
    dr,
    d,
    XtT,
    TtT,
    TtU,
    P,
    Q,
    K,
  };
  for (let c = 0; c < nClusters; c++) sumCinv2MinusQ += processCluster(ctx, c);

  // the residual parameter
  P[dr] = Float64Array.from(TtT, (v) => -v);
  Q[dr][dr] = TtU;
  K[dr * d + dr] = is2 * is2 * (n + sumCinv2MinusQ);
  for (let i = 0; i < d; i++) for (let j = 0; j < i; j++) K[i * d + j] = K[j * d + i];
  // symmetrise the sums that are symmetric in exact arithmetic
  const sym = (S: Float64Array): void => {
    for (let a = 0; a < p; a++)
      for (let b = 0; b < a; b++) {
        const v = 0.5 * (S[a * p + b] + S[b * p + a]);
        S[a * p + b] = v;
        S[b * p + a] = v;
      }
  };
  sym(XtT);
  for (const Pi of P) sym(Pi);
  for (let i = 0; i < d; i++) sym(Q[i][i]);

  const Phi = invertSpd(XtT, p);
  // information (twice the REML expected information) and W
  const info = new Float64Array(d * d);
  const PhiP = P.map((Pi) => mul(Phi, Pi, p));
  for (let i = 0; i < d; i++)
    for (let j = i; j < d; j++) {
      const v = K[i * d + j] - 2 * traceProduct(Phi, Q[i][j], p) + traceProduct(PhiP[i], PhiP[j], p);
      info[i * d + j] = v;
      info[j * d + i] = v;
    }
  const eig = symmetricEigen(info, d);
  let minAbs = Number.POSITIVE_INFINITY;
  let maxAbs = 0;
  for (const v of eig.values) {
    minAbs = Math.min(minAbs, Math.abs(v));
    maxAbs = Math.max(maxAbs, Math.abs(v));
  }
  const generalisedInverse = !(minAbs > SINGULAR_INFORMATION);
  const W = new Float64Array(d * d);
  for (let c = 0; c < d; c++) {
    const lam = eig.values[c];
    if (generalisedInverse && !(Math.abs(lam) > GINV_TOL * maxAbs)) continue;
    for (let a = 0; a < d; a++) {
      const va = eig.vectors[a + c * d];
      for (let b = 0; b < d; b++) W[a * d + b] += (2 * va * eig.vectors[b + c * d]) / lam;
    }
  }
  // Φ_A = Φ + 2Φ U Φ, U = Σ_ij W_ij (Q_ij − P_iΦP_j)
  const Usum = new Float64Array(p * p);
  for (let i = 0; i < d; i++)
    for (let j = 0; j < d; j++) {
      const w = W[i * d + j];
      if (w === 0) continue;
      const PiPhiPj = mul(P[i], PhiP[j], p);
      const Qij = i <= j ? Q[i][j] : null;
      const Qji = i > j ? Q[j][i] : null;
      for (let a = 0; a < p; a++)
        for (let b = 0; b < p; b++) {
          const q = Qij ? Qij[a * p + b] : (Qji as Float64Array)[b * p + a];
          Usum[a * p + b] += w * (q - PiPhiPj[a * p + b]);
        }
    }
  const corr = mul(mul(Phi, Usum, p), Phi, p);
  const PhiA = Float64Array.from(Phi, (v, i) => v + 2 * corr[i]);
  sym(PhiA);
  const out: KenwardRogerAdjustment = {
    p,
    d,
    beta: Float64Array.from(beta),
    Phi,
    PhiA,
    P,
    PhiPPhi: PhiP.map((M) => mul(M, Phi, p)),
    W,
    generalisedInverse,
    largestCluster,
  };
  return out;
}

/** What every cluster's computation reads and the sums it adds to. */
interface ClusterContext {
  readonly n: number;
  readonly p: number;
  readonly X: Float64Array;
  readonly terms: Design["reterms"];
  readonly nt: number;
  readonly is2: number;
  readonly lambdas: readonly Float64Array[];
  readonly nodeTerm: Int32Array;
  readonly localBase: Int32Array;
  readonly nodeBase: Int32Array;
  readonly qOf: readonly number[];
  readonly rowStart: Int32Array;
  readonly clusterRows: Int32Array;
  readonly clusterNodes: Int32Array;
  readonly clusterNodeStart: Int32Array;
  /** Random-effect columns per row, and the scratch for one row's (local column, value) pairs. */
  readonly k: number;
  readonly rowIdx: Int32Array;
  readonly rowVal: Float64Array;
  readonly params: readonly ReParam[];
  readonly dr: number;
  readonly d: number;
  readonly XtT: Float64Array;
  readonly TtT: Float64Array;
  readonly TtU: Float64Array;
  readonly P: Float64Array[];
  readonly Q: Float64Array[][];
  readonly K: Float64Array;
}

/** The local (column, value) pairs of row r's random-effect columns, into ctx.rowIdx/rowVal. */
function gatherRow(ctx: ClusterContext, r: number): void {
  const { terms, nt, localBase, nodeBase, rowIdx, rowVal } = ctx;
  let e = 0;
  for (let t = 0; t < nt; t++) {
    const term = terms[t];
    const S = term.cnames.length;
    const lb = localBase[nodeBase[t] + term.refs[r]];
    for (let a = 0; a < S; a++) {
      rowIdx[e] = lb + a;
      rowVal[e] = term.z[r * S + a];
      e++;
    }
  }
}

/** Adds cluster c's terms to the sums of ctx; returns its ‖C⁻¹‖²_F − q_c. */
function processCluster(ctx: ClusterContext, c: number): number {
  const {
    n,
    p,
    X,
    terms,
    is2,
    lambdas,
    nodeTerm,
    localBase,
    qOf,
    rowStart,
    clusterRows,
    clusterNodes,
    clusterNodeStart,
    k,
    rowIdx,
    rowVal,
    params,
    dr,
    d,
    XtT,
    TtT,
    TtU,
    P,
    Q,
    K,
  } = ctx;
  const qc = qOf[c];
  const r0 = rowStart[c];
  const r1 = rowStart[c + 1];
  const nr = r1 - r0;
  if (nr === 0) return 0; // C = I: ‖C⁻¹‖² − q_c = 0, no rows
  let cinv2MinusQ = 0;
  const nodes = clusterNodes.subarray(clusterNodeStart[c], clusterNodeStart[c + 1]);
  // A = ZᵀZ and B = ZᵀX (column-major)
  const A = new Float64Array(qc * qc);
  const Bx = new Float64Array(qc * p);
  for (let ri = r0; ri < r1; ri++) {
    const r = clusterRows[ri];
    gatherRow(ctx, r);
    for (let u = 0; u < k; u++) {
      const iu = rowIdx[u];
      const vu = rowVal[u];
      if (vu === 0) continue;
      for (let v = 0; v < k; v++) A[iu + rowIdx[v] * qc] += vu * rowVal[v];
      for (let j = 0; j < p; j++) Bx[iu + j * qc] += vu * X[j * n + r];
    }
  }
  // Λᵀ·(columns) and (rows)·Λ, block by node
  const applyLambdaT = (M: Float64Array, ncol: number): void => {
    for (const x of nodes) {
      const t = nodeTerm[x];
      const S = terms[t].cnames.length;
      if (S === 1) {
        const l = lambdas[t][0];
        const o = localBase[x];
        for (let j = 0; j < ncol; j++) M[o + j * qc] *= l;
        continue;
      }
      const lam = lambdas[t];
      const o = localBase[x];
      for (let j = 0; j < ncol; j++) {
        const col = j * qc + o;
        // (Λᵀm)_r = Σ_{s≥r} λ[s][r] m_s, ascending r reads only unchanged m_s (s ≥ r)
        for (let r = 0; r < S; r++) {
          let s2 = 0;
          for (let s = r; s < S; s++) s2 += lam[s * S + r] * M[col + s];
          M[col + r] = s2;
        }
      }
    }
  };
  const applyLambda = (v: Float64Array, off: number): void => {
    for (const x of nodes) {
      const t = nodeTerm[x];
      const S = terms[t].cnames.length;
      const lam = lambdas[t];
      const o = off + localBase[x];
      // (Λm)_r = Σ_{s≤r} λ[r][s] m_s, descending r
      for (let r = S - 1; r >= 0; r--) {
        let s2 = 0;
        for (let s = 0; s <= r; s++) s2 += lam[r * S + s] * v[o + s];
        v[o + r] = s2;
      }
    }
  };
  // F = ΛᵀA; C = ΛᵀAΛ + I = ΛᵀFᵀ + I (A is symmetric)
  const F = Float64Array.from(A);
  applyLambdaT(F, qc);
  const R = new Float64Array(qc * qc);
  for (let i = 0; i < qc; i++) for (let j = 0; j < qc; j++) R[i + j * qc] = F[j + i * qc];
  applyLambdaT(R, qc);
  for (let i = 0; i < qc; i++) R[i + i * qc] += 1;
  if (choleskyInPlace(R, qc) !== -1)
    throw new NumericalError(
      "E_NUMERIC_NOT_POSITIVE_DEFINITE",
      "ΛᵀZᵀZΛ + I is not positive definite (this cannot happen for finite θ)",
    );
  // ΛC⁻¹Λᵀ applied to the columns of a qc×ncol matrix, in place
  const solveLCL = (M: Float64Array, ncol: number): void => {
    applyLambdaT(M, ncol);
    for (let j = 0; j < ncol; j++) {
      forwardSolve(R, qc, M, j * qc);
      backSolveTransposed(R, qc, M, j * qc);
      applyLambda(M, j * qc);
    }
  };
  // T = Σ⁻¹X, Y = ZᵀT; U = Σ⁻¹T, V = ZᵀU (rows of this cluster, row-major nr×p)
  const sigmaInvRows = (src: (r: number, ri: number, j: number) => number, Bsrc: Float64Array) => {
    const Sx = Float64Array.from(Bsrc);
    solveLCL(Sx, p);
    const out = new Float64Array(nr * p);
    const Zt = new Float64Array(qc * p);
    for (let ri = 0; ri < nr; ri++) {
      const r = clusterRows[r0 + ri];
      gatherRow(ctx, r);
      for (let j = 0; j < p; j++) {
        let s = src(r, ri, j);
        for (let u = 0; u < k; u++) s -= rowVal[u] * Sx[rowIdx[u] + j * qc];
        out[ri * p + j] = s * is2;
      }
      for (let u = 0; u < k; u++) {
        const vu = rowVal[u];
        if (vu === 0) continue;
        const iu = rowIdx[u];
        for (let j = 0; j < p; j++) Zt[iu + j * qc] += vu * out[ri * p + j];
      }
    }
    return { rows: out, Zt };
  };
  const Tr = sigmaInvRows((r, _ri, j) => X[j * n + r], Bx);
  const T = Tr.rows;
  const Y = Tr.Zt;
  const Ur = sigmaInvRows((_r, ri, j) => T[ri * p + j], Y);
  const U = Ur.rows;
  const V = Ur.Zt;
  for (let ri = 0; ri < nr; ri++) {
    const r = clusterRows[r0 + ri];
    for (let a = 0; a < p; a++) {
      const xa = X[a * n + r];
      const ta = T[ri * p + a];
      for (let b = 0; b < p; b++) {
        XtT[a * p + b] += xa * T[ri * p + b];
        TtT[a * p + b] += ta * T[ri * p + b];
        TtU[a * p + b] += ta * U[ri * p + b];
      }
    }
  }
  // J = C⁻¹F; M = ZᵀΣ⁻¹Z = σ⁻²(A − FᵀC⁻¹F) = σ⁻²(A − A·ΛJ) (column-major, symmetric), with
  // the product by the sparse A (a grouping factor's levels never share a row)
  const J = F;
  for (let j = 0; j < qc; j++) {
    forwardSolve(R, qc, J, j * qc);
    backSolveTransposed(R, qc, J, j * qc);
  }
  const LJ = Float64Array.from(J);
  for (let j = 0; j < qc; j++) applyLambda(LJ, j * qc);
  const M = Float64Array.from(A);
  {
    const colStart = new Int32Array(qc + 1);
    const idx: number[] = [];
    const val: number[] = [];
    for (let c2 = 0; c2 < qc; c2++) {
      for (let i = 0; i < qc; i++) {
        const v = A[i + c2 * qc];
        if (v !== 0) {
          idx.push(i);
          val.push(v);
        }
      }
      colStart[c2 + 1] = idx.length;
    }
    for (let j = 0; j < qc; j++) {
      const cj = j * qc;
      for (let c2 = 0; c2 < qc; c2++) {
        const w = LJ[c2 + cj];
        if (w === 0) continue;
        for (let e = colStart[c2]; e < colStart[c2 + 1]; e++) M[idx[e] + cj] -= val[e] * w;
      }
    }
    for (let j = 0; j < qc; j++)
      for (let i = 0; i < j; i++) {
        const v = 0.5 * (M[i + j * qc] + M[j + i * qc]) * is2;
        M[i + j * qc] = v;
        M[j + i * qc] = v;
      }
    for (let j = 0; j < qc; j++) M[j + j * qc] *= is2;
  }
  // ‖C⁻¹‖²_F, with C⁻¹ = I − C⁻¹ΛᵀAΛ = I − JΛ
  {
    let s = 0;
    const w = new Float64Array(qc);
    for (const x of nodes) {
      const t = nodeTerm[x];
      const S = terms[t].cnames.length;
      const lam = lambdas[t];
      const o = localBase[x];
      for (let c2 = 0; c2 < S; c2++) {
        w.fill(0);
        for (let s2 = c2; s2 < S; s2++) {
          const l = lam[s2 * S + c2];
          if (l === 0) continue;
          const js = (o + s2) * qc;
          for (let i = 0; i < qc; i++) w[i] += J[js + i] * l;
        }
        w[o + c2] -= 1;
        for (let i = 0; i < qc; i++) s += w[i] * w[i];
      }
    }
    cinv2MinusQ = s - qc;
  }
  // ZᵀΣ⁻²Z at (v, u) within a node block: σ⁻²M − σ⁻⁴ JᵀJ (FᵀC⁻²F = JᵀJ)
  const nEntry = (v: number, u: number): number => {
    let s = 0;
    for (let t = 0; t < qc; t++) s += J[v * qc + t] * J[u * qc + t];
    return is2 * M[v + u * qc] - is2 * is2 * s;
  };
  // E_i's nonzero entries (u, v) in this cluster, for each random-effects parameter
  const entries: Int32Array[] = params.map(({ term, a, b }) => {
    const list: number[] = [];
    for (const x of nodes) {
      if (nodeTerm[x] !== term) continue;
      const o = localBase[x];
      list.push(o + a, o + b);
      if (a !== b) list.push(o + b, o + a);
    }
    return Int32Array.from(list);
  });
  // P_i, Q_i,res, K_i,res; M·R_j
  const MR: Float64Array[] = [];
  for (let i = 0; i < dr; i++) {
    const E = entries[i];
    const Pi = P[i];
    const Qres = Q[i][dr];
    let kres = 0;
    const mr = new Float64Array(qc * p);
    for (let e = 0; e < E.length; e += 2) {
      const u = E[e];
      const v = E[e + 1];
      // P_i −= Y_uᵀ Y_v; Q_i,res += Y_vᵀ V_u (R_i row u is Y row v)
      for (let a = 0; a < p; a++) {
        const yua = Y[u + a * qc];
        const yva = Y[v + a * qc];
        for (let b = 0; b < p; b++) {
          Pi[a * p + b] -= yua * Y[v + b * qc];
          Qres[a * p + b] += yva * V[u + b * qc];
        }
      }
      kres += nEntry(v, u);
      // (M R_i)[:, b] += M[:, u] Y[v, b]
      for (let b = 0; b < p; b++) {
        const y = Y[v + b * qc];
        if (y === 0) continue;
        const mo = b * qc;
        const uo = u * qc;
        for (let t = 0; t < qc; t++) mr[mo + t] += M[uo + t] * y;
      }
    }
    K[i * d + dr] += kres;
    MR.push(mr);
  }
  // Q_ij = R_iᵀ M R_j and K_ij = tr(E_i M E_j M)
  for (let i = 0; i < dr; i++) {
    const Ei = entries[i];
    for (let j = i; j < dr; j++) {
      const Ej = entries[j];
      const Qij = Q[i][j];
      const mr = MR[j];
      let kij = 0;
      for (let e = 0; e < Ei.length; e += 2) {
        const u = Ei[e];
        const v = Ei[e + 1];
        for (let a = 0; a < p; a++) {
          const yva = Y[v + a * qc];
          if (yva === 0) continue;
          for (let b = 0; b < p; b++) Qij[a * p + b] += yva * mr[u + b * qc];
        }
        // Σ_{(w,z)∈E_j} M[v,w] M[z,u]
        for (let f = 0; f < Ej.length; f += 2) kij += M[v + Ej[f] * qc] * M[Ej[f + 1] + u * qc];
      }
      K[i * d + j] += kij;
    }
  }
  return cinv2MinusQ;
}
