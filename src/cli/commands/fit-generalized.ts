/**
 * `mixed fit ... --family binomial|poisson [--link L]`: a GLM (R's `glm()`) when the formula has no
 * random-effects term; with random terms a GLMM (lme4's `glmer`, `fit-glmm.ts`).
 */
import { fitGlm, glmToJSON, OptionError, type ModelFormula, printSummary } from "../../index.ts";
import { readData } from "../../node/read-data.ts";
import type { FitOptions } from "./fit.ts";
import { runGlmmFit } from "./fit-glmm.ts";
import { writeWarnings } from "./fit.ts";

/** Whether the options ask for a generalized model (a non-Gaussian family or an explicit link). */
export function isGeneralized(opts: FitOptions): boolean {
  return (opts.family !== undefined && opts.family !== "gaussian") || opts.link !== undefined;
}

export async function runFitGeneralized(formula: ModelFormula, opts: FitOptions): Promise<number> {
  if (opts.reml || (opts.ml && formula.random.length === 0))
    throw new OptionError(
      "--reml/--ml apply to linear mixed models, not to --family " + (opts.family ?? "gaussian"),
    );
  if ((opts.ddf ?? "none") !== "none")
    throw new OptionError("--ddf applies to linear mixed models", "a GLM summary has Wald z tests");
  if (formula.random.length > 0) {
    const data = await readData(opts.data, { schemaPath: opts.schema, encoding: opts.encoding });
    return runGlmmFit(formula, data, opts);
  }
  if (opts.nagq !== undefined) throw new OptionError("--nagq applies to models with random-effects terms");
  if (opts.agq !== undefined) throw new OptionError("--agq applies to models with random-effects terms");
  if (opts.ranef || opts.coef)
    throw new OptionError("--ranef/--coef apply to mixed models; this formula has no random term");
  const data = await readData(opts.data, { schemaPath: opts.schema, encoding: opts.encoding });
  const fit = fitGlm(formula, data, {
    family: opts.family ?? "gaussian",
    link: opts.link,
    weights: opts.weights,
  });
  if (opts.json) {
    process.stdout.write(`${JSON.stringify({ ...glmToJSON(fit), timing: { fit_s: fit.fitSeconds } })}\n`);
  } else {
    process.stdout.write(printSummary(fit));
    writeWarnings(fit.warnings);
  }
  return 0;
}
