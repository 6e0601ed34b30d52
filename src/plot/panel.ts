/**
 * The Gasoline seed's composite: trajectories across the top row (y against `x` per group), and
 * below it the between-group and within-group scatters of y against `covariate` (default `x`).
 */
import type { DataSource } from "../data/column.ts";
import { betweenWithinSpecs } from "./between-within.ts";
import { composePanels } from "./compose-panels.ts";
import { frameOf, titleOr } from "./figure-options.ts";
import { type TrajectoriesOptions, trajectoriesSpec } from "./trajectories.ts";

export interface PanelOptions extends TrajectoriesOptions {
  /** x of the two scatters below (default `x`): e.g. income while the trajectories run over years. */
  readonly covariate?: string;
}

/** Trajectories on top, between and within scatters below, as one SVG string. */
export function panel(data: DataSource, opts: PanelOptions): string {
  const covariate = opts.covariate ?? opts.x;
  const top = trajectoriesSpec(data, {
    ...opts,
    title: `${opts.y} by ${opts.x}, one line per ${opts.group}`,
    onWarning: covariate === opts.x ? undefined : opts.onWarning,
  });
  const bw = betweenWithinSpecs(data, {
    ...opts,
    x: covariate,
    xLabel: covariate === opts.x ? opts.xLabel : undefined,
  });
  const notes = [top.note, covariate === opts.x ? undefined : bw.data.rows.note].filter(
    (n) => n !== undefined,
  );
  return composePanels({
    ...frameOf(opts, 960, 820),
    title: titleOr(opts, `${opts.y} across ${opts.group}: trajectories, between and within`),
    note: notes.length > 0 ? notes.join("; ") : undefined,
    rows: 2,
    cols: 2,
    panels: [
      { figure: { ...top, note: undefined }, row: 0, col: 0, colSpan: 2 },
      { figure: bw.between, row: 1, col: 0 },
      { figure: bw.within, row: 1, col: 1 },
    ],
  });
}
