/**
 * `mixed plot KIND [FORMULA] --data DATA -o FILE.svg|FILE.png [--x --y --group] [--width --height]`.
 * Loaded lazily by main.ts (the plotting library stays out of other commands' start-up).
 *
 * Dispatch: `PLOT_KINDS` maps each KIND to `{ summary, formula, make(ctx) }`. To add a figure, add
 * one entry: `make` gets a `PlotContext` (the data, the parsed formula, resolved x/y/group, size,
 * title, `lmm()` to fit the formula's mixed model once, `onWarning`) and returns an SVG string;
 * this file writes it as SVG or PNG. Columns default from the formula `y ~ x + (x | g)`:
 * y = its response, x = its first single-variable fixed term, group = its first grouping factor.
 */
import { writeFileSync } from "node:fs";
import type { ColumnTable } from "../../data/column-table.ts";
import type { Warning } from "../../errors.ts";
import type { ModelFormula } from "../../formula/model-formula.ts";
import {
  bootstrap,
  fitGlm,
  fitGlmm,
  type GlmmFit,
  fitLm,
  fitLmm,
  type LmFit,
  type LmmFit,
  MixedError,
  OptionError,
  parseFormula,
  profile,
} from "../../index.ts";
import { readData } from "../../node/read-data.ts";
import { formulaColumns } from "../../plot/formula-columns.ts";
import {
  betweenWithin,
  bootstrapDensities,
  caterpillar,
  posteriorDensity,
  profileZeta,
  facets,
  type FigureOptions,
  PlotError,
  panel,
  pooled,
  qqPlot,
  rankPlot,
  residualPlot,
  shrinkage,
  tracePlot,
  trajectories,
} from "../../plot/index.ts";
import type { DiagnosticFit, ResidualType } from "../../plot/diagnostic-residuals.ts";
import { fittedCurves } from "../../plot/fitted-curves.ts";
import type { PosteriorDraws } from "../../plot/posterior-plots.ts";
import { parseNagq } from "./fit-glmm.ts";
import { quote } from "../../util/quote.ts";
import { writeWarnings } from "./fit.ts";
import type { PlotCliOptions } from "./plot-options.ts";

export type { PlotCliOptions } from "./plot-options.ts";

export type PlotRole = "x" | "y" | "group";

export interface PlotContext {
  readonly kind: string;
  readonly data: ColumnTable;
  /** The parsed FORMULA argument, if given. */
  readonly formula: ModelFormula | undefined;
  /** Raw command-line options (for kind-specific ones). */
  readonly options: PlotCliOptions;
  /** Size, title and warning sink to spread into a figure's options. */
  readonly figure: FigureOptions;
  /** The column for a role: --x/--y/--group, else from the formula; OptionError when neither. */
  column(role: PlotRole): string;
  /** The column for a role if known. */
  maybeColumn(role: PlotRole): string | undefined;
  /** The formula's mixed model (fitted once; REML unless --ml); OptionError without random terms. */
  lmm(): LmmFit;
  /** The formula's fit when it has random terms, undefined otherwise (or without a formula). */
  maybeLmm(): LmmFit | undefined;
  /** The formula's lm (a formula without random terms). */
  lm(): LmFit;
  /**
   * The formula's model for the diagnostic figures: with `--family binomial|poisson` a GLMM (random
   * terms) or a GLM (none); otherwise the LMM.
   */
  model(): DiagnosticFit;
  /** The formula's mixed model: the GLMM with `--family`, else the LMM. */
  mixed(): LmmFit | GlmmFit;
  /** Whether `--family`/`--link` ask for a generalized model. */
  readonly generalized: boolean;
}

/** The kinds that draw generalized (GLM/GLMM) fits with `--family`. */
const GENERALIZED_KINDS = ["residuals", "qq", "caterpillar", "shrinkage", "trajectories"];

export interface PlotKind {
  /** One line for --help and the unknown-kind error. */
  readonly summary: string;
  /** Whether FORMULA is needed ("optional": used when given). */
  readonly formula: "none" | "optional" | "required";
  readonly make: (ctx: PlotContext) => string | Promise<string>;
}

function list(s: string | undefined): string[] | undefined {
  return s === undefined
    ? undefined
    : s
        .split(",")
        .map((t) => t.trim())
        .filter((t) => t.length > 0);
}

/**
 * The formula's mixed model when its fixed effects are a line in `x` (drawn as the population
 * line); a warning and undefined when they are not; undefined without a mixed-model formula.
 */
