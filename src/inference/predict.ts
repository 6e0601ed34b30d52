/**
 * Predictions of a linear (or generalized linear) mixed model for new data, as lme4's
 * `predict(m, newdata, re.form, allow.new.levels, type)`: the fixed part Xβ (+ offset) plus, for the random-effects terms asked for,
 * Zb with the conditional modes b of each row's group. A group level the fit never saw gets
 * b = 0 (the population prediction) with `newLevels: "population"`, or is refused.
 *
 * The new data go through the fit's own coding: factor levels are matched by label to the levels
 * of the fit (a level of a fixed-effect factor that the fit never saw is refused), contrasts are
 * the fit's. `scale()` and `poly()` use the fitted data's centre, scale and polynomial
 * coefficients, not the new data's (R's `makepredictcall`; see design/data-transforms.ts).
 *
 * Beyond lme4: `seFit`, the standard error of the fixed part x'β̂ (√(x' V x), V = vcov(β̂)), and a
 * prediction interval for a new observation, from the variance x'Vx + Σ z' C z + σ², where C is the
 * conditional covariance of the row's random effects (condVar) for a level the fit saw, and the
 * random-effects covariance Σ for a new level or a term left out (`re: "none"`): an approximation
 * that ignores the covariance between β̂ and the conditional modes.
 */
import type { DataSource } from "../data/column.ts";
import { evaluateNumeric, evaluateVariable, formatLevel } from "../design/evaluate-variable.ts";
import type { EvaluatedVariable, FactorVariable } from "../design/evaluated-variable.ts";
import { groupingFactor } from "../design/model-frame.ts";
import { materializeModelMatrix, planModelMatrix } from "../design/model-matrix.ts";
import { DataError, OptionError, SpecError } from "../errors.ts";
import type { Variable } from "../formula/model-formula.ts";
import type { TransformState } from "../design/data-transforms.ts";
import { fitInternals } from "../lmm/fit-internals.ts";
import type { LmmFit } from "../lmm/fit-lmm.ts";
import type { GlmmFit } from "../glmm/fit-glmm.ts";
import { makeLink } from "../glm/make-link.ts";
import { qnorm } from "../special/quantiles.ts";
import { quote } from "../util/quote.ts";

export interface PredictOptions {
  /**
   * Which random-effects terms to add: "all" (default, lme4's `re.form = NULL`), "none" (`re.form =
   * NA`), or a list of grouping-factor or VarCorr group names (`Subject`, `recipe:replicate`).
   */
  readonly re?: "all" | "none" | readonly string[];
  /** A group level the fit never saw: "population" (b = 0, lme4's `allow.new.levels = TRUE`) or "error" (default). */
  readonly newLevels?: "population" | "error";
  /** Level of the prediction intervals (default 0.95). */
  readonly level?: number;
  /**
   * GLMMs: the scale of the predictions, "link" (the linear predictor η, default, as lme4's
   * `type = "link"`) or "response" (μ = g⁻¹(η); the interval's ends are transformed, `seFit` stays on
   * the link scale). Ignored for linear mixed models.
   */
  readonly type?: "link" | "response";
}

export interface Prediction {
  /** Predictions in the row order of the new data (NaN where a variable is missing). */
  readonly fit: Float64Array;
  /** Standard error of the fixed part x'β̂ of each prediction. */
  readonly seFit: Float64Array;
  /** Prediction interval for a new observation (see the module comment for its variance). */
  readonly lower: Float64Array;
  readonly upper: Float64Array;
  readonly level: number;
  /** Rows whose group level (of some term used) the fit never saw. */
  readonly newLevelRows: number;
}

/**
 * A new-data column read as numbers whose fitted counterpart is a factor with numeric labels
 * (cbpp's period "1".."4", a CSV without a schema): the values as factor labels, so that `recode`
 * matches them to the fit's levels by label. Other variables are returned as they are.
 */
export function numbersAsLabels(
  train: EvaluatedVariable,
  ev: EvaluatedVariable,
  v: Variable,
): EvaluatedVariable {
  if (train.kind !== "factor" || ev.kind !== "numeric" || v.expr.kind !== "column") return ev;
  const labels = Array.from(ev.values, (x) => (Number.isNaN(x) ? null : formatLevel(x)));
  const levels = [...new Set(labels.filter((l): l is string => l !== null))];
  const index = new Map(levels.map((l, i) => [l, i]));
  const codes = Int32Array.from(labels, (l) => (l === null ? -1 : index.get(l)!));
  return { kind: "factor", label: ev.label, codes, levels, ordered: false, contrasts: null };
}

