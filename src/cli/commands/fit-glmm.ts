/**
 * `mixed fit ... --family binomial|poisson [--link L] [--nagq N] [--agq extended]` with random-effects terms: a GLMM
 * as lme4's `glmer` (the branch `fit-generalized.ts` hands over), and the option helpers `anova`
 * shares.
 */
import {
  fitGlmm,
  type DataSource,
  type ModelFormula,
  OptionError,
  printCoef,
  printRanef,
  printSummary,
} from "../../index.ts";
import type { ModelOptions } from "../main.ts";
import type { FitOptions } from "./fit.ts";
import { writeWarnings } from "./fit.ts";

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

export function runGlmmFit(formula: ModelFormula, data: DataSource, opts: FitOptions): number {
  const family = glmmFamily(opts);
  if (!family)
    throw new OptionError(
      "--link with random-effects terms needs --family binomial or poisson",
      "or drop --link",
    );
  if (opts.convergence)
    throw new OptionError("--convergence applies to linear mixed models", "a GLMM's optinfo is in --json");
  const fit = fitGlmm(formula, data, {
    family,
    link: opts.link,
    nAGQ: parseNagq(opts.nagq),
    agq: opts.agq,
    weights: opts.weights,
  });
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
