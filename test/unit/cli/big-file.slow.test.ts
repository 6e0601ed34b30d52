/**
 * A 200 MB CSV through the real CLI: streamed, fitted, no crash, file unchanged.
 */
import assert from "node:assert/strict";
import { closeSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { runCli } from "../../helpers/run-cli.ts";

test("a 200 MB CSV streams through `mixed fit` without crashing", () => {
  const dir = mkdtempSync(join(tmpdir(), "mixed-big-"));
  const path = join(dir, "big.csv");
  const fd = openSync(path, "w");
  writeSync(fd, "y,x,g\n");
  // Deterministic rows, ~48 bytes each: y = 2 + 0.5 x + noise-like term.
  let rows = 0;
  let bytes = 0;
  let s = 12345;
  while (bytes < 200 * 1024 * 1024) {
    const lines: string[] = [];
    for (let k = 0; k < 10000; k++) {
      s = (s * 1103515245 + 12345) % 2147483648;
      const x = (s / 2147483648) * 10 - 5;
      const e = ((s % 1000) / 1000 - 0.5) * 0.1;
      lines.push(`${(2 + 0.5 * x + e).toFixed(12)},${x.toFixed(12)},g${s % 97}`);
    }
    const chunk = `${lines.join("\n")}\n`;
    bytes += writeSync(fd, chunk);
    rows += lines.length;
  }
  closeSync(fd);
  const before = statSync(path);
  const r = runCli(["fit", "y ~ x", "--data", path, "--json"]);
  assert.equal(r.status, 0, r.stderr.slice(0, 2000));
  const j = JSON.parse(r.stdout);
  assert.equal(j.nobs, rows);
  assert.ok(Math.abs(j.beta.x - 0.5) < 1e-3);
  const after = statSync(path);
  assert.equal(after.size, before.size);
  assert.equal(after.mtimeMs, before.mtimeMs);
  rmSync(dir, { recursive: true, force: true });
});