/** The new data's values of a factor, recoded to the fit's levels (-1 where missing or unseen). */
export function recode(
  train: FactorVariable,
  fresh: FactorVariable,
  label: string,
  fixed: boolean,
): FactorVariable {
  const index = new Map(train.levels.map((l, i) => [l, i]));
  const map = Int32Array.from(fresh.levels, (l) => index.get(l) ?? -2);
  const n = fresh.codes.length;
  const codes = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = fresh.codes[i];
    const m = c < 0 ? -1 : map[c];
    if (m === -2 && fixed) {
      throw new DataError(
        "E_DATA_NEW_LEVEL",
        `factor ${quote(label)} has the level ${quote(fresh.levels[c])} in row ${i + 1} of the new data, which the fitted data did not have`,
        `the model has no coefficient for it; the fitted levels are ${train.levels
          .slice(0, 12)
          .map((l) => quote(l))
          .join(", ")}${train.levels.length > 12 ? ", …" : ""}`,
      );
    }
    codes[i] = m < 0 ? -1 : m;
  }
  return { ...train, codes };
}

/** Level codes (within a factor of `nlevels` levels) per row; -1 missing. */
interface RowCodes {
  readonly codes: Int32Array;
  readonly levels: readonly string[];
}

/**
 * Each row's level of a grouping factor (`g` or `g1:g2:…`) as an index into the fit's `levels`:
 * -1 where a part is missing, -2 for a level the fit never saw. Labels are looked up once per
 * distinct level (combination), not per row.
 */
function trainLevelIndex(parts: readonly RowCodes[], trainLevels: readonly string[], n: number): Int32Array {
  const index = new Map(trainLevels.map((l, i) => [l, i]));
  const out = new Int32Array(n);
  if (parts.length === 1) {
    const { codes, levels } = parts[0];
    const map = Int32Array.from(levels, (l) => index.get(l) ?? -2);
    for (let i = 0; i < n; i++) {
      const c = codes[i];
      out[i] = c < 0 ? -1 : map[c];
    }
    return out;
  }
  // interactions: a combined numeric code per row, its label resolved once per distinct value
  const seen = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    let key = 0;
    let absent = false;
    for (const pt of parts) {
      const c = pt.codes[i];
      if (c < 0) {
        absent = true;
        break;
      }
      key = key * pt.levels.length + c;
    }
    if (absent) {
      out[i] = -1;
      continue;
    }
    let l = seen.get(key);
    if (l === undefined) {
      const label = parts.map((pt) => pt.levels[pt.codes[i]]).join(":");
      l = index.get(label) ?? -2;
      seen.set(key, l);
    }
    out[i] = l;
  }
  return out;
}

/** Row-major S×S matrices of each level, flattened (NaN rows where `mats` is null). */
function flattenLevels(
  mats: readonly (readonly (readonly number[])[])[] | null,
  nlev: number,
  S: number,
): Float64Array {
  const out = new Float64Array(nlev * S * S);
  if (!mats) return out.fill(Number.NaN);
  for (let l = 0; l < nlev; l++)
    for (let a = 0; a < S; a++) for (let b = 0; b < S; b++) out[(l * S + a) * S + b] = mats[l][a][b];
  return out;
}

/** y += a·x (the hot loops live in small functions, which V8 optimises early even on a first call). */
function axpy(y: Float64Array, x: Float64Array, a: number): void {
  for (let i = 0; i < y.length; i++) y[i] += a * x[i];
}

function markMissingCodes(codes: Int32Array, missing: Uint8Array): void {
  for (let i = 0; i < codes.length; i++) if (codes[i] < 0) missing[i] = 1;
}

function markMissingValues(values: Float64Array, missing: Uint8Array): void {
  for (let i = 0; i < values.length; i++) if (Number.isNaN(values[i])) missing[i] = 1;
}

function count(flags: Uint8Array): number {
  let c = 0;
  for (let i = 0; i < flags.length; i++) c += flags[i];
  return c;
}

/** y += c·x₁·x₂ elementwise. */
function addProduct(y: Float64Array, x1: Float64Array, x2: Float64Array, c: number): void {
  for (let i = 0; i < y.length; i++) y[i] += c * x1[i] * x2[i];
}

interface RandomTermRows {
  /** n×S column-major random-effect columns of the new rows. */
  readonly Z: Float64Array;
  readonly S: number;
  readonly n: number;
  /** Each row's level index (-1 missing, -2 unseen). */
  readonly lev: Int32Array;
  /** nlev×S conditional modes, nlev×S×S conditional covariances, S×S covariance Σ. */
  readonly modes: Float64Array;
  readonly condVar: Float64Array;
  readonly sigmaRe: Float64Array;
  readonly include: boolean;
}

/**
 * Add one term's z'b to eta (when included) and z'Cz to reVar (C: the level's conditional
 * covariance, or Σ for an unseen level or a term left out); mark missing and unseen rows. Returns
 * the first unseen row when `refuseNew`, else -1.
 */
