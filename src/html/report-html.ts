/**
 * `reportHtml(fit, data, options)`: one self-contained HTML page about a fitted model — the
 * summary (R's printed text and HTML tables), the fit diagnostics (convergence, singularity,
 * warnings), the variance decomposition (mixed models) and the key figures inline as SVG. No
 * network references at all: the style sheet is inline, fonts are the system's, the figures are
 * inline `<svg>` elements (without the `xmlns` attribute, which HTML does not need), there are no
 * scripts. It opens offline in any browser.
 *
 * A figure that cannot be drawn for this model (a PlotError, e.g. shrinkage without estimable
 * per-group fits) is replaced by a short note; the page is still written.
 *
 * Generalized models: a GLMM (`fitGlmm`) gets glmer's printed summary, the fixed effects with z
 * tests, the variance components, the fit diagnostics (optimizer, singularity, the Pearson χ²/df
 * overdispersion ratio) and the figures caterpillar, residuals (Pearson against the linear
 * predictor, or binned residuals for a 0/1 response), QQ of the conditional modes, shrinkage
 * against per-group GLMs and per-group fitted curves on the response scale; a GLM (`fitGlm`) gets
 * R's `summary(glm)`, the deviance table and the residual and QQ figures.
 */
import { coefTable } from "../accessors/coef-table.ts";
import { varianceDecomposition } from "../accessors/variance-decomposition.ts";
import type { DataSource } from "../data/column.ts";
import { MixedError, type Warning } from "../errors.ts";
import { parseFormula } from "../formula/parse-formula.ts";
import { convergenceDiagnostics } from "../inference/convergence.ts";
import type { GlmFit } from "../glm/fit-glm.ts";
import type { GlmmFit } from "../glmm/fit-glmm.ts";
import type { LmFit } from "../lm/fit-lm.ts";
import type { VarianceDecomposition } from "../lmm/decompose-variance.ts";
import type { LmmFit } from "../lmm/fit-lmm.ts";
import { caterpillar } from "../plot/caterpillar.ts";
import { facets } from "../plot/facets.ts";
import { formulaColumns } from "../plot/formula-columns.ts";
import { AXIS_MARGINS, axisScale, type FigureOptions } from "../plot/figure-options.ts";
import { pooled } from "../plot/pooled.ts";
import { type PosteriorDraws, posteriorDensity, rankPlot, tracePlot } from "../plot/posterior-plots.ts";
import { qqPlot, qqSpec } from "../plot/qq-plot.ts";
import { type PlotDocument, renderSvg } from "../plot/render-svg.ts";
import { residualPlot } from "../plot/residual-plot.ts";
import { shrinkage } from "../plot/shrinkage.ts";
import { fittedCurves } from "../plot/fitted-curves.ts";
import { scatterMarks } from "../plot/residual-plot.ts";
import { escapeXml } from "../plot/svg-markup.ts";
import { trajectories } from "../plot/trajectories.ts";
import * as Plot from "@observablehq/plot";
import { printSummary } from "../report/fit-summary.ts";
import { formatNumber } from "../report/format-number.ts";
import { printVarianceDecomposition } from "../report/print-variance-decomposition.ts";
import { THEME } from "../plot/theme.ts";
import { pnorm } from "../special/distributions.ts";

/** The fits a report describes. */
export type ReportFit = LmFit | LmmFit | GlmFit | GlmmFit;

export interface ReportOptions {
  /** Page title (default: "Model report: FORMULA"). */
  readonly title?: string;
  /** Include the figures (default true). */
  readonly figures?: boolean;
  /** Columns of the data figures (default from the formula `y ~ x + (x | g)`). */
  readonly x?: string;
  readonly group?: string;
  /** Width of the figures in px (default 760). */
  readonly width?: number;
  /** Posterior draws of a Bayesian fit of the same model: trace, rank and density figures. */
  readonly posterior?: {
    readonly draws: PosteriorDraws;
    /** Printed posterior summary (e.g. `printBayesSummary(fit)`). */
    readonly summary?: string;
    /** Variables to plot (default: the first 12). */
    readonly variables?: readonly string[];
  };
  /** DOM document for Observable Plot (default: linkedom's, in Node). */
  readonly document?: PlotDocument;
  /** A line under the title (e.g. when and by what the report was made); default none. */
  readonly note?: string;
}

