/**
 * mixedmodels/report: a fitted model as one self-contained HTML page (summary tables, fit
 * diagnostics, variance decomposition, figures inline as SVG; no network references). A separate
 * entry above mixedmodels/plot: it draws with the plotting library, which the core never loads.
 */
export type { ReportOptions } from "./report-html.ts";
export { reportHtml } from "./report-html.ts";
