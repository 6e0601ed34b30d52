/**
 * Iteratively reweighted least squares for a GLM, step for step as R's `glm.fit` (stats 4.2):
 * start from `mustart`; each iteration solves the weighted least-squares problem of the working
 * response z = η − offset + (y − μ)/(dμ/dη) with weights w·(dμ/dη)²/V(μ) over the rows with
 * positive weight and dμ/dη ≠ 0, by Householder QR with R's limited pivoting (tol 1e-11, as
 * `glm.fit`'s min(1e-7, ε/1000)); aliased columns enter η as 0. A non-finite deviance or an
 * invalid μ halves the step towards the previous coefficients (R's "inner loops"); convergence
 * is |dev − devold|/(|dev| + 0.1) < ε (1e-8), at most `maxit` (25) iterations.
 *
 * The returned QR (`covUnscaled`) is that of the last weighted fit, as R's `summary.glm` uses it.
 */
import { NumericalError } from "../errors.ts";
import { type LeastSquaresSolution, solveDense } from "../lm/least-squares.ts";
import type { Family } from "./family.ts";

export interface IrlsControl {
  /** Convergence tolerance on the relative deviance change (R's `epsilon`, 1e-8). */
  readonly epsilon?: number;
  /** Most iterations (R's `maxit`, 25). */
  readonly maxit?: number;
}

export interface IrlsInput {
  /** n × p model matrix, column-major (not modified). */
  readonly X: Float64Array;
  readonly n: number;
  readonly p: number;
  readonly y: Float64Array;
  readonly priorWeights: Float64Array;
  readonly offset: Float64Array;
  readonly mustart: Float64Array;
  /** Column names, for error messages. */
  readonly names?: readonly string[];
}

export interface IrlsResult {
  /** Coefficients; NaN for aliased columns (R's NA). */
  readonly coef: Float64Array;
  /** The last weighted least-squares solution (rank, estimable/aliased columns, (XᵀWX)⁻¹). */
  readonly solution: LeastSquaresSolution | undefined;
  readonly rank: number;
  /** η including the offset. */
  readonly eta: Float64Array;
  readonly mu: Float64Array;
  readonly deviance: number;
  /** Working weights of the last weighted fit (0 for rows left out), R's `weights(fit, "working")`. */
  readonly workingWeights: Float64Array;
  readonly iter: number;
  readonly converged: boolean;
  /** A step had to be halved to keep the deviance finite or μ valid (R's `boundary`). */
  readonly boundary: boolean;
}

function fillEta(
  X: Float64Array,
  n: number,
  p: number,
  b: Float64Array,
  offset: Float64Array,
  eta: Float64Array,
): void {
  eta.set(offset);
  for (let j = 0; j < p; j++) {
    const bj = b[j];
    if (bj === 0) continue;
    const col = j * n;
    for (let i = 0; i < n; i++) eta[i] += X[col + i] * bj;
  }
}