const esc = escapeXml;
const fmt = (x: number, digits = 4): string => formatNumber(x, digits).trim();

const STYLE = `
:root { color-scheme: light; }
body { font-family: system-ui, "DejaVu Sans", "Helvetica Neue", Arial, sans-serif; color: #222;
  background: #fff; margin: 0 auto; max-width: 880px; padding: 24px 28px 60px; line-height: 1.45; }
h1 { font-size: 1.55em; margin: 0 0 0.2em; }
h2 { font-size: 1.2em; margin: 1.8em 0 0.6em; padding-bottom: 0.2em; border-bottom: 1px solid #ddd; }
h3 { font-size: 1.02em; margin: 1.3em 0 0.4em; }
.sub { color: #555; margin: 0 0 1em; }
code, pre { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 12.5px; }
pre { background: #f6f6f4; border: 1px solid #e2e2de; padding: 10px 12px; overflow-x: auto; }
table { border-collapse: collapse; margin: 0.4em 0 1em; font-size: 14px; }
th, td { padding: 3px 12px; border-bottom: 1px solid #e4e4e4; text-align: right; }
th:first-child, td:first-child { text-align: left; }
thead th { border-bottom: 2px solid #999; }
table.left2 th:nth-child(2), table.left2 td:nth-child(2) { text-align: left; }
.ok { color: #1b7a3a; font-weight: 600; }
.bad { color: #b3261e; font-weight: 600; }
.key { display: flex; flex-wrap: wrap; gap: 10px 28px; margin: 0.5em 0 1em; }
.key div { min-width: 150px; }
.key b { display: block; font-size: 1.45em; }
.key span { color: #555; font-size: 0.9em; }
figure { margin: 1em 0 1.6em; }
figure svg { max-width: 100%; height: auto; }
figcaption { color: #555; font-size: 0.9em; margin-top: 0.3em; }
.note { color: #555; font-style: italic; }
ul.warnings li { margin: 0.2em 0; }
nav a { color: #1f5fa8; margin-right: 14px; text-decoration: none; }
`;

interface Figure {
  readonly title: string;
  readonly svg: string | null;
  readonly caption: string;
  readonly error?: string;
}

/** An inline SVG: no XML namespace attributes (HTML's parser places <svg> in SVG's namespace). */
function inlineSvg(svg: string): string {
  return svg.replace(/\s+xmlns(:\w+)?="[^"]*"/g, "").replace(/^<\?xml[^>]*>\s*/, "");
}

