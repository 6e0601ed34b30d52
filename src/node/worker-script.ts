/**
 * Where a worker thread's script is: the built `dist/<name>.js` (self-contained, see
 * scripts/build.mjs), or else the TypeScript source `src/node/<name>.ts` run through tsx (a source
 * checkout without a build).
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { packageRoot } from "./package-root.ts";

export interface WorkerScript {
  readonly path: string;
  readonly execArgv: string[];
}

/** The script of worker `name` (e.g. "bayes-worker"); throws when neither file exists. */
export function workerScript(name: string): WorkerScript {
  const root = packageRoot();
  const built = join(root, "dist", `${name}.js`);
  if (existsSync(built)) return { path: built, execArgv: [] };
  const source = join(root, "src", "node", `${name}.ts`);
  if (existsSync(source)) return { path: source, execArgv: ["--import", "tsx"] };
  throw new Error(`the worker script is missing (${built}); run 'npm run build'`);
}
