import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { workerScript } from "../../../src/node/worker-script.ts";

describe("workerScript", () => {
  it("runs the worker from source when the caller runs from source, even when dist/ exists", () => {
    for (const name of ["bayes-worker", "bootstrap-worker"]) {
      const w = workerScript(name);
      assert.match(w.path, new RegExp(`mixedmodels-${name}-[0-9a-f]{16}\\.mjs$`), w.path);
      const shim = readFileSync(w.path, "utf8");
      assert.ok(shim.includes(`src/node/${name}.ts`), shim);
      assert.ok(!shim.includes(`/dist/${name}`), shim);
    }
  });
});