function table(head: readonly string[], rows: readonly (readonly string[])[], cls?: string): string {
  const th = head.map((h) => `<th>${esc(h)}</th>`).join("");
  const body = rows.map((r) => `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join("")}</tr>`).join("\n");
  return `<table${cls ? ` class="${cls}"` : ""}><thead><tr>${th}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

function keyFigures(items: readonly [string, string][]): string {
  return `<div class="key">${items.map(([v, l]) => `<div><b>${esc(v)}</b><span>${esc(l)}</span></div>`).join("")}</div>`;
}

function tryFigure(title: string, caption: string, make: () => string): Figure {
  try {
    return { title, caption, svg: inlineSvg(make()) };
  } catch (e) {
    if (e instanceof MixedError) return { title, caption, svg: null, error: e.message };
    throw e;
  }
}

function isNumericColumn(data: DataSource, name: string | undefined): name is string {
  if (name === undefined) return false;
  return data.column(name)?.kind === "numeric";
}

function lmmFigures(fit: LmmFit, data: DataSource, opts: ReportOptions, fig: (id: string) => FigureOptions) {
  const cols = formulaColumns(parseFormula(fit.formula));
  const x = opts.x ?? cols.x;
  const group = opts.group ?? cols.group;
  const figures: Figure[] = [
    tryFigure(
      "Conditional modes (caterpillar)",
      "Conditional modes of the random effects per grouping factor and term, sorted, with 95% intervals from the conditional variances (lme4's dotplot(ranef(m, condVar = TRUE))).",
      () => caterpillar(fit, fig("caterpillar")),
    ),
    tryFigure(
      "Residuals",
      "Residuals against fitted values with a running mean, and the scale–location plot.",
      () => residualPlot(fit, fig("residuals")),
    ),
    tryFigure(
      "Normal QQ plots",
      "Standardised residuals and the conditional modes of each random-effect term against normal quantiles.",
      () => qqPlot(fit, fig("qq")),
    ),
    tryFigure(
      "Shrinkage",
      "Each group's own least-squares estimates against the mixed model's conditional estimates (partial pooling).",
      () => shrinkage(fit, data, { ...fig("shrinkage"), factor: group }),
    ),
  ];
  if (cols.y !== undefined && isNumericColumn(data, x) && group !== undefined) {
    const lineInX = fit.xnames.every((n) => n === "(Intercept)" || n === x);
    figures.push(
      tryFigure(
        "Trajectories",
        `One line of ${cols.y} against ${x} per level of ${group}${lineInX ? ", with the population (fixed-effects) line" : ""}.`,
        () =>
          trajectories(data, {
            ...fig("trajectories"),
            x,
            y: cols.y!,
            group,
            population: lineInX ? fit : undefined,
          }),
      ),
      tryFigure(
        "Per-group fits",
        `Small multiples per level of ${group}: the data, each group's own least-squares line, the mixed model's conditional line and the population line (first page of groups).`,
        () => facets(data, { ...fig("facets"), x, y: cols.y!, group, fit: lineInX ? fit : undefined }),
      ),
    );
  }
  return figures;
}

function lmFigures(fit: LmFit, data: DataSource, opts: ReportOptions, fig: (id: string) => FigureOptions) {
  const cols = formulaColumns(parseFormula(fit.formula));
  const x = opts.x ?? cols.x;
  const figures: Figure[] = [];
  if (
    cols.y !== undefined &&
    isNumericColumn(data, x) &&
    fit.xnames.every((n) => n === "(Intercept)" || n === x)
  )
    figures.push(
      tryFigure(
        "Fitted line",
        `${cols.y} against ${x} with the least-squares line and its 95% confidence band.`,
        () => pooled(data, { ...fig("pooled"), x, y: cols.y! }),
      ),
    );
  figures.push(
    tryFigure("Residuals", "Residuals against fitted values.", () => {
      const sc = scatterMarks(fit.fitted, fit.residuals, [], THEME);
      return renderSvg({
        ...fig("residuals"),
        height: 380,
        title: "Residuals vs fitted",
        note: sc.note,
        plot: {
          ...AXIS_MARGINS,
          x: axisScale("fitted values"),
          y: axisScale("residuals"),
          marks: [Plot.ruleY([0], { stroke: "#999" }), ...sc.marks],
        },
      });
    }),
    tryFigure("Normal QQ plot", "Residuals against normal quantiles.", () =>
      renderSvg(
        qqSpec(fit.residuals, "Normal QQ plot of the residuals", "residual", { ...fig("qq"), height: 380 }),
      ),
    ),
  );
  return figures;
}

function glmmFigures(
  fit: GlmmFit,
  data: DataSource,
  opts: ReportOptions,
  fig: (id: string) => FigureOptions,
) {
  const cols = formulaColumns(parseFormula(fit.formula));
  const x = opts.x ?? cols.x;
  const group = opts.group ?? cols.group;
  const bernoulli =
    fit.family === "binomial" &&
    fit.priorWeights.every((w) => w === 1) &&
    fit.y.every((v) => v === 0 || v === 1);
  const figures: Figure[] = [
    tryFigure(
      "Conditional modes (caterpillar)",
      `Conditional modes of the random effects (${fit.link} scale) per grouping factor and term, sorted, with 95% intervals from the conditional variances of the Laplace approximation (lme4's dotplot(ranef(m, condVar = TRUE))).`,
      () => caterpillar(fit, fig("caterpillar")),
    ),
    tryFigure(
      bernoulli ? "Binned residuals" : "Residuals",
      bernoulli
        ? "The response is 0/1, so raw residuals only trace two curves: the mean residual y − μ in bins of the fitted probability (⌊√n⌋ bins of equal counts) with ±2 standard errors per bin (Gelman & Hill's binned residual plot, arm::binnedplot). About 95% of the bins should fall inside the band."
        : "Pearson residuals (lme4's plot(glmer) default) against the linear predictor with a running mean, and the scale–location plot.",
      () => residualPlot(fit, fig("residuals")),
    ),
    tryFigure(
      "Normal QQ plots of the conditional modes",
      "The conditional modes of each random-effect term against normal quantiles (the model assumes normal random effects; the residuals of a GLMM are not normal, so they are not shown).",
      () => qqPlot(fit, fig("qq")),
    ),
    tryFigure(
      "Shrinkage",
      `Each group's own estimates (a GLM fitted to the group alone, on the ${fit.link} scale) against the mixed model's conditional estimates (partial pooling).`,
      () => shrinkage(fit, data, { ...fig("shrinkage"), factor: group }),
    ),
  ];
  if (x !== undefined && data.column(x) !== undefined && group !== undefined)
    figures.push(
      tryFigure(
        "Fitted curves per group",
        `The fitted ${fit.family === "binomial" ? "probability" : "mean"} against ${x} on the response scale, one curve per level of ${group} (conditional modes included), the population curve (random effects at zero) and the observed ${fit.family === "binomial" ? "proportions" : "means"}.`,
        () => fittedCurves(fit, data, { ...fig("fitted-curves"), x, group }),
      ),
    );
  return figures;
}

