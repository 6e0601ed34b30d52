/**
 * Ordinary (weighted) least squares with R's `summary(lm)` quantities.
 *
 * Aliased columns (R's limited pivoting, tol 1e-7) get NaN coefficients, as `lm()` reports NA.
 * Every column of X and the response are rescaled by exact powers of two before solving, so data
 * near 1e308 or 1e-320 neither overflow nor underflow inside the fit; a result that does not fit
 * in a double on the original scale is reported with a `non_finite_result` warning. Zero residual
 * degrees of freedom and essentially perfect fits follow R's numbers (NaN, 0) with a warning.
 *
 * Dense Householder QR is the default; when one dummy-coded factor supplies most columns of X
 * (`y ~ g` with thousands of levels) the blocked solver of `blocked-least-squares.ts` gives the
 * same numbers without building X. The size of what would be built is checked first
 * (E_DATA_TOO_LARGE, option `maxBytes`).
 */
import type { DataSource } from "../data/column.ts";
import { buildModelFrame } from "../design/model-frame.ts";
import {
  checkMatrixSize,
  DEFAULT_MAX_MATRIX_BYTES,
  type ModelMatrixPlan,
  materializeModelMatrix,
  planModelMatrix,
} from "../design/model-matrix.ts";
import { DataError, SpecError, type Warning } from "../errors.ts";
import type { ModelFormula } from "../formula/model-formula.ts";
import { parseFormula } from "../formula/parse-formula.ts";
import { maxAbs, pow2Exponent, scaleByPow2, timesPow2 } from "../linalg/pow2-scale.ts";
import { pf, pt } from "../special/distributions.ts";
import { type IndicatorBlock, solveBlocked } from "./blocked-least-squares.ts";
import { type LeastSquaresSolution, solveDense } from "./least-squares.ts";
import { lmToJSON } from "./lm-json.ts";
import { rankDeficientWarning } from "../design/rank-deficient-warning.ts";

export interface LmFitOptions {
  /** Column of prior weights (R's `weights =`). */
  readonly weights?: string;
  /**
   * Refuse (DataError E_DATA_TOO_LARGE) a fit whose model matrix and QR work would need more
   * than this many bytes. Default 2 GiB (`DEFAULT_MAX_MATRIX_BYTES`).
   */
  readonly maxBytes?: number;
  /**
   * "auto" (default): the blocked solver when one dummy-coded factor supplies most columns of X,
   * dense QR otherwise; "qr": always dense QR; "blocked": the blocked solver whenever X has a
   * dummy-coded factor term (falling back to QR where it cannot keep R's choice of aliased columns).
   */
  readonly method?: "auto" | "qr" | "blocked";
}

export interface LmFit {
  readonly kind: "lm";
  readonly formula: string;
  readonly dataName: string;
  readonly nobs: number;
  /** Names of all model-matrix columns, in order (aliased ones included, as R's `coef(lm)`). */
  readonly xnames: readonly string[];
  /** Coefficients by `xnames`; NaN for aliased columns (R's NA). */
  readonly beta: readonly number[];
  readonly se: readonly number[];
  readonly t: readonly number[];
  readonly p: readonly number[];
  /**
   * Covariance of the coefficients, p × p rows by `xnames` (R's `vcov(fit, complete = TRUE)`):
   * NaN rows/columns for aliased columns. Built on first access.
   */
  readonly vcov: readonly (readonly number[])[];
  /** Indices into `xnames` of the estimable coefficients, ascending. */
  readonly estimable: readonly number[];
  /** Names of the aliased columns (NaN coefficients). */
  readonly droppedColumns: readonly string[];
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
  /** Prior weights per row (undefined without `weights`). */
  readonly weights: Float64Array | undefined;
  /** Column of the prior weights. */
  readonly weightsColumn: string | undefined;
  /** Which solver ran. */
  readonly method: "qr" | "blocked";
  /** Seconds spent building the design and fitting. */
  readonly fitSeconds: number;
  readonly warnings: readonly Warning[];
  toJSON(): Record<string, unknown>;
}

