/**
 * `mixed fit FORMULA --data DATA`: lm when the formula has no random terms, else an LMM
 * (REML by default, as lme4; --ml for maximum likelihood).
 */
import {
  convergenceDiagnostics,
  convergenceToJSON,
  anovaType3,
  anovaType3ToJSON,
  type DdfMethod,
  ddfToJSON,
  fitGlmm,
  fitLm,
  type DataSource,
  type ModelFormula,
  fixedEffectTests,
  fitLmm,
  lmToJSON,
  OptionError,
  parseFormula,
  printCoef,
  printRanef,
  printAnovaType3,
  printSummary,
  type Warning,
} from "../../index.ts";
import { readData } from "../../node/read-data.ts";
import { escapeText } from "../../util/quote.ts";
import { MESSAGE_MAX } from "../format-error.ts";
import type { ModelOptions } from "../main.ts";

export interface FitOptions extends ModelOptions {
  ranef?: boolean;
  coef?: boolean;
  ddf?: DdfMethod | "none";
  convergence?: boolean;
}

export function writeWarnings(warnings: readonly Warning[]): void {
  for (const w of warnings)
    process.stderr.write(`warning[${w.code}]: ${escapeText(w.message, MESSAGE_MAX)}\n`);
}

export function checkModelOptions(opts: ModelOptions): void {
  if (opts.reml && opts.ml) throw new OptionError("--reml and --ml cannot be used together", "choose one");
  if (opts.family && !["gaussian", "binomial", "poisson"].includes(opts.family))
    throw new OptionError(`unknown --family '${opts.family}'`, "use gaussian, binomial or poisson");
  if (opts.nagq !== undefined && !glmmFamily(opts))
    throw new OptionError(
      "--nagq applies to generalized mixed models only",
      "add --family binomial or poisson",
    );
}

/** Refuse --family binomial/poisson (and --nagq) in a command that handles Gaussian models only. */
export function gaussianOnly(opts: ModelOptions, command: string): void {
  checkModelOptions(opts);
  if (glmmFamily(opts))
    throw new OptionError(
      `${command} is not available for --family ${opts.family} yet`,
      "it handles linear (mixed) models; fit the generalized model with mixed fit or compare fits with mixed anova",
    );
}

/** The GLMM family asked for (binomial, poisson), or null for a Gaussian model. */
export function glmmFamily(opts: ModelOptions): string | null {
  return opts.family && opts.family !== "gaussian" ? opts.family : null;
}

/** `--nagq N` as an integer (default 1). */
export function parseNagq(value: string | undefined): number {
  if (value === undefined) return 1;
  const v = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isInteger(v))
    throw new OptionError(`--nagq must be a non-negative integer, got '${value}'`, "e.g. --nagq 25");
  return v;
}

function runGlmmFit(formula: ModelFormula, data: DataSource, family: string, opts: FitOptions): number {
  if ((opts.ddf ?? "none") !== "none")
    throw new OptionError("--ddf applies to linear mixed models", "a GLMM summary has z tests");
  if (opts.reml)
    throw new OptionError("--reml applies to linear mixed models", "a GLMM is fitted by maximum likelihood");
  const fit = fitGlmm(formula, data, { family, nAGQ: parseNagq(opts.nagq), weights: opts.weights });
  if (opts.json) {
    process.stdout.write(`${JSON.stringify(fit.toJSON())}\n`);
    return 0;
  }
  let out = printSummary(fit);
  if (opts.ranef) out += `\nConditional modes of the random effects:\n${printRanef(fit)}`;
  if (opts.coef) out += `\nCoefficients per level (fixed + random):\n${printCoef(fit)}`;
  process.stdout.write(out);
  writeWarnings(fit.warnings);
  return 0;
}

export async function runFit(formulaText: string, opts: FitOptions): Promise<number> {
  checkModelOptions(opts);
  const formula = parseFormula(formulaText);
  const data = await readData(opts.data, { schemaPath: opts.schema, encoding: opts.encoding });
  const ddf = opts.ddf ?? "none";
  if (formula.random.length === 0) {
    if (ddf !== "none")
      throw new OptionError("--ddf applies to mixed models; an lm summary already has exact t-tests");
    if (opts.reml || opts.ml)
      throw new OptionError("--reml/--ml apply to mixed models; this formula has no random term");
    if (glmmFamily(opts))
      throw new OptionError(
        `--family ${opts.family} needs a random-effects term here`,
        "add a term such as (1 | group) for a generalized linear mixed model",
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
  const family = glmmFamily(opts);
  if (family) return runGlmmFit(formula, data, family, opts);
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
  if (opts.ranef) out += `\nConditional modes of the random effects:\n${printRanef(fit)}`;
  if (opts.coef) out += `\nCoefficients per level (fixed + random):\n${printCoef(fit)}`;
  process.stdout.write(out);
  writeWarnings(fit.warnings);
  if (tests) writeWarnings(tests.warnings);
  if (conv) writeWarnings(conv.warnings);
  return 0;
}
