// Runs every test file under test/ (or the paths given) with node's test runner through tsx.
// Pins time zone and locale so output is reproducible. Files matching *.slow.test.ts run too
// (CI runs them); set MIXED_SKIP_SLOW=1 to skip them locally.
import { spawnSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";

function walk(dir, out) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (name.endsWith(".test.ts")) out.push(p);
  }
  return out;
}

const args = process.argv.slice(2);
let files = args.length
  ? args.flatMap((a) => (statSync(a).isDirectory() ? walk(a, []) : [a]))
  : walk("test", []);
if (process.env.MIXED_SKIP_SLOW) files = files.filter((f) => !f.endsWith(".slow.test.ts"));
files.sort();
console.log(`node ${process.version} ${process.platform}-${process.arch}; ${files.length} test files`);
const r = spawnSync(process.execPath, ["--import", "tsx", "--test", "--test-reporter=spec", ...files], {
  stdio: "inherit",
  env: { ...process.env, TZ: "UTC", LC_ALL: "C", LANG: "C" },
});
process.exit(r.status ?? 1);
