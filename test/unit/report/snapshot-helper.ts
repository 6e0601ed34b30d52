/**
 * Exact-text comparison for printed summaries. On mismatch the produced text is written to
 * `test/snapshots/text/<name>-changed.txt` (diff it against the expected file) and the assertion
 * message names the first differing line; on success a stale `-changed` file is removed.
 */
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";

const SNAP_DIR = "test/snapshots/text";

export function readText(path: string): string {
  return readFileSync(path, "utf8");
}

export function readJson<T = Record<string, unknown>>(path: string): T {
  return JSON.parse(readFileSync(path, "utf8")) as T;
}

/** Assert `actual === expected`; `expectedPath` is quoted in the message. */
export function assertSameText(name: string, actual: string, expected: string, expectedPath: string): void {
  const changed = `${SNAP_DIR}/${name}-changed.txt`;
  if (actual === expected) {
    if (existsSync(changed)) rmSync(changed);
    return;
  }
  mkdirSync(SNAP_DIR, { recursive: true });
  writeFileSync(changed, actual);
  const a = actual.split("\n");
  const e = expected.split("\n");
  let i = 0;
  while (i < Math.max(a.length, e.length) && a[i] === e[i]) i++;
  assert.fail(
    `${name}: printed text differs from ${expectedPath} at line ${i + 1}\n` +
      `  expected: ${JSON.stringify(e[i])}\n  actual:   ${JSON.stringify(a[i])}\n` +
      `  full output written to ${changed} (diff -u ${expectedPath} ${changed})`,
  );
}
