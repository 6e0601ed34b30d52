/**
 * The lm warnings reach the user through the CLI: `mixed fit "y ~ x" --data file.csv` prints them
 * on stderr as `warning[code]: …`, and `--json` carries them in `warnings`.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { runCli } from "../../helpers/run-cli.ts";

const dir = mkdtempSync(join(tmpdir(), "lm-warnings-"));
after(() => rmSync(dir, { recursive: true, force: true }));

function csv(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

test("zero residual df: warning on stderr and in --json, NaN residual SE as R", () => {
  const file = csv("two.csv", "y,x\n1,0\n3,1\n");
  const r = runCli(["fit", "y ~ x", "--data", file]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /Residual standard error: NaN on 0 degrees of freedom/);
  assert.match(r.stderr, /warning\[no_residual_df\]/);
  const j = runCli(["fit", "y ~ x", "--data", file, "--json"]);
  assert.equal(j.status, 0, j.stderr);
  const out = JSON.parse(j.stdout);
  assert.ok(out.warnings.some((w: { code: string }) => w.code === "no_residual_df"));
  assert.equal(out.sigma, null);
});

test("perfect fit: warning on stderr and in --json", () => {
  const file = csv("line.csv", `y,x\n${[1, 2, 3, 4, 5, 6, 7].map((x) => `${2 + 3 * x},${x}`).join("\n")}\n`);
  const r = runCli(["fit", "y ~ x", "--data", file]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /warning\[perfect_fit\]/);
  const out = JSON.parse(runCli(["fit", "y ~ x", "--data", file, "--json"]).stdout);
  assert.ok(out.warnings.some((w: { code: string }) => w.code === "perfect_fit"));
});