function addRandomTerm(
  t: RandomTermRows,
  eta: Float64Array,
  reVar: Float64Array,
  missing: Uint8Array,
  isNew: Uint8Array,
  refuseNew: boolean,
): number {
  const { Z, S, n, lev, modes, condVar, sigmaRe, include } = t;
  for (let i = 0; i < n; i++) {
    const l = lev[i];
    if (l === -1) {
      missing[i] = 1;
      continue;
    }
    let cov = sigmaRe;
    let off = 0;
    if (l === -2) {
      if (refuseNew) return i;
      if (include) isNew[i] = 1;
    } else if (include) {
      let s = 0;
      for (let r = 0; r < S; r++) s += Z[r * n + i] * modes[l * S + r];
      eta[i] += s;
      cov = condVar;
      off = l * S * S;
    }
    let v = 0;
    for (let a = 0; a < S; a++) {
      const za = Z[a * n + i];
      for (let b = 0; b < S; b++) v += za * cov[off + a * S + b] * Z[b * n + i];
    }
    reVar[i] += v;
  }
  return -1;
}

/**
 * In place: fit = eta, se = √fixedVar, and the interval eta ± q·√(fixedVar + reVar + σ²) into
 * (reVar, upper); NaN for missing rows.
 */
function intervals(
  eta: Float64Array,
  fixedVar: Float64Array,
  reVar: Float64Array,
  upper: Float64Array,
  missing: Uint8Array,
  q: number,
  s2: number,
): void {
  for (let i = 0; i < eta.length; i++) {
    if (missing[i]) {
      eta[i] = fixedVar[i] = reVar[i] = upper[i] = Number.NaN;
      continue;
    }
    const half = q * Math.sqrt(fixedVar[i] + reVar[i] + s2);
    fixedVar[i] = Math.sqrt(fixedVar[i]);
    reVar[i] = eta[i] - half;
    upper[i] = eta[i] + half;
  }
}

