/**
 * Ordinary (weighted) least squares by Householder QR, with R's `summary(lm)` quantities.
 * Aliased columns (R's limited pivoting, tol 1e-7) get NA coefficients, as `lm()` reports them.
 */
import type { DataSource } from "../data/column.ts";
import { type Design, buildDesign } from "../design/design.ts";
import { SpecError, type Warning } from "../errors.ts";
import type { ModelFormula } from "../formula/model-formula.ts";
import { qrCoefPivoted, qrDecompose, qrUnscaledCovariance } from "../linalg/qr.ts";
import { pf, pt } from "../special/distributions.ts";

export interface LmFit {
  readonly kind: "lm";
  readonly formula: string;
  readonly dataName: string;
  readonly nobs: number;
  readonly coefNames: readonly string[];
  /** Coefficients; NaN for aliased columns. */
  readonly beta: Float64Array;
  readonly se: Float64Array;
  readonly t: Float64Array;
  readonly p: Float64Array;
  /** Covariance of the estimable coefficients (rank×rank, in `estimable` order). */
  readonly vcov: Float64Array;
  /** Indices into coefNames of the estimable coefficients, in original order. */
  readonly estimable: readonly number[];
  readonly sigma: number;
  readonly dfResidual: number;
  readonly rSquared: number;
  readonly adjRSquared: number;
  /** NaN fields when the model has only an intercept. */
  readonly fstatistic: { readonly value: number; readonly numdf: number; readonly dendf: number };
  readonly fpvalue: number;
  readonly logLik: number;
  readonly df: number;
  readonly AIC: number;
  readonly BIC: number;
  /** Residual sum of squares (R's deviance.lm). */
  readonly deviance: number;
  readonly fitted: Float64Array;
  readonly residuals: Float64Array;
  readonly weights: Float64Array | undefined;
  readonly warnings: readonly Warning[];
}

/** Fit `y ~ ...` (no random terms) by least squares. */
export function fitLm(formula: ModelFormula, data: DataSource, opts: { weights?: string } = {}): LmFit {
  if (formula.random.length > 0) {
    throw new SpecError("E_SPEC_UNSUPPORTED", "fitLm() takes a formula without random-effects terms");
  }
  const design = buildDesign(formula, data, opts);
  return fitLmDesign(design);
}

export function fitLmDesign(design: Design): LmFit {
  const mm = design.fullMatrix;
  const n = design.n;
  const p = mm.p;
  const w = design.weights;
  const off = design.offset;
  const y = design.y;
  // Work on sqrt(w)-scaled rows; zero weights are kept (they contribute nothing).
  const sw = w ? Float64Array.from(w, Math.sqrt) : undefined;
  const X = mm.X.slice();
  const z = new Float64Array(n);
  for (let i = 0; i < n; i++) z[i] = (y[i] - (off ? off[i] : 0)) * (sw ? sw[i] : 1);
  if (sw) for (let j = 0; j < p; j++) for (let i = 0; i < n; i++) X[j * n + i] *= sw[i];
  const qr = qrDecompose(X, n, p, 1e-7);
  const rank = qr.rank;
  const nEff = w ? w.reduce((a, v) => a + (v > 0 ? 1 : 0), 0) : n;
  const dfResidual = nEff - rank;
  if (dfResidual < 0) throw new SpecError("E_SPEC_RANK_ZERO", "more coefficients than observations");

  // Coefficients of the pivoted, full-rank part and (R'R)^{-1} (summary.lm's cov.unscaled).
  const bPiv = qrCoefPivoted(qr, z);
  const unscaled = qrUnscaledCovariance(qr);

  const beta = new Float64Array(p).fill(Number.NaN);
  const pivot = qr.pivot;
  for (let k = 0; k < rank; k++) beta[pivot[k]] = bPiv[k];

  // Fitted values and residuals on the original scale.
  const fitted = new Float64Array(n);
  for (let j = 0; j < p; j++) {
    const b = beta[j];
    if (Number.isNaN(b)) continue;
    for (let i = 0; i < n; i++) fitted[i] += mm.X[j * n + i] * b;
  }
  if (off) for (let i = 0; i < n; i++) fitted[i] += off[i];
  const residuals = new Float64Array(n);
  let rss = 0;
  for (let i = 0; i < n; i++) {
    residuals[i] = y[i] - fitted[i];
    rss += (w ? w[i] : 1) * residuals[i] ** 2;
  }
  const resvar = rss / dfResidual;
  const sigma = Math.sqrt(resvar);

  // Estimable coefficients in original order, with their covariance.
  const order = Array.from({ length: rank }, (_, k) => k).sort((a, b) => pivot[a] - pivot[b]);
  const estimable = order.map((k) => pivot[k]);
  const vcov = new Float64Array(rank * rank);
  for (let a = 0; a < rank; a++)
    for (let b = 0; b < rank; b++) vcov[b * rank + a] = resvar * unscaled[order[b] * rank + order[a]];
  const se = new Float64Array(p).fill(Number.NaN);
  const t = new Float64Array(p).fill(Number.NaN);
  const pv = new Float64Array(p).fill(Number.NaN);
  estimable.forEach((j, a) => {
    se[j] = Math.sqrt(vcov[a * rank + a]);
    t[j] = beta[j] / se[j];
    pv[j] = 2 * pt(-Math.abs(t[j]), dfResidual, true);
  });

  // R², F as summary.lm (R 4.2.2): centred when there is an intercept; the fitted values
  // include any offset (R 4.2 does not subtract it).
  const hasIntercept = mm.names[0] === "(Intercept)";
  const dfInt = hasIntercept ? 1 : 0;
  let mss = 0;
  let m = 0;
  if (hasIntercept) {
    let sw0 = 0;
    for (let i = 0; i < n; i++) {
      const wi = w ? w[i] : 1;
      sw0 += wi;
      m += wi * fitted[i];
    }
    m /= sw0;
  }
  for (let i = 0; i < n; i++) mss += (w ? w[i] : 1) * (fitted[i] - m) ** 2;
  const rSquared = mss / (mss + rss);
  const adjRSquared = 1 - (1 - rSquared) * ((nEff - dfInt) / dfResidual);
  const numdf = rank - dfInt;
  const fval = numdf > 0 ? mss / numdf / resvar : Number.NaN;
  const fpvalue = numdf > 0 ? pf(fval, numdf, dfResidual, false) : Number.NaN;

  // logLik as stats:::logLik.lm (weights enter through sum(log w)).
  let sumLogW = 0;
  if (w) for (const wi of w) if (wi > 0) sumLogW += Math.log(wi);
  const logLik = 0.5 * (sumLogW - nEff * (Math.log(2 * Math.PI) + 1 - Math.log(nEff) + Math.log(rss)));
  const df = rank + 1;
  return {
    kind: "lm",
    formula: design.frame.formula.text,
    dataName: design.frame.dataName,
    nobs: nEff,
    coefNames: mm.names,
    beta,
    se,
    t,
    p: pv,
    vcov,
    estimable,
    sigma,
    dfResidual,
    rSquared,
    adjRSquared,
    fstatistic: { value: fval, numdf, dendf: dfResidual },
    fpvalue,
    logLik,
    df,
    AIC: -2 * logLik + 2 * df,
    BIC: -2 * logLik + Math.log(nEff) * df,
    deviance: rss,
    fitted,
    residuals,
    weights: w,
    warnings: design.warnings,
  };
}