/** Smallest factor (indicator columns) for which "auto" takes the blocked solver. */
const BLOCKED_MIN_COLUMNS = 100;
/** Most other columns the blocked solver keeps dense. */
const BLOCKED_MAX_OTHER = 500;

/** Fit `y ~ ...` (no random terms) by least squares. */
export function fitLm(formula: string | ModelFormula, data: DataSource, opts: LmFitOptions = {}): LmFit {
  const t0 = performance.now();
  const f = typeof formula === "string" ? parseFormula(formula) : formula;
  if (f.random.length > 0) {
    throw new SpecError(
      "E_SPEC_UNSUPPORTED",
      "fitLm() takes a formula without random-effects terms",
      "use fitLmm() for a formula with (… | group) terms",
    );
  }
  const frame = buildModelFrame(f, data, { weights: opts.weights });
  const n = frame.n;
  const w = frame.weights;
  if (w?.every((v) => v === 0)) {
    throw new DataError(
      "E_DATA_NO_COMPLETE_ROWS",
      `every weight in '${opts.weights}' is zero among the ${n} rows used, so no observation enters the fit`,
      "check the weights column",
    );
  }
  const plan = planModelMatrix(f.fixed, frame.variables, n);
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_MATRIX_BYTES;
  const sw = w ? Float64Array.from(w, Math.sqrt) : undefined;
  // Response (less offset), scaled to magnitude ~1.
  const zs = new Float64Array(n);
  for (let i = 0; i < n; i++) zs[i] = frame.y[i] - (frame.offset ? frame.offset[i] : 0);
  const ey = pow2Exponent(maxAbs(zs));
  scaleByPow2(zs, -ey);

  let solved: Solved | undefined;
  const block = opts.method === "qr" ? undefined : indicatorBlock(plan);
  if (block && (opts.method === "blocked" || useBlockedAuto(plan, block.columns.length))) {
    solved = solveWithBlock(plan, block, sw, zs, maxBytes);
  }
  solved ??= solveWithQr(plan, sw, zs, maxBytes);

  return finish(plan, frame, solved, ey, zs, opts, t0);
}

interface Solved {
  readonly sol: LeastSquaresSolution;
  /** Power-of-two exponent each column was divided by. */
  readonly e: Int32Array;
  /** X b on the scaled response's scale, without offset, every row. */
  readonly fittedS: Float64Array;
  readonly method: "qr" | "blocked";
}

function useBlockedAuto(plan: ModelMatrixPlan, a: number): boolean {
  const other = plan.p - a;
  return a >= BLOCKED_MIN_COLUMNS && other <= Math.min(a, BLOCKED_MAX_OTHER);
}

/** The single-factor indicator term with the most columns, if any. */
function indicatorBlock(plan: ModelMatrixPlan): (IndicatorBlock & { columns: number[] }) | undefined {
  const byTerm = new Map<number, number[]>();
  plan.columns.forEach((c, j) => {
    if (!c.indicator) return;
    const list = byTerm.get(c.assign) ?? [];
    list.push(j);
    byTerm.set(c.assign, list);
  });
  let best: number[] | undefined;
  for (const cols of byTerm.values()) if (!best || cols.length > best.length) best = cols;
  if (!best) return undefined;
  const first = plan.columns[best[0]].indicator!;
  let nl = 0;
  for (const c of first.codes) nl = Math.max(nl, c + 1);
  for (const j of best) nl = Math.max(nl, plan.columns[j].indicator!.level + 1);
  const columnOfLevel = new Int32Array(nl).fill(-1);
  for (const j of best) columnOfLevel[plan.columns[j].indicator!.level] = j;
  return { codes: first.codes, columnOfLevel, columns: best };
}

