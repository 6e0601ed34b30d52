/**
 * Predictions of a GLM, as R's `predict(fit, newdata, type, se.fit = TRUE)`: on the link scale
 * η = xᵀβ̂ (+ offset) with standard error √(xᵀ V x) (V = vcov(β̂), the dispersion included), or on
 * the response scale μ = g⁻¹(η) with standard error |dμ/dη|·se(η) (the delta method, as R). New
 * data go through the fit's coding (factor levels matched by label, also when the new column of a
 * factor with numeric labels reads as numbers; an unseen level of a factor is refused); a row with a missing value predicts NaN (R's `na.pass`). Aliased columns are left out,
 * as R does for a rank-deficient fit. `scale()` and `poly()` use the fitted data's centre, scale and
 * polynomial coefficients, not the new data's (R's `makepredictcall`; design/data-transforms.ts).
 */
import type { DataSource, NumericColumn } from "../data/column.ts";
import type { TransformState } from "../design/data-transforms.ts";
import { evaluateNumeric, evaluateVariable } from "../design/evaluate-variable.ts";
import type { EvaluatedVariable } from "../design/evaluated-variable.ts";
import { materializeModelMatrix, planModelMatrix } from "../design/model-matrix.ts";
import { DataError, OptionError, SpecError } from "../errors.ts";
import type { GlmFit } from "../glm/fit-glm.ts";
import { glmInternals } from "../glm/glm-internals.ts";
import { quote } from "../util/quote.ts";
import { numbersAsLabels, recode } from "./predict.ts";

export interface GlmPredictOptions {
  /** "link" (default, R's default) or "response". */
  readonly type?: "link" | "response";
}

export interface GlmPrediction {
  readonly type: "link" | "response";
  /** Predictions, one per row (of the new data, or of the fitted rows). */
  readonly fit: Float64Array;
  /** Their standard errors. */
  readonly seFit: Float64Array;
}

interface NewDesign {
  readonly n: number;
  readonly X: Float64Array;
  readonly offset: Float64Array;
  readonly missing: Uint8Array;
}

function newDesign(fit: GlmFit, newdata: DataSource): NewDesign {
  const internals = glmInternals(fit);
  if (!internals)
    throw new SpecError(
      "E_SPEC_UNSUPPORTED",
      "this fit was not made by fitGlm, so its design is not available",
    );
  const { formula, variables } = internals;
  // scale() and poly() use the fitted data's centre, scale and coefficients (R's makepredictcall)
  const state: TransformState = { mode: "replay", transforms: internals.transforms };
  const text = formula.text;
  const n = newdata.nrow;
  const missing = new Uint8Array(n);
  const vars = new Map<string, EvaluatedVariable>();
  for (const [label, v] of formula.variables) {
    if (label === formula.responseLabel || v.expr === formula.response) continue;
    const train = variables.get(label);
    if (!train) continue;
    // a factor with numeric labels (cbpp's period "1".."4") read as numbers: matched by label
    const ev = numbersAsLabels(train, evaluateVariable(v, newdata, text, state), v);
    if (train.kind === "factor") {
      if (ev.kind !== "factor")
        throw new DataError(
          "E_DATA_NON_NUMERIC",
          `${quote(label)} is a factor in the fitted data but numeric in the new data`,
        );
      const r = recode(train, ev, label, true);
      for (let i = 0; i < n; i++) if (r.codes[i] < 0) missing[i] = 1;
      vars.set(label, r);
    } else {
      if (ev.kind === "factor")
        throw new DataError(
          "E_DATA_NON_NUMERIC",
          `${quote(label)} is numeric in the fitted data but not in the new data`,
        );
      const cols = ev.kind === "numeric" ? 1 : ev.ncol;
      for (let i = 0; i < n; i++)
        for (let c = 0; c < cols; c++) if (Number.isNaN(ev.values[c * n + i])) missing[i] = 1;
      vars.set(label, ev);
    }
  }
  const mm = materializeModelMatrix(planModelMatrix(formula.fixed, vars, n));
  const colOf = new Map(mm.names.map((nm, j) => [nm, j]));
  const p = fit.xnames.length;
  const X = new Float64Array(n * p);
  fit.xnames.forEach((nm, j) => {
    const k = colOf.get(nm);
    if (k === undefined)
      throw new SpecError("E_SPEC_UNSUPPORTED", `the new data's design has no column ${quote(nm)}`);
    X.set(mm.X.subarray(k * n, (k + 1) * n), j * n);
  });
  const offset = new Float64Array(n);
  for (const off of formula.offsets) {
    const o = evaluateNumeric(off, newdata, text, "the offset", state);
    for (let i = 0; i < n; i++) offset[i] += o[i];
  }
  if (fit.offsetColumn !== undefined) {
    const col = newdata.column(fit.offsetColumn);
    if (col?.kind !== "numeric")
      throw new DataError(
        "E_DATA_UNKNOWN_COLUMN",
        `the new data need the numeric offset column ${quote(fit.offsetColumn)}`,
      );
    const v = (col as NumericColumn).values;
    for (let i = 0; i < n; i++) offset[i] += v[i];
  }
  for (let i = 0; i < n; i++) if (Number.isNaN(offset[i])) missing[i] = 1;
  return { n, X, offset, missing };
}

/** R's `predict.glm(fit, newdata, type, se.fit = TRUE)`; without `newdata`, the fitted rows. */
export function predictGlm(fit: GlmFit, newdata?: DataSource, opts: GlmPredictOptions = {}): GlmPrediction {
  const type = opts.type ?? "link";
  if (type !== "link" && type !== "response")
    throw new OptionError(`type must be "link" or "response", got ${quote(String(type))}`);
  let d: NewDesign;
  if (newdata) d = newDesign(fit, newdata);
  else {
    const internals = glmInternals(fit);
    if (!internals)
      throw new SpecError(
        "E_SPEC_UNSUPPORTED",
        "this fit was not made by fitGlm, so its design is not available",
      );
    d = {
      n: fit.n,
      X: internals.X,
      offset: fit.offset ?? new Float64Array(fit.n),
      missing: new Uint8Array(fit.n),
    };
  }
  const { n, X, offset, missing } = d;
  const est = fit.estimable;
  const V = fit.vcov;
  const eta = new Float64Array(n);
  const se = new Float64Array(n);
  const x = new Float64Array(est.length);
  for (let i = 0; i < n; i++) {
    if (missing[i]) {
      eta[i] = Number.NaN;
      se[i] = Number.NaN;
      continue;
    }
    let s = offset[i];
    for (let a = 0; a < est.length; a++) {
      x[a] = X[est[a] * n + i];
      s += x[a] * fit.beta[est[a]];
    }
    let v = 0;
    for (let a = 0; a < est.length; a++) {
      if (x[a] === 0) continue;
      const row = V[est[a]];
      let t = 0;
      for (let b = 0; b < est.length; b++) t += row[est[b]] * x[b];
      v += x[a] * t;
    }
    eta[i] = s;
    se[i] = Math.sqrt(Math.max(v, 0));
  }
  if (type === "link") return { type, fit: eta, seFit: se };
  const link = fit.familyObject.link;
  const mu = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    mu[i] = link.linkinv(eta[i]);
    se[i] *= Math.abs(link.muEta(eta[i]));
  }
  return { type, fit: mu, seFit: se };
}
