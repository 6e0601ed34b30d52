/**
 * The inference and posterior figures: profile zeta plots, bootstrap densities, trace / rank /
 * density plots of chains (SVG snapshots on seeded inputs), the kernel density they use (R's
 * bw.nrd0 bandwidth, unit mass), and bad options.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { RandomStream } from "../../../src/bayes/random.ts";
import { MixedError } from "../../../src/errors.ts";
import { bootstrap, fitLmm, profile } from "../../../src/index.ts";
import {
  bootstrapDensities,
  posteriorDensity,
  profileZeta,
  rankPlot,
  tracePlot,
} from "../../../src/plot/index.ts";
import { bandwidthNrd0, kde } from "../../../src/plot/kde.ts";
import { loadBundled } from "../../helpers/load-bundled.ts";
import { assertSvgSnapshot } from "../../helpers/svg-snapshot.ts";

const dye = fitLmm("Yield ~ 1 + (1 | Batch)", loadBundled("Dyestuff"));

test("kde: R's bw.nrd0 bandwidth and unit mass", () => {
  const x = [1, 2, 3, 4, 10, 2.5, 3.3];
  // R: bw.nrd0(c(1, 2, 3, 4, 10, 2.5, 3.3)) = 0.63715653051089993
  assert.ok(Math.abs(bandwidthNrd0([...x].sort((a, b) => a - b)) - 0.63715653051089993) < 1e-14);
  const d = kde(x, 512);
  const mass = d.y.reduce((a, b) => a + b, 0) * (d.x[1] - d.x[0]);
  assert.ok(Math.abs(mass - 1) < 5e-3, `mass ${mass}`);
});

test("profile zeta plot of Dyestuff: one panel per parameter, the 95% limits drawn", () => {
  const prof = profile(dye);
  for (const c of prof.curves) {
    assert.ok(c.x.length >= 5, c.parameter);
    // ζ increases with the parameter and is 0 at the estimate
    for (let k = 1; k < c.x.length; k++) assert.ok(c.zeta[k] >= c.zeta[k - 1] - 1e-9, c.parameter);
    const at = c.x.indexOf(c.estimate);
    assert.ok(at >= 0 && c.zeta[at] === 0);
  }
  const svg = profileZeta(prof);
  assert.match(svg, />sd_\(Intercept\)\|Batch</);
  assertSvgSnapshot("profile-zeta-dyestuff", svg);
});

test("bootstrap densities of Dyestuff: panels for sd, sigma and the intercept", () => {
  const table = bootstrap(dye, 60, { seed: 4 });
  const svg = bootstrapDensities(table, { estimates: { sigma: dye.sigma } });
  assert.match(svg, />sigma</);
  assertSvgSnapshot("bootstrap-densities-dyestuff", svg);
  assert.throws(
    () => bootstrapDensities(table, { parameters: ["nope"] }),
    (e) => e instanceof MixedError && e.code === "E_PLOT_BAD_OPTION",
  );
});

test("trace, rank and density plots of seeded chains", () => {
  const rs = RandomStream.forChain(7, 0, 0);
  const chains = [0, 1, 2].map((c) => [
    Float64Array.from({ length: 200 }, () => rs.normal() + (c === 2 ? 1 : 0)),
    Float64Array.from({ length: 200 }, () => 2 * rs.normal()),
  ]);
  const d = { variables: ["mu", "tau"], chains };
  assertSvgSnapshot("trace-seeded", tracePlot(d));
  assertSvgSnapshot("rank-seeded", rankPlot(d));
  assertSvgSnapshot("posterior-density-seeded", posteriorDensity(d, { variables: ["mu"] }));
  assert.throws(
    () => tracePlot(d, { variables: ["sigma"] }),
    (e) => e instanceof MixedError && e.code === "E_PLOT_BAD_OPTION",
  );
  assert.throws(
    () => rankPlot({ variables: ["mu"], chains: [] }),
    (e) => e instanceof MixedError && e.code === "E_PLOT_BAD_MODEL",
  );
});