/** Fill column j of the plan into `out` and scale it to magnitude ~1; returns the exponent. */
function fillScaled(plan: ModelMatrixPlan, j: number, out: Float64Array): number {
  plan.columns[j].fill(out);
  const e = pow2Exponent(maxAbs(out));
  scaleByPow2(out, -e);
  return e;
}

function solveWithQr(
  plan: ModelMatrixPlan,
  sw: Float64Array | undefined,
  zs: Float64Array,
  maxBytes: number,
): Solved {
  const { n, p } = plan;
  // X (scaled) + its factorised copy + two p × p work matrices.
  checkMatrixSize(plan, 8 * (2 * n * p + 2 * p * p), maxBytes, "fixed-effects model matrix and its QR work");
  const X = materializeModelMatrix(plan).X;
  const e = new Int32Array(p);
  for (let j = 0; j < p; j++) {
    const col = X.subarray(j * n, (j + 1) * n);
    e[j] = pow2Exponent(maxAbs(col));
    scaleByPow2(col, -e[j]);
  }
  const Xw = X.slice();
  const zw = zs.slice();
  if (sw) {
    for (let j = 0; j < p; j++) for (let i = 0; i < n; i++) Xw[j * n + i] *= sw[i];
    for (let i = 0; i < n; i++) zw[i] *= sw[i];
  }
  const sol = solveDense(Xw, n, p, zw);
  const fittedS = new Float64Array(n);
  for (let j = 0; j < p; j++) {
    const b = sol.coef[j];
    if (Number.isNaN(b)) continue;
    for (let i = 0; i < n; i++) fittedS[i] += X[j * n + i] * b;
  }
  return { sol, e, fittedS, method: "qr" };
}

function solveWithBlock(
  plan: ModelMatrixPlan,
  block: IndicatorBlock & { columns: number[] },
  sw: Float64Array | undefined,
  zs: Float64Array,
  maxBytes: number,
): Solved | undefined {
  const { n, p } = plan;
  const inA = new Uint8Array(p);
  for (const j of block.columns) inA[j] = 1;
  const bColumns: number[] = [];
  for (let j = 0; j < p; j++) if (!inA[j]) bColumns.push(j);
  const b = bColumns.length;
  const a = block.columns.length;
  // B, its weighted and projected copies, the n-vectors, and the a × b cross-products.
  checkMatrixSize(plan, 8 * (3 * n * b + 6 * n + 3 * a * b + 2 * b * b), maxBytes, "model matrix (blocked)");
  const e = new Int32Array(p);
  const B = new Float64Array(n * b);
  bColumns.forEach((j, k) => {
    e[j] = fillScaled(plan, j, B.subarray(k * n, (k + 1) * n));
  });
  let Bw = B;
  let zw = zs;
  if (sw) {
    Bw = B.slice();
    for (let k = 0; k < b; k++) for (let i = 0; i < n; i++) Bw[k * n + i] *= sw[i];
    zw = zs.map((v, i) => v * sw[i]);
  }
  const sol = solveBlocked(n, p, block, Bw, bColumns, sw, zw);
  if (!sol) return undefined;
  const fittedS = new Float64Array(n);
  bColumns.forEach((j, k) => {
    const bk = sol.coef[j];
    if (Number.isNaN(bk)) return;
    for (let i = 0; i < n; i++) fittedS[i] += B[k * n + i] * bk;
  });
  for (let i = 0; i < n; i++) {
    const j = block.columnOfLevel[block.codes[i]];
    if (j >= 0 && !Number.isNaN(sol.coef[j])) fittedS[i] += sol.coef[j];
  }
  return { sol, e, fittedS, method: "blocked" };
}

function plural(k: number, word: string): string {
  return `${k} ${word}${k === 1 ? "" : "s"}`;
}

