/**
 * Where a worker thread's script is: the same code as the caller's. Called from the built bundle,
 * the built `dist/<name>.js` (self-contained, see scripts/build.mjs); called from the TypeScript
 * source (run through tsx), the source `src/node/<name>.ts`, so that a stale `dist/` never gives a
 * worker different code from its caller. (Node 20 does not apply `--import tsx` given in a worker's
 * execArgv to the worker's own entry, so the source is loaded by a small shim in the temporary
 * directory, which registers tsx's loader first.)
 */
import { createHash } from "node:crypto";
import { existsSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { packageRoot } from "./package-root.ts";

export interface WorkerScript {
  readonly path: string;
  readonly execArgv: string[];
}

/** The script of worker `name` (e.g. "bayes-worker"); throws when neither file can be used. */
export function workerScript(name: string): WorkerScript {
  const root = packageRoot();
  const built = join(root, "dist", `${name}.js`);
  const fromSource = import.meta.url.endsWith(".ts");
  if (!fromSource) {
    if (existsSync(built)) return { path: built, execArgv: [] };
    throw new Error(`the worker script is missing (${built}); run 'npm run build'`);
  }
  const source = join(root, "src", "node", `${name}.ts`);
  let tsx: string | null = null;
  try {
    tsx = import.meta.resolve("tsx/esm/api");
  } catch {
    tsx = null;
  }
  if (!existsSync(source) || tsx === null) {
    if (existsSync(built)) return { path: built, execArgv: [] };
    throw new Error(`the worker script is missing (${source}); run 'npm run build'`);
  }
  const text = `import { register } from ${JSON.stringify(tsx)};\nregister();\nawait import(${JSON.stringify(pathToFileURL(source).href)});\n`;
  // named by its content, written once (atomically: other processes may be reading it)
  const hash = createHash("sha256").update(text).digest("hex").slice(0, 16);
  const shim = join(tmpdir(), `mixedmodels-${name}-${hash}.mjs`);
  if (!existsSync(shim)) {
    const part = `${shim}.${process.pid}.tmp`;
    writeFileSync(part, text);
    renameSync(part, shim);
  }
  return { path: shim, execArgv: [] };
}
