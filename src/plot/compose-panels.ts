/**
 * Composite figures: several panels in one SVG on a grid (Makie's `Figure` grid, ggplot's
 * patchwork), under one overall title and legend. A panel is either a `FigureSpec` (rendered at
 * its cell's size) or an SVG string from any figure function (scaled into its cell through its
 * viewBox; render it at the cell's size for 1:1 text). Ids are renamed per panel so they stay unique.
 */
import { PlotError } from "./plot-error.ts";
import { type FigureSpec, type FrameOptions, layoutFrame, renderSvg, wrapFrame } from "./render-svg.ts";
import { nestSvg, stableIds } from "./svg-markup.ts";
import { THEME } from "./theme.ts";

export interface PanelCell {
  /** A rendered figure (SVG string) or a spec to render at the cell's size. */
  readonly figure: string | FigureSpec;
  /** 0-based grid position and spans (default 1). */
  readonly row: number;
  readonly col: number;
  readonly rowSpan?: number;
  readonly colSpan?: number;
}

export interface CompositeSpec extends FrameOptions {
  readonly rows: number;
  readonly cols: number;
  readonly panels: readonly PanelCell[];
  /** Space between cells, px (default 8). */
  readonly gap?: number;
}

/** The px box of a grid cell (with spans) in a composite of the given frame. */
export interface CellBox {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

function checkGrid(spec: CompositeSpec): void {
  const bad = (msg: string) => new PlotError("E_PLOT_BAD_OPTION", `composite figure: ${msg}`);
  if (!Number.isInteger(spec.rows) || spec.rows < 1 || !Number.isInteger(spec.cols) || spec.cols < 1)
    throw bad(`rows and cols must be positive integers (got ${spec.rows} × ${spec.cols})`);
  if (spec.panels.length === 0) throw bad("no panels");
  for (const [i, p] of spec.panels.entries()) {
    const rs = p.rowSpan ?? 1;
    const cs = p.colSpan ?? 1;
    const ok =
      [p.row, p.col, rs, cs].every(Number.isInteger) &&
      p.row >= 0 &&
      p.col >= 0 &&
      rs >= 1 &&
      cs >= 1 &&
      p.row + rs <= spec.rows &&
      p.col + cs <= spec.cols;
    if (!ok)
      throw bad(
        `panel ${i + 1} (row ${p.row}, col ${p.col}, span ${rs} × ${cs}) does not fit the ${spec.rows} × ${spec.cols} grid`,
      );
  }
}

/** Render several panels on a grid as one standalone SVG string. */
export function composePanels(spec: CompositeSpec): string {
  checkGrid(spec);
  const frame = layoutFrame(spec);
  const gap = spec.gap ?? 8;
  const cellW = (frame.width - gap * (spec.cols + 1)) / spec.cols;
  const cellH = (frame.chartHeight - gap * spec.rows) / spec.rows;
  const parts: string[] = [];
  spec.panels.forEach((p, i) => {
    const cs = p.colSpan ?? 1;
    const rs = p.rowSpan ?? 1;
    const box: CellBox = {
      x: gap + p.col * (cellW + gap),
      y: frame.top + p.row * (cellH + gap),
      width: cs * cellW + (cs - 1) * gap,
      height: rs * cellH + (rs - 1) * gap,
    };
    const prefix = `${frame.prefix}-p${i + 1}`;
    const svg =
      typeof p.figure === "string"
        ? p.figure
        : renderSvg({
            ...p.figure,
            width: Math.max(50, Math.floor(box.width)),
            height: Math.max(50, Math.floor(box.height)),
            document: p.figure.document ?? spec.document,
            theme: p.figure.theme ?? spec.theme,
            titleSize: p.figure.titleSize ?? (p.figure.theme ?? spec.theme ?? THEME).panelTitleSize,
            idPrefix: prefix,
          });
    parts.push(nestSvg(stableIds(svg, prefix), box.x, box.y, box.width, box.height));
  });
  return wrapFrame(frame, parts.join(""), spec.title);
}