/** Fit by IRLS (see the file comment). NumericalError when no valid start exists or halving fails. */
export function irls(input: IrlsInput, family: Family, control: IrlsControl = {}): IrlsResult {
  const { X, n, p, y, priorWeights: w, offset } = input;
  const epsilon = control.epsilon ?? 1e-8;
  const maxit = control.maxit ?? 25;
  const link = family.link;
  const eta = new Float64Array(n);
  const mu = new Float64Array(n);
  const muEta = new Float64Array(n);
  const vari = new Float64Array(n);
  const workingWeights = new Float64Array(n);
  link.linkfunInto(input.mustart, eta);
  link.linkinvInto(eta, mu);
  if (p === 0) {
    // R's EMPTY model: η = offset.
    eta.set(offset);
    link.linkinvInto(eta, mu);
    if (!(link.validEta(eta) && family.validMu(mu)))
      throw new NumericalError(
        "E_NUMERIC_NON_FINITE",
        "invalid linear predictor values in an empty model",
        "check the offset",
      );
    link.muEtaInto(eta, muEta);
    family.varianceInto(mu, vari);
    for (let i = 0; i < n; i++) workingWeights[i] = w[i] > 0 ? (w[i] * muEta[i] ** 2) / vari[i] : 0;
    return {
      coef: new Float64Array(0),
      solution: undefined,
      rank: 0,
      eta,
      mu,
      deviance: family.deviance(y, mu, w),
      workingWeights,
      iter: 0,
      converged: true,
      boundary: false,
    };
  }
  let devold = family.deviance(y, mu, w);
  let boundary = false;
  let converged = false;
  const start = new Float64Array(p);
  let coefold: Float64Array | undefined;
  const Xw = new Float64Array(n * p);
  const z = new Float64Array(n);
  const good = new Int32Array(n);
  let sol: LeastSquaresSolution | undefined;
  let dev = devold;
  let iter = 0;
  const update = () => {
    fillEta(X, n, p, start, offset, eta);
    link.linkinvInto(eta, mu);
    return family.deviance(y, mu, w);
  };
  for (iter = 1; iter <= maxit; iter++) {
    link.muEtaInto(eta, muEta);
    family.varianceInto(mu, vari);
    let ng = 0;
    for (let i = 0; i < n; i++) {
      if (w[i] > 0 && muEta[i] !== 0) good[ng++] = i;
    }
    if (ng === 0)
      throw new NumericalError(
        "E_NUMERIC_NON_FINITE",
        "no observations informative at iteration " + iter + " of the GLM fit",
        "check the weights and the response",
      );
    workingWeights.fill(0);
    for (let k = 0; k < ng; k++) {
      const i = good[k];
      const me = muEta[i];
      const ww = (w[i] * me * me) / vari[i];
      workingWeights[i] = ww;
      const sw = Math.sqrt(ww);
      z[k] = (eta[i] - offset[i] + (y[i] - mu[i]) / me) * sw;
      for (let j = 0; j < p; j++) Xw[j * ng + k] = X[j * n + i] * sw;
    }
    const zk = z.subarray(0, ng);
    for (let k = 0; k < ng; k++) {
      if (!Number.isFinite(zk[k]))
        throw new NumericalError(
          "E_NUMERIC_NON_FINITE",
          `non-finite working response in iteration ${iter} of the GLM fit (row ${good[k] + 1})`,
          "check the data for extreme values, or try another link",
        );
    }
    sol = solveDense(Xw.subarray(0, ng * p), ng, p, zk.slice(), Math.min(1e-7, epsilon / 1000));
    for (let j = 0; j < p; j++) start[j] = Number.isNaN(sol.coef[j]) ? 0 : sol.coef[j];
    dev = update();
    boundary = false;
    if (!Number.isFinite(dev)) {
      if (!coefold)
        throw new NumericalError(
          "E_NUMERIC_NON_FINITE",
          "no valid set of coefficients has been found in the first IRLS step (the deviance is not finite)",
          "check the response and predictors for extreme values, or try another link",
        );
      let ii = 1;
      while (!Number.isFinite(dev)) {
        if (ii > maxit)
          throw new NumericalError(
            "E_NUMERIC_NON_FINITE",
            `IRLS step halving failed in iteration ${iter}: the deviance stays non-finite`,
            "check the data for extreme values, or try another link",
          );
        ii++;
        for (let j = 0; j < p; j++) start[j] = (start[j] + coefold[j]) / 2;
        dev = update();
      }
      boundary = true;
    }
    if (!(link.validEta(eta) && family.validMu(mu))) {
      if (!coefold)
        throw new NumericalError(
          "E_NUMERIC_NON_FINITE",
          `no valid set of coefficients has been found in the first IRLS step (fitted values outside the ${family.name} range)`,
          "try another link, or check the data",
        );
      let ii = 1;
      while (!(link.validEta(eta) && family.validMu(mu))) {
        if (ii > maxit)
          throw new NumericalError(
            "E_NUMERIC_NON_FINITE",
            `IRLS step halving failed in iteration ${iter}: the fitted values stay outside the ${family.name} range`,
            "try another link, or check the data",
          );
        ii++;
        for (let j = 0; j < p; j++) start[j] = (start[j] + coefold[j]) / 2;
        dev = update();
      }
      boundary = true;
    }
    if (Math.abs(dev - devold) / (Math.abs(dev) + 0.1) < epsilon) {
      converged = true;
      break;
    }
    devold = dev;
    coefold = start.slice();
  }
  if (iter > maxit) iter = maxit;
  const coef = start.slice();
  if (sol) for (const j of sol.aliased) coef[j] = Number.NaN;
  return {
    coef,
    solution: sol,
    rank: sol ? sol.rank : 0,
    eta,
    mu,
    deviance: dev,
    workingWeights,
    iter,
    converged,
    boundary,
  };
}