function glmFigures(fit: GlmFit, fig: (id: string) => FigureOptions) {
  const bernoulli =
    fit.family === "binomial" &&
    fit.priorWeights.every((w) => w === 1) &&
    fit.y.every((v) => v === 0 || v === 1);
  return [
    tryFigure(
      bernoulli ? "Binned residuals" : "Residuals",
      bernoulli
        ? "The response is 0/1: the mean residual y − μ in bins of the fitted probability with ±2 standard errors per bin (Gelman & Hill's binned residual plot, arm::binnedplot)."
        : "Pearson residuals against the linear predictor with a running mean, and the scale–location plot.",
      () => residualPlot(fit, fig("residuals")),
    ),
    tryFigure("Normal QQ plot", "Pearson residuals against normal quantiles.", () => qqPlot(fit, fig("qq"))),
  ];
}

function posteriorFigures(p: NonNullable<ReportOptions["posterior"]>, fig: (id: string) => FigureOptions) {
  const o = (id: string) => ({ ...fig(id), variables: p.variables });
  return [
    tryFigure("Trace plots", "Each chain's draws by iteration.", () => tracePlot(p.draws, o("trace"))),
    tryFigure(
      "Rank plots",
      "Histograms of each chain's ranks among all draws: flat when the chains mix.",
      () => rankPlot(p.draws, o("rank")),
    ),
    tryFigure("Posterior densities", "One kernel density per chain.", () =>
      posteriorDensity(p.draws, o("density")),
    ),
  ];
}

function figureHtml(f: Figure): string {
  const body = f.svg === null ? `<p class="note">Figure not drawn: ${esc(f.error ?? "")}</p>` : f.svg;
  return `<figure>\n<h3>${esc(f.title)}</h3>\n${body}\n<figcaption>${esc(f.caption)}</figcaption>\n</figure>`;
}

function decompositionHtml(d: VarianceDecomposition): string {
  const pct = (v: number) => `${fmt((100 * v) / d.total, 3)} %`;
  const rows: string[][] = [["Fixed effects (var Xβ)", fmt(d.fixed), pct(d.fixed)]];
  for (const c of d.components)
    rows.push([`${c.name}: ${c.terms.join(", ")}`, fmt(c.variance), pct(c.variance)]);
  rows.push(["Residual (σ²)", fmt(d.residual), pct(d.residual)], ["Total", fmt(d.total), "100 %"]);
  const icc = Object.entries(d.icc).map(([f, v]) => [f, fmt(v)]);
  if (icc.length > 1) icc.push(["all random effects", fmt(d.iccAdjusted)]);
  return (
    keyFigures([
      [fmt(d.r2Conditional, 3), "conditional R² (fixed + random)"],
      [fmt(d.r2Marginal, 3), "marginal R² (fixed effects)"],
      [fmt(d.iccAdjusted, 3), "adjusted ICC"],
    ]) +
    table(["Component", "Variance", "Share"], rows) +
    `<h3>ICC by grouping factor</h3>\n${table(["Grouping factor", "Adjusted ICC"], icc)}` +
    `<p class="note">Nakagawa &amp; Schielzeth's R² with Johnson's (2014) extension for random slopes ` +
    `(a random-slope term's variance is the mean of z<sub>i</sub>ᵀΣz<sub>i</sub> over the rows), as ` +
    `performance::r2_nakagawa computes them; Nakagawa, Johnson &amp; Schielzeth (2017).</p>\n` +
    `<pre>${esc(printVarianceDecomposition(d))}</pre>`
  );
}

