/**
 * SVG snapshot tests: `assertSvgSnapshot(name, svg)` compares a figure with
 * `test/snapshots/plot/<name>.svg` after normalising both sides (`normalizeSvg`: numbers in
 * coordinate attributes to 1 decimal, ids renamed in order of appearance, Observable Plot's
 * generated class names made fixed, one element per line for readable diffs).
 *
 * - `UPDATE_SNAPSHOTS=1`: write (or overwrite) the snapshot and pass.
 * - Missing snapshot: the test FAILS (a snapshot test must be able to fail). Outside CI (no `CI`
 *   variable) the normalised figure is written as the new snapshot first, so a re-run passes after
 *   you have looked at it; in CI nothing is written.
 * - Mismatch: fails naming the first differing line; the actual output is written next to the
 *   snapshot as `<name>-changed.svg` (git-ignored; diff it, or open both in a browser).
 */
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";

export const SVG_SNAPSHOT_DIR = "test/snapshots/plot";

const COORD_ATTR =
  /\b(d|transform|x|y|x1|x2|y1|y2|cx|cy|r|rx|ry|width|height|points|viewBox|dx|dy)="([^"]*)"/g;

function round1(d: string): string {
  const r = Math.round(Number(d) * 10) / 10;
  return r === 0 ? "0" : String(r);
}

/** The normal form compared by snapshots. */
export function normalizeSvg(svg: string): string {
  let s = svg.replace(/\r\n/g, "\n").trim();
  s = s.replace(
    COORD_ATTR,
    (_m, n: string, v: string) => `${n}="${v.replace(/-?\d+\.\d+(?:e[-+]?\d+)?/g, round1)}"`,
  );
  const ids = new Map<string, string>();
  for (const m of s.matchAll(/\sid="([^"]+)"/g)) if (!ids.has(m[1])) ids.set(m[1], `id${ids.size + 1}`);
  s = s.replace(
    /(\sid=")([^"]+)(")|url\(#([^)]+)\)|(href=")#([^"]+)(")/g,
    (_m, a, id, b, url, h, href, c) => {
      if (id !== undefined) return `${a}${ids.get(id) ?? id}${b}`;
      if (url !== undefined) return `url(#${ids.get(url) ?? url})`;
      return `${h}#${ids.get(href) ?? href}${c}`;
    },
  );
  s = s.replace(/\bplot-[0-9a-f]{6}\b/g, "plot-xxxxxx");
  return `${s.replace(/>\s*</g, ">\n<")}\n`;
}

export function assertSvgSnapshot(name: string, svg: string): void {
  const path = `${SVG_SNAPSHOT_DIR}/${name}.svg`;
  const changed = `${SVG_SNAPSHOT_DIR}/${name}-changed.svg`;
  const actual = normalizeSvg(svg);
  mkdirSync(SVG_SNAPSHOT_DIR, { recursive: true });
  if (process.env.UPDATE_SNAPSHOTS === "1") {
    writeFileSync(path, actual);
    if (existsSync(changed)) rmSync(changed);
    return;
  }
  if (!existsSync(path)) {
    if (!process.env.CI) writeFileSync(path, actual);
    assert.fail(
      `${name}: no snapshot ${path}. ${process.env.CI ? "Snapshots are not written in CI" : "It has been written now: look at it, then re-run"} (UPDATE_SNAPSHOTS=1 rewrites all).`,
    );
  }
  const expected = readFileSync(path, "utf8");
  if (actual === expected) {
    if (existsSync(changed)) rmSync(changed);
    return;
  }
  if (!process.env.CI) writeFileSync(changed, actual);
  const a = actual.split("\n");
  const e = expected.split("\n");
  let i = 0;
  while (i < Math.max(a.length, e.length) && a[i] === e[i]) i++;
  assert.fail(
    `${name}: figure differs from ${path} at line ${i + 1}\n  expected: ${JSON.stringify(e[i])}\n  actual:   ${JSON.stringify(a[i])}\n` +
      `  (actual written to ${changed}; UPDATE_SNAPSHOTS=1 accepts it)`,
  );
}
