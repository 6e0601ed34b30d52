/**
 * The core runs in a real browser: the public entry is bundled for the browser (esbuild), loaded
 * into headless Chromium with the data inlined, and fits sleepstudy and InstEval (the latter through
 * the WebAssembly SIMD kernels); the objectives must match lme4's. Needs Debian's `chromium`
 * (/usr/bin/chromium; `.ci/run` installs it); skipped with a message when it is absent.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { build } from "esbuild";
import { expectClose } from "../helpers/expect-close.ts";

const CHROMIUM = "/usr/bin/chromium";
const FITS = [
  { id: "sleepstudy_full_reml", dataset: "sleepstudy", REML: true },
  { id: "insteval_dept_ml", dataset: "InstEval", REML: false },
].map((f) => ({
  ...f,
  formula: (JSON.parse(readFileSync(`test/reference/fits/${f.id}.json`, "utf8")) as { formula: string })
    .formula,
}));

test("fits in headless Chromium match lme4", {
  skip: !existsSync(CHROMIUM) && `${CHROMIUM} is not installed`,
}, async () => {
  const bundle = await build({
    entryPoints: ["test/browser/page-entry.ts"],
    bundle: true,
    platform: "browser",
    format: "iife",
    target: "es2022",
    write: false,
    logLevel: "silent",
  });
  const datasets: Record<string, { csv: string; meta: string }> = {};
  for (const f of FITS)
    datasets[f.dataset] = {
      csv: readFileSync(`data/${f.dataset}.csv`, "utf8"),
      meta: readFileSync(`data/${f.dataset}.meta.json`, "utf8"),
    };
  const dir = mkdtempSync(join(tmpdir(), "mixed-browser-"));
  try {
    const globals = `const DATASETS = ${JSON.stringify(datasets)};\nconst FITS = ${JSON.stringify(FITS)};\n`;
    writeFileSync(join(dir, "page.js"), globals + bundle.outputFiles[0].text);
    writeFileSync(
      join(dir, "index.html"),
      '<!doctype html><html><body><script src="page.js"></script></body></html>',
    );
    const r = spawnSync(
      CHROMIUM,
      [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        `--user-data-dir=${join(dir, "profile")}`,
        "--dump-dom",
        `file://${join(dir, "index.html")}`,
      ],
      { encoding: "utf8", timeout: 180_000 },
    );
    assert.equal(r.status, 0, `chromium failed: ${r.error?.message ?? r.stderr.slice(-500)}`);
    const m = /RESULTS\n([\s\S]*)\nEND/.exec(r.stdout);
    assert.ok(m, `no results in the page: ${r.stdout.slice(0, 500)}`);
    const results = m[1]
      .split("\n")
      .map((l) => JSON.parse(l) as { id: string; objective?: number; error?: string; wasm?: boolean });
    assert.equal(results.length, FITS.length);
    for (const res of results) {
      assert.equal(res.error, undefined, `${res.id}: ${res.error}`);
      assert.equal(res.wasm, true, "the browser has WebAssembly");
      const ref = JSON.parse(readFileSync(`test/reference/fits/${res.id}.json`, "utf8")) as {
        objective: number;
      };
      expectClose(res.objective as number, ref.objective, { rtol: 1e-6, label: `${res.id} objective` });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
