/**
 * `mixed fit FORMULA --data DATA`: lm when the formula has no random terms, else an LMM
 * (REML by default, as lme4; --ml for maximum likelihood); with --family binomial|poisson (or
 * --link) the generalized branch in `fit-generalized.ts`.
 */
import {
  convergenceDiagnostics,
  convergenceToJSON,
  anovaType3,
  anovaType3ToJSON,
  type DdfMethod,
  ddfToJSON,
  fitLm,
  fixedEffectTests,
  fitLmm,
  lmToJSON,
  OptionError,
  parseFormula,
  printCoef,
  printRanef,
  printAnovaType3,
  printSummary,
  printVarianceDecomposition,
  varianceDecomposition,
  type Warning,
} from "../../index.ts";
import { readData } from "../../node/read-data.ts";
import { escapeText } from "../../util/quote.ts";
import { MESSAGE_MAX } from "../format-error.ts";
import type { ModelOptions } from "../main.ts";
import { isGeneralized, runFitGeneralized } from "./fit-generalized.ts";

export interface FitOptions extends ModelOptions {
  ranef?: boolean;
  coef?: boolean;
  ddf?: DdfMethod | "none";
  convergence?: boolean;
  variance?: boolean;
}

export function writeWarnings(warnings: readonly Warning[]): void {
  for (const w of warnings)
    process.stderr.write(`warning[${w.code}]: ${escapeText(w.message, MESSAGE_MAX)}\n`);
}

/**
 * Option checks of the model commands; `glm` = the command takes generalized models (`mixed fit`,
 * and the GLMM inference commands predict, confint, bootstrap, which check the rest themselves).
 */
export function checkModelOptions(opts: ModelOptions, glm = false): void {
  if (opts.reml && opts.ml) throw new OptionError("--reml and --ml cannot be used together", "choose one");
  if (!glm && ((opts.family && opts.family !== "gaussian") || opts.link !== undefined)) {
    throw new OptionError(
      `--family ${opts.family ?? "gaussian"}${opts.link ? ` --link ${opts.link}` : ""} is not available with this command`,
      "it handles Gaussian models; generalized models work with mixed fit, anova, predict, confint and bootstrap",
    );
  }
  if (!glm && opts.nagq !== undefined) throw new OptionError("--nagq applies to generalized models only");
  if (!glm && opts.agq !== undefined) throw new OptionError("--agq applies to generalized mixed models only");
}

export async function runFit(formulaText: string, opts: FitOptions): Promise<number> {
  checkModelOptions(opts, true);
  const formula = parseFormula(formulaText);
  if (isGeneralized(opts)) return runFitGeneralized(formula, opts);
  if (opts.nagq !== undefined) throw new OptionError("--nagq applies to generalized models only");
  if (opts.agq !== undefined) throw new OptionError("--agq applies to generalized mixed models only");
  const data = await readData(opts.data, { schemaPath: opts.schema, encoding: opts.encoding });
  const ddf = opts.ddf ?? "none";
  if (formula.random.length === 0) {
    if (ddf !== "none")
      throw new OptionError("--ddf applies to mixed models; an lm summary already has exact t-tests");
    if (opts.reml || opts.ml)
      throw new OptionError("--reml/--ml apply to mixed models; this formula has no random term");
    if (opts.variance)
      throw new OptionError(
        "--variance applies to mixed models; this formula has no random term",
        "the lm summary already prints R²",
      );
    const t0 = performance.now();
    const fit = fitLm(formula, data, { weights: opts.weights });
    const fitS = (performance.now() - t0) / 1000;
    if (opts.json) {
      process.stdout.write(`${JSON.stringify({ ...lmToJSON(fit), timing: { fit_s: fitS } })}\n`);
    } else {
      process.stdout.write(printSummary(fit));
      writeWarnings(fit.warnings);
    }
    return 0;
  }
  const fit = fitLmm(formula, data, { REML: !opts.ml, weights: opts.weights });
  const tests = ddf === "none" ? null : fixedEffectTests(fit, { ddf });
  const type3 = ddf === "none" ? null : anovaType3(fit, { ddf });
  const conv = opts.convergence ? convergenceDiagnostics(fit) : null;
  if (opts.json) {
    const extra = {
      ...(tests && type3 ? { ddf: ddfToJSON(tests), anova_type3: anovaType3ToJSON(type3) } : {}),
      ...(conv ? { convergence: convergenceToJSON(conv) } : {}),
    };
    process.stdout.write(`${JSON.stringify({ ...fit.toJSON(), ...extra })}\n`);
    return 0;
  }
  let out = printSummary(fit, { ddf });
  if (type3) out += `\n${printAnovaType3(type3)}`;
  if (conv) {
    const num = (v: number) => v.toPrecision(3);
    out +=
      `\nConvergence at the optimum (criterion in θ): max|gradient| ${num(conv.maxAbsGradient)}, ` +
      `Newton decrement ${num(conv.newtonDecrement)}, Hessian eigenvalues ${num(conv.minHessianEigenvalue)} to ${num(conv.maxHessianEigenvalue)}` +
      `${conv.warnings.length === 0 ? ": converged" : ""}\n`;
  }
  if (opts.variance) out += `\n${printVarianceDecomposition(varianceDecomposition(fit))}`;
  if (opts.ranef) out += `\nConditional modes of the random effects:\n${printRanef(fit)}`;
  if (opts.coef) out += `\nCoefficients per level (fixed + random):\n${printCoef(fit)}`;
  process.stdout.write(out);
  writeWarnings(fit.warnings);
  if (tests) writeWarnings(tests.warnings);
  if (conv) writeWarnings(conv.warnings);
  return 0;
}
