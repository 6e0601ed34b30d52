/**
 * Shrinkage ("partial pooling") plot: per group, the estimate from the group's own data (OLS, no
 * pooling; `groupOls`) joined by a segment to the mixed model's conditional estimate (fixed +
 * random effect; `fit.coef`), with the population estimate (the fixed effects). A factor with
 * intercept and slope gives a scatter of slope against intercept (one panel per further term); a
 * factor with one term gives one row per group.
 *
 * GLMMs (`fitGlmm`): the same on the link scale, the group's own estimates from a GLM fitted to
 * the group alone (`groupGlm`; none for a group whose own estimate is infinite, e.g. a herd with
 * no cases).
 */
import * as Plot from "@observablehq/plot";
import { groupOls } from "../accessors/group-ols.ts";
import type { DataSource } from "../data/column.ts";
import { groupGlm } from "../accessors/group-glm.ts";
import type { GlmmFit } from "../glmm/fit-glmm.ts";
import type { LmmFit } from "../lmm/fit-lmm.ts";
import { composePanels } from "./compose-panels.ts";
import { AXIS_MARGINS, axisScale, type FigureOptions, frameOf, titleOr } from "./figure-options.ts";
import { PlotError } from "./plot-error.ts";
import type { FigureSpec, LegendItem } from "./render-svg.ts";
import { paletteColor, THEME } from "./theme.ts";

export interface ShrinkageOptions extends FigureOptions {
  /** The grouping factor (default: the first of `ranef`). */
  readonly factor?: string;
}

/** Per group: OLS and conditional estimates of every term of the factor. */
export interface ShrinkageData {
  readonly factor: string;
  readonly terms: readonly string[];
  readonly levels: readonly string[];
  /** `ols[l][s]`, NaN where the group alone cannot estimate it. */
  readonly ols: readonly (readonly number[])[];
  /** `conditional[l][s]` = fixed effect (0 if the term has none) + conditional mode. */
  readonly conditional: readonly (readonly number[])[];
  /** The fixed effect of each term (0 if none). */
  readonly population: readonly number[];
  /** Groups without an OLS estimate. */
  readonly notEstimable: number;
  /** How the groups' own estimates were made: "OLS" (LMM) or "GLM" (GLMM, link scale). */
  readonly method: "OLS" | "GLM";
}

/** The numbers behind the shrinkage plot. */
export function shrinkageData(fit: LmmFit | GlmmFit, data: DataSource, factor?: string): ShrinkageData {
  const f = factor ?? Object.keys(fit.ranef)[0];
  const r = fit.ranef[f];
  if (r === undefined)
    throw new PlotError(
      "E_PLOT_BAD_OPTION",
      `the model has no grouping factor '${f}'`,
      `its grouping factors: ${Object.keys(fit.ranef).join(", ")}`,
    );
  const g = (fit.kind === "glmm" ? groupGlm(fit, data) : groupOls(fit, data))[f];
  const population = r.terms.map((t) => {
    const c = fit.xnames.indexOf(t);
    return c >= 0 ? fit.beta[c] : 0;
  });
  const conditional = r.values.map((row) => row.map((v, s) => population[s] + v));
  return {
    factor: f,
    terms: r.terms,
    levels: r.levels,
    ols: g.values,
    conditional,
    population,
    notEstimable: g.estimable.filter((e) => !e).length,
    method: fit.kind === "glmm" ? "GLM" : "OLS",
  };
}