function warningsHtml(warnings: readonly Warning[]): string {
  if (warnings.length === 0) return `<p><span class="ok">No warnings.</span></p>`;
  return `<ul class="warnings">${warnings.map((w) => `<li><code>${esc(w.code)}</code>: ${esc(w.message)}</li>`).join("\n")}</ul>`;
}

function overdispersionRow(family: string, chi2: number, df: number, ratio: number): string[] {
  return [
    "Pearson χ²/df (overdispersion)",
    `${fmt(ratio, 4)} (χ² = ${fmt(chi2, 6)} on ${df} df${family === "poisson" || family === "binomial" ? "; ≈ 1 without overdispersion" : ""})`,
  ];
}

function glmmDiagnosticsHtml(fit: GlmmFit): string {
  const o = fit.optinfo;
  const rows: string[][] = [
    ["Optimizer", o.optimizer],
    ["Converged", o.converged ? "yes" : "no"],
    ["Message", o.message],
    ["Function evaluations", `${o.feval} (nAGQ = 0 stage: ${o.fevalStage1})`],
    [
      "Integration",
      fit.nAGQ === 0
        ? "nAGQ = 0 (β inside PIRLS)"
        : fit.nAGQ === 1
          ? "Laplace"
          : `adaptive Gauss–Hermite, ${fit.nAGQ} points`,
    ],
    ["Singular fit", fit.isSingular ? "yes (a variance at zero or correlation at ±1)" : "no"],
    ["−2 log-likelihood", fmt(fit.deviance, 8)],
    ["Σ squared deviance residuals (lme4's deviance(m))", fmt(fit.devianceResidualSum, 8)],
    overdispersionRow(fit.family, fit.pearsonChi2, fit.dfResidual, fit.overdispersionRatio),
  ];
  const ok = o.converged && !fit.isSingular && fit.warnings.length === 0;
  return (
    `<p>${ok ? '<span class="ok">Converged, not singular, no warnings.</span>' : '<span class="bad">Check the diagnostics below.</span>'}</p>\n` +
    table(["Diagnostic", "Value"], rows) +
    `\n<h3>Warnings</h3>\n${warningsHtml(fit.warnings)}`
  );
}

function glmDiagnosticsHtml(fit: GlmFit): string {
  const rows: string[][] = [
    ["Fisher scoring iterations", String(fit.iter)],
    ["Converged", fit.converged ? "yes" : "no"],
    ["Boundary", fit.boundary ? "yes (a step was halved to stay inside the family's range)" : "no"],
    ["Null deviance", `${fmt(fit.nullDeviance, 6)} on ${fit.dfNull} df`],
    ["Residual deviance", `${fmt(fit.deviance, 6)} on ${fit.dfResidual} df`],
    ["Dispersion", fit.dispersionFixed ? `${fmt(fit.dispersion)} (fixed)` : fmt(fit.dispersion)],
    overdispersionRow(fit.family, fit.pearsonChisq, fit.dfResidual, fit.overdispersionRatio),
  ];
  const ok = fit.converged && !fit.boundary && fit.warnings.length === 0;
  return (
    `<p>${ok ? '<span class="ok">Converged, no warnings.</span>' : '<span class="bad">Check the diagnostics below.</span>'}</p>\n` +
    table(["Diagnostic", "Value"], rows) +
    `\n<h3>Warnings</h3>\n${warningsHtml(fit.warnings)}`
  );
}

