/** `mixed sample` through the built CLI: the contract's JSON, the human output, draws CSV, errors. */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { runCli } from "../../helpers/run-cli.ts";

const dir = mkdtempSync(join(tmpdir(), "mixed-sample-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const SLEEP = "Reaction ~ Days + (Days | Subject)";
const SHORT = ["--chains", "2", "--warmup", "150", "--draws", "100", "--seed", "9"];

interface Row {
  variable: string;
  mean: number;
  median: number;
  sd: number;
  mad: number;
  q5: number;
  q95: number;
  rhat: number;
  ess_bulk: number;
  ess_tail: number;
  mcse_mean: number;
  mcse_sd: number;
  mcse_q5: number;
  mcse_median: number;
  mcse_q95: number;
}

describe("mixed sample", () => {
  it("--json writes the contract's object, --draws-out the draws with cmdstan's columns", () => {
    const csv = join(dir, "draws.csv");
    const r = runCli(["sample", SLEEP, "--data", "sleepstudy", ...SHORT, "--json", "--draws-out", csv]);
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stdout.trimEnd().split("\n");
    assert.equal(lines.length, 1, "exactly one JSON object");
    const j = JSON.parse(lines[0]);
    assert.deepEqual(Object.keys(j).slice(0, 9), [
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
    assert.deepEqual([j.method, j.chains, j.warmup, j.draws, j.seed], ["collapsed", 2, 150, 100, 9]);
    assert.deepEqual(Object.keys(j.summary[0]).slice(0, 10), [
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
    assert.deepEqual(
      j.summary.slice(0, 6).map((s: Row) => s.variable),
      [
        "b_Intercept",
        "b_Days",
        "sd_Subject__Intercept",
        "sd_Subject__Days",
        "sigma",
        "cor_Subject__Intercept__Days",
      ],
    );
    assert.equal(j.summary[6].variable, "r_Subject[308,Intercept]");
    assert.deepEqual(Object.keys(j.timing).slice(0, 3), ["warmup_s", "sampling_s", "total_s"]);
    assert.equal(typeof j.divergences, "number");
    assert.ok(
      j.priors.some(
        (p: { parameter: string; prior: string }) =>
          p.parameter === "b_Intercept" && p.prior === "student_t(3, 288.7, 59.3)",
      ),
    );
    const rows = readFileSync(csv, "utf8").trimEnd().split("\n");
    assert.equal(rows.length, 1 + 2 * 100);
    assert.match(
      rows[0],
      /^chain__,iter__,lp__,accept_stat__,stepsize__,treedepth__,n_leapfrog__,divergent__,energy__,b_Intercept,b_Days,/,
    );
    assert.match(rows[0], /,"r_Subject\[308,Intercept\]",/);
    // the CSV holds the draws the summary was computed from
    const first = rows.slice(1).map((l) => Number(l.split(",")[9]));
    const mean = first.reduce((a, b) => a + b, 0) / first.length;
    assert.ok(Math.abs(mean - j.summary[0].mean) < 1e-9 * Math.abs(mean));
  });

  it("prints cmdstanr's summary table, the priors, the method and per-chain diagnostics; --compare-lmm adds lme4", () => {
    const r = runCli([
      "sample",
      SLEEP,
      "--data",
      "sleepstudy",
      ...SHORT,
      "--method",
      "nuts-full",
      "--compare-lmm",
    ]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /Method: nuts-full/);
    assert.match(r.stdout, /^ variable +mean +median +sd +mad +q5 +q95 +rhat +ess_bulk +ess_tail$/m);
    assert.match(r.stdout, /^ b_Intercept +2\d\d /m);
    assert.match(r.stdout, /^ sd_Subject__Days +student_t\(3, 0, 59\.3\) T\[0, \] +default$/m);
    assert.match(r.stdout, /Sampler diagnostics per chain/);
    assert.match(r.stdout, /^ variable +post_mean +post_sd +lme4 +lme4_se$/m);
    // lme4's REML estimate and SE of the intercept
    assert.match(r.stdout, /^ b_Intercept +2\d\d\.?\d* +\d+\.?\d* +251\.4 +6\.82$/m);
    assert.match(r.stdout, /^ variable +post_mean +post_sd +cond_mode +cond_sd$/m);
    assert.match(r.stdout, /^ r_Subject\[308,Intercept\] +\S+ +\S+ +2\.259 +12\.1$/m);
    // too short to be trusted: warned on stderr, not stdout
    assert.match(r.stderr, /warning\[ess_low\]/);
    assert.doesNotMatch(r.stdout, /warning/);
  });

  it("warns when the warm-up is too short to adapt", () => {
    const r = runCli([
      "sample",
      SLEEP,
      "--data",
      "sleepstudy",
      "--chains",
      "1",
      "--warmup",
      "40",
      "--draws",
      "50",
      "--seed",
      "1",
    ]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /warning\[warmup_short\]/);
  });

  it("refuses bad usage (status 2) and bad input (status 1) with a message, no stack", () => {
    const cases: [string[], number, RegExp][] = [
      [["--chains", "0"], 2, /chains must be a whole number from 1/],
      [["--chains", "two"], 2, /--chains must be a whole number/],
      [["--method", "gibbs"], 2, /unknown method 'gibbs'/],
      [["--adapt-delta", "1.5"], 2, /adaptDelta must lie strictly between 0 and 1/],
      [["--prior", "tau: normal(0, 1)"], 1, /E_PRIOR_UNKNOWN_CLASS/],
      [["--reml"], 2, /do not apply to mixed sample/],
    ];
    for (const [extra, status, msg] of cases) {
      const r = runCli(["sample", SLEEP, "--data", "sleepstudy", ...extra]);
      assert.equal(r.status, status, `${extra.join(" ")}: ${r.stderr}`);
      assert.match(r.stderr, msg, extra.join(" "));
      assert.doesNotMatch(r.stderr, /\n\s+at /, "no stack trace");
    }
    const lm = runCli(["sample", "Reaction ~ Days", "--data", "sleepstudy"]);
    assert.equal(lm.status, 1);
    assert.match(lm.stderr, /no random-effects term/);
  });
});
