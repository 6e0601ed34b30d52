/**
 * The HTML report opens offline in a real browser: headless Chromium (Debian's `chromium`,
 * /usr/bin/chromium) with every host name resolving nowhere renders the coffee report; the DOM it
 * builds has the sections and the inline SVG figures (with their text as text), and a screenshot
 * of the requested size is written. Skipped with a message when Chromium is absent.
 * `KEEP_REPORT_SCREENSHOT=DIR` keeps the page and the screenshot in DIR to look at.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { reportHtml } from "../../../src/html/index.ts";
import { fitGlmm, fitLmm } from "../../../src/index.ts";
import { loadBundled } from "../../helpers/load-bundled.ts";

const CHROMIUM = "/usr/bin/chromium";

function chromium(dir: string, args: readonly string[]) {
  return spawnSync(
    CHROMIUM,
    [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      // offline: no host name resolves, so any network reference would fail to load
      "--host-resolver-rules=MAP * ~NOTFOUND",
      `--user-data-dir=${join(dir, "profile")}`,
      ...args,
    ],
    { encoding: "latin1", timeout: 180_000, maxBuffer: 64 * 1024 * 1024 },
  );
}

function pngSize(png: Buffer): [number, number] {
  assert.equal(png.subarray(1, 4).toString("latin1"), "PNG");
  return [png.readUInt32BE(16), png.readUInt32BE(20)];
}

test("the coffee report renders offline in headless Chromium", {
  skip:
    !existsSync(CHROMIUM) &&
    `${CHROMIUM} is not installed (Debian package 'chromium'): report rendering not checked`,
}, () => {
  const coffee = loadBundled("coffee");
  const html = reportHtml(fitLmm("y ~ x + (x | group)", coffee), coffee);
  const dir = mkdtempSync(join(tmpdir(), "mixed-report-chromium-"));
  try {
    const page = join(dir, "report.html");
    writeFileSync(page, html);
    const dom = chromium(dir, ["--dump-dom", `file://${page}`]);
    assert.equal(dom.status, 0, `chromium failed: ${dom.error?.message ?? dom.stderr.slice(-500)}`);
    const text = Buffer.from(dom.stdout, "latin1").toString("utf8");
    for (const id of ["summary", "diagnostics", "variance", "figures"])
      assert.ok(text.includes(`<section id="${id}">`), id);
    // the parser put the inline figures into the DOM as SVG elements
    assert.ok((text.match(/<svg\b/g) ?? []).length >= 6, "inline SVG figures in the DOM");
    assert.match(text, /Conditional modes of the random effects with 95% intervals<\/text>/);
    assert.match(text, /conditional R² \(fixed \+ random\)/);

    const shot = join(dir, "report.png");
    const r = chromium(dir, [
      "--hide-scrollbars",
      "--window-size=1000,3000",
      `--screenshot=${shot}`,
      `file://${page}`,
    ]);
    assert.equal(r.status, 0, `chromium failed: ${r.error?.message ?? r.stderr.slice(-500)}`);
    const png = readFileSync(shot);
    assert.deepEqual(pngSize(png), [1000, 3000]);
    // a page of text, tables and figures compresses far less than a blank one (~10 kB)
    assert.ok(png.length > 100_000, `screenshot of ${png.length} bytes: is the page blank?`);
    const keep = process.env.KEEP_REPORT_SCREENSHOT;
    if (keep) {
      mkdirSync(keep, { recursive: true });
      copyFileSync(shot, join(keep, "report.png"));
      copyFileSync(page, join(keep, "report.html"));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the cbpp GLMM report renders offline in headless Chromium", {
  skip:
    !existsSync(CHROMIUM) &&
    `${CHROMIUM} is not installed (Debian package 'chromium'): report rendering not checked`,
}, () => {
  const cbpp = loadBundled("cbpp");
  const fit = fitGlmm("cbind(incidence, size - incidence) ~ period + (1 | herd)", cbpp, {
    family: "binomial",
  });
  const html = reportHtml(fit, cbpp);
  const dir = mkdtempSync(join(tmpdir(), "mixed-report-chromium-"));
  try {
    const page = join(dir, "cbpp.html");
    writeFileSync(page, html);
    const dom = chromium(dir, ["--dump-dom", `file://${page}`]);
    assert.equal(dom.status, 0, `chromium failed: ${dom.error?.message ?? dom.stderr.slice(-500)}`);
    const text = Buffer.from(dom.stdout, "latin1").toString("utf8");
    for (const id of ["summary", "diagnostics", "figures"])
      assert.ok(text.includes(`<section id="${id}">`), id);
    assert.ok((text.match(/<svg\b/g) ?? []).length >= 5, "inline SVG figures in the DOM");
    assert.match(text, /Pearson residuals vs linear predictor<\/text>/);
    assert.match(text, /Fitted probability by period, one curve per herd \(15\)<\/text>/);
    const shot = join(dir, "cbpp.png");
    const r = chromium(dir, [
      "--hide-scrollbars",
      "--window-size=1000,3000",
      `--screenshot=${shot}`,
      `file://${page}`,
    ]);
    assert.equal(r.status, 0, `chromium failed: ${r.error?.message ?? r.stderr.slice(-500)}`);
    const png = readFileSync(shot);
    assert.deepEqual(pngSize(png), [1000, 3000]);
    assert.ok(png.length > 100_000, `screenshot of ${png.length} bytes: is the page blank?`);
    const keep = process.env.KEEP_REPORT_SCREENSHOT;
    if (keep) {
      mkdirSync(keep, { recursive: true });
      copyFileSync(shot, join(keep, "cbpp.png"));
      copyFileSync(page, join(keep, "cbpp.html"));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
