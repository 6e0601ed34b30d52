/**
 * Restore a saved linear-mixed-model fit without refitting, the idea of MixedModels.jl's
 * `saveoptsum` / `restoreoptsum!`: the JSON of `fit.toJSON()` (`lmmToJSON`) keeps the formula, the
 * options (REML or ML, prior-weights column) and θ; with the same data, the model structure is
 * rebuilt, θ installed, and the objective evaluated once to factor L. β, σ, the conditional modes
 * and everything after follow from L at θ exactly as they did for the original fit (the
 * arithmetic is the same, so they agree to the last bit when the data are identical).
 *
 * Named `restoreLmm` rather than `fromJSON` because, as `restoreoptsum!`, it restores the
 * optimisation result into a model built from data; the JSON alone (no data) is not a model.
 *
 * The data are checked against the saved fit, each a typed `E_FIT_DATA_MISMATCH` naming what
 * differs: the number of rows used, the response (by its fingerprint `response_hash`), the
 * fixed-effect columns, the grouping factors' levels, and finally the objective at θ, which must
 * equal the saved one within 1e-8 relative (to max(1, |objective|)). A JSON that is not a saved
 * LMM fit is `E_FIT_BAD_JSON`.
 */
import type { DataSource } from "../data/column.ts";
import { SpecError, type Warning } from "../errors.ts";
import {
  assembleFit,
  type LmmFit,
  type LmmFitOptions,
  prepareLmm,
  responseHash,
  thetaNames,
} from "./fit-lmm.ts";
import { buildResult, type OptInfo, thetaLowerBounds } from "./lmm-result.ts";
import { evaluate, updateL } from "./update-l.ts";
import { quote } from "../util/quote.ts";
import {
  dataMismatch,
  field,
  isBoolean,
  isNumber,
  isNumberRecord,
  isObject,
  isString,
  listText,
  sameList,
} from "../util/saved-json.ts";

export interface RestoreLmmOptions {
  /** As `fitLmm`'s `maxBytes`. */
  readonly maxBytes?: number;
}

/** Relative tolerance of the objective at the saved θ (relative to max(1, |saved objective|)). */
export const RESTORE_OBJECTIVE_TOL = 1e-8;

function badJson(message: string): SpecError {
  return new SpecError(
    "E_FIT_BAD_JSON",
    `not a saved mixed-model fit: ${message}`,
    "pass the JSON written by fit.toJSON() (or `mixed fit ... --json`) for a linear mixed model",
  );
}

/**
 * Rebuild a fit saved with `fit.toJSON()` from the same `data`, without refitting (see the
 * module comment). `json` is the parsed object or its text.
 */
