/**
 * fitBayes against Stan's long runs (test/reference/bayes/long-runs.json), as the reference suite's
 * validation section says: short seeded runs (4 chains), posterior means and 5 % / 95 % quantiles
 * within 4 combined MCSEs of the long run for every hyper-parameter (4.5 for random effects), SDs
 * within max(5 %, 4 mcse_sd / sd), R-hat < 1.01, no divergences; both methods.
 *
 * nuts-full on coffee runs hierarchically centred (chosen from the data: ~10 observations per group
 * pin beta0 + u0[j], so the group coefficients are the well-identified coordinates); the centred
 * and non-centred programs have the beta0 ridge on which Stan itself fails these checks.
 *
 * False-failure probability (a correct sampler failing with an unlucky seed), taking our MCSEs as
 * right: a two-sided normal tail is 6.3e-5 beyond 4 and 6.8e-6 beyond 4.5; per fit with H
 * hyper-parameters and R random effects, 3 statistics each, the union bound is
 * 3 (6.3e-5 H + 6.8e-6 R) + the SD checks (4 sigma, the same order): sleepstudy (6 + 36) ≈ 3e-3,
 * sleepstudy_intercept (4 + 18) ≈ 1e-3, coffee (6 + 200) ≈ 6e-3, coffee seed (5 + 200) ≈ 6e-3 per
 * fit. The bound is loose: the random effects move together with the fixed effects, so their z are
 * strongly correlated and the true rate is several times lower. The seeds are fixed, so the tests
 * are deterministic; these numbers say how unlikely it is that a passing seed was chosen by luck.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type BayesFitOptions, fitBayes } from "../../../src/index.ts";
import { loadBundled } from "../../helpers/load-bundled.ts";
import { compareWithLongRun, failures, maxAbsZ } from "../../helpers/bayes-reference.ts";

interface Case {
  readonly name: string;
  readonly dataset: string;
  readonly formula: string;
  readonly truth: string;
  readonly opts: BayesFitOptions;
  /** The parameterisation nuts-full must have chosen. */
  readonly parameterisation?: string;
}

const SLEEP = "Reaction ~ Days + (Days | Subject)";
const COFFEE = "y ~ x + (x | group)";
const SEED_PRIORS = ["sd: uniform(0, 100)", "b: flat", "sigma: flat"];
const RUN = { chains: 4, warmup: 1000, draws: 1000 };

const CASES: readonly Case[] = [
  {
    name: "sleepstudy, collapsed",
    dataset: "sleepstudy",
    formula: SLEEP,
    truth: "sleepstudy_noncentred",
    opts: { ...RUN, method: "collapsed", seed: 11 },
  },
  {
    name: "sleepstudy, nuts-full non-centred",
    dataset: "sleepstudy",
    formula: SLEEP,
    truth: "sleepstudy_noncentred",
    opts: { ...RUN, method: "nuts-full", parameterisation: "noncentred", seed: 12 },
    parameterisation: "noncentred",
  },
  {
    name: "sleepstudy (1 | Subject), collapsed",
    dataset: "sleepstudy",
    formula: "Reaction ~ Days + (1 | Subject)",
    truth: "sleepstudy_intercept",
    opts: { ...RUN, method: "collapsed", seed: 13 },
  },
  {
    name: "sleepstudy (1 | Subject), nuts-full",
    dataset: "sleepstudy",
    formula: "Reaction ~ Days + (1 | Subject)",
    truth: "sleepstudy_intercept",
    opts: { ...RUN, method: "nuts-full", seed: 14 },
    parameterisation: "hcentred",
  },
  {
    name: "coffee, collapsed",
    dataset: "coffee",
    formula: COFFEE,
    truth: "coffee_hcentred",
    opts: { ...RUN, method: "collapsed", seed: 15 },
  },
  {
    name: "coffee, nuts-full (hierarchically centred, chosen from the data)",
    dataset: "coffee",
    formula: COFFEE,
    truth: "coffee_hcentred",
    opts: { ...RUN, method: "nuts-full", seed: 16 },
    parameterisation: "hcentred",
  },
  {
    name: "coffee seed model, nuts-full",
    dataset: "coffee",
    formula: "y ~ x + (x || group)",
    truth: "coffee_seed",
    opts: { ...RUN, method: "nuts-full", prior: SEED_PRIORS, seed: 18 },
    parameterisation: "hcentred",
  },
  {
    name: "coffee seed model, collapsed",
    dataset: "coffee",
    formula: "y ~ x + (x || group)",
    truth: "coffee_seed",
    opts: { ...RUN, method: "collapsed", prior: SEED_PRIORS, seed: 17 },
  },
];

describe("fitBayes matches Stan's long-run posteriors", () => {
  for (const c of CASES) {
    it(c.name, () => {
      const fit = fitBayes(c.formula, loadBundled(c.dataset), c.opts);
      const cmp = compareWithLongRun(fit, c.truth);
      // every reported variable has a reference
      assert.equal(cmp.length, fit.summary.length, "variables without a reference value");
      const z = maxAbsZ(cmp);
      if (process.env.MIXED_BAYES_REPORT) {
        process.stderr.write(
          `${c.name}: max |z| hyper ${z.hyper.toFixed(2)}, ranef ${z.ranef.toFixed(2)}; max rhat ${Math.max(...cmp.map((x) => x.rhat)).toFixed(4)}; min ess_bulk ${Math.min(...cmp.map((x) => x.essBulk)).toFixed(0)}; ${fit.divergences} divergences; ${fit.timing.total_s.toFixed(2)} chain-s\n`,
        );
      }
      assert.deepEqual(failures(cmp), []);
      // health (bayes.md §6.1): no divergences, no tree-depth saturation, E-BFMI > 0.3, and
      // bulk and tail ESS >= 400 for every hyper-parameter
      assert.equal(fit.divergences, 0);
      for (const d of fit.diagnostics) {
        assert.equal(d.treedepthHits, 0, `chain ${d.chain} tree-depth hits`);
        assert.ok(d.ebfmi > 0.3, `chain ${d.chain} E-BFMI ${d.ebfmi}`);
      }
      const lowEss = fit.summary
        .filter((r) => !r.variable.startsWith("r_") && !(r.ess_bulk >= 400 && r.ess_tail >= 400))
        .map((r) => `${r.variable} ${r.ess_bulk.toFixed(0)}/${r.ess_tail.toFixed(0)}`);
      assert.deepEqual(lowEss, []);
      if (c.opts.method === "nuts-full") assert.equal(fit.parameterisation, c.parameterisation);
    });
  }
});