function populationFit(ctx: PlotContext, x: string): LmmFit | undefined {
  const fit = ctx.maybeLmm();
  if (fit === undefined) return undefined;
  if (fit.xnames.every((n) => n === "(Intercept)" || n === x)) return fit;
  ctx.figure.onWarning?.({
    code: "line_omitted",
    message: `no population line: the model's fixed effects (${fit.xnames.join(", ")}) are not a line in ${x}`,
  });
  return undefined;
}

/** Posterior draws of the formula's Bayesian fit (the sampler flags as `mixed sample`). */
async function drawsOf(ctx: PlotContext): Promise<PosteriorDraws> {
  if (ctx.formula === undefined || ctx.formula.random.length === 0)
    throw new OptionError(
      `mixed plot ${ctx.kind} needs a mixed-model formula with a random term, e.g. "y ~ x + (x | g)"`,
    );
  if (ctx.options.reml || ctx.options.ml)
    throw new OptionError(`--reml/--ml do not apply to mixed plot ${ctx.kind} (a Bayesian fit)`);
  const { bayesFitFor, posteriorDraws, variableList } = await import("./posterior-draws.ts");
  const variables = variableList(ctx.options.variables);
  const fit = await bayesFitFor(ctx.formula.text, ctx.data, ctx.options);
  for (const w of fit.warnings) ctx.figure.onWarning?.(w);
  return posteriorDraws(fit, variables);
}

/** Every `mixed plot` KIND. Add figures here. */
export const PLOT_KINDS: Readonly<Record<string, PlotKind>> = {
  trajectories: {
    summary:
      "one line of y against x per group; population line from a formula's fit (--family: per-group fitted curves)",
    formula: "optional",
    make: (ctx) => {
      const x = ctx.column("x");
      if (ctx.generalized) {
        const fit = ctx.mixed();
        if (fit.kind !== "glmm") throw new OptionError("unreachable: --family gives a GLMM");
        return fittedCurves(fit, ctx.data, { ...ctx.figure, x, group: ctx.options.group });
      }
      return trajectories(ctx.data, {
        ...ctx.figure,
        x,
        y: ctx.column("y"),
        group: ctx.column("group"),
        highlight: list(ctx.options.highlight),
        population: populationFit(ctx, x),
      });
    },
  },
  "between-within": {
    summary: "scatters of group means and of within-group deviations, each with its least-squares line",
    formula: "optional",
    make: (ctx) =>
      betweenWithin(ctx.data, {
        ...ctx.figure,
        x: ctx.column("x"),
        y: ctx.column("y"),
        group: ctx.column("group"),
      }),
  },
  facets: {
    summary: "small multiples per group: points, own OLS line, mixed-model and population lines",
    formula: "optional",
    make: (ctx) => {
      const page =
        ctx.options.page === undefined ? undefined : positiveInt(ctx.options.page, "--page", 1, 1e6);
      return facets(ctx.data, {
        ...ctx.figure,
        x: ctx.column("x"),
        y: ctx.column("y"),
        group: ctx.column("group"),
        fit: ctx.maybeLmm(),
        groups: list(ctx.options.groups),
        page,
      });
    },
  },
  pooled: {
    summary: "scatter with the single lm line and its 95% confidence band",
    formula: "optional",
    make: (ctx) => pooled(ctx.data, { ...ctx.figure, x: ctx.column("x"), y: ctx.column("y") }),
  },
  panel: {
    summary: "composite: trajectories on top, between and within scatters below",
    formula: "optional",
    make: (ctx) => {
      const x = ctx.column("x");
      return panel(ctx.data, {
        ...ctx.figure,
        x,
        y: ctx.column("y"),
        group: ctx.column("group"),
        covariate: ctx.options.covariate,
        highlight: list(ctx.options.highlight),
        population: populationFit(ctx, x),
      });
    },
  },
  caterpillar: {
    summary:
      "conditional modes of the random effects with 95% intervals, per factor and term (--group: one factor)",
    formula: "required",
    make: (ctx) =>
      caterpillar(ctx.mixed(), {
        ...ctx.figure,
        factors: ctx.options.group === undefined ? undefined : [ctx.options.group],
      }),
  },
  profile: {
    summary: "profile zeta plots of every parameter (lme4's xyplot(profile(m))), with the 95% limits",
    formula: "required",
    make: (ctx) => profileZeta(profile(ctx.lmm()), ctx.figure),
  },
  bootstrap: {
    summary: "densities of parametric-bootstrap replicates per parameter (--nsim, --seed)",
    formula: "required",
    make: (ctx) => {
      const m = ctx.lmm();
      const nsim = ctx.options.nsim === undefined ? 500 : positiveInt(ctx.options.nsim, "--nsim", 2, 1e6);
      const seed = ctx.options.seed === undefined ? 1 : Number(ctx.options.seed);
      if (!Number.isSafeInteger(seed))
        throw new OptionError(`--seed must be an integer, got ${ctx.options.seed}`);
      const table = bootstrap(m, nsim, { seed });
      // the fitted values, marked on each panel (confint's parameter names)
      const estimates: Record<string, number> = Object.create(null);
      m.xnames.forEach((nm, j) => {
        estimates[nm] = m.beta[j];
      });
      estimates.sigma = m.sigma;
      for (const g of m.varcorr.groups)
        g.terms.forEach((t, r) => {
          estimates[`sd_${t}|${g.factor}`] = g.stddev[r];
          g.terms.forEach((u, c) => {
            if (c < r) estimates[`cor_${t}.${u}|${g.factor}`] = g.correlation[r][c];
          });
        });
      return bootstrapDensities(table, { ...ctx.figure, estimates });
    },
  },
  residuals: {
    summary:
      "residuals vs fitted values and scale-location, with a running mean (--family: Pearson/deviance residuals; binned residuals for 0/1 data)",
    formula: "required",
    make: (ctx) =>
      residualPlot(ctx.model(), {
        ...ctx.figure,
        residualType: ctx.options.residuals as ResidualType | undefined,
      }),
  },
  qq: {
    summary:
      "normal QQ plots of the residuals and of each random-effect term (--family: the random effects; GLM: the residuals)",
    formula: "required",
    make: (ctx) =>
      qqPlot(ctx.model(), { ...ctx.figure, residualType: ctx.options.residuals as ResidualType | undefined }),
  },
  shrinkage: {
    summary: "each group's own OLS estimates vs the mixed model's (partial pooling) (--group: the factor)",
    formula: "required",
    make: (ctx) => shrinkage(ctx.mixed(), ctx.data, { ...ctx.figure, factor: ctx.options.group }),
  },
  trace: {
    summary: "trace plots of a Bayesian fit's draws per chain (sampler flags as mixed sample; --variables)",
    formula: "required",
    make: async (ctx) => tracePlot(await drawsOf(ctx), ctx.figure),
  },
  rank: {
    summary: "rank plots of a Bayesian fit's draws per chain (flat when the chains mix; --variables)",
    formula: "required",
    make: async (ctx) => rankPlot(await drawsOf(ctx), ctx.figure),
  },
  density: {
    summary: "posterior densities per chain of a Bayesian fit's draws (--variables)",
    formula: "required",
    make: async (ctx) => posteriorDensity(await drawsOf(ctx), ctx.figure),
  },
};