function diagnosticsHtml(fit: ReportFit): string {
  if (fit.kind === "glmm") return glmmDiagnosticsHtml(fit);
  if (fit.kind === "glm") return glmDiagnosticsHtml(fit);
  if (fit.kind === "lm") {
    return `<p>Least-squares fit (${esc(fit.method)}); ${fit.nobs} observations, ${fit.dfResidual} residual degrees of freedom.</p>\n<h3>Warnings</h3>\n${warningsHtml(fit.warnings)}`;
  }
  const o = fit.optinfo;
  const rows: string[][] = [
    ["Optimizer", o.optimizer],
    ["Converged", o.converged ? "yes" : "no"],
    ["Message", o.message],
    ["Function evaluations", String(o.feval)],
    ["Singular fit", fit.isSingular ? "yes (a variance at zero or correlation at ±1)" : "no"],
    [fit.REML ? "REML criterion" : "Deviance", fmt(fit.objective, 8)],
  ];
  let extra: Warning[] = [];
  try {
    const c = convergenceDiagnostics(fit);
    rows.push(
      ["max |gradient| (criterion in θ)", c.maxAbsGradient.toPrecision(3)],
      ["Newton decrement", c.newtonDecrement.toPrecision(3)],
      [
        "Hessian eigenvalues",
        `${c.minHessianEigenvalue.toPrecision(3)} to ${c.maxHessianEigenvalue.toPrecision(3)}`,
      ],
    );
    extra = [...c.warnings];
  } catch (e) {
    if (!(e instanceof MixedError)) throw e;
    rows.push(["Convergence check", `not available: ${e.message}`]);
  }
  const ok = o.converged && !fit.isSingular && fit.warnings.length + extra.length === 0;
  return (
    `<p>${ok ? '<span class="ok">Converged, not singular, no warnings.</span>' : '<span class="bad">Check the diagnostics below.</span>'}</p>\n` +
    table(["Diagnostic", "Value"], rows) +
    `\n<h3>Warnings</h3>\n${warningsHtml([...fit.warnings, ...extra])}`
  );
}

function pCell(p: number): string {
  return p < 1e-4 ? "< 1e-4" : fmt(p, 3);
}

function coefHtml(fit: ReportFit): string {
  if (fit.kind === "glmm")
    return table(
      ["Term", "Estimate", "Std. error", "z value", "Pr(>|z|)"],
      fit.xnames.map((name, i) => {
        const z = fit.beta[i] / fit.se[i];
        return [name, fmt(fit.beta[i], 6), fmt(fit.se[i], 4), fmt(z, 3), pCell(2 * pnorm(-Math.abs(z)))];
      }),
    );
  if (fit.kind === "glm")
    return table(
      ["Term", "Estimate", "Std. error", `${fit.statisticName} value`, `Pr(>|${fit.statisticName}|)`],
      fit.estimable.map((i) => [
        fit.xnames[i],
        fmt(fit.beta[i], 6),
        fmt(fit.se[i], 4),
        fmt(fit.statistic[i], 3),
        pCell(fit.p[i]),
      ]),
    );
  const rows = coefTable(fit).map((r) => [
    r.name,
    fmt(r.estimate, 6),
    fmt(r.stdError, 4),
    fmt(r.tValue, 3),
    ...(fit.kind === "lm" ? [r.pValue === null ? "" : r.pValue < 1e-4 ? "< 1e-4" : fmt(r.pValue, 3)] : []),
  ]);
  return table(
    ["Term", "Estimate", "Std. error", "t value", ...(fit.kind === "lm" ? ["Pr(>|t|)"] : [])],
    rows,
  );
}

function varCorrHtml(fit: LmmFit | GlmmFit): string {
  const rows: string[][] = [];
  for (const g of fit.varcorr.groups)
    g.terms.forEach((t, r) => {
      const cor = g.terms
        .slice(0, r)
        .map((_, c) => fmt(g.correlation[r][c], 3))
        .join(", ");
      rows.push([r === 0 ? g.name : "", t, fmt(g.variance[r]), fmt(g.stddev[r]), cor]);
    });
  if (fit.kind === "lmm")
    rows.push(["Residual", "", fmt(fit.varcorr.residual.variance), fmt(fit.varcorr.residual.stddev), ""]);
  return table(["Group", "Term", "Variance", "Std. dev.", "Corr."], rows, "left2");
}

