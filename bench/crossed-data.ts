/**
 * The large crossed data set of lme4's scaling timings (`scripts/04_timings.R`, "scale" mode),
 * generated with our own seeded RNG and built directly as typed columns (no CSV):
 *
 *   nsubj = n / 100 subjects, nitem = round(√n) items; subject i sees 100 distinct items drawn
 *   without replacement; x ~ N(0, 1);
 *   y = 1 + 0.5·x + u0[subj] + u1[subj]·x + w[item] + ε,
 *   u0 ~ N(0, 1), u1 ~ N(0, 0.5²) (independent), w ~ N(0, 0.7²), ε ~ N(0, 1).
 *
 * For n = 10⁶: 10,000 subjects × 1,000 items. lme4's seed there is 4242 + round(log10 n) = 4248;
 * we use the same number, but our generator differs from R's, so the draws do too.
 */
import type { Column } from "../src/data/column.ts";
import { ColumnTable } from "../src/data/column-table.ts";
import { seededRng } from "./seeded-rng.ts";

export const OBS_PER_SUBJECT = 100;

export interface CrossedDesign {
  readonly n: number;
  readonly nsubj: number;
  readonly nitem: number;
  readonly seed: number;
}

/** The design of `04_timings.R` for `n` rows (n a multiple of 100, at least 10,000). */
export function crossedDesign(n: number): CrossedDesign {
  if (!Number.isInteger(n) || n % OBS_PER_SUBJECT !== 0 || n < OBS_PER_SUBJECT * OBS_PER_SUBJECT) {
    throw new RangeError(`crossed data needs n a multiple of 100 and ≥ 10000, got ${n}`);
  }
  return {
    n,
    nsubj: n / OBS_PER_SUBJECT,
    nitem: Math.round(Math.sqrt(n)),
    seed: 4242 + Math.round(Math.log10(n)),
  };
}

function levelNames(count: number): string[] {
  return Array.from({ length: count }, (_, i) => String(i + 1));
}

/** Columns y, x (numeric), subj, item (factors with levels "1", "2", … as R's `factor(int)`). */
export function crossedData(design: CrossedDesign): ColumnTable {
  const { n, nsubj, nitem, seed } = design;
  const rng = seededRng(seed);
  const per = OBS_PER_SUBJECT;
  const subj = new Int32Array(n);
  const item = new Int32Array(n);
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  // Partial Fisher-Yates shuffle of a running permutation: each subject's first `per` entries are
  // a uniform sample without replacement (R: sample.int(nitem, per)).
  const perm = Int32Array.from({ length: nitem }, (_, i) => i);
  for (let s = 0; s < nsubj; s++) {
    for (let k = 0; k < per; k++) {
      const j = k + rng.int(nitem - k);
      const t = perm[k];
      perm[k] = perm[j];
      perm[j] = t;
      subj[s * per + k] = s;
      item[s * per + k] = perm[k];
    }
  }
  for (let t = 0; t < n; t++) x[t] = rng.normal();
  const u0 = Float64Array.from({ length: nsubj }, () => rng.normal());
  const u1 = Float64Array.from({ length: nsubj }, () => 0.5 * rng.normal());
  const w = Float64Array.from({ length: nitem }, () => 0.7 * rng.normal());
  for (let t = 0; t < n; t++) {
    const s = subj[t];
    y[t] = 1 + 0.5 * x[t] + u0[s] + u1[s] * x[t] + w[item[t]] + rng.normal();
  }
  // R's factor() keeps only observed levels; with n = 10⁶ every item is drawn, but be exact.
  const used = new Int32Array(nitem).fill(-1);
  let nused = 0;
  for (let t = 0; t < n; t++) used[item[t]] = 1;
  const itemLevels: string[] = [];
  for (let i = 0; i < nitem; i++) {
    if (used[i] === 1) {
      used[i] = nused++;
      itemLevels.push(String(i + 1));
    }
  }
  for (let t = 0; t < n; t++) item[t] = used[item[t]];
  const factor = (name: string, codes: Int32Array, levels: string[]): Column => ({
    kind: "factor",
    name,
    codes,
    levels,
    ordered: false,
    contrasts: null,
  });
  return new ColumnTable(`crossed_${n}`, [
    { kind: "numeric", name: "y", values: y, integer: false },
    { kind: "numeric", name: "x", values: x, integer: false },
    factor("subj", subj, levelNames(nsubj)),
    factor("item", item, itemLevels),
  ]);
}