/** The error for an unknown KIND, listing the kinds. */
export function unknownKindError(kind: string): PlotError {
  const names = Object.keys(PLOT_KINDS);
  return new PlotError(
    "E_PLOT_UNKNOWN_KIND",
    `unknown figure kind ${quote(kind)}`,
    `kinds: ${names.map((k) => `${k} (${PLOT_KINDS[k].summary})`).join("; ")}`,
  );
}

function positiveInt(v: string, flag: string, lo: number, hi: number): number {
  const n = /^\s*\d+\s*$/.test(v) ? Number(v) : Number.NaN;
  if (!Number.isInteger(n) || n < lo || n > hi)
    throw new OptionError(`${flag} ${quote(v)} is not a whole number from ${lo} to ${hi}`);
  return n;
}

type OutputFormat = "svg" | "png" | "stdout";

function outputFormat(file: string): OutputFormat {
  if (file === "-") return "stdout";
  const m = /\.(svg|png)$/i.exec(file);
  if (!m)
    throw new OptionError(
      `cannot tell the format of the output ${quote(file)}`,
      "name it FILE.svg or FILE.png, or '-' for SVG on standard output",
    );
  return m[1].toLowerCase() as OutputFormat;
}

function writeOutput(file: string, bytes: string | Uint8Array): void {
  try {
    writeFileSync(file, bytes);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new MixedError(
      "E_OUTPUT_WRITE",
      `cannot write the figure to ${quote(file)} (${err.code ?? err.message})`,
      "check that the directory exists and is writable",
    );
  }
}

