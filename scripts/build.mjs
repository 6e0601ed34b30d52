// Builds dist/ from src/ (run by `npm run build` and by `prepare`, so `npm ci` leaves a runnable
// `mixed`):
//   dist/index.js, dist/engine.js, dist/node.js  the package entries "." "./engine" "./node", bundled
//       together with code splitting, so the three share one copy of every class (an error thrown
//       by readData is `instanceof DataError` of the main entry) in dist/chunks/
//   dist/cli.js   the `mixed` command (with dist/chunks/cli-*: code loaded lazily, e.g. by `mixed plot`)
//   dist/bayes-worker.js   the worker thread of the parallel Bayesian chains, one self-contained file
//   dist/bootstrap-worker.js   the worker thread of the parallel bootstrap, one self-contained file
//   dist/types/   declaration files of the three entries (tsc -p tsconfig.build.json)
// `--outdir DIR` builds into DIR instead of dist/ (the packed-package test builds a staging copy).
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { build } from "esbuild";

const { values } = parseArgs({ options: { outdir: { type: "string", default: "dist" } } });
const out = values.outdir;
rmSync(out, { recursive: true, force: true });

const common = {
  bundle: true,
  format: "esm",
  target: "node20",
  logLevel: "warning",
  minify: true,
  sourcemap: "linked",
  legalComments: "none",
  // a native binary (loaded lazily by src/node/svg-to-png.ts): resolved from node_modules at run time
  external: ["@resvg/resvg-js"],
};
await build({
  ...common,
  platform: "node",
  // split so that what only `mixed plot` needs (Observable Plot, linkedom) sits in its own chunk,
  // loaded by the command's dynamic import, not at every start-up
  entryPoints: { cli: "src/cli/main.ts" },
  outdir: out,
  splitting: true,
  chunkNames: "chunks/cli-[name]-[hash]",
  // commander is CommonJS; give the ESM bundle a require()
  banner: {
    js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
  },
});
await build({
  ...common,
  platform: "node",
  // the worker thread of the Node entry's fitBayesParallel (and of `mixed sample`), self-contained
  entryPoints: ["src/node/bayes-worker.ts"],
  outfile: join(out, "bayes-worker.js"),
  banner: {
    js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
  },
});
await build({
  ...common,
  platform: "node",
  // the worker thread of the Node entry's bootstrapParallel (and of `mixed bootstrap`), self-contained
  entryPoints: ["src/node/bootstrap-worker.ts"],
  outfile: join(out, "bootstrap-worker.js"),
  banner: {
    js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
  },
});
await build({
  ...common,
  // The main and engine entries are browser-pure (test/unit/browser-bundle.test.ts), and the
  // browser builds of the dependencies also run in Node. Only the node entry imports node:*
  // modules, which stay imports.
  platform: "browser",
  // workerpool (Node entry only) stays an import: its browser build cannot start worker threads
  external: ["node:*", "@resvg/resvg-js", "workerpool"],
  entryPoints: {
    index: "src/index.ts",
    engine: "src/engine.ts",
    node: "src/node/index.ts",
    plot: "src/plot/index.ts",
    report: "src/html/index.ts",
  },
  outdir: out,
  splitting: true,
  chunkNames: "chunks/[name]-[hash]",
});

const types = join(out, "types");
const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
const r = spawnSync(process.execPath, [tsc, "-p", "tsconfig.build.json", "--outDir", types], {
  stdio: "inherit",
});
if (r.status !== 0) {
  console.error("build: emitting the declaration files failed");
  process.exit(1);
}
// tsc keeps the sources' `./x.ts` specifiers in declarations; TypeScript before 5.0 refuses them,
// while `./x.js` resolves to x.d.ts everywhere.
for (const f of readdirSync(types, { recursive: true, encoding: "utf8" })) {
  if (!f.endsWith(".d.ts")) continue;
  const p = join(types, f);
  writeFileSync(p, readFileSync(p, "utf8").replace(/((?:from |import\()"\.{1,2}\/[^"]*)\.ts"/g, '$1.js"'));
}
