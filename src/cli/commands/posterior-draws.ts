/**
 * A Bayesian fit for the figure commands (`mixed plot trace|rank|density`, `mixed report --bayes`):
 * the sampler flags parsed as `mixed sample` parses them (sampler-options.ts), the chains run in
 * worker threads, and the draws of the chosen variables in the plotting layer's `PosteriorDraws`
 * shape. Default variables: the fixed effects and hyper-parameters (every variable that is not a
 * group-level effect `r_…`).
 */
import type { BayesFit } from "../../bayes/bayes-fit.ts";
import type { DataSource } from "../../data/column.ts";
import { OptionError } from "../../errors.ts";
import { fitBayesParallel } from "../../node/fit-bayes-parallel.ts";
import type { PosteriorDraws } from "../../plot/posterior-plots.ts";
import { type SamplerCliOptions, samplerFitOptions } from "./sampler-options.ts";

export async function bayesFitFor(
  formula: string,
  data: DataSource,
  opts: SamplerCliOptions,
): Promise<BayesFit> {
  return fitBayesParallel(formula, data, samplerFitOptions(opts));
}

/** Split "a,b" into names; undefined when not given. */
export function variableList(s: string | undefined): string[] | undefined {
  if (s === undefined) return undefined;
  const names = s
    .split(",")
    .map((t) => t.trim())
    .filter((t) => t.length > 0);
  if (names.length === 0)
    throw new OptionError("--variables names no variable", "e.g. --variables b_x,sigma");
  return names;
}

/** The draws of `variables` (default: all but the group-level effects), chain by chain. */
export function posteriorDraws(fit: BayesFit, variables?: readonly string[]): PosteriorDraws {
  const names = variables ?? fit.variables.filter((v) => !v.startsWith("r_"));
  for (const v of names)
    if (!fit.variables.includes(v))
      throw new OptionError(
        `no variable '${v}' in the posterior draws`,
        `variables: ${fit.variables.slice(0, 12).join(", ")}${fit.variables.length > 12 ? ", …" : ""}`,
      );
  const perVariable = names.map((v) => fit.drawsOf(v));
  return {
    variables: names,
    chains: Array.from({ length: fit.chains }, (_, c) => perVariable.map((d) => d[c])),
  };
}
