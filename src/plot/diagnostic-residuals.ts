/**
 * The residuals the diagnostic figures draw, for each kind of fitted model:
 * - linear mixed models: raw residuals against fitted values; the scale–location plot uses the
 *   residuals divided by σ̂ (Pearson residuals with prior weights);
 * - GLMMs (`fitGlmm`) and GLMs (`fitGlm`): Pearson residuals by default (lme4's `plot(glmer)`
 *   default, `resid(., type = "pearson")`, and what glmer's summary calls "scaled residuals"),
 *   or deviance residuals (R's `plot(glm)`), against the linear predictor η (as R's `plot(glm)`:
 *   on the link scale the points are spread out, where fitted probabilities or rates bunch up
 *   near their bounds). For a GLM with an estimated dispersion the scale–location values are
 *   divided by √φ̂.
 * A Bernoulli response (binomial, every prior weight 1, y in {0, 1}) is flagged: its raw residual
 * scatter shows only two curves, so the figures draw binned residuals instead.
 */
import type { GlmFit } from "../glm/fit-glm.ts";
import type { GlmmFit } from "../glmm/fit-glmm.ts";
import type { LmmFit } from "../lmm/fit-lmm.ts";
import { PlotError } from "./plot-error.ts";

/** A fitted model the diagnostic figures accept. */
export type DiagnosticFit = LmmFit | GlmmFit | GlmFit;

/** Residual type of a generalized model's figures (default "pearson"). */
export type ResidualType = "pearson" | "deviance";

export interface DiagnosticResiduals {
  /** x of the scatters: fitted values (LMM) or the linear predictor (GLM/GLMM). */
  readonly x: Float64Array;
  readonly xLabel: string;
  /** Residuals of the residuals-vs-fitted panel. */
  readonly r: Float64Array;
  readonly rLabel: string;
  /** Standardised residuals of the scale–location panel and the QQ plot. */
  readonly s: Float64Array;
  readonly sLabel: string;
  /** GLM/GLMM. */
  readonly generalized: boolean;
  /** Binomial with 0/1 responses and unit prior weights. */
  readonly bernoulli: boolean;
  /** Response-scale fitted values and response residuals y − μ (for binned residuals). */
  readonly mu: Float64Array;
  readonly response: Float64Array;
}

/** Whether a binomial fit's response is 0/1 with unit weights. */
function isBernoulli(family: string, y: ArrayLike<number>, w: ArrayLike<number>): boolean {
  if (family !== "binomial") return false;
  for (let i = 0; i < y.length; i++) if (w[i] !== 1 || (y[i] !== 0 && y[i] !== 1)) return false;
  return true;
}

export function checkResidualType(type: string | undefined): ResidualType {
  if (type === undefined) return "pearson";
  if (type === "pearson" || type === "deviance") return type;
  throw new PlotError(
    "E_PLOT_BAD_OPTION",
    `the residual type '${type}' is not 'pearson' or 'deviance'`,
    "give residuals: 'pearson' (default) or 'deviance'",
  );
}

function finiteOrThrow(...arrays: ArrayLike<number>[]): void {
  for (const a of arrays)
    for (let i = 0; i < a.length; i++)
      if (!Number.isFinite(a[i]))
        throw new PlotError(
          "E_PLOT_BAD_MODEL",
          "the fit's fitted values or residuals are not finite",
          "check the model's warnings; refit with rescaled variables",
        );
}

/** The residuals and axes of the diagnostic figures of `fit` (see the file comment). */
export function diagnosticResiduals(fit: DiagnosticFit, type?: ResidualType): DiagnosticResiduals {
  const kind = checkResidualType(type);
  if (fit.kind === "lmm") {
    finiteOrThrow(fit.fitted, fit.residuals);
    return {
      x: fit.fitted,
      xLabel: "fitted values",
      r: fit.residuals,
      rLabel: "residuals",
      s: fit.scaledResiduals,
      sLabel: "standardised residuals",
      generalized: false,
      bernoulli: false,
      mu: fit.fitted,
      response: fit.residuals,
    };
  }
  const glm = fit.kind === "glm";
  const pearson = glm ? fit.residuals.pearson : fit.pearsonResiduals;
  const deviance = glm ? fit.residuals.deviance : fit.devianceResiduals;
  const response = glm ? fit.residuals.response : fit.residuals;
  const r = kind === "pearson" ? pearson : deviance;
  finiteOrThrow(fit.linearPredictor, fit.fitted, r);
  const phi = glm ? fit.dispersion : 1;
  const s = phi === 1 ? r : Float64Array.from(r, (v) => v / Math.sqrt(phi));
  const label = kind === "pearson" ? "Pearson residuals" : "deviance residuals";
  return {
    x: fit.linearPredictor,
    xLabel: `linear predictor (${fit.link} scale)`,
    r,
    rLabel: label,
    s,
    sLabel: phi === 1 ? label : `${label} / √dispersion`,
    generalized: true,
    bernoulli: isBernoulli(fit.family, fit.y, fit.priorWeights),
    mu: fit.fitted,
    response,
  };
}
