/** PNG output (Node layer): the bytes decode as PNG and have the requested size. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { bundledFontFiles, svgToPng } from "../../../src/node/svg-to-png.ts";
import { pooled } from "../../../src/plot/index.ts";
import { loadBundled } from "../../helpers/load-bundled.ts";

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Width and height from the IHDR chunk (the first chunk, right after the signature). */
function pngSize(png: Uint8Array): [number, number] {
  assert.deepEqual(Array.from(png.subarray(0, 8)), SIGNATURE, "PNG signature");
  const dv = new DataView(png.buffer, png.byteOffset, png.byteLength);
  assert.equal(dv.getUint32(8), 13, "IHDR length");
  assert.equal(new TextDecoder().decode(png.subarray(12, 16)), "IHDR");
  return [dv.getUint32(16), dv.getUint32(20)];
}

test("svgToPng: a figure becomes a PNG of the figure's size (and × scale)", async () => {
  const svg = pooled(loadBundled("coffee"), { x: "x", y: "y", width: 520, height: 360 });
  const png = await svgToPng(svg);
  assert.deepEqual(pngSize(png), [520, 360]);
  assert.ok(png.length > 5000, "not blank");
  assert.deepEqual(pngSize(await svgToPng(svg, { scale: 2 })), [1040, 720]);
  await assert.rejects(svgToPng(svg, { scale: 0 }), RangeError);
});

function textSvg(text: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40"><text x="10" y="28" font-family="sans-serif" font-size="20">${text}</text></svg>`;
}

test("svgToPng draws text with the bundled DejaVu fonts, and with the system fonts alone", async () => {
  assert.ok(bundledFontFiles().length > 0, "dejavu-fonts-ttf is installed (dev dependency)");
  const empty = await svgToPng(textSvg(""));
  const hello = await svgToPng(textSvg("Hello"));
  assert.deepEqual(pngSize(hello), [200, 40]);
  assert.notDeepEqual(hello, empty, "text drawn");
  // an installed package without dev dependencies: only what resvg finds on the system
  const system = await svgToPng(textSvg("Hello"), { bundledFonts: false });
  assert.deepEqual(pngSize(system), [200, 40]);
});
