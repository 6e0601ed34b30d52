/**
 * Predictions of a linear (or generalized linear) mixed model for new data, as lme4's
 * `predict(m, newdata, re.form, allow.new.levels, type)`: the fixed part Xβ (+ offset) plus, for the random-effects terms asked for,
 * Zb with the conditional modes b of each row's group. A group level the fit never saw gets
 * b = 0 (the population prediction) with `newLevels: "population"`, or is refused.
 *
 * The new data go through the fit's own coding: factor levels are matched by label to the levels
 * of the fit (a level of a fixed-effect factor that the fit never saw is refused), contrasts are
 * the fit's. `scale()` and `poly()` depend on the fitted data's mean, spread and polynomial
 * coefficients, which the fit does not keep yet, so formulas that use them are refused.
 *
 * Beyond lme4: `seFit`, the standard error of the fixed part x'β̂ (√(x' V x), V = vcov(β̂)), and a
 * prediction interval for a new observation, from the variance x'Vx + Σ z' C z + σ², where C is the
 * conditional covariance of the row's random effects (condVar) for a level the fit saw, and the
 * random-effects covariance Σ for a new level or a term left out (`re: "none"`): an approximation
 * that ignores the covariance between β̂ and the conditional modes.
 */
import type { DataSource } from "../data/column.ts";
import { evaluateNumeric, evaluateVariable } from "../design/evaluate-variable.ts";
import type { EvaluatedVariable, FactorVariable } from "../design/evaluated-variable.ts";
import { groupingFactor } from "../design/model-frame.ts";
import { materializeModelMatrix, planModelMatrix } from "../design/model-matrix.ts";
import { DataError, OptionError, SpecError } from "../errors.ts";
import type { VarExpr } from "../formula/model-formula.ts";
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

const STATEFUL = new Set(["scale", "poly"]);

/** The first `scale()` / `poly()` call in `e` (their values depend on the fitted data), if any. */
export function statefulCall(e: VarExpr): string | null {
  switch (e.kind) {
    case "call":
      if (STATEFUL.has(e.fn)) return e.fn;
      for (const a of e.args) {
        const s = statefulCall(a);
        if (s) return s;
      }
      return null;
    case "binary":
      return statefulCall(e.left) ?? statefulCall(e.right);
    case "unary":
      return statefulCall(e.arg);
    default:
      return null;
  }
}