function finish(
  plan: ModelMatrixPlan,
  frame: ReturnType<typeof buildModelFrame>,
  solved: Solved,
  ey: number,
  zs: Float64Array,
  opts: LmFitOptions,
  t0: number,
): LmFit {
  const { sol, e, fittedS } = solved;
  const n = plan.n;
  const p = plan.p;
  const names = plan.names;
  const w = frame.weights;
  const off = frame.offset;
  const y = frame.y;
  const warnings: Warning[] = [...frame.warnings];
  const rank = sol.rank;
  if (sol.aliased.length > 0) warnings.push(rankDeficientWarning(sol.aliased.map((j) => names[j])));

  // Fitted values and residuals: computed on the scaled response, then scaled back.
  const fitted = new Float64Array(n);
  const residuals = new Float64Array(n);
  const fS = new Float64Array(n); // fitted incl. offset, scaled
  const nEff = w ? w.reduce((acc, v) => acc + (v > 0 ? 1 : 0), 0) : n;
  const dfResidual = nEff - rank;
  if (dfResidual < 0) throw new SpecError("E_SPEC_RANK_ZERO", "more coefficients than observations");
  let rssS = 0;
  for (let i = 0; i < n; i++) {
    // With no residual df the residuals of the used rows are exactly 0 (R's qr.resid); rounding
    // must not turn R's NaN residual SE into Inf.
    const rS = dfResidual === 0 && (!w || w[i] > 0) ? 0 : zs[i] - fittedS[i];
    residuals[i] = timesPow2(rS, ey);
    fitted[i] = rS === 0 && dfResidual === 0 ? y[i] : timesPow2(fittedS[i], ey) + (off ? off[i] : 0);
    fS[i] = fittedS[i] + (off ? timesPow2(off[i], -ey) : 0);
    rssS += (w ? w[i] : 1) * rS * rS;
  }
  const resvarS = rssS / dfResidual; // NaN (0/0) with no residual df, as R
  const sigma = timesPow2(Math.sqrt(resvarS), ey);

  const beta = new Array<number>(p).fill(Number.NaN);
  const se = new Array<number>(p).fill(Number.NaN);
  const t = new Array<number>(p).fill(Number.NaN);
  const pv = new Array<number>(p).fill(Number.NaN);
  const overflowed: string[] = [];
  for (const j of sol.estimable) {
    const bS = sol.coef[j];
    const seS = Math.sqrt(resvarS * sol.covUnscaled(j, j));
    beta[j] = timesPow2(bS, ey - e[j]);
    se[j] = timesPow2(seS, ey - e[j]);
    t[j] = bS / seS;
    pv[j] = 2 * pt(-Math.abs(t[j]), dfResidual, true);
    if (!Number.isFinite(beta[j])) overflowed.push(`coefficient '${names[j]}'`);
    if (se[j] === Number.POSITIVE_INFINITY) {
      overflowed.push(`standard error of '${names[j]}'`);
      se[j] = Number.NaN;
    }
  }
  const estimable = sol.estimable;
  const isEst = new Uint8Array(p);
  for (const j of estimable) isEst[j] = 1;
  let vcovCache: number[][] | undefined;
  const buildVcov = (): number[][] => {
    const out: number[][] = [];
    for (let i = 0; i < p; i++) {
      const row = new Array<number>(p).fill(Number.NaN);
      if (isEst[i]) {
        for (const j of estimable) row[j] = timesPow2(resvarS * sol.covUnscaled(i, j), 2 * ey - e[i] - e[j]);
      }
      out.push(row);
    }
    return out;
  };

  // R², F as summary.lm (R 4.2.2): centred when there is an intercept; the fitted values
  // include any offset (R 4.2 does not subtract it).
  const hasIntercept = names[0] === "(Intercept)";
  const dfInt = hasIntercept ? 1 : 0;
  let m = 0;
  if (hasIntercept) {
    let sw0 = 0;
    for (let i = 0; i < n; i++) {
      const wi = w ? w[i] : 1;
      sw0 += wi;
      m += wi * fS[i];
    }
    m /= sw0;
  }
  let mssS = 0;
  for (let i = 0; i < n; i++) mssS += (w ? w[i] : 1) * (fS[i] - m) ** 2;
  const rSquared = mssS / (mssS + rssS);
  const adjRSquared = 1 - (1 - rSquared) * ((nEff - dfInt) / dfResidual);
  const numdf = rank - dfInt;
  const fval = numdf > 0 ? mssS / numdf / resvarS : Number.NaN;
  const fpvalue = numdf > 0 ? pf(fval, numdf, dfResidual, false) : Number.NaN;

  // logLik as stats:::logLik.lm (weights enter through sum(log w)); log(rss) on the scaled response.
  let sumLogW = 0;
  if (w) for (const wi of w) if (wi > 0) sumLogW += Math.log(wi);
  const logRss = Math.log(rssS) + 2 * ey * Math.LN2;
  const logLik = 0.5 * (sumLogW - nEff * (Math.log(2 * Math.PI) + 1 - Math.log(nEff) + logRss));
  const df = rank + 1;
  const deviance = timesPow2(rssS, 2 * ey);

  if (dfResidual === 0) {
    warnings.push({
      code: "no_residual_df",
      message: `no residual degrees of freedom: ${plural(rank, "estimable coefficient")} for ${plural(nEff, "observation")}${
        w ? " with non-zero weight" : ""
      }, so the residual standard error, standard errors, t and p-values are NaN (not defined)`,
    });
  } else if (rssS === 0 || isPerfectFit(fS, resvarS)) {
    warnings.push({
      code: "perfect_fit",
      message:
        "essentially perfect fit: the residuals are zero to rounding error, so the standard errors, t and p-values (and logLik, AIC, BIC) are unreliable; check that the response is not a copy or exact function of a predictor",
    });
  }
  if (!Number.isFinite(deviance)) overflowed.push("residual sum of squares (deviance)");
  if (dfResidual > 0 && !Number.isFinite(sigma)) overflowed.push("residual standard error");
  if (overflowed.length > 0) {
    warnings.push({
      code: "non_finite_result",
      message: `the ${overflowed.join(", ")} ${overflowed.length === 1 ? "is" : "are"} beyond the range of double precision and reported as NaN/Infinity (response '${frame.formula.responseLabel}' ranges up to ${maxAbs(y).toPrecision(3)}); rescale the response or predictors (e.g. divide by a power of 10) and refit`,
    });
  }

  const fit: LmFit = {
    kind: "lm",
    formula: frame.formula.text,
    dataName: frame.dataName,
    nobs: nEff,
    xnames: names,
    beta,
    se,
    t,
    p: pv,
    vcov: [],
    estimable,
    droppedColumns: sol.aliased.map((j) => names[j]),
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
    deviance,
    fitted,
    residuals,
    weights: w,
    weightsColumn: opts.weights,
    method: solved.method,
    fitSeconds: (performance.now() - t0) / 1000,
    warnings,
    toJSON: () => lmToJSON(fit),
  };
  // vcov is p × p: built on first access only (a 10,000-level factor would make it 800 MB).
  Object.defineProperty(fit, "vcov", {
    enumerable: true,
    get: () => {
      vcovCache ??= buildVcov();
      return vcovCache;
    },
  });
  return Object.freeze(fit);
}

/** summary.lm's test: resvar < (mean(f)² + var(f)) · 1e-30 (f the fitted values). */
function isPerfectFit(f: Float64Array, resvar: number): boolean {
  const n = f.length;
  if (!Number.isFinite(resvar) || n < 2) return false;
  let mean = 0;
  for (const v of f) mean += v;
  mean /= n;
  let ss = 0;
  for (const v of f) ss += (v - mean) ** 2;
  return resvar < (mean * mean + ss / (n - 1)) * 1e-30;
}
