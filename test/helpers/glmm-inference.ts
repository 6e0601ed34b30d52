/** Shared by the GLMM inference tests: the grouseticks data and comparing intervals with lme4's. */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { parseCsv, parseSchema } from "../../src/index.ts";

export interface Interval {
  parameters: string[];
  lower: (number | null)[];
  upper: (number | null)[];
}

export function grouseticks() {
  const dir = "test/reference/glmm";
  const schema = parseSchema(readFileSync(`${dir}/grouseticks.meta.json`, "utf8"), "grouseticks.meta.json");
  return parseCsv(readFileSync(`${dir}/grouseticks.csv`, "utf8"), { name: "grouseticks", schema });
}

/** lme4's confint rows (.sig01, ...) under our names; scale of each row for the tolerance. */
export function compareIntervals(
  got: { parameters: readonly string[]; lower: readonly number[]; upper: readonly number[] },
  want: Interval,
  scales: readonly number[],
  tol: number,
  label: string,
): number {
  assert.equal(got.parameters.length, want.parameters.length, `${label}: number of rows`);
  let worst = 0;
  got.parameters.forEach((nm, i) => {
    for (const [g, w] of [
      [got.lower[i], want.lower[i]],
      [got.upper[i], want.upper[i]],
    ] as const) {
      if (w === null) {
        assert.ok(Number.isNaN(g), `${label} ${nm}: lme4 gives NA, got ${g}`);
        continue;
      }
      const d = Math.abs(g - w) / scales[i];
      worst = Math.max(worst, d);
      assert.ok(d <= tol, `${label} ${nm}: ${g} vs lme4 ${w} (${d.toExponential(2)} scale units > ${tol})`);
    }
  });
  return worst;
}
