/**
 * Caterpillar plot of the conditional modes of the random effects (lme4's
 * `dotplot(ranef(m, condVar = TRUE))`): per grouping factor one row of panels, one panel per term,
 * the levels sorted by the mode of the factor's first term, each mode with its 95% interval
 * mode ± 1.96·condSD and a dashed line at zero. Each term has its own x scale.
 *
 * GLMMs (`fitGlmm`): the conditional modes on the link scale with the conditional SDs lme4's
 * `ranef(m, condVar = TRUE)` reports for glmer, from the factor of the Laplace approximation at the
 * optimum (the penalised working-weights system of the last PIRLS step).
 */
import * as Plot from "@observablehq/plot";
import { type CondVarFactor, condVar } from "../accessors/cond-var.ts";
import type { GlmmFit } from "../glmm/fit-glmm.ts";
import type { LmmFit } from "../lmm/fit-lmm.ts";
import { MixedError } from "../errors.ts";
import { qnorm } from "../special/quantiles.ts";
import { composePanels } from "./compose-panels.ts";
import { axisScale, type FigureOptions, frameOf, titleOr } from "./figure-options.ts";
import { PlotError } from "./plot-error.ts";
import type { FigureSpec } from "./render-svg.ts";
import { paletteColor, THEME } from "./theme.ts";

export interface CaterpillarOptions extends FigureOptions {
  /** Grouping factors to draw (default: all, in the order of `ranef`). */
  readonly factors?: readonly string[];
  /** Coverage of the intervals (default 0.95: ±1.96 conditional SDs). */
  readonly level?: number;
}

interface Row {
  level: string;
  value: number;
  lo: number;
  hi: number;
}

/** Level labels are drawn when a panel has at most this many levels. */
const MAX_LABELLED_LEVELS = 60;

/** The factors of a fit with their modes and (when computed) conditional SDs. */
function factorsOf(fit: LmmFit | GlmmFit): {
  factors: Record<string, CondVarFactor | null>;
  missing: boolean;
} {
  if (fit.kind === "glmm") {
    const out: Record<string, CondVarFactor | null> = Object.create(null);
    let missing = false;
    for (const [f, r] of Object.entries(fit.ranef)) {
      if (r.condSD === null || r.condSD === undefined) {
        out[f] = null;
        missing = true;
      } else out[f] = { levels: r.levels, terms: r.terms, values: r.values, condSD: r.condSD, blocks: [] };
    }
    return { factors: out, missing };
  }
  try {
    return { factors: { ...condVar(fit) }, missing: false };
  } catch (e) {
    if (!(e instanceof MixedError)) throw e;
    const out: Record<string, CondVarFactor | null> = Object.create(null);
    for (const f of Object.keys(fit.ranef)) out[f] = null;
    return { factors: out, missing: true };
  }
}

