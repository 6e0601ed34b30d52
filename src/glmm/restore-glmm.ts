/**
 * Restore a saved GLMM fit without refitting (the GLMM twin of `restoreLmm`): the JSON of
 * `fit.toJSON()` (`glmmToJSON`) keeps the formula, family, link, nAGQ, prior-weights column, θ, β
 * and the covariance of β̂. With the same data the design and response are rebuilt, PIRLS is run
 * once at the saved (θ, β) for the conditional modes (converged to 1e-10), and the deviance there
 * (Laplace, or AGQ for nAGQ > 1) must equal the saved objective within 1e-5 relative (the fit's
 * own evaluations are lme4's: PIRLS stopped at a 1e-7 relative change, the log-determinant taken
 * one step early; they differ from the converged value by about 3e-6 relative on cbpp); the saved
 * standard errors (lme4's, from the Hessian over (θ, β)) are kept, not recomputed. Everything else
 * (modes, fitted values, residuals, condVar) follows from the state at (θ, β), within about 1e-6 of
 * the original fit's.
 *
 * Data that are not the fitted data are `E_FIT_DATA_MISMATCH` (rows used, fixed-effect columns,
 * grouping-factor levels, variance parameters, deviance); a JSON that is not a saved GLMM is
 * `E_FIT_BAD_JSON`, a saved linear mixed model `E_FIT_BAD_JSON` pointing at `restoreLmm`.
 */
import type { DataSource } from "../data/column.ts";
import { SpecError, type Warning } from "../errors.ts";
import { thetaLowerBounds } from "../lmm/lmm-result.ts";
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
import { agqDeviance, agqDevianceVector } from "./agq.ts";
import { assembleGlmmFit, type GlmmFit, type GlmmFitOptions, prepareGlmm, thetaNamesOf } from "./fit-glmm.ts";
import { type AgqMode, checkNagq, quadratureInfo } from "./fit-glmm-problem.ts";
import { agqDevianceComponents } from "./agq-components.ts";
import { buildGlmmResult, type GlmmOptInfo } from "./glmm-result.ts";
import { createGlmmWork, pirls, setFixed } from "./pirls.ts";

/** Relative tolerance of the deviance at the saved (θ, β) (relative to max(1, |objective|)). */
export const RESTORE_GLMM_OBJECTIVE_TOL = 1e-5;

function badJson(message: string, hint?: string): SpecError {
  return new SpecError(
    "E_FIT_BAD_JSON",
    `not a saved GLMM fit: ${message}`,
    hint ?? "pass the JSON written by fit.toJSON() (or `mixed fit ... --family F --json`) for a GLMM",
  );
}

/**
 * Rebuild a GLMM saved with `fit.toJSON()` from the same `data`, without refitting (see the module
 * comment). `json` is the parsed object or its text.
 */
