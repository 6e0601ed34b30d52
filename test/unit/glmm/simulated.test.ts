/**
 * GLMMs with crossed random effects on simulated data with a known truth (seeded): a Bernoulli
 * model and a Poisson model with an exposure offset recover β within their standard errors and
 * the random-effect SDs closely, over several seeds.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { ColumnTable } from "../../../src/data/column-table.ts";
import type { Column } from "../../../src/data/column.ts";
import { fitGlmm } from "../../../src/glmm/fit-glmm.ts";
import { rng } from "../lmm/synthetic-problems.ts";

function normal(r: () => number): () => number {
  return () => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
}

function poisson(r: () => number, lambda: number): number {
  // inversion (λ small here)
  let k = 0;
  let p = Math.exp(-lambda);
  let s = p;
  const u = r();
  while (u > s && k < 1000) {
    k++;
    p *= lambda / k;
    s += p;
  }
  return k;
}

const factor = (name: string, codes: Int32Array, nl: number): Column => ({
  kind: "factor",
  name,
  codes,
  levels: Array.from({ length: nl }, (_, l) => `${name}${l}`),
  ordered: false,
  contrasts: null,
});
const numeric = (name: string, values: Float64Array): Column => ({
  kind: "numeric",
  name,
  values,
  integer: false,
});

interface Truth {
  readonly beta: readonly number[];
  readonly sd: readonly number[];
}

/** nsubj subjects × per items each out of nitem; x ~ N(0, 1); exposure for the Poisson model. */
function simulate(
  seed: number,
  kind: "bernoulli" | "poisson",
  truth: Truth,
  nsubj: number,
  nitem: number,
  per: number,
) {
  const r = rng(seed);
  const z = normal(r);
  const n = nsubj * per;
  const bs = Array.from({ length: nsubj }, () => truth.sd[0] * z());
  const bi = Array.from({ length: nitem }, () => truth.sd[1] * z());
  const subj = new Int32Array(n);
  const item = new Int32Array(n);
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  const expo = new Float64Array(n);
  for (let s = 0; s < nsubj; s++)
    for (let k = 0; k < per; k++) {
      const t = s * per + k;
      subj[t] = s;
      item[t] = Math.floor(r() * nitem);
      x[t] = z();
      expo[t] = 0.5 + 2 * r();
      const eta = truth.beta[0] + truth.beta[1] * x[t] + bs[s] + bi[item[t]];
      if (kind === "bernoulli") y[t] = r() < 1 / (1 + Math.exp(-eta)) ? 1 : 0;
      else y[t] = poisson(r, expo[t] * Math.exp(eta));
    }
  return new ColumnTable(`sim${seed}`, [
    numeric("y", y),
    numeric("x", x),
    numeric("exposure", expo),
    factor("subj", subj, nsubj),
    factor("item", item, nitem),
  ]);
}

function check(kind: "bernoulli" | "poisson", formula: string, truth: Truth, seeds: readonly number[]): void {
  const sds: number[][] = [[], []];
  for (const seed of seeds) {
    const data = simulate(seed, kind, truth, 150, 40, 20);
    const fit = fitGlmm(formula, data, { family: kind === "bernoulli" ? "binomial" : "poisson" });
    assert.ok(fit.optinfo.converged, `seed ${seed}: converged`);
    fit.beta.forEach((b, j) => {
      const zscore = (b - truth.beta[j]) / fit.se[j];
      assert.ok(
        Math.abs(zscore) < 3,
        `${kind} seed ${seed}: ${fit.xnames[j]} = ${b} (SE ${fit.se[j]}), truth ${truth.beta[j]}`,
      );
    });
    // lme4's order: subj (150 levels) before item (40)
    fit.varcorr.groups.forEach((g, i) => {
      sds[i].push(g.stddev[0]);
    });
    assert.deepEqual(
      fit.varcorr.groups.map((g) => g.factor),
      ["subj", "item"],
    );
    if (kind === "poisson") assert.ok(fit.overdispersionRatio < 1.5, `seed ${seed}: no overdispersion`);
  }
  sds.forEach((v, i) => {
    const mean = v.reduce((a, b) => a + b, 0) / v.length;
    assert.ok(
      Math.abs(mean - truth.sd[i]) < 0.2 * truth.sd[i] + 0.05,
      `${kind}: mean SD ${i} = ${mean}, truth ${truth.sd[i]}`,
    );
  });
}

test("Bernoulli GLMM with crossed random effects recovers the truth (3 seeds)", () => {
  check("bernoulli", "y ~ x + (1 | subj) + (1 | item)", { beta: [-0.5, 0.8], sd: [1, 0.6] }, [1, 2, 3]);
});

test("Poisson GLMM with crossed random effects and an exposure offset recovers the truth (3 seeds)", () => {
  check(
    "poisson",
    "y ~ x + offset(log(exposure)) + (1 | subj) + (1 | item)",
    { beta: [0.3, 0.4], sd: [0.5, 0.3] },
    [4, 5, 6],
  );
});
