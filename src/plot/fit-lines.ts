/**
 * Straight lines y = intercept + slope · x for figures: least squares on given points, the
 * population (fixed-effect) line of a fitted `lm`/LMM, and each group's conditional line
 * (fixef + ranef, lme4's `coef(m)`).
 */
import type { LmFit } from "../lm/fit-lm.ts";
import type { LmmFit } from "../lmm/fit-lmm.ts";
import { quote, quoteList } from "../util/quote.ts";
import { PlotError } from "./plot-error.ts";

export interface Line {
  readonly intercept: number;
  readonly slope: number;
}

/** A fitted model with one covariate, or a line given directly. */
export type LineSource = LmmFit | LmFit | Line;

/** Least-squares line through the points; null with fewer than 2 points or a constant x. */
export function olsLine(x: ArrayLike<number>, y: ArrayLike<number>): Line | null {
  const n = x.length;
  if (n < 2) return null;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i];
    my += y[i];
  }
  mx /= n;
  my /= n;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (x[i] - mx) ** 2;
    sxy += (x[i] - mx) * (y[i] - my);
  }
  if (!(sxx > 1e-12 * Math.max(1, mx * mx) * n)) return null;
  const slope = sxy / sxx;
  return { intercept: my - slope * mx, slope };
}

function isLine(m: LineSource): m is Line {
  return !("kind" in m);
}

/** Intercept and slope of `x` from named coefficients; other (non-zero) coefficients are refused. */
function lineFromCoefs(names: readonly string[], values: readonly number[], x: string, what: string): Line {
  const ii = names.indexOf("(Intercept)");
  const ix = names.indexOf(x);
  const others = names.filter((_n, j) => j !== ii && j !== ix && !Number.isNaN(values[j]) && values[j] !== 0);
  if (ix < 0 || others.length > 0) {
    throw new PlotError(
      "E_PLOT_BAD_MODEL",
      `the ${what} is not a straight line in ${quote(x)}: its coefficients are ${quoteList(names)}`,
      `fit a model with just ${quote(x)} as fixed effect (y ~ ${x} + ...), or pass {intercept, slope}`,
    );
  }
  const intercept = ii < 0 ? 0 : values[ii];
  return { intercept, slope: values[ix] };
}

/** The population (fixed-effects) line of a model against covariate `x`. */
export function populationLine(model: LineSource, x: string): Line {
  if (isLine(model)) {
    if (!Number.isFinite(model.intercept) || !Number.isFinite(model.slope))
      throw new PlotError(
        "E_PLOT_BAD_MODEL",
        "the population line's intercept and slope must be finite numbers",
      );
    return model;
  }
  return lineFromCoefs(
    model.xnames,
    model.beta,
    x,
    `${model.kind === "lm" ? "lm" : "mixed model"} fit ${quote(model.formula)}`,
  );
}

/** Each level's conditional line (fixef + ranef) for grouping factor `group`, keyed by level name. */
export function conditionalLines(fit: LmmFit, group: string, x: string): Map<string, Line> {
  const cf = fit.coef[group];
  if (cf === undefined || !Object.hasOwn(fit.coef, group)) {
    throw new PlotError(
      "E_PLOT_BAD_MODEL",
      `the mixed model ${quote(fit.formula)} has no random effects for ${quote(group)}`,
      `grouping factors of the model: ${quoteList(Object.keys(fit.coef))}`,
    );
  }
  const out = new Map<string, Line>();
  cf.levels.forEach((lev, l) => {
    out.set(lev, lineFromCoefs(cf.columns, cf.values[l], x, `per-level line of ${quote(group)}`));
  });
  return out;
}
