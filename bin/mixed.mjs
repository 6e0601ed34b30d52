#!/usr/bin/env node
// With --debug, map stack traces of the minified bundle back to the TypeScript sources.
if (process.argv.includes("--debug")) process.setSourceMapsEnabled(true);
await import("../dist/cli.js");
