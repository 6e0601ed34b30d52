/** `mixed data` and `mixed demo` (what `npm start` runs) through the real CLI. */
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { test } from "node:test";
import { runCli } from "../../helpers/run-cli.ts";

test("mixed data lists every bundled dataset with rows and columns", () => {
  const r = runCli(["data"]);
  assert.equal(r.status, 0, r.stderr);
  const names = readdirSync("data")
    .filter((f) => f.endsWith(".csv"))
    .map((f) => f.slice(0, -4));
  for (const n of names) assert.match(r.stdout, new RegExp(`^${n}\\s+\\d+\\s+\\d+\\s+\\S`, "m"), n);
  assert.match(r.stdout, /^sleepstudy\s+180\s+3\s/m);
  const j = JSON.parse(runCli(["data", "--json"]).stdout);
  assert.deepEqual(
    j.find((d: { name: string }) => d.name === "InstEval"),
    { ...j.find((d: { name: string }) => d.name === "InstEval"), rows: 73421, columns: 7 },
  );
});

test("mixed demo runs both seed stories and fits in 100 columns", () => {
  const r = runCli(["demo"]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /Gasoline panel/);
  assert.match(
    r.stdout,
    /Linear mixed model fit by maximum likelihood {2}\['lmerMod'\]\nFormula: LCarPCap ~ 1 \+ Time/,
  );
  assert.match(r.stdout, /BOBYQA \(default\)\s+-115\.0459\d+/);
  assert.match(r.stdout, /Nelder-Mead\s+-115\.0459\d+/);
  assert.match(r.stdout, /Coffee/);
  assert.match(r.stdout, /Residual standard error: 9\.153 on 998 degrees of freedom/);
  assert.match(r.stdout, /REML criterion at convergence: 3675\.3/);
  const long = r.stdout.split("\n").filter((l) => l.length > 100);
  assert.deepEqual(long, [], "no line over 100 columns");
});