/** lme4's `predict(m, newdata)` with standard errors and prediction intervals (see the module comment). */
export function predict(fit: LmmFit | GlmmFit, newdata: DataSource, opts: PredictOptions = {}): Prediction {
  const internals = fitInternals(fit);
  if (!internals)
    throw new SpecError(
      "E_SPEC_UNSUPPORTED",
      "this fit was not made by fitLmm or fitGlmm, so its design is not available",
    );
  const level = opts.level ?? 0.95;
  if (!(level > 0 && level < 1)) throw new OptionError(`level must be between 0 and 1, got ${level}`);
  const newLevels = opts.newLevels ?? "error";
  const { design } = internals;
  const formula = design.frame.formula;
  const text = formula.text;
  const n = newdata.nrow;
  const missing = new Uint8Array(n);
  // scale() and poly() use the fitted data's centre, scale and coefficients (R's makepredictcall)
  const state: TransformState = { mode: "replay", transforms: design.frame.transforms };

  // the variables, in the fit's coding
  const vars = new Map<string, EvaluatedVariable>();
  const fixedLabels = new Set(formula.fixed.terms.flatMap((t) => t.variables));
  for (const [label, v] of formula.variables) {
    if (label === formula.responseLabel || v.expr === formula.response) continue;
    const train = design.frame.variables.get(label);
    if (!train) continue;
    const ev = numbersAsLabels(train, evaluateVariable(v, newdata, text, state), v);
    if (train.kind === "factor") {
      if (ev.kind !== "factor") {
        throw new DataError(
          "E_DATA_NON_NUMERIC",
          `${quote(label)} is a factor in the fitted data but numeric in the new data`,
          "give the new data's column the fit's type (a schema with its levels)",
        );
      }
      const r = recode(train, ev, label, fixedLabels.has(label));
      markMissingCodes(r.codes, missing);
      vars.set(label, r);
    } else {
      if (ev.kind === "factor") {
        throw new DataError(
          "E_DATA_NON_NUMERIC",
          `${quote(label)} is numeric in the fitted data but not in the new data`,
          "check the new data's column (a value that is not a number makes the column a factor)",
        );
      }
      const cols = ev.kind === "numeric" ? 1 : ev.ncol;
      for (let c = 0; c < cols; c++) {
        const col = ev.values.subarray(c * n, (c + 1) * n);
        markMissingValues(col, missing);
      }
      vars.set(label, ev);
    }
  }

  // fixed part: the fit's columns (aliased ones dropped), Xβ + offset, and x'Vx column by column
  const mm = materializeModelMatrix(planModelMatrix(formula.fixed, vars, n));
  const colOf = new Map(mm.names.map((nm, j) => [nm, j]));
  const p = fit.xnames.length;
  const X = fit.xnames.map((nm) => {
    const j = colOf.get(nm);
    if (j === undefined)
      throw new SpecError("E_SPEC_UNSUPPORTED", `the new data's design has no column ${quote(nm)}`);
    return mm.X.subarray(j * n, (j + 1) * n);
  });
  const eta = new Float64Array(n);
  const fixedVar = new Float64Array(n);
  for (let a = 0; a < p; a++) {
    axpy(eta, X[a], fit.beta[a]);
    // x'Vx = Σ_a V_aa x_a² + 2 Σ_{b<a} V_ab x_a x_b
    addProduct(fixedVar, X[a], X[a], fit.vcov[a][a]);
    for (let b = 0; b < a; b++)
      if (fit.vcov[a][b] !== 0) addProduct(fixedVar, X[a], X[b], 2 * fit.vcov[a][b]);
  }
  for (const off of formula.offsets) {
    axpy(eta, evaluateNumeric(off, newdata, text, "the offset", state), 1);
  }

  // random part
  const want = opts.re ?? "all";
  const reVar = new Float64Array(n);
  const isNew = new Uint8Array(n);
  const used = new Set<number>();
  for (const rt of formula.random) {
    const cnames = planModelMatrix(rt.lhs, design.frame.variables, design.n).names;
    const k = design.reterms.findIndex(
      (t, i) =>
        !used.has(i) &&
        t.factor === rt.groupLabel &&
        t.fromDoubleBar === rt.fromDoubleBar &&
        t.cnames.join("\u0000") === cnames.join("\u0000"),
    );
    if (k < 0)
      throw new SpecError(
        "E_SPEC_UNSUPPORTED",
        `random term for ${quote(rt.groupLabel)} not found in the fit`,
      );
    used.add(k);
    const term = design.reterms[k];
    const include =
      want === "all" || (want !== "none" && (want.includes(term.name) || want.includes(term.factor)));
    const S = term.cnames.length;
    const Z = materializeModelMatrix(planModelMatrix(rt.lhs, vars, n)).X;
    const parts = rt.group.map((g) => groupingFactor(newdata, g, text, rt.groupSpan));
    const lev = trainLevelIndex(parts, term.levels, n);
    const ranefTerm = fit.ranefTerms.find((t) => t.name === term.name);
    const group = fit.varcorr.groups.find((g) => g.name === term.name);
    if (!ranefTerm || !group)
      throw new SpecError("E_SPEC_UNSUPPORTED", `random term ${quote(term.name)} not found in the fit`);
    const nlev = term.levels.length;
    const modes = new Float64Array(nlev * S);
    for (let l = 0; l < nlev; l++) for (let r = 0; r < S; r++) modes[l * S + r] = ranefTerm.values[l][r];
    const condVar = flattenLevels(ranefTerm.condVar, nlev, S);
    const sigmaRe = flattenLevels([group.covariance], 1, S);
    const firstNew = addRandomTerm(
      { Z, S, n, lev, modes, condVar, sigmaRe, include },
      eta,
      reVar,
      missing,
      isNew,
      include && newLevels === "error",
    );
    if (firstNew >= 0) {
      const label = parts.map((pt) => pt.levels[pt.codes[firstNew]]).join(":");
      throw new DataError(
        "E_DATA_NEW_LEVEL",
        `${quote(term.factor)} has the level ${quote(label)} in row ${firstNew + 1} of the new data, which the fit never saw`,
        'predict it from the fixed effects alone with newLevels "population" (--new-levels population), or leave the term out (re "none")',
      );
    }
  }
  const newLevelRows = count(isNew);

  const q = qnorm(0.5 + level / 2);
  // GLMM: no residual variance on the link scale (the interval is for the conditional mean)
  const s2 = fit.kind === "glmm" ? 0 : fit.sigma * fit.sigma;
  // eta becomes the fit and fixedVar the standard error, in place; reVar the lower end
  const upper = new Float64Array(n);
  intervals(eta, fixedVar, reVar, upper, missing, q, s2);
  const lower = reVar;
  if (fit.kind === "glmm" && opts.type === "response") {
    const link = makeLink(fit.link);
    for (let i = 0; i < n; i++) {
      if (missing[i]) continue;
      eta[i] = link.linkinv(eta[i]);
      const a = link.linkinv(lower[i]);
      const b = link.linkinv(upper[i]);
      lower[i] = Math.min(a, b);
      upper[i] = Math.max(a, b);
    }
  }
  return { fit: eta, seFit: fixedVar, lower, upper, level, newLevelRows };
}

/** `mixed predict --json`: `{fit, se_fit, lower, upper, level}` (null where a prediction is missing). */
export function predictionToJSON(p: Prediction): Record<string, unknown> {
  const arr = (a: Float64Array) => Array.from(a, (v) => (Number.isFinite(v) ? v : null));
  return { fit: arr(p.fit), se_fit: arr(p.seFit), lower: arr(p.lower), upper: arr(p.upper), level: p.level };
}