/** The new data's values of a factor, recoded to the fit's levels (-1 where missing or unseen). */
export function recode(
  train: FactorVariable,
  fresh: FactorVariable,
  label: string,
  fixed: boolean,
): FactorVariable {
  const index = new Map(train.levels.map((l, i) => [l, i]));
  const map = fresh.levels.map((l) => index.get(l) ?? -2);
  const codes = Int32Array.from(fresh.codes, (c) => (c < 0 ? -1 : map[c]));
  if (fixed) {
    const bad = codes.indexOf(-2);
    if (bad >= 0) {
      throw new DataError(
        "E_DATA_NEW_LEVEL",
        `factor ${quote(label)} has the level ${quote(fresh.levels[fresh.codes[bad]])} in row ${bad + 1} of the new data, which the fitted data did not have`,
        `the model has no coefficient for it; the fitted levels are ${train.levels
          .slice(0, 12)
          .map((l) => quote(l))
          .join(", ")}${train.levels.length > 12 ? ", …" : ""}`,
      );
    }
  }
  return { ...train, codes: Int32Array.from(codes, (c) => (c === -2 ? -1 : c)) };
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

  // the variables, in the fit's coding
  const vars = new Map<string, EvaluatedVariable>();
  const fixedLabels = new Set(formula.fixed.terms.flatMap((t) => t.variables));
  for (const [label, v] of formula.variables) {
    if (label === formula.responseLabel || v.expr === formula.response) continue;
    const train = design.frame.variables.get(label);
    if (!train) continue;
    const fn = statefulCall(v.expr);
    if (fn) {
      throw new SpecError(
        "E_SPEC_UNSUPPORTED",
        `predict with new data does not support ${fn}() yet (${quote(label)} depends on the fitted data's ${fn === "scale" ? "mean and standard deviation" : "polynomial coefficients"})`,
        `transform the column before fitting and give the new data the same transformation`,
      );
    }
    const ev = evaluateVariable(v, newdata, text);
    if (train.kind === "factor") {
      if (ev.kind !== "factor") {
        throw new DataError(
          "E_DATA_NON_NUMERIC",
          `${quote(label)} is a factor in the fitted data but numeric in the new data`,
          "give the new data's column the fit's type (a schema with its levels)",
        );
      }
      const r = recode(train, ev, label, fixedLabels.has(label));
      for (let i = 0; i < n; i++) if (r.codes[i] < 0) missing[i] = 1;
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
      for (let i = 0; i < n; i++)
        for (let c = 0; c < cols; c++) if (Number.isNaN(ev.values[c * n + i])) missing[i] = 1;
      vars.set(label, ev);
    }
  }

  // fixed part: the fit's columns (aliased ones dropped), Xβ + offset, and x'Vx
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
  for (let i = 0; i < n; i++) {
    let s = 0;
    let v = 0;
    for (let a = 0; a < p; a++) {
      const xa = X[a][i];
      s += xa * fit.beta[a];
      if (xa === 0) continue;
      for (let b = 0; b < p; b++) v += xa * fit.vcov[a][b] * X[b][i];
    }
    eta[i] = s;
    fixedVar[i] = v;
  }
  for (const off of formula.offsets) {
    const o = evaluateNumeric(off, newdata, text, "the offset");
    for (let i = 0; i < n; i++) eta[i] += o[i];
  }

  // random part
  const want = opts.re ?? "all";
  const reVar = new Float64Array(n);
  let newLevelRows = 0;
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
    const zmm = materializeModelMatrix(planModelMatrix(rt.lhs, vars, n));
    // the row's level of the grouping factor, by label
    const parts = rt.group.map((g) => {
      const gf = groupingFactor(newdata, g, text, rt.groupSpan);
      return { codes: gf.codes, levels: gf.levels };
    });
    const index = new Map(term.levels.map((l, i) => [l, i]));
    const ranefTerm = fit.ranefTerms.find((t) => t.name === term.name);
    const group = fit.varcorr.groups.find((g) => g.name === term.name);
    if (!ranefTerm || !group)
      throw new SpecError("E_SPEC_UNSUPPORTED", `random term ${quote(term.name)} not found in the fit`);
    for (let i = 0; i < n; i++) {
      let label = "";
      let absent = false;
      parts.forEach((pt, j) => {
        const c = pt.codes[i];
        if (c < 0) absent = true;
        else label += (j > 0 ? ":" : "") + pt.levels[c];
      });
      if (absent) {
        missing[i] = 1;
        continue;
      }
      const l = index.get(label);
      const z = Array.from({ length: S }, (_, r) => zmm.X[r * n + i]);
      let cov: readonly (readonly number[])[] = group.covariance;
      if (l === undefined) {
        if (include && newLevels === "error") {
          throw new DataError(
            "E_DATA_NEW_LEVEL",
            `${quote(term.factor)} has the level ${quote(label)} in row ${i + 1} of the new data, which the fit never saw`,
            'predict it from the fixed effects alone with newLevels "population" (--new-levels population), or leave the term out (re "none")',
          );
        }
        if (include && !isNew[i]) {
          isNew[i] = 1;
          newLevelRows++;
        }
      } else if (include) {
        for (let r = 0; r < S; r++) eta[i] += z[r] * ranefTerm.values[l][r];
        if (ranefTerm.condVar) cov = ranefTerm.condVar[l];
        else cov = group.covariance.map((row) => row.map(() => Number.NaN));
      }
      for (let a = 0; a < S; a++) for (let b = 0; b < S; b++) reVar[i] += z[a] * cov[a][b] * z[b];
    }
  }

  const q = qnorm(0.5 + level / 2);
  // GLMM: no residual variance on the link scale (the interval is for the conditional mean)
  const s2 = fit.kind === "glmm" ? 0 : fit.sigma * fit.sigma;
  const fitOut = new Float64Array(n);
  const se = new Float64Array(n);
  const lower = new Float64Array(n);
  const upper = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if (missing[i]) {
      fitOut[i] = se[i] = lower[i] = upper[i] = Number.NaN;
      continue;
    }
    fitOut[i] = eta[i];
    se[i] = Math.sqrt(fixedVar[i]);
    const half = q * Math.sqrt(fixedVar[i] + reVar[i] + s2);
    lower[i] = eta[i] - half;
    upper[i] = eta[i] + half;
  }
  if (fit.kind === "glmm" && opts.type === "response") {
    const link = makeLink(fit.link);
    for (let i = 0; i < n; i++) {
      if (missing[i]) continue;
      fitOut[i] = link.linkinv(fitOut[i]);
      const a = link.linkinv(lower[i]);
      const b = link.linkinv(upper[i]);
      lower[i] = Math.min(a, b);
      upper[i] = Math.max(a, b);
    }
  }
  return { fit: fitOut, seFit: se, lower, upper, level, newLevelRows };
}

/** `mixed predict --json`: `{fit, se_fit, lower, upper, level}` (null where a prediction is missing). */
export function predictionToJSON(p: Prediction): Record<string, unknown> {
  const arr = (a: Float64Array) => Array.from(a, (v) => (Number.isFinite(v) ? v : null));
  return { fit: arr(p.fit), se_fit: arr(p.seFit), lower: arr(p.lower), upper: arr(p.upper), level: p.level };
}
