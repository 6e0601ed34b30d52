/** `mixed plot trace|rank|density FORMULA --data D [sampler flags] [--variables] -o F` through the built CLI. */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { runCli } from "../../helpers/run-cli.ts";

const dir = mkdtempSync(join(tmpdir(), "mixed-plot-posterior-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const SLEEP = ["Reaction ~ Days + (Days | Subject)", "--data", "sleepstudy"];
const SAMPLER = ["--chains", "2", "--warmup", "150", "--draws", "100", "--seed", "5"];

test("trace, rank and density: SVG of the requested size, one panel per variable, chains in the legend", () => {
  const titles: Record<string, RegExp> = {
    trace: />Trace plots/,
    rank: />Rank plots/,
    density: />Posterior densities/,
  };
  for (const [kind, title] of Object.entries(titles)) {
    const out = join(dir, `${kind}.svg`);
    const r = runCli([
      "plot",
      kind,
      ...SLEEP,
      ...SAMPLER,
      "--variables",
      "b_Days,sigma",
      "-o",
      out,
      "--width",
      "800",
      "--height",
      "400",
    ]);
    assert.equal(r.status, 0, `${kind}: ${r.stderr}`);
    const svg = readFileSync(out, "utf8");
    assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="800" height="400"/, kind);
    assert.match(svg, title, kind);
    assert.match(svg, />b_Days</, kind);
    assert.match(svg, />sigma</, kind);
    assert.ok(!svg.includes(">b_Intercept<"), `${kind}: only the named variables`);
    assert.match(svg, />chain 2</, kind);
  }
});

test("the same seed gives the same figure; default variables leave out the group-level effects", () => {
  const a = join(dir, "a.svg");
  const b = join(dir, "b.svg");
  for (const out of [a, b]) {
    const r = runCli(["plot", "trace", ...SLEEP, ...SAMPLER, "--method", "collapsed", "-o", out]);
    assert.equal(r.status, 0, r.stderr);
  }
  const svg = readFileSync(a, "utf8");
  assert.equal(svg, readFileSync(b, "utf8"));
  assert.match(svg, />sd_Subject__Days</);
  assert.ok(!svg.includes(">r_Subject["));
});

test("PNG output; a --prior from the command line is accepted", () => {
  const out = join(dir, "dens.png");
  const r = runCli(["plot", "density", ...SLEEP, ...SAMPLER, "--prior", "b: normal(0, 50)", "-o", out]);
  assert.equal(r.status, 0, r.stderr);
  const png = readFileSync(out);
  assert.equal(png.subarray(1, 4).toString("latin1"), "PNG");
});

test("bad sampler flags and variables: typed errors naming the flag", () => {
  const out = join(dir, "bad.svg");
  const chains = runCli(["plot", "trace", ...SLEEP, "--chains", "two", "-o", out]);
  assert.equal(chains.status, 2);
  assert.match(chains.stderr, /--chains must be a whole number, not 'two'/);
  const v = runCli(["plot", "rank", ...SLEEP, ...SAMPLER, "--variables", "nope", "-o", out]);
  assert.equal(v.status, 2);
  assert.match(v.stderr, /no variable 'nope' in the posterior draws/);
  const noRandom = runCli(["plot", "trace", "Reaction ~ Days", "--data", "sleepstudy", "-o", out]);
  assert.equal(noRandom.status, 2);
  assert.match(noRandom.stderr, /needs a mixed-model formula with a random term/);
  const prior = runCli(["plot", "trace", ...SLEEP, ...SAMPLER, "--prior", "b: wibble(1)", "-o", out]);
  assert.equal(prior.status, 1);
  assert.match(prior.stderr, /error\[E_PRIOR_UNKNOWN_DISTRIBUTION\]/);
});
