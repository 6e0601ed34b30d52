/**
 * From formula + data to the numeric design of a model: response, full-rank X (aliased columns
 * dropped as lme4 does, with a `rank_deficient` warning naming them), random-effects terms in
 * lme4's order, weights and offset.
 */
import type { DataSource } from "../data/column.ts";
import { SpecError, type Warning } from "../errors.ts";
import type { ModelFormula } from "../formula/model-formula.ts";
import { qrDecompose } from "../linalg/qr.ts";
import { buildModelFrame, type ModelFrame, type ModelFrameOptions } from "./model-frame.ts";
import {
  checkMatrixSize,
  DEFAULT_MAX_MATRIX_BYTES,
  type ModelMatrix,
  materializeModelMatrix,
  planModelMatrix,
} from "./model-matrix.ts";
import { buildRandomEffects, type RandomEffectsTerm } from "./random-effects.ts";
import { rankDeficientWarning } from "./rank-deficient-warning.ts";

export interface Design {
  readonly frame: ModelFrame;
  readonly n: number;
  readonly y: Float64Array;
  /** Full-rank fixed-effects matrix (n×p, column-major). */
  readonly X: Float64Array;
  readonly p: number;
  readonly xnames: readonly string[];
  /** The model matrix before aliased columns were dropped. */
  readonly fullMatrix: ModelMatrix;
  /** Names of columns dropped for rank deficiency. */
  readonly dropped: readonly string[];
  readonly reterms: readonly RandomEffectsTerm[];
  readonly weights: Float64Array | undefined;
  readonly offset: Float64Array | undefined;
  readonly warnings: readonly Warning[];
}

/** Keep a maximal set of linearly independent columns (R's `qr(X, tol = 1e-7)` pivoting). */
export function dropAliasedColumns(mm: ModelMatrix, tol = 1e-7): { keep: number[]; dropped: number[] } {
  if (mm.p === 0) return { keep: [], dropped: [] };
  const qr = qrDecompose(mm.X.slice(), mm.n, mm.p, tol);
  const kept = Array.from(qr.pivot.subarray(0, qr.rank)).sort((a, b) => a - b);
  const dropped = Array.from(qr.pivot.subarray(qr.rank)).sort((a, b) => a - b);
  return { keep: kept, dropped };
}

export interface DesignOptions extends ModelFrameOptions {
  /**
   * Refuse (E_DATA_TOO_LARGE) a fixed-effects or random-effects matrix that would need more than
   * this many bytes to build and check. Default 2 GiB.
   */
  readonly maxBytes?: number;
}

export function buildDesign(formula: ModelFormula, data: DataSource, opts: DesignOptions = {}): Design {
  const frame = buildModelFrame(formula, data, opts);
  const warnings: Warning[] = [...frame.warnings];
  const n = frame.n;
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_MATRIX_BYTES;
  const plan = planModelMatrix(formula.fixed, frame.variables, n);
  // X, the copy its rank check factorises, and the copy without aliased columns.
  checkMatrixSize(plan, 8 * 3 * n * plan.p, maxBytes, "fixed-effects model matrix and its rank check");
  const mm = materializeModelMatrix(plan);
  const { keep, dropped } = dropAliasedColumns(mm);
  let X = mm.X;
  if (dropped.length > 0) {
    X = new Float64Array(n * keep.length);
    keep.forEach((j, k) => {
      X.set(mm.X.subarray(j * n, (j + 1) * n), k * n);
    });
    warnings.push(rankDeficientWarning(dropped.map((j) => mm.names[j])));
  }
  if (mm.p > 0 && keep.length === 0) {
    throw new SpecError(
      "E_SPEC_RANK_ZERO",
      "every fixed-effect column is zero or missing",
      "check the predictors",
    );
  }
  // glmer accepts as many levels (random effects) as observations (lme4's glFormula: allow.n =
  // TRUE), e.g. an observation-level term (1 | obs) for overdispersion; lmer does not
  const glmm = opts.family !== undefined && opts.family !== "gaussian";
  const re = buildRandomEffects(frame, maxBytes, glmm);
  warnings.push(...re.warnings);
  return {
    frame,
    n,
    y: frame.y,
    X,
    p: keep.length,
    xnames: keep.map((j) => mm.names[j]),
    fullMatrix: mm,
    dropped: dropped.map((j) => mm.names[j]),
    reterms: re.terms,
    weights: frame.weights,
    offset: frame.offset,
    warnings,
  };
}
