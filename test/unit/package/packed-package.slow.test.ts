/**
 * The package as a user gets it: build a staging copy of the package (the repo's dist/ is left
 * alone, other tests run the CLI from it), `npm pack` it, `npm install` the tarball into a scratch
 * project (dependencies from the npm cache when there, else the registry), then
 * - type-check a small program using the three entries with the project's TypeScript, in a strict
 *   "nodenext" project without any @types package and with skipLibCheck off, and run it with node;
 * - type-check every example of docs/api.md against the installed package (with @types/node, as
 *   they use node:assert);
 * - run the installed `mixed` command.
 */
import assert from "node:assert/strict";
import { type SpawnSyncOptions, spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { docBlocks, REPO } from "../docs/doc-blocks.ts";

const work = mkdtempSync(join(tmpdir(), "mixed-packed-"));
const stage = join(work, "stage");
const app = join(work, "app");
const installed = join(app, "node_modules", "mixedmodels");
const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
after(() => rmSync(work, { recursive: true, force: true }));

/** npm's environment without what `npm test` sets for this repo (it must not act on the repo). */
function npmEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^npm_(package_|lifecycle_|command$|config_local_prefix$)|^INIT_CWD$/.test(k)) continue;
    env[k] = v;
  }
  return { ...env, npm_config_update_notifier: "false", npm_config_fund: "false", npm_config_audit: "false" };
}

function run(cmd: string, args: readonly string[], opts: SpawnSyncOptions & { what: string }): string {
  const r = spawnSync(cmd, args, { encoding: "utf8", maxBuffer: 64 * 1024 * 1024, ...opts });
  const out = `${r.stdout ?? ""}${r.stderr ?? ""}`;
  assert.ok(!r.error, `${opts.what}: ${r.error?.message}`);
  assert.equal(r.status, 0, `${opts.what} failed (status ${r.status}):\n${out}`);
  return String(r.stdout);
}

const PROGRAM = `import { coefTable, DataError, fitLmm, fixef, type LmmFit, printSummary } from "mixedmodels";
import { buildDesign, createLmm, objective } from "mixedmodels/engine";
import { readData } from "mixedmodels/node";
import { parseFormula } from "mixedmodels";

// No @types/node in this project: the public types must not need it.
declare const console: { log(...args: unknown[]): void };

const formula = "Reaction ~ 1 + Days + (1 + Days | Subject)";
const sleep = await readData("sleepstudy");
const fit: LmmFit = fitLmm(formula, sleep);
const days: number | undefined = fixef(fit)["Days"];
const model = createLmm(buildDesign(parseFormula(formula), sleep));
let sameErrorClass = false;
try {
  await readData("no-such-dataset");
} catch (e) {
  sameErrorClass = e instanceof DataError && e.code === "E_DATA_UNKNOWN_DATASET";
}
console.log(
  JSON.stringify({
    days,
    se: coefTable(fit).map((r) => r.stdError),
    objectiveAtTheta: objective(model, fit.theta, true),
    REMLcrit: fit.REMLcrit,
    firstLine: printSummary(fit).split("\\n")[0],
    sameErrorClass,
  }),
);
`;

const STRICT_NODENEXT = {
  target: "ES2022",
  module: "nodenext",
  moduleResolution: "nodenext",
  lib: ["ES2022"],
  strict: true,
  skipLibCheck: false,
  noUncheckedIndexedAccess: true,
  exactOptionalPropertyTypes: true,
  verbatimModuleSyntax: true,
  forceConsistentCasingInFileNames: true,
};

before(() => {
  mkdirSync(stage);
  for (const f of ["package.json", "README.md", "bin", "data"])
    cpSync(join(REPO, f), join(stage, f), { recursive: true });
  run(process.execPath, ["scripts/build.mjs", "--outdir", join(stage, "dist")], {
    cwd: REPO,
    what: "build",
    timeout: 300_000,
  });
  const packed = JSON.parse(
    run("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", work], {
      cwd: stage,
      env: npmEnv(),
      what: "npm pack",
      timeout: 120_000,
    }),
  ) as { filename: string; files: { path: string }[] }[];
  const tarball = join(work, packed[0].filename);
  const files = packed[0].files.map((f) => f.path);
  assert.ok(files.includes("dist/types/index.d.ts") && files.includes("dist/node.js"), "dist is packed");
  assert.ok(!files.some((f) => f.startsWith("src/")), "the sources are not packed (maps embed them)");

  mkdirSync(app);
  writeFileSync(
    join(app, "package.json"),
    JSON.stringify({ name: "packed-app", private: true, type: "module" }),
  );
  run(
    "npm",
    [
      "install",
      "--no-audit",
      "--no-fund",
      "--prefer-offline",
      "--ignore-scripts",
      "--loglevel=error",
      tarball,
    ],
    { cwd: app, env: npmEnv(), what: "npm install of the tarball", timeout: 600_000 },
  );
});