/** The self-contained HTML report of `fit` (fitted to `data`). */
export function reportHtml(fit: ReportFit, data: DataSource, options: ReportOptions = {}): string {
  const title = options.title ?? `Model report: ${fit.formula}`;
  const width = options.width ?? 760;
  const fig = (id: string): FigureOptions => ({ width, idPrefix: `r-${id}`, document: options.document });
  const sections: [string, string, string][] = [];
  const kind =
    fit.kind === "lmm"
      ? `linear mixed model (${fit.REML ? "REML" : "ML"})`
      : fit.kind === "glmm"
        ? `generalized linear mixed model (${fit.family} family, ${fit.link} link; ${fit.nAGQ === 1 ? "Laplace approximation" : fit.nAGQ === 0 ? "nAGQ = 0" : `adaptive Gauss–Hermite quadrature, ${fit.nAGQ} points`})`
        : fit.kind === "glm"
          ? `generalized linear model (${fit.family} family, ${fit.link} link)`
          : "linear model (least squares)";
  const ngroups =
    fit.kind === "lmm" || fit.kind === "glmm"
      ? `; ${Object.entries(fit.ngroups)
          .map(([g, n]) => `${n} levels of ${g}`)
          .join(", ")}`
      : "";
  const key: [string, string][] = [
    [String(fit.nobs), "observations"],
    [fmt(fit.logLik, 6), "log-likelihood"],
    [fmt(fit.AIC, 6), "AIC"],
    [fmt(fit.BIC, 6), "BIC"],
  ];
  if (fit.kind === "glmm") key.push([fmt(fit.deviance, 6), "deviance (−2 logLik)"]);
  if (fit.kind === "glm") key.push([fmt(fit.deviance, 6), "residual deviance"]);
  let summary = keyFigures(key) + `<h3>Fixed effects</h3>\n${coefHtml(fit)}`;
  if (fit.kind === "lmm" || fit.kind === "glmm")
    summary += `\n<h3>Variance components${fit.kind === "glmm" ? ` (${fit.link} scale)` : ""}</h3>\n${varCorrHtml(fit)}`;
  summary += `\n<h3>Printed summary</h3>\n<pre>${esc(printSummary(fit))}</pre>`;
  sections.push(["summary", "Summary", summary]);
  sections.push(["diagnostics", "Fit diagnostics", diagnosticsHtml(fit)]);
  if (fit.kind === "lmm") {
    sections.push(["variance", "Variance decomposition", decompositionHtml(varianceDecomposition(fit))]);
  } else if (fit.kind === "lm") {
    sections.push([
      "variance",
      "Variance explained",
      keyFigures([
        [fmt(fit.rSquared, 3), "R²"],
        [fmt(fit.adjRSquared, 3), "adjusted R²"],
      ]) +
        `<p class="note">An ordinary linear model has no random effects: R² is the share of variance explained by the fixed effects.</p>`,
    ]);
  }
  if (options.figures !== false) {
    const figs =
      fit.kind === "lmm"
        ? lmmFigures(fit, data, options, fig)
        : fit.kind === "glmm"
          ? glmmFigures(fit, data, options, fig)
          : fit.kind === "glm"
            ? glmFigures(fit, fig)
            : lmFigures(fit, data, options, fig);
    sections.push(["figures", "Figures", figs.map(figureHtml).join("\n")]);
  }
  if (options.posterior) {
    const p = options.posterior;
    let body = p.summary === undefined ? "" : `<pre>${esc(p.summary)}</pre>\n`;
    if (options.figures !== false) body += posteriorFigures(p, fig).map(figureHtml).join("\n");
    sections.push(["posterior", "Bayesian fit", body]);
  }
  const nav = sections.map(([id, h]) => `<a href="#${id}">${esc(h)}</a>`).join("");
  const main = sections
    .map(([id, h, body]) => `<section id="${id}">\n<h2>${esc(h)}</h2>\n${body}\n</section>`)
    .join("\n");
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>${esc(title)}</h1>
<p class="sub">A ${esc(kind)} of <code>${esc(fit.formula)}</code> fitted to <code>${esc(fit.dataName)}</code>: ${fit.nobs} observations${esc(ngroups)}.${options.note ? ` ${esc(options.note)}` : ""}</p>
<nav>${nav}</nav>
${main}
</body>
</html>
`;
}
