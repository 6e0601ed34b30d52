/**
 * `mixed predict --fit FILE.json` and `mixed confint --fit FILE.json`: a fit saved by
 * `mixed fit ... --json` is restored with --data instead of refitting, with the same output as
 * fitting again; options that disagree with the saved fit and data that do not match are refused.
 */
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { runCli } from "../../helpers/run-cli.ts";

const F = "Reaction ~ Days + (Days | Subject)";
const dir = mkdtempSync(join(tmpdir(), "mixed-saved-fit-"));
const nd = join(dir, "new.csv");
writeFileSync(nd, "Subject,Days\n308,0\n309,2.5\n999,4\n");
const saved = join(dir, "fit.json");
const fitRun = runCli(["fit", F, "--data", "sleepstudy", "--json"]);
writeFileSync(saved, fitRun.stdout);

test("mixed predict --fit gives the same JSON as refitting; the formula may be left out", () => {
  assert.equal(fitRun.status, 0, fitRun.stderr);
  const args = ["--data", "sleepstudy", "--newdata", nd, "--new-levels", "population", "--json"];
  const fresh = runCli(["predict", F, ...args]);
  const restored = runCli(["predict", "--fit", saved, ...args]);
  assert.equal(restored.status, 0, restored.stderr);
  assert.equal(restored.stdout, fresh.stdout);
  const j = JSON.parse(restored.stdout);
  assert.deepEqual(Object.keys(j).slice(0, 2), ["fit", "se_fit"]);
  // the same formula (spaced differently) is accepted
  const same = runCli(["predict", "Reaction~Days+(Days|Subject)", "--fit", saved, ...args]);
  assert.equal(same.status, 0, same.stderr);
  assert.equal(same.stdout, fresh.stdout);
});

test("mixed confint --fit gives the same intervals as refitting", () => {
  const args = ["--data", "sleepstudy", "--method", "wald", "--json"];
  const fresh = runCli(["confint", F, ...args]);
  const restored = runCli(["confint", "--fit", saved, ...args]);
  assert.equal(restored.status, 0, restored.stderr);
  assert.equal(restored.stdout, fresh.stdout);
});

test("--fit with other options, other data or a bad file is refused", () => {
  const base = ["--newdata", nd, "--new-levels", "population"];
  const other = runCli([
    "predict",
    "Reaction ~ Days + (1 | Subject)",
    "--fit",
    saved,
    "--data",
    "sleepstudy",
    ...base,
  ]);
  assert.equal(other.status, 2);
  assert.match(other.stderr, /the formula .* disagrees with the saved fit/);
  const ml = runCli(["predict", "--fit", saved, "--ml", "--data", "sleepstudy", ...base]);
  assert.equal(ml.status, 2);
  assert.match(ml.stderr, /--ml disagrees with the saved fit .*fitted by REML/);
  const none = runCli(["predict", "--data", "sleepstudy", ...base]);
  assert.equal(none.status, 2);
  assert.match(none.stderr, /needs a formula, or a saved fit with --fit/);
  // the right columns but other values: a different response
  const edited = join(dir, "edited.csv");
  const rows = ["Reaction,Days,Subject"];
  for (let s = 0; s < 18; s++) for (let d = 0; d < 10; d++) rows.push(`${250 + 10 * d + s},${d},${308 + s}`);
  writeFileSync(edited, `${rows.join("\n")}\n`);
  const mismatch = runCli(["predict", "--fit", saved, "--data", edited, ...base]);
  assert.equal(mismatch.status, 1);
  assert.match(mismatch.stderr, /E_FIT_DATA_MISMATCH/);
  const notJson = join(dir, "bad.json");
  writeFileSync(notJson, "{fit");
  const bad = runCli(["predict", "--fit", notJson, "--data", "sleepstudy", ...base]);
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /E_FIT_BAD_JSON/);
  const missing = runCli(["predict", "--fit", join(dir, "nope.json"), "--data", "sleepstudy", ...base]);
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /E_DATA_FILE_NOT_FOUND/);
});
