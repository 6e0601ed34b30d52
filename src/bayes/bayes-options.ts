/**
 * The options of a Bayesian fit, their defaults (Stan's: 4 chains, 1000 warm-up, 1000 draws,
 * adapt_delta 0.8, max_treedepth 10) and their validation (OptionError naming the option).
 */
import { OptionError } from "../errors.ts";
import type { BayesMethod } from "./build-bayes-model.ts";
import type { Parameterisation } from "./full-model.ts";

export interface BayesFitOptions {
  /** Priors as `"CLASS: DIST"` strings (`"b: normal(0, 5)"`, `"sd: uniform(0, 100)"`); unset classes get the defaults. */
  readonly prior?: string | readonly string[];
  /**
   * `collapsed` (random effects integrated out, then drawn exactly; Gaussian models with one
   * grouping factor) or `nuts-full`. Default: collapsed where it applies, else nuts-full.
   */
  readonly method?: BayesMethod;
  /**
   * Random-effects parameterisation of `nuts-full`: `noncentred`, `centred` or `hcentred`
   * (hierarchically centred: group coefficients β + u); default chosen from the data by the model
   * builder and stated on the fit.
   */
  readonly parameterisation?: Parameterisation;
  readonly chains?: number;
  readonly warmup?: number;
  readonly draws?: number;
  /** Seed of every random number of the run (chains draw from their own streams); default random, reported on the fit. */
  readonly seed?: number;
  readonly adaptDelta?: number;
  readonly maxTreedepth?: number;
}

/** Options with every default filled in. */
export interface ResolvedBayesOptions {
  readonly priors: readonly string[];
  /** undefined: the model builder's default. */
  readonly method: BayesMethod | undefined;
  readonly parameterisation: Parameterisation | undefined;
  readonly chains: number;
  readonly warmup: number;
  readonly draws: number;
  readonly seed: number;
  readonly adaptDelta: number;
  readonly maxTreedepth: number;
}

const METHODS: readonly BayesMethod[] = ["collapsed", "nuts-full"];
const PARAMETERISATIONS: readonly Parameterisation[] = ["noncentred", "centred", "hcentred"];

function integer(name: string, v: number | undefined, def: number, min: number, max: number): number {
  if (v === undefined) return def;
  if (!Number.isInteger(v) || v < min || v > max) {
    throw new OptionError(
      `${name} must be a whole number from ${min} to ${max}, not ${String(v)}`,
      `give ${name} as a whole number in that range`,
    );
  }
  return v;
}

export function resolveBayesOptions(opts: BayesFitOptions = {}): ResolvedBayesOptions {
  const method = opts.method;
  if (method !== undefined && !METHODS.includes(method)) {
    throw new OptionError(`unknown method '${String(method)}'`, `use one of ${METHODS.join(", ")}`);
  }
  const parameterisation = opts.parameterisation;
  if (parameterisation !== undefined && !PARAMETERISATIONS.includes(parameterisation)) {
    throw new OptionError(
      `unknown parameterisation '${String(parameterisation)}'`,
      `use one of ${PARAMETERISATIONS.join(", ")}`,
    );
  }
  const adaptDelta = opts.adaptDelta ?? 0.8;
  if (!(adaptDelta > 0 && adaptDelta < 1)) {
    throw new OptionError(
      `adaptDelta must lie strictly between 0 and 1, not ${String(adaptDelta)}`,
      "the usual values are 0.8 (default) to 0.99",
    );
  }
  const prior = opts.prior ?? [];
  const seed =
    opts.seed === undefined
      ? Math.floor(Math.random() * 2 ** 31)
      : integer("seed", opts.seed, 0, 0, 2 ** 32 - 1);
  return {
    priors: typeof prior === "string" ? [prior] : [...prior],
    method,
    parameterisation,
    chains: integer("chains", opts.chains, 4, 1, 256),
    warmup: integer("warmup", opts.warmup, 1000, 0, 1e7),
    draws: integer("draws", opts.draws, 1000, 1, 1e7),
    seed,
    adaptDelta,
    maxTreedepth: integer("maxTreedepth", opts.maxTreedepth, 10, 1, 30),
  };
}
