/**
 * docs/api.md: every ```ts block runs (against the sources: `from "mixedmodels..."` is pointed at
 * the entry's source file) and asserts something, and every function or class exported by any
 * package entry has an example that imports it from that entry and uses it.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { pathToFileURL } from "node:url";
import { bodyOf, docBlocks, ENTRIES, importedNames } from "./doc-blocks.ts";

const blocks = docBlocks();
const dir = mkdtempSync(join(tmpdir(), "mixed-api-doc-"));
after(() => rmSync(dir, { recursive: true, force: true }));

function pointAtSources(code: string): string {
  return code.replace(/from "(mixedmodels(?:\/[a-z]+)?)"/g, (whole, spec: string) => {
    const file = ENTRIES[spec];
    return file ? `from ${JSON.stringify(pathToFileURL(file).href)}` : whole;
  });
}

test("docs/api.md has examples, each importing only from the package and asserting", () => {
  assert.ok(blocks.length >= 20, `only ${blocks.length} ts blocks`);
  for (const b of blocks) {
    assert.match(b.code, /\bassert\b/, `docs/api.md:${b.line} (${b.heading}) asserts nothing`);
    for (const m of b.code.matchAll(/from "([^"]+)"/g)) {
      assert.ok(
        m[1] in ENTRIES || m[1].startsWith("node:"),
        `docs/api.md:${b.line} imports '${m[1]}' (only the package entries and node:*)`,
      );
    }
  }
});

test("every function and class of every entry has an example in docs/api.md", async () => {
  const missing: string[] = [];
  for (const [spec, file] of Object.entries(ENTRIES)) {
    const exported = Object.keys(await import(pathToFileURL(file).href));
    assert.ok(exported.length > 0, `${spec} exports nothing`);
    for (const name of exported) {
      const used = new RegExp(`(?<![\\w.])${name}\\b`);
      const shown = blocks.some(
        (b) => importedNames(b.code).get(spec)?.includes(name) && used.test(bodyOf(b.code)),
      );
      if (!shown) missing.push(`${spec}: ${name}`);
    }
  }
  assert.deepEqual(missing, [], "exports without an example in docs/api.md");
});

test("the check would see an export without an example", () => {
  const fake = '```ts\nimport { fixef } from "mixedmodels";\nassert.ok(true);\n```\n';
  const [b] = docBlocks(fake);
  assert.deepEqual(importedNames(b.code).get("mixedmodels"), ["fixef"]);
  assert.doesNotMatch(bodyOf(b.code), /fixef/, "imported but not used does not count");
});

for (const b of blocks) {
  test(`docs/api.md:${b.line} (${b.heading}) runs`, async () => {
    const file = join(dir, `block-${b.line}.mts`);
    writeFileSync(file, pointAtSources(b.code));
    await import(pathToFileURL(file).href);
  });
}
