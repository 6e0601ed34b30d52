import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { assembleBayesFit, type BayesRunSettings } from "../../../src/bayes/bayes-fit.ts";
import { drawsCsv } from "../../../src/bayes/draws-csv.ts";
import { syntheticChain } from "../../helpers/bayes-chains.ts";

const SETTINGS: BayesRunSettings = {
  formula: "y ~ x + (1 | g)",
  method: "collapsed",
  parameterisation: null,
  parameterisationReason: "",
  chains: 4,
  warmup: 1000,
  draws: 1000,
  seed: 7,
  adaptDelta: 0.8,
  maxTreedepth: 10,
};
const VARS = ["b_Intercept", "r_g[1,Intercept]"];
const PRIORS = [{ parameter: "b_Intercept", prior: "flat", source: "user" as const }];

function fit(
  opts: { shift?: number; divergences?: number; sticky?: boolean; warmup?: number; nDraws?: number } = {},
) {
  const n = opts.nDraws ?? 1000;
  const chains = [0, 1, 2, 3].map((c) =>
    syntheticChain(c, 100 + c, {
      nDraws: n,
      means: [3, -1],
      shift: c === 3 ? (opts.shift ?? 0) : 0,
      divergences: c === 1 ? opts.divergences : 0,
      stickyEnergy: opts.sticky,
    }),
  );
  return assembleBayesFit(
    { ...SETTINGS, warmup: opts.warmup ?? 1000, draws: n },
    PRIORS,
    VARS,
    chains,
    performance.now(),
  );
}

describe("assembleBayesFit", () => {
  it("writes exactly the contract's fields (then extras) and summary rows in output order", () => {
    const f = fit();
    const json = JSON.parse(JSON.stringify(f)) as Record<string, unknown>;
    const keys = Object.keys(json);
    assert.deepEqual(keys.slice(0, 9), [
      "method",
      "chains",
      "warmup",
      "draws",
      "seed",
      "priors",
      "summary",
      "divergences",
      "timing",
    ]);
    const rows = json.summary as Record<string, unknown>[];
    assert.deepEqual(
      rows.map((r) => r.variable),
      VARS,
    );
    assert.deepEqual(Object.keys(rows[0]).slice(0, 10), [
      "variable",
      "mean",
      "median",
      "sd",
      "mad",
      "q5",
      "q95",
      "rhat",
      "ess_bulk",
      "ess_tail",
    ]);
    assert.deepEqual(Object.keys(json.timing as object).slice(0, 3), ["warmup_s", "sampling_s", "total_s"]);
    assert.equal(json.method, "collapsed");
    assert.equal(json.chains, 4);
    assert.equal(json.seed, 7);
    // chain-seconds summed over chains
    assert.ok(Math.abs((json.timing as { total_s: number }).total_s - 4 * 0.03) < 1e-12);
  });

  it("summarises the draws: iid N(3, 1) gives mean ~3, sd ~1, R-hat ~1, ESS ~ number of draws, no warnings", () => {
    const f = fit();
    const r = f.summary[0];
    // 4000 iid draws: mean within 4 SE (false failure ~6e-5), sd within 10%
    assert.ok(Math.abs(r.mean - 3) < 4 / Math.sqrt(4000), `mean ${r.mean}`);
    assert.ok(Math.abs(r.sd - 1) < 0.1, `sd ${r.sd}`);
    assert.ok(r.q5 < r.median && r.median < r.q95);
    assert.ok(r.rhat < 1.01, `rhat ${r.rhat}`);
    assert.ok(r.ess_bulk > 3000 && r.ess_bulk < 5500, `ess ${r.ess_bulk}`);
    assert.deepEqual(f.warnings, []);
    assert.equal(f.drawsOf("b_Intercept").length, 4);
    assert.equal(f.drawsOf("b_Intercept")[3].length, 1000);
    assert.throws(() => f.drawsOf("nope"));
  });

  it("warns for R-hat > 1.01 and low ESS when one chain sits elsewhere", () => {
    const f = fit({ shift: 2 });
    const codes = f.warnings.map((w) => w.code);
    assert.ok(codes.includes("rhat_high"), codes.join());
    assert.match(f.warnings.find((w) => w.code === "rhat_high")?.message ?? "", /b_Intercept/);
  });

  it("warns for divergences and low E-BFMI", () => {
    const f = fit({ divergences: 3, sticky: true });
    const codes = f.warnings.map((w) => w.code);
    assert.deepEqual(
      ["divergent_transitions", "ebfmi_low"].filter((c) => !codes.includes(c as never)),
      [],
    );
    assert.equal(f.divergences, 3);
    assert.match(f.warnings.find((w) => w.code === "divergent_transitions")?.message ?? "", /^3 divergent/);
  });

  it("passes the chains' own warnings on once each, after the model's", () => {
    const w = { code: "warmup_short" as const, message: "too short" };
    const chains = [0, 1].map((c) => ({
      ...syntheticChain(c, 7 + c, { nDraws: 500, means: [0] }),
      warnings: [w],
    }));
    const modelWarning = { code: "rows_dropped" as const, message: "2 rows dropped" };
    const f = assembleBayesFit(
      { ...SETTINGS, chains: 2, draws: 500 },
      PRIORS,
      ["b_Intercept"],
      chains,
      performance.now(),
      [modelWarning],
    );
    assert.deepEqual(f.warnings.slice(0, 2), [modelWarning, w]);
    assert.equal(f.warnings.filter((x) => x.code === "warmup_short").length, 1);
  });

  it("warns for ESS below 100 per chain", () => {
    const f = fit({ nDraws: 40 });
    assert.ok(f.warnings.some((w) => w.code === "ess_low"));
  });
});

describe("drawsCsv", () => {
  it("has cmdstan's sampler columns, then the variables (comma names quoted), one row per draw", () => {
    const f = fit({ nDraws: 5 });
    const lines = drawsCsv(f).trimEnd().split("\n");
    assert.equal(
      lines[0],
      'chain__,iter__,lp__,accept_stat__,stepsize__,treedepth__,n_leapfrog__,divergent__,energy__,b_Intercept,"r_g[1,Intercept]"',
    );
    assert.equal(lines.length, 1 + 4 * 5);
    const last = lines[lines.length - 1].split(",");
    assert.equal(last[0], "4");
    assert.equal(last[1], "5");
    assert.equal(Number(last[9]), f.drawsOf("b_Intercept")[3][4]);
  });
});
