// Bundles the CLI (src/cli/main.ts) and the library entry (src/index.ts) with esbuild.
// Run by `npm run build` and by `prepare`, so `npm ci` leaves a runnable `mixed`.
import { build } from "esbuild";

const common = {
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  logLevel: "warning",
  minify: true,
  sourcemap: "linked",
  legalComments: "none",
};
await build({
  ...common,
  entryPoints: ["src/cli/main.ts"],
  outfile: "dist/cli.js",
  // commander is CommonJS; give the ESM bundle a require()
  banner: {
    js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
  },
});
await build({
  ...common,
  // The core is browser-pure; the browser builds of dependencies also run in Node.
  platform: "browser",
  entryPoints: ["src/index.ts"],
  outfile: "dist/index.js",
});
