/**
 * Element-wise closeness assertion for numbers, arrays and nested arrays:
 * |a − e| ≤ atol + rtol·|e| for every element. On failure the message names the worst element,
 * its actual and expected values, Δ and the tolerance.
 */
import assert from "node:assert/strict";

export type Numeric = number | ArrayLike<number> | readonly Numeric[];

export interface CloseOptions {
  readonly rtol?: number;
  readonly atol?: number;
  readonly label?: string;
}

function flatten(x: Numeric, out: number[]): number[] {
  if (typeof x === "number") out.push(x);
  else if (Array.isArray(x)) for (const v of x as readonly Numeric[]) flatten(v, out);
  else for (let i = 0; i < (x as ArrayLike<number>).length; i++) out.push((x as ArrayLike<number>)[i]);
  return out;
}

export function expectClose(actual: Numeric, expected: Numeric, opts: CloseOptions = {}): void {
  const rtol = opts.rtol ?? 0;
  const atol = opts.atol ?? 0;
  const label = opts.label ?? "value";
  const a = flatten(actual, []);
  const e = flatten(expected, []);
  assert.equal(a.length, e.length, `${label}: length ${a.length} ≠ expected ${e.length}`);
  let worst = -1;
  let worstRatio = 1;
  for (let i = 0; i < a.length; i++) {
    const tol = atol + rtol * Math.abs(e[i]);
    const d = Math.abs(a[i] - e[i]);
    const ratio = Number.isNaN(d) ? Number.POSITIVE_INFINITY : d / (tol || Number.MIN_VALUE);
    if (!(d <= tol) && ratio >= worstRatio) {
      worst = i;
      worstRatio = ratio;
    }
  }
  if (worst >= 0) {
    const tol = atol + rtol * Math.abs(e[worst]);
    assert.fail(
      `${label}[${worst}]: actual ${a[worst]}, expected ${e[worst]}, Δ ${Math.abs(a[worst] - e[worst]).toExponential(3)} > tol ${tol.toExponential(3)} (rtol ${rtol}, atol ${atol})`,
    );
  }
}