export function restoreGlmm(
  json: string | object,
  data: DataSource,
  opts: { maxBytes?: number } = {},
): GlmmFit {
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
  if (saved.model_class === "lmerMod")
    throw badJson('it is a linear mixed model (model_class "lmerMod")', "restore it with restoreLmm");
  if (saved.model_class !== "glmerMod")
    throw badJson(`its model_class is ${JSON.stringify(saved.model_class)}, not "glmerMod"`);
  const formula = field(saved, "formula", isString, "a string", badJson);
  const family = field(saved, "family", isString, "a string", badJson);
  const link = field(saved, "link", isString, "a string", badJson);
  const nAGQ = field(saved, "nAGQ", isNumber, "a number", badJson);
  const thetaJson = field(saved, "theta", isNumberRecord, "an object of numbers", badJson);
  const betaJson = field(saved, "beta", isNumberRecord, "an object of numbers", badJson);
  const nobs = field(saved, "nobs", isNumber, "a number", badJson);
  const objective = field(saved, "objective", isNumber, "a finite number", badJson);
  const weights = saved.weights;
  if (weights !== undefined && weights !== null && !isString(weights))
    throw badJson("the field 'weights' is not a column name or null");
  const vcovJson = saved.vcov_beta;
  const optinfoJson = isObject(saved.optinfo) ? saved.optinfo : {};
  const optinfo: GlmmOptInfo = {
    feval: isNumber(optinfoJson.feval) ? optinfoJson.feval : 0,
    fevalStage1: isNumber(optinfoJson.feval_stage1) ? optinfoJson.feval_stage1 : 0,
    converged: isBoolean(optinfoJson.converged) ? optinfoJson.converged : true,
    message: isString(optinfoJson.message) ? optinfoJson.message : "",
    optimizer: isString(optinfoJson.optimizer) ? optinfoJson.optimizer : "",
  };
  const savedWarnings: Warning[] = Array.isArray(saved.warnings)
    ? (saved.warnings as unknown[])
        .filter(isObject)
        .map((w) => ({ code: w.code, message: w.message }) as Warning)
    : [];

  const fitOpts: GlmmFitOptions = {
    family,
    link,
    nAGQ,
    ...(isString(weights) ? { weights } : {}),
    ...(opts.maxBytes !== undefined ? { maxBytes: opts.maxBytes } : {}),
  };
  const prepared = prepareGlmm(formula, data, fitOpts);
  const { design, problem } = prepared;
  // the saved quadrature rule (JSON from before the extended mode: a single vector term was its only use)
  const savedAgq = isObject(saved.agq) ? saved.agq.mode : undefined;
  const agqMode: AgqMode =
    savedAgq === "extended" || (problem.reterms.length === 1 && problem.reterms[0].cnames.length > 1)
      ? "extended"
      : "lme4";
  const comps = checkNagq(problem, nAGQ, agqMode);

  // the data against the saved fit
  if (design.n !== nobs)
    throw dataMismatch(`the formula uses ${design.n} rows of ${quote(data.name)}, the saved fit ${nobs}`);
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
  const names = thetaNamesOf(design.reterms);
  const savedNames = Object.keys(thetaJson);
  if (!sameList(names, savedNames))
    throw dataMismatch(
      `the variance parameters are ${listText(names)}, the saved fit's ${listText(savedNames)}`,
    );
  const theta = Float64Array.from(savedNames, (nm) => thetaJson[nm]);
  const beta = betaNames.map((nm) => betaJson[nm]);
  const p = beta.length;
  let vcovHess: number[][] | null = null;
  if (
    saved.se_method !== "RX factor" &&
    Array.isArray(vcovJson) &&
    vcovJson.length === p &&
    vcovJson.every((row) => Array.isArray(row) && row.length === p && row.every(isNumber))
  )
    vcovHess = (vcovJson as number[][]).map((row) => [...row]);

  // PIRLS at the saved (θ, β), the deviance there
  const work = createGlmmWork(problem);
  const bounds = thetaLowerBounds(work.model);
  const below = Array.from(theta).findIndex((v, i) => !(v >= bounds[i]));
  if (below >= 0)
    throw badJson(
      `θ ${quote(savedNames[below])} = ${theta[below]} is below its lower bound ${bounds[below]}`,
    );
  setFixed(work, beta);
  let r: ReturnType<typeof pirls>;
  let dev: number;
  try {
    r = pirls(work, theta, false);
    dev =
      nAGQ <= 1
        ? r.ldL2 + r.sqrL + r.devResid + work.minus2LogLikSaturated
        : comps
          ? agqDevianceComponents(work, theta, nAGQ, comps)
          : work.model.terms[0].S > 1
            ? agqDevianceVector(work, theta, nAGQ)
            : agqDeviance(work, theta, nAGQ);
  } catch {
    throw dataMismatch("PIRLS does not converge at the saved parameters");
  }
  if (!(Math.abs(dev - objective) <= RESTORE_GLMM_OBJECTIVE_TOL * Math.max(1, Math.abs(objective))))
    throw dataMismatch(`the deviance at the saved θ and β is ${dev}, the saved fit's ${objective}`);
  if (nAGQ > 1) {
    // the AGQ evaluation moves the state: PIRLS again for the modes at (θ, β)
    setFixed(work, beta);
    r = pirls(work, theta, false);
  }
  // the optimiser's warnings (the design's, the response's and the result's are made again)
  const warnings = savedWarnings.filter((w) => w.code === "not_converged" || w.code === "glmm_hessian");
  const result = buildGlmmResult(work, {
    theta,
    nAGQ,
    quadrature: quadratureInfo(work.model, nAGQ, comps),
    objective,
    pirls: r,
    vcovHess,
    optinfo,
    warnings,
  });
  const timing = isObject(saved.timing) && isNumber(saved.timing.fit_s) ? saved.timing.fit_s : null;
  return assembleGlmmFit(prepared, work.model, result, fitOpts, timing ?? (performance.now() - t0) / 1000);
}