export async function runPlot(
  kind: string,
  formulaText: string | undefined,
  opts: PlotCliOptions,
): Promise<number> {
  if (!Object.hasOwn(PLOT_KINDS, kind)) throw unknownKindError(kind);
  const spec = PLOT_KINDS[kind];
  if (opts.reml && opts.ml) throw new OptionError("--reml and --ml cannot be used together", "choose one");
  const format = outputFormat(opts.output);
  const width = opts.width === undefined ? undefined : positiveInt(opts.width, "--width", 50, 20000);
  const height = opts.height === undefined ? undefined : positiveInt(opts.height, "--height", 50, 20000);
  if (spec.formula === "required" && formulaText === undefined)
    throw new OptionError(
      `mixed plot ${kind} needs a FORMULA`,
      `e.g. mixed plot ${kind} "y ~ x + (x | g)" --data DATA -o out.svg`,
    );
  if (spec.formula === "none" && formulaText !== undefined)
    throw new OptionError(`mixed plot ${kind} takes no FORMULA`, "give the columns with --x, --y, --group");
  const generalized = (opts.family !== undefined && opts.family !== "gaussian") || opts.link !== undefined;
  if (generalized && !GENERALIZED_KINDS.includes(kind))
    throw new OptionError(
      `--family/--link do not apply to mixed plot ${kind}`,
      `generalized models are drawn by: ${GENERALIZED_KINDS.join(", ")}`,
    );
  if (generalized && (opts.family === undefined || opts.family === "gaussian"))
    throw new OptionError("--link needs --family binomial or poisson");
  if (generalized && (opts.reml || opts.ml))
    throw new OptionError("--reml/--ml apply to linear mixed models, not to --family " + opts.family);
  if (!generalized && (opts.nagq !== undefined || opts.residuals !== undefined))
    throw new OptionError(
      `${opts.nagq !== undefined ? "--nagq" : "--residuals"} applies to generalized models`,
      "add --family binomial or poisson",
    );
  if (!generalized && opts.weights !== undefined)
    throw new OptionError("--weights applies to mixed plot with --family binomial or poisson");
  const formula = formulaText === undefined ? undefined : parseFormula(formulaText);
  const data = await readData(opts.data, { schemaPath: opts.schema });
  const fromFormula = formula === undefined ? {} : formulaColumns(formula);
  const warnings: Warning[] = [];
  let lmmFit: LmmFit | undefined;
  const flag: Record<PlotRole, string> = { x: "--x", y: "--y", group: "--group" };
  const maybeColumn = (role: PlotRole): string | undefined => opts[role] ?? fromFormula[role];
  const column = (role: PlotRole): string => {
    const c = maybeColumn(role);
    if (c === undefined)
      throw new OptionError(
        `mixed plot ${kind} needs the ${role} column`,
        `give ${flag[role]} COLUMN, or a formula such as "y ~ x + (x | g)"`,
      );
    return c;
  };
  const lmm = (): LmmFit => {
    if (formula === undefined || formula.random.length === 0)
      throw new OptionError(
        `mixed plot ${kind} needs a mixed-model formula with a random term, e.g. "y ~ x + (x | g)"`,
      );
    if (lmmFit === undefined) {
      lmmFit = fitLmm(formula, data, { REML: !opts.ml });
      warnings.push(...lmmFit.warnings);
    }
    return lmmFit;
  };
  let glmmFit: GlmmFit | undefined;
  const glmm = (): GlmmFit => {
    if (formula === undefined || formula.random.length === 0)
      throw new OptionError(
        `mixed plot ${kind} needs a mixed-model formula with a random term, e.g. "y ~ x + (1 | g)"`,
      );
    if (glmmFit === undefined) {
      glmmFit = fitGlmm(formula, data, {
        family: opts.family!,
        link: opts.link,
        nAGQ: parseNagq(opts.nagq),
        weights: opts.weights,
      });
      warnings.push(...glmmFit.warnings);
    }
    return glmmFit;
  };
  const model = (): DiagnosticFit => {
    if (!generalized) return lmm();
    if (formula !== undefined && formula.random.length === 0) {
      if (opts.nagq !== undefined)
        throw new OptionError("--nagq applies to models with random-effects terms");
      const g = fitGlm(formula, data, { family: opts.family!, link: opts.link, weights: opts.weights });
      warnings.push(...g.warnings);
      return g;
    }
    return glmm();
  };
  const ctx: PlotContext = {
    kind,
    generalized,
    model,
    mixed: () => (generalized ? glmm() : lmm()),
    data,
    formula,
    options: opts,
    figure: { width, height, title: opts.title, onWarning: (w) => warnings.push(w) },
    maybeColumn,
    column,
    lmm,
    maybeLmm: () => (formula !== undefined && formula.random.length > 0 ? lmm() : undefined),
    lm: () => {
      if (formula === undefined || formula.random.length > 0)
        throw new OptionError(`mixed plot ${kind} needs a formula without random terms, e.g. "y ~ x"`);
      return fitLm(formula, data);
    },
  };
  const svg = await spec.make(ctx);
  if (format === "stdout") process.stdout.write(svg.endsWith("\n") ? svg : `${svg}\n`);
  else if (format === "svg") writeOutput(opts.output, `${svg}\n`);
  else {
    const { svgToPng } = await import("../../node/svg-to-png.ts");
    writeOutput(opts.output, await svgToPng(svg));
  }
  writeWarnings(warnings);
  return 0;
}
