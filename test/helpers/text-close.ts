/**
 * Compare printed output with R's when the numbers behind it may differ in their last printed
 * digits (our optimum and lme4's agree to the reference tolerances, not to every digit): the same
 * lines, each of the same length with the same words, and every number within a relative tolerance.
 */
import assert from "node:assert/strict";

const NUMBER = /^[<>]?-?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i;

/**
 * `sameWidth: false` accepts lines of different lengths: R widens a column when the last digit it
 * needs to show 7 significant digits of some entry differs (print of a numeric matrix).
 */
export function assertTextClose(
  actual: string,
  expected: string,
  rtol = 1e-3,
  label = "text",
  sameWidth = true,
): void {
  const a = actual.split("\n");
  const e = expected.split("\n");
  assert.equal(a.length, e.length, `${label}: ${a.length} lines, expected ${e.length}\n${actual}`);
  for (let i = 0; i < a.length; i++) {
    if (a[i] === e[i]) continue;
    const where = `${label} line ${i + 1}:\n  ours: ${JSON.stringify(a[i])}\n     R: ${JSON.stringify(e[i])}`;
    if (sameWidth) assert.equal(a[i].length, e[i].length, where);
    const ta = a[i].trim().split(/\s+/);
    const te = e[i].trim().split(/\s+/);
    assert.equal(ta.length, te.length, where);
    ta.forEach((x, k) => {
      const y = te[k];
      if (x === y) return;
      assert.ok(
        NUMBER.test(x) && NUMBER.test(y),
        `${where}\n  word ${JSON.stringify(x)} vs ${JSON.stringify(y)}`,
      );
      const u = Number.parseFloat(x.replace(/^[<>]/, ""));
      const v = Number.parseFloat(y.replace(/^[<>]/, ""));
      assert.ok(Math.abs(u - v) <= rtol * Math.max(Math.abs(v), 1e-300), `${where}\n  ${x} vs ${y}`);
    });
  }
}