/** One panel spec per (factor, term), in rows of factors. */
export function caterpillarSpecs(fit: LmmFit | GlmmFit, opts: CaterpillarOptions = {}): FigureSpec[][] {
  const theme = opts.theme ?? THEME;
  const level = opts.level ?? 0.95;
  if (!(level > 0 && level < 1))
    throw new PlotError(
      "E_PLOT_BAD_OPTION",
      `the interval level ${level} is not between 0 and 1`,
      "give e.g. 0.95",
    );
  const z = qnorm(0.5 + level / 2);
  const { factors } = factorsOf(fit);
  const names = opts.factors ?? Object.keys(fit.ranef);
  const unknown = names.filter((f) => !(f in fit.ranef));
  if (unknown.length > 0)
    throw new PlotError(
      "E_PLOT_BAD_OPTION",
      `the model has no grouping factor ${unknown.map((u) => `'${u}'`).join(", ")}`,
      `its grouping factors: ${Object.keys(fit.ranef).join(", ")}`,
    );
  return names.map((f) => {
    const r = fit.ranef[f];
    const cv = factors[f];
    const order = r.levels.map((_, l) => l).sort((a, b) => r.values[a][0] - r.values[b][0] || a - b);
    // largest at the top, as lattice draws lme4's dotplot
    const domain = order.map((l) => r.levels[l]).reverse();
    const labelled = r.levels.length <= MAX_LABELLED_LEVELS;
    return r.terms.map((term, s) => {
      const rows: Row[] = order.map((l) => {
        const v = r.values[l][s];
        const sd = cv ? cv.condSD[l][s] : Number.NaN;
        return { level: r.levels[l], value: v, lo: v - z * sd, hi: v + z * sd };
      });
      const colour = paletteColor(3, theme);
      const marks: Plot.Markish[] = [Plot.ruleX([0], { stroke: theme.muted, strokeDasharray: "4,3" })];
      if (cv)
        marks.push(
          Plot.ruleY(rows, {
            y: "level",
            x1: "lo",
            x2: "hi",
            stroke: colour,
            // hundreds of levels: thin, light intervals so that the band of modes stays visible
            strokeOpacity: rows.length > 200 ? 0.25 : 0.7,
            strokeWidth: rows.length > 200 ? 0.6 : 1.5,
          }),
        );
      marks.push(
        Plot.dot(rows, {
          y: "level",
          x: "value",
          fill: colour,
          r: labelled ? 2.8 : rows.length > 200 ? 1.2 : 1.8,
        }),
      );
      const spec: FigureSpec = {
        title: r.terms.length > 1 || names.length > 1 ? `${f}: ${term}` : undefined,
        theme: opts.theme,
        document: opts.document,
        plot: {
          marginLeft: labelled ? Math.min(140, 16 + 7 * Math.max(...r.levels.map((x) => x.length))) : 24,
          marginBottom: 42,
          marginTop: 8,
          marginRight: 14,
          x: axisScale(term),
          y: labelled
            ? { type: "point", domain, label: s === 0 ? f : null, labelAnchor: "top", grid: true }
            : { type: "point", domain, axis: null },
          marks,
        },
      };
      return spec;
    });
  });
}

/** The caterpillar plot as one SVG string. */
export function caterpillar(fit: LmmFit | GlmmFit, opts: CaterpillarOptions = {}): string {
  const rows = caterpillarSpecs(fit, opts);
  const { missing } = factorsOf(fit);
  const names = opts.factors ?? Object.keys(fit.ranef);
  const cols = Math.max(...rows.map((r) => r.length));
  // each factor's row of panels is as tall as its levels need (grid units of 10 px)
  const need = names.map((f) => 90 + Math.min(fit.ranef[f].levels.length, MAX_LABELLED_LEVELS) * 13);
  const units = need.map((h) => Math.round(h / 10));
  const hidden = names.some((f) => fit.ranef[f].levels.length > MAX_LABELLED_LEVELS);
  const level = opts.level ?? 0.95;
  const notes: string[] = [];
  if (missing) notes.push("conditional variances not computed for this model: modes only");
  if (hidden) notes.push(`level labels omitted (more than ${MAX_LABELLED_LEVELS} levels)`);
  const start = units.map((_, i) => units.slice(0, i).reduce((a, b) => a + b, 0));
  const total = units.reduce((a, b) => a + b, 0);
  return composePanels({
    ...frameOf(
      opts,
      Math.min(1200, Math.max(640, 60 + 380 * cols)),
      Math.min(2400, 60 + need.reduce((a, b) => a + b, 0)),
    ),
    title: titleOr(
      opts,
      missing
        ? "Conditional modes of the random effects"
        : `Conditional modes of the random effects with ${Math.round(level * 1000) / 10}% intervals`,
    ),
    note: notes.length > 0 ? notes.join("; ") : undefined,
    rows: total,
    cols,
    panels: rows.flatMap((r, i) =>
      r.map((figure, j) => ({ figure, row: start[i], col: j, rowSpan: units[i] })),
    ),
  });
}
