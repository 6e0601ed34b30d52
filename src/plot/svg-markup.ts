/**
 * String-level SVG helpers shared by the renderer and the composite layout: escaping, a tiny
 * element builder (for titles, legends and notes drawn around Observable Plot's output), stable
 * ids, coordinate rounding, and nesting one SVG document inside another.
 */

const XML_ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** Text or attribute value escaped for XML. Control characters other than tab/newline/CR are dropped. */
export function escapeXml(s: string): string {
  let out = "";
  for (const ch of s) {
    const c = ch.charCodeAt(0);
    if (c < 0x20 && c !== 9 && c !== 10 && c !== 13) continue;
    out += XML_ESCAPES[ch] ?? ch;
  }
  return out;
}

/** A number as written in our own markup: at most 2 decimals, no trailing zeros, no "-0". */
export function num(v: number): string {
  const r = Math.round(v * 100) / 100;
  return Object.is(r, -0) || r === 0 ? "0" : String(r);
}

export type Attrs = Readonly<Record<string, string | number | undefined>>;

/** `<tag a="…">children</tag>` (self-closing without children); undefined attributes are omitted. */
export function el(tag: string, attrs: Attrs, children?: string): string {
  let a = "";
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined) continue;
    a += ` ${k}="${typeof v === "number" ? num(v) : escapeXml(v)}"`;
  }
  return children === undefined || children === "" ? `<${tag}${a}/>` : `<${tag}${a}>${children}</${tag}>`;
}

/** Attributes whose values are coordinates (rounded by `roundCoordinates`). */
const COORD_ATTR =
  /\b(d|transform|x|y|x1|x2|y1|y2|cx|cy|r|rx|ry|width|height|points|viewBox|dx|dy)="([^"]*)"/g;
const DECIMAL = /-?\d+\.\d{3,}(?:e[-+]?\d+)?/g;

/**
 * Round the numbers inside coordinate attributes to 2 decimals (0.01 px: invisible), so output is
 * compact and free of float noise such as `119.99999999999997`. Text content is never touched.
 */
export function roundCoordinates(svg: string): string {
  return svg.replace(
    COORD_ATTR,
    (_m, name: string, value: string) => `${name}="${value.replace(DECIMAL, (d) => num(Number(d)))}"`,
  );
}

/**
 * Rename every `id` in the document to `${prefix}-1`, `${prefix}-2`, … in order of first
 * appearance, with every `url(#…)` and `href="#…"` reference, in one pass (no partial matches).
 * Observable Plot numbers its clip paths from a process-wide counter; this makes output
 * independent of what was drawn before, and keeps ids unique when panels are nested.
 */
export function stableIds(svg: string, prefix: string): string {
  const map = new Map<string, string>();
  for (const m of svg.matchAll(/\sid="([^"]+)"/g)) {
    if (!map.has(m[1])) map.set(m[1], `${prefix}-${map.size + 1}`);
  }
  if (map.size === 0) return svg;
  return svg.replace(
    /(\sid=")([^"]+)(")|url\(#([^)]+)\)|(href=")#([^"]+)(")/g,
    (m, a: string, id: string, b: string, url: string, h: string, href: string, c: string) => {
      if (id !== undefined) return map.has(id) ? `${a}${map.get(id)}${b}` : m;
      if (url !== undefined) return map.has(url) ? `url(#${map.get(url)})` : m;
      return map.has(href) ? `${h}#${map.get(href)}${c}` : m;
    },
  );
}

/**
 * Place a standalone SVG document at (x, y) with the given size inside another: its root `<svg>`
 * gets x/y/width/height (a viewBox from its old size is added when missing, so it scales).
 */
export function nestSvg(svg: string, x: number, y: number, width: number, height: number): string {
  const body = svg.replace(/^\s*<\?xml[^>]*>\s*/, "");
  const m = /^<svg\b([^>]*)>/.exec(body);
  if (!m) throw new Error("nestSvg: not an SVG document");
  let attrs = m[1];
  const w0 = /\swidth="([^"]*)"/.exec(attrs)?.[1];
  const h0 = /\sheight="([^"]*)"/.exec(attrs)?.[1];
  attrs = attrs.replace(/\s(x|y|width|height|xmlns(?::\w+)?)="[^"]*"/g, "");
  if (!/\sviewBox="/.test(attrs) && w0 !== undefined && h0 !== undefined)
    attrs += ` viewBox="0 0 ${Number.parseFloat(w0)} ${Number.parseFloat(h0)}"`;
  return `<svg x="${num(x)}" y="${num(y)}" width="${num(width)}" height="${num(height)}"${attrs}>${body.slice(m[0].length)}`;
}

/** Width of `text` in px, estimated (0.56 em per character: DejaVu Sans's average, a little generous). */
export function textWidth(text: string, fontSize: number): number {
  return text.length * fontSize * 0.56;
}
