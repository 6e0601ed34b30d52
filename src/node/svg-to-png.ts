/**
 * SVG → PNG with resvg (`@resvg/resvg-js`, a native binary shipped in an npm platform package),
 * loaded on first use with a dynamic import so commands that never write a PNG never load it.
 *
 * Fonts: resvg draws `<text>` with fonts it is given. We give it DejaVu Sans/Serif/Mono from the
 * `dejavu-fonts-ttf` package when it is installed (a dev dependency: byte-stable PNGs in tests),
 * and always let it load the system fonts too, so an installed package without dev dependencies
 * still draws text wherever the system has fonts (figures ask for a generic sans-serif stack).
 * The PNG has the SVG's width and height × `scale`.
 */
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

export interface SvgToPngOptions {
  /** Pixel density: 2 gives a PNG twice the SVG's width and height. Default 1. */
  readonly scale?: number;
  /** Extra font files (.ttf/.otf) to load. */
  readonly fontFiles?: readonly string[];
  /** Use the DejaVu fonts of `dejavu-fonts-ttf` when installed (default true); false: system fonts only. */
  readonly bundledFonts?: boolean;
}

type ResvgModule = typeof import("@resvg/resvg-js");
let resvg: Promise<ResvgModule> | undefined;

function loadResvg(): Promise<ResvgModule> {
  resvg ??= import("@resvg/resvg-js").then((m) =>
    (m as { Resvg?: unknown }).Resvg ? m : (m as unknown as { default: ResvgModule }).default,
  );
  return resvg;
}

/** The DejaVu font files of the `dejavu-fonts-ttf` package, or [] when it is not installed. */
export function bundledFontFiles(): string[] {
  try {
    const dir = join(dirname(createRequire(import.meta.url).resolve("dejavu-fonts-ttf/package.json")), "ttf");
    return ["DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSerif.ttf", "DejaVuSansMono.ttf"]
      .map((f) => join(dir, f))
      .filter((f) => existsSync(f));
  } catch {
    return [];
  }
}

/** Rasterise an SVG document to PNG bytes. */
export async function svgToPng(svg: string, opts: SvgToPngOptions = {}): Promise<Uint8Array> {
  const { Resvg } = await loadResvg();
  const scale = opts.scale ?? 1;
  if (!(scale > 0 && scale <= 16)) throw new RangeError(`svgToPng: scale ${scale} is not in (0, 16]`);
  const fontFiles = [...(opts.bundledFonts === false ? [] : bundledFontFiles()), ...(opts.fontFiles ?? [])];
  const r = new Resvg(svg, {
    fitTo: { mode: "zoom", value: scale },
    font: {
      fontFiles,
      loadSystemFonts: true,
      defaultFontFamily: fontFiles.length > 0 ? "DejaVu Sans" : undefined,
      sansSerifFamily: fontFiles.length > 0 ? "DejaVu Sans" : undefined,
    },
    background: "white",
  });
  return new Uint8Array(r.render().asPng());
}
