/**
 * Where this package is installed: the directory holding the package.json whose name is
 * "mixedmodels", found by walking up from this module's own file. Works from the sources
 * (`src/node/*.ts` run by tsx) and from the single-file bundle (`dist/cli.js`), whose
 * `import.meta.url` is the bundle itself.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const PACKAGE_NAME = "mixedmodels";
let cached: string | undefined;

function isOurPackage(dir: string): boolean {
  try {
    const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { name?: unknown };
    return pkg.name === PACKAGE_NAME;
  } catch {
    return false;
  }
}

/** Absolute path of the package root (throws when this file is not inside the package). */
export function packageRoot(): string {
  if (cached !== undefined) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (isOurPackage(dir)) {
      cached = dir;
      return dir;
    }
    const up = dirname(dir);
    if (up === dir)
      throw new Error(`cannot find the ${PACKAGE_NAME} package root above ${fileURLToPath(import.meta.url)}`);
    dir = up;
  }
}

/** The bundled datasets folder (`<package root>/data`). */
export function bundledDataDir(): string {
  return join(packageRoot(), "data");
}
