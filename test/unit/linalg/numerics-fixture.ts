/**
 * Helpers for the numerics tests: load `test/reference/numerics/<name>.json` (written by
 * `scripts/fixtures/numerics.R` at 17 significant digits) and compare arrays with a tolerance.
 * In the JSON, R's NA is `null`, NaN/Inf are the strings "NaN", "Inf", "-Inf"; `revive` turns all
 * of them into numbers (NA → NaN).
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

export function loadNumerics<T>(name: string): T {
  const text = readFileSync(`test/reference/numerics/${name}.json`, "utf8");
  return JSON.parse(text, (_k, v) => {
    if (v === null || v === "NaN") return Number.NaN;
    if (v === "Inf") return Number.POSITIVE_INFINITY;
    if (v === "-Inf") return Number.NEGATIVE_INFINITY;
    return v;
  }) as T;
}

export interface CloseOptions {
  /** relative tolerance (default 1e-12) */
  rtol?: number;
  /** absolute tolerance (default 0) */
  atol?: number;
  label?: string;
}

/**
 * Assert |a − e| ≤ atol + rtol·|e| elementwise (NaN must match NaN); the failure message names
 * the worst element, its index, Δ and the tolerance.
 */
export function assertClose(
  actual: ArrayLike<number> | number,
  expected: ArrayLike<number> | number,
  opts: CloseOptions = {},
): void {
  const { rtol = 1e-12, atol = 0, label = "value" } = opts;
  const a = typeof actual === "number" ? [actual] : Array.from(actual);
  const e = typeof expected === "number" ? [expected] : Array.from(expected);
  assert.equal(a.length, e.length, `${label}: length ${a.length} ≠ expected ${e.length}`);
  let worst = -1;
  let worstRatio = 1;
  for (let i = 0; i < e.length; i++) {
    if (Number.isNaN(e[i]) || Number.isNaN(a[i])) {
      assert.ok(Number.isNaN(e[i]) && Number.isNaN(a[i]), `${label}[${i}]: got ${a[i]}, expected ${e[i]}`);
      continue;
    }
    if (a[i] === e[i]) continue;
    const ratio = Math.abs(a[i] - e[i]) / (atol + rtol * Math.abs(e[i]));
    if (!(ratio <= worstRatio)) {
      worstRatio = ratio;
      worst = i;
    }
  }
  if (worst >= 0) {
    const d = Math.abs(a[worst] - e[worst]);
    const tol = atol + rtol * Math.abs(e[worst]);
    assert.fail(
      `${label}[${worst}]: got ${a[worst]}, expected ${e[worst]} (Δ = ${d.toExponential(3)} > tol ${tol.toExponential(3)})`,
    );
  }
}