test("a strict nodenext project type-checks and runs a program using the three entries", () => {
  writeFileSync(join(app, "main.ts"), PROGRAM);
  writeFileSync(
    join(app, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: { ...STRICT_NODENEXT, types: [], outDir: "out" },
      include: ["main.ts"],
    }),
  );
  run(process.execPath, [tsc, "-p", "tsconfig.json"], { cwd: app, what: "tsc (program)", timeout: 300_000 });
  const out = JSON.parse(run(process.execPath, ["out/main.js"], { cwd: app, what: "node out/main.js" }));
  // lme4 1.1-35: fixef(m)["Days"] 10.467286, REMLcrit 1743.628.
  assert.ok(Math.abs(out.days - 10.467286) < 1e-5, `Days ${out.days}`);
  assert.ok(Math.abs(out.REMLcrit - 1743.628) < 1e-3);
  assert.ok(Math.abs(out.objectiveAtTheta - out.REMLcrit) < 1e-6);
  assert.equal(out.se.length, 2);
  assert.equal(out.firstLine, "Linear mixed model fit by REML ['lmerMod']");
  assert.equal(out.sameErrorClass, true, "readData's error is the main entry's DataError");
});

test("the declaration files import no dependency's types and no .ts specifier", () => {
  const dts: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith(".d.ts")) dts.push(p);
    }
  };
  walk(join(installed, "dist", "types"));
  assert.ok(dts.length > 10);
  // the one exception: the plot entry uses Observable Plot's types (a dependency that ships its own)
  const bad = dts.filter((p) =>
    /from "(?!\.|@observablehq\/plot")|import\("(?!\.|@observablehq\/plot")|reference types=/.test(
      readFileSync(p, "utf8"),
    ),
  );
  assert.deepEqual(bad, [], "declarations importing packages (papaparse, @types/*)");
  const tsSpecifiers = dts.filter((p) => /"\.{1,2}\/[^"]*\.ts"/.test(readFileSync(p, "utf8")));
  assert.deepEqual(tsSpecifiers, [], "declarations import ./x.js (TypeScript < 5 refuses ./x.ts)");
  const pkg = JSON.parse(readFileSync(join(installed, "package.json"), "utf8"));
  for (const [entry, target] of Object.entries(pkg.exports as Record<string, { types: string } | string>)) {
    const types = typeof target === "string" ? target : target.types;
    assert.ok(readFileSync(join(installed, types)).length > 0, `${entry} → ${types}`);
  }
});

test("every example of docs/api.md type-checks against the installed package", () => {
  const dir = join(app, "docs");
  mkdirSync(dir);
  const blocks = docBlocks();
  for (const b of blocks) writeFileSync(join(dir, `api-${b.line}.ts`), b.code);
  writeFileSync(
    join(app, "tsconfig.docs.json"),
    JSON.stringify({
      compilerOptions: {
        ...STRICT_NODENEXT,
        noUncheckedIndexedAccess: false,
        // the program above checks the declarations with skipLibCheck off; here it saves @types/node
        skipLibCheck: true,
        noEmit: true,
        types: ["node"],
        typeRoots: [join(REPO, "node_modules", "@types")],
      },
      include: ["docs/*.ts"],
    }),
  );
  run(process.execPath, [tsc, "-p", "tsconfig.docs.json"], {
    cwd: app,
    what: "tsc (docs)",
    timeout: 300_000,
  });
});

test("the installed `mixed` command fits a bundled dataset", () => {
  const out = run(
    process.execPath,
    [
      join(installed, "bin", "mixed.mjs"),
      "fit",
      "Reaction ~ Days + (Days | Subject)",
      "--data",
      "sleepstudy",
      "--json",
    ],
    { cwd: app, what: "mixed fit" },
  );
  const j = JSON.parse(out);
  assert.ok(Math.abs(j.beta.Days - 10.467286) < 1e-5);
});

test("the installed `mixed plot` writes a PNG without dev dependencies (resvg, system fonts)", () => {
  const png = join(app, "facets.png");
  run(
    process.execPath,
    [
      join(installed, "bin", "mixed.mjs"),
      "plot",
      "facets",
      "Reaction ~ Days + (Days | Subject)",
      "--data",
      "sleepstudy",
      "-o",
      png,
      "--width",
      "600",
      "--height",
      "450",
    ],
    { cwd: app, what: "mixed plot" },
  );
  const bytes = readFileSync(png);
  assert.equal(bytes.toString("latin1", 1, 4), "PNG");
  assert.deepEqual([bytes.readUInt32BE(16), bytes.readUInt32BE(20)], [600, 450]);
});