export function restoreLmm(json: string | object, data: DataSource, opts: RestoreLmmOptions = {}): LmmFit {
  const t0 = performance.now();
  let saved: unknown = json;
  if (typeof json === "string") {
    try {
      saved = JSON.parse(json);
    } catch (e) {
      throw badJson(`the text is not JSON (${(e as Error).message})`);
    }
  }
  if (!isObject(saved)) throw badJson("it is not a JSON object");
  if (saved.model_class === "glmerMod")
    throw new SpecError(
      "E_SPEC_NOT_LMM",
      `restoreLmm() applies to linear mixed models, but the saved fit is a generalized linear mixed model (${String(saved.family)} family)`,
      "restore it with restoreGlmm",
    );
  if (saved.model_class !== "lmerMod")
    throw badJson(
      `its model_class is ${JSON.stringify(saved.model_class)}, not "lmerMod" (a linear mixed model)`,
    );
  const formula = field(saved, "formula", isString, "a string", badJson);
  const REML = field(saved, "REML", isBoolean, "true or false", badJson);
  const thetaJson = field(saved, "theta", isNumberRecord, "an object of numbers", badJson);
  const betaJson = field(saved, "beta", isNumberRecord, "an object of numbers", badJson);
  const nobs = field(saved, "nobs", isNumber, "a number", badJson);
  const objective = field(saved, "objective", isNumber, "a finite number", badJson);
  const weights = saved.weights;
  if (weights !== undefined && weights !== null && !isString(weights))
    throw badJson("the field 'weights' is not a column name or null");
  const optinfoJson = isObject(saved.optinfo) ? saved.optinfo : {};
  const optinfo: OptInfo = {
    feval: isNumber(optinfoJson.feval) ? optinfoJson.feval : 0,
    converged: isBoolean(optinfoJson.converged) ? optinfoJson.converged : true,
    message: isString(optinfoJson.message) ? optinfoJson.message : "",
    optimizer: isString(optinfoJson.optimizer) ? optinfoJson.optimizer : "",
  };
  const savedWarnings: Warning[] = Array.isArray(saved.warnings)
    ? (saved.warnings as unknown[])
        .filter(isObject)
        .map((w) => ({ code: w.code, message: w.message }) as Warning)
    : [];

  const fitOpts: LmmFitOptions = {
    REML,
    ...(isString(weights) ? { weights } : {}),
    ...(opts.maxBytes !== undefined ? { maxBytes: opts.maxBytes } : {}),
  };
  const { design, model } = prepareLmm(formula, data, fitOpts);

  // the data against the saved fit
  if (design.n !== nobs)
    throw dataMismatch(`the formula uses ${design.n} rows of ${quote(data.name)}, the saved fit ${nobs}`);
  if (isString(saved.response_hash) && responseHash(design.y) !== saved.response_hash)
    throw dataMismatch(
      `the response ${quote(design.frame.formula.responseLabel)} has other values than the one the fit was fitted to`,
    );
  const betaNames = Object.keys(betaJson);
  if (!sameList(design.xnames, betaNames))
    throw dataMismatch(
      `the fixed-effect columns are ${listText(design.xnames)}, the saved fit's ${listText(betaNames)}`,
    );
  const ranefJson = isObject(saved.ranef) ? saved.ranef : {};
  for (const t of design.reterms) {
    const r = ranefJson[t.factor];
    const levels = isObject(r) && Array.isArray(r.levels) ? (r.levels as unknown[]).map(String) : null;
    if (!levels) throw badJson(`the field 'ranef' has no levels for the grouping factor ${quote(t.factor)}`);
    if (!sameList(t.levels, levels))
      throw dataMismatch(
        `the grouping factor ${quote(t.factor)} has ${t.levels.length} levels (${listText(t.levels)}), the saved fit ${levels.length} (${listText(levels)})`,
      );
  }
  const names = thetaNames(design);
  const savedNames = Object.keys(thetaJson);
  if (!sameList(names, savedNames))
    throw dataMismatch(
      `the variance parameters are ${listText(names)}, the saved fit's ${listText(savedNames)}`,
    );
  const theta = savedNames.map((nm) => thetaJson[nm]);
  const bounds = thetaLowerBounds(model);
  const below = theta.findIndex((v, i) => !(v >= bounds[i]));
  if (below >= 0)
    throw badJson(
      `θ ${quote(savedNames[below])} = ${theta[below]} is below its lower bound ${bounds[below]}`,
    );

  // the objective at θ (also factors L for the checks)
  const e = evaluate(model, theta, REML);
  if (!e.ok || !(Math.abs(e.value - objective) <= RESTORE_OBJECTIVE_TOL * Math.max(1, Math.abs(objective))))
    throw dataMismatch(
      `the ${REML ? "REML criterion" : "deviance"} at the saved θ is ${e.ok ? e.value : "not defined"}, the saved fit's ${objective}`,
    );
  const mlDev = REML ? evaluate(model, theta, false) : null;
  if (!updateL(model, theta))
    throw dataMismatch("the mixed-model equations cannot be factored at the saved θ");
  // warnings of the fit (the design's own are added again by assembleFit)
  const designKeys = new Set(design.warnings.map((w) => `${w.code}\u0000${w.message}`));
  const warnings = savedWarnings.filter((w) => !designKeys.has(`${w.code}\u0000${w.message}`));
  const result = buildResult(model, theta, REML, optinfo, warnings, mlDev?.ok ? mlDev.value : null);
  const timing = isObject(saved.timing) && isNumber(saved.timing.fit_s) ? saved.timing.fit_s : null;
  return assembleFit(design, model, result, fitOpts, timing ?? (performance.now() - t0) / 1000);
}