/** The panels of the shrinkage plot (one for a single term, else first term vs each other). */
export function shrinkageSpecs(d: ShrinkageData, opts: FigureOptions = {}): FigureSpec[] {
  const theme = opts.theme ?? THEME;
  const cOls = paletteColor(0, theme);
  const cCond = paletteColor(3, theme);
  const S = d.terms.length;
  const base = { theme: opts.theme, document: opts.document };
  if (S === 1) {
    const rows = d.levels.map((level, l) => ({ level, ols: d.ols[l][0], cond: d.conditional[l][0] }));
    const key = (x: { ols: number; cond: number }) => (Number.isFinite(x.ols) ? x.ols : x.cond);
    const domain = [...rows]
      .sort((a, b) => key(a) - key(b))
      .map((x) => x.level)
      .reverse();
    const withOls = rows.filter((x) => Number.isFinite(x.ols));
    const labelled = d.levels.length <= 60;
    return [
      {
        ...base,
        plot: {
          ...AXIS_MARGINS,
          marginLeft: labelled ? Math.min(140, 16 + 7 * Math.max(...d.levels.map((x) => x.length))) : 24,
          x: axisScale(d.terms[0]),
          y: labelled
            ? { type: "point", domain, label: d.factor, labelAnchor: "top", grid: true }
            : { type: "point", domain, axis: null },
          marks: [
            Plot.ruleX([d.population[0]], {
              stroke: theme.reference,
              strokeDasharray: "5,3",
              strokeWidth: 1.5,
            }),
            Plot.arrow(withOls, {
              x1: "ols",
              x2: "cond",
              y1: "level",
              y2: "level",
              stroke: "#777777",
              headLength: 6,
              insetEnd: 3,
            }),
            Plot.dot(withOls, { x: "ols", y: "level", stroke: cOls, r: 3.2, strokeWidth: 1.5 }),
            Plot.dot(rows, { x: "cond", y: "level", fill: cCond, r: 3 }),
          ],
        },
      },
    ];
  }
  const specs: FigureSpec[] = [];
  for (let s = 1; s < S; s++) {
    const pts = d.levels.map((level, l) => ({
      level,
      ox: d.ols[l][0],
      oy: d.ols[l][s],
      cx: d.conditional[l][0],
      cy: d.conditional[l][s],
    }));
    const withOls = pts.filter((p) => Number.isFinite(p.ox) && Number.isFinite(p.oy));
    specs.push({
      ...base,
      title: S > 2 ? `${d.terms[s]} vs ${d.terms[0]}` : undefined,
      plot: {
        ...AXIS_MARGINS,
        x: axisScale(d.terms[0]),
        y: axisScale(d.terms[s]),
        marks: [
          Plot.arrow(withOls, {
            x1: "ox",
            y1: "oy",
            x2: "cx",
            y2: "cy",
            stroke: "#777777",
            headLength: 6,
            insetEnd: 3,
          }),
          Plot.dot(withOls, { x: "ox", y: "oy", stroke: cOls, r: 3.2, strokeWidth: 1.5 }),
          Plot.dot(pts, { x: "cx", y: "cy", fill: cCond, r: 3 }),
          Plot.dot([{ x: d.population[0], y: d.population[s] }], {
            x: "x",
            y: "y",
            fill: theme.reference,
            symbol: "cross",
            r: 6,
          }),
        ],
      },
    });
  }
  return specs;
}

/** The shrinkage plot as one SVG string; `data` is the data the model was fitted to. */
export function shrinkage(fit: LmmFit | GlmmFit, data: DataSource, opts: ShrinkageOptions = {}): string {
  const theme = opts.theme ?? THEME;
  const d = shrinkageData(fit, data, opts.factor);
  const specs = shrinkageSpecs(d, opts);
  const legend: LegendItem[] = [
    { label: `${d.factor} alone (${d.method})`, color: paletteColor(0, theme), kind: "dot" },
    { label: "mixed model (conditional)", color: paletteColor(3, theme), kind: "dot" },
    {
      label: "population (fixed effects)",
      color: theme.reference,
      ...(d.terms.length === 1 ? { dash: "5,3" } : { kind: "dot" as const }),
    },
  ];
  const n = d.levels.length;
  const note =
    d.notEstimable > 0
      ? d.method === "GLM"
        ? `${d.notEstimable} of ${n} groups have no finite estimate of their own (e.g. no cases, or too few rows): conditional only`
        : `${d.notEstimable} of ${n} groups have too few observations for their own estimates: conditional only`
      : n > 60 && d.terms.length === 1
        ? "level labels omitted (more than 60 levels)"
        : undefined;
  const height = d.terms.length === 1 ? Math.min(900, Math.max(300, 110 + Math.min(n, 60) * 13)) : 520;
  return composePanels({
    ...frameOf(opts, d.terms.length === 1 ? 640 : Math.max(680, 40 + 540 * specs.length), height),
    title: titleOr(opts, `Shrinkage of the ${d.factor} estimates: ${fit.formula}`),
    subtitle: fit.kind === "glmm" ? `${fit.family} family: estimates on the ${fit.link} scale` : undefined,
    legend,
    note,
    rows: 1,
    cols: specs.length,
    panels: specs.map((figure, i) => ({ figure, row: 0, col: i })),
  });
}
