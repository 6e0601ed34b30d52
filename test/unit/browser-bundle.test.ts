/**
 * The core must bundle for a browser: the package's main entry (src/index.ts), its engine entry
 * (src/engine.ts) and the plot entry (src/plot/index.ts), with everything they import. esbuild with platform "browser" fails on any
 * `node:*` import or Node built-in. Only the node entry (src/node/index.ts) may use them.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { build } from "esbuild";

for (const entry of ["src/index.ts", "src/engine.ts", "src/plot/index.ts", "src/html/index.ts"]) {
  test(`the package entry ${entry} bundles for the browser without Node built-ins`, async () => {
    await assertBrowserPure(entry);
  });
}

test("the node entry is not browser-pure (so the check above can fail)", async () => {
  await assert.rejects(assertBrowserPure("src/node/index.ts"));
});

async function assertBrowserPure(entry: string): Promise<void> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    platform: "browser",
    format: "esm",
    write: false,
    logLevel: "silent",
    metafile: true,
  });
  assert.equal(result.errors.length, 0);
  const inputs = Object.keys(result.metafile.inputs);
  const nodeOnly = inputs.filter((p) => p.startsWith("src/node/") || p.startsWith("src/cli/"));
  assert.deepEqual(nodeOnly, [], "core must not import src/node or src/cli");
  const ours = inputs.filter((p) => p.startsWith("src/"));
  assert.ok(ours.length > 20, "the bundle holds the core sources");
  const offenders = ours.filter((p) => /\bprocess\.|\bBuffer\.|from "node:/.test(readFileSync(p, "utf8")));
  assert.deepEqual(offenders, [], "no Node globals in the core sources");
}

test("a Node built-in in the core would be caught", async () => {
  await assert.rejects(
    build({
      stdin: { contents: "import { readFileSync } from 'node:fs'; console.log(readFileSync);", loader: "ts" },
      bundle: true,
      platform: "browser",
      write: false,
      logLevel: "silent",
    }),
  );
});
