/** Test-only: small seeded random LmmProblems with crossed, nested and vector-valued terms. */
import type { LmmProblem, ReTerm } from "../../../src/lmm/lmm-problem.ts";

export function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
}

export interface TermSpec {
  readonly nl: number;
  readonly S: number;
  /** Nest this factor inside an earlier spec (its level = parent level · nl/parent.nl + …). */
  readonly nestedIn?: number;
}

/** n observations; terms in the given order (callers give lme4's order). */
export function syntheticProblem(
  seed: number,
  n: number,
  p: number,
  specs: readonly TermSpec[],
  opts: { weights?: boolean; offset?: boolean } = {},
): LmmProblem {
  const r = rng(seed);
  const X = new Float64Array(n * p);
  for (let t = 0; t < n; t++) X[t] = 1;
  for (let j = 1; j < p; j++) for (let t = 0; t < n; t++) X[j * n + t] = r() * 4 - 2;
  // parents have fewer levels, hence come later in lme4's order: build from the last spec backwards
  const refsList: Int32Array[] = specs.map(() => new Int32Array(n));
  const order = [...specs.keys()].reverse();
  for (const i of order) {
    const sp = specs[i];
    const refs = refsList[i];
    for (let t = 0; t < n; t++) {
      if (sp.nestedIn !== undefined) {
        const per = sp.nl / specs[sp.nestedIn].nl;
        refs[t] = refsList[sp.nestedIn][t] * per + (t < sp.nl ? t % per : Math.floor(r() * per));
      } else refs[t] = t < sp.nl ? t : Math.floor(r() * sp.nl);
    }
  }
  const reterms: ReTerm[] = specs.map((sp, i) => {
    const refs = refsList[i];
    const z = new Float64Array(sp.S * n);
    for (let t = 0; t < n; t++) {
      z[t * sp.S] = 1;
      for (let s = 1; s < sp.S; s++) z[t * sp.S + s] = r() * 2 - 1;
    }
    const cnames = ["(Intercept)", ...Array.from({ length: sp.S - 1 }, (_, s) => `x${s + 1}`)];
    return {
      name: `g${i}`,
      factor: `g${i}`,
      levels: Array.from({ length: sp.nl }, (_, l) => `L${l}`),
      refs,
      cnames,
      z,
    };
  });
  const y = new Float64Array(n);
  for (let t = 0; t < n; t++) {
    let v = 1 + r() * 2;
    for (let j = 1; j < p; j++) v += 0.5 * X[j * n + t];
    for (let i = 0; i < specs.length; i++) v += Math.sin(refsList[i][t] * (i + 1.3)) * 1.5;
    y[t] = v;
  }
  const weights = opts.weights ? Float64Array.from({ length: n }, () => 0.5 + r() * 2) : undefined;
  const offset = opts.offset ? Float64Array.from({ length: n }, () => r() - 0.5) : undefined;
  return {
    y,
    X,
    xnames: Array.from({ length: p }, (_, j) => (j === 0 ? "(Intercept)" : `x${j}`)),
    reterms,
    weights,
    offset,
  };
}
