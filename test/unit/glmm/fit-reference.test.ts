/**
 * GLMM fits against lme4's: cbpp Laplace and nAGQ = 25 (test/reference/fits), nAGQ = 0
 * (test/reference/glmm/cbpp_nagq0.json), the likelihood-ratio test of `period`
 * (test/reference/extras/anova_cbpp_period.json), and the AGQ log-likelihood against brute-force
 * numerical integration.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { fitGlmm, type GlmmFit } from "../../../src/glmm/fit-glmm.ts";
import { anova } from "../../../src/inference/anova.ts";
import { predict } from "../../../src/inference/predict.ts";
import { printSummary } from "../../../src/report/fit-summary.ts";
import { expectClose } from "../../helpers/expect-close.ts";
import { loadBundled } from "../../helpers/load-bundled.ts";

const FORMULA = "cbind(incidence, size - incidence) ~ period + (1 | herd)";
type Named = Record<string, number>;
// biome-ignore lint/suspicious/noExplicitAny: reference JSON
const load = (p: string): any => JSON.parse(readFileSync(p, "utf8"));
const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1);

const fits = new Map<number, GlmmFit>();
function cbpp(nAGQ: number): GlmmFit {
  let f = fits.get(nAGQ);
  if (!f) {
    f = fitGlmm(FORMULA, loadBundled("cbpp"), { family: "binomial", nAGQ });
    fits.set(nAGQ, f);
  }
  return f;
}

function checkFit(fit: GlmmFit, ref: ReturnType<typeof load>): void {
  const names = Object.keys(ref.beta);
  assert.deepEqual(fit.xnames, names);
  assert.ok(rel(fit.objective, ref.objective) < 1e-4, `objective ${fit.objective} vs ${ref.objective}`);
  assert.ok(rel(fit.logLik, ref.logLik) < 1e-4, "logLik");
  assert.ok(rel(fit.AIC, ref.AIC) < 1e-4 && rel(fit.BIC, ref.BIC) < 1e-4, "AIC/BIC");
  assert.ok(rel(fit.deviance, ref.deviance) < 1e-4, "deviance = −2 logLik");
  assert.ok(rel(fit.logLikFull, ref.logLik_full) < 1e-4, "logLik_full");
  expectClose(fit.logLikSaturated, ref.logLik_saturated, { rtol: 1e-12, label: "saturated logLik" });
  assert.ok(rel(fit.devianceResidualSum, ref.deviance_lme4_function) < 1e-4, "deviance(m)");
  assert.equal(fit.df, ref.df);
  assert.equal(fit.dfResidual, ref.df_residual);
  expectClose(fit.theta[0], Object.values(ref.theta as Named)[0], { atol: 1e-3, label: "theta" });
  names.forEach((nm, j) => {
    const se = (ref.se as Named)[nm];
    assert.ok(Math.abs(fit.beta[j] - (ref.beta as Named)[nm]) < 1e-3 * se, `beta ${nm}: ${fit.beta[j]}`);
    assert.ok(Math.abs(fit.se[j] / se - 1) < 1e-2, `se ${nm}: ${fit.se[j]} vs ${se}`);
    assert.ok(Math.abs(fit.seRX[j] / (ref.se_rx as Named)[nm] - 1) < 1e-3, `se_rx ${nm}`);
  });
  assert.equal(fit.vcovMethod, "hessian");
  assert.ok(rel(fit.varcorr.groups[0].variance[0], ref.varcorr.groups[0].variance[0]) < 2e-3, "variance");
  const r = ref.ranef.herd;
  assert.deepEqual(fit.ranef.herd.levels, r.levels);
  fit.ranef.herd.values.forEach((v, l) => {
    expectClose(v[0], r.values[l][0], { atol: 1e-3, label: `ranef herd ${r.levels[l]}` });
  });
  fit.ranef.herd.condSD!.forEach((v, l) => {
    assert.ok(
      Math.abs(v[0] / r.condSD[l][0] - 1) < 2e-3,
      `condSD ${r.levels[l]}: ${v[0]} vs ${r.condSD[l][0]}`,
    );
  });
  for (let t = 0; t < 10; t++) {
    expectClose(fit.fitted[t], ref.fitted_first10[t], { atol: 1e-4, label: `fitted[${t}]` });
    expectClose(fit.linearPredictor[t], ref.linpred_first10[t], { atol: 1e-3, label: `linpred[${t}]` });
    expectClose(fit.residuals[t], ref.residuals_first10[t], { atol: 1e-4, label: `resid[${t}]` });
    expectClose(fit.pearsonResiduals[t], ref.residuals_pearson_first10[t], {
      atol: 1e-3,
      label: `pearson[${t}]`,
    });
    expectClose(fit.devianceResiduals[t], ref.residuals_deviance_first10[t], {
      atol: 1e-3,
      label: `devres[${t}]`,
    });
  }
  assert.equal(fit.isSingular, false);
  assert.ok(fit.optinfo.converged);
}

test("cbpp, Laplace (nAGQ = 1) reproduces glmer", () => {
  checkFit(cbpp(1), load("test/reference/fits/cbpp_laplace.json"));
});

test("cbpp, adaptive Gauss–Hermite nAGQ = 25 reproduces glmer (logLik as lme4 prints it, and the full one)", () => {
  const fit = cbpp(25);
  const ref = load("test/reference/fits/cbpp_agq25.json");
  checkFit(fit, ref);
  // pitfall 6: lme4's logLik omits the saturated part, logLik_full is the actual AGQ likelihood
  expectClose(fit.logLikFull, fit.logLik + fit.logLikSaturated, {
    rtol: 1e-14,
    label: "full = printed + saturated",
  });
  expectClose(fit.logLikFull, ref.logLik_quadrature_check.value, { rtol: 1e-6, label: "vs integrate()" });
});

test("cbpp, nAGQ = 0 reproduces glmer(nAGQ = 0)", () => {
  const fit = cbpp(0);
  const ref = load("test/reference/glmm/cbpp_nagq0.json");
  expectClose(fit.theta[0], ref.theta, { atol: 1e-4, label: "theta" });
  expectClose(fit.logLik, ref.logLik, { rtol: 1e-6, label: "logLik" });
  fit.xnames.forEach((nm, j) => {
    assert.ok(Math.abs(fit.beta[j] - ref.beta[nm]) < 1e-3 * ref.se[nm], `beta ${nm}`);
    assert.ok(Math.abs(fit.se[j] / ref.se[nm] - 1) < 1e-3, `se ${nm}`);
  });
  assert.equal(fit.vcovMethod, "rx");
});

test("the AGQ log-likelihood equals brute-force integration over each herd's random effect", () => {
  const fit = cbpp(25);
  const data = loadBundled("cbpp");
  const herd = data.column("herd")!;
  const inc = data.column("incidence")!;
  const size = data.column("size")!;
  const period = data.column("period")!;
  assert.ok(
    herd.kind === "factor" && period.kind === "factor" && inc.kind === "numeric" && size.kind === "numeric",
  );
  const sd = Math.sqrt(fit.varcorr.groups[0].variance[0]);
  const lchoose = (nn: number, k: number) => lgammaInt(nn) - lgammaInt(k) - lgammaInt(nn - k);
  let total = 0;
  for (let h = 0; h < 15; h++) {
    // ∫ Π_t Binom(y_t | n_t, logit⁻¹(xβ + b)) N(b | 0, sd²) db, trapezoid on ±12 sd
    const rows: number[] = [];
    for (let t = 0; t < data.nrow; t++) if (herd.codes[t] === h) rows.push(t);
    const m = 20000;
    const lo = -12 * sd;
    const step = (24 * sd) / m;
    let acc = 0;
    for (let i = 0; i <= m; i++) {
      const b = lo + i * step;
      let ll = -0.5 * (b / sd) ** 2 - Math.log(sd * Math.sqrt(2 * Math.PI));
      for (const t of rows) {
        const pc = period.codes[t];
        const eta = fit.beta[0] + (pc > 0 ? fit.beta[pc] : 0) + b;
        const p = 1 / (1 + Math.exp(-eta));
        ll +=
          lchoose(size.values[t], inc.values[t]) +
          inc.values[t] * Math.log(p) +
          (size.values[t] - inc.values[t]) * Math.log(1 - p);
      }
      acc += (i === 0 || i === m ? 0.5 : 1) * Math.exp(ll);
    }
    total += Math.log(acc * step);
  }
  expectClose(fit.logLikFull, total, { rtol: 1e-9, label: "logLik_full vs trapezoid" });
});

/** log n! for the integer counts of cbpp. */
function lgammaInt(k: number): number {
  let s = 0;
  for (let i = 2; i <= k; i++) s += Math.log(i);
  return s;
}

test("anova of the cbpp period model against the intercept-only model (Laplace)", () => {
  const ref = load("test/reference/extras/anova_cbpp_period.json").refit_ML;
  const m0 = fitGlmm("cbind(incidence, size - incidence) ~ 1 + (1 | herd)", loadBundled("cbpp"), {
    family: "binomial",
  });
  const t = anova([m0, cbpp(1)]);
  assert.equal(t.refitML, false);
  const [r0, r1] = t.rows;
  assert.equal(r0.npar, ref.npar.m0);
  assert.equal(r1.npar, ref.npar.m1);
  for (const [row, key] of [
    [r0, "m0"],
    [r1, "m1"],
  ] as const) {
    assert.ok(rel(row.AIC, ref.AIC[key]) < 1e-4, `AIC ${key}`);
    assert.ok(rel(row.BIC, ref.BIC[key]) < 1e-4, `BIC ${key}`);
    assert.ok(rel(row.logLik, ref.logLik[key]) < 1e-4, `logLik ${key}`);
  }
  expectClose(r1.Chisq!, ref.Chisq.m1, { atol: 1e-3, label: "Chisq" });
  assert.equal(r1.Df, ref.Df.m1);
  expectClose(r1.p!, ref["Pr(>Chisq)"].m1, { rtol: 1e-3, label: "p" });
});

test("summary() is laid out as glmer's (Laplace, nAGQ = 25)", () => {
  for (const [n, id] of [
    [1, "cbpp_laplace"],
    [25, "cbpp_agq25"],
  ] as const) {
    const got = printSummary(cbpp(n)).split("\n");
    const want = readFileSync(`test/reference/summaries/${id}.txt`, "utf8").split("\n");
    assert.equal(got.length, want.length, `${id}: number of lines`);
    // every line equal, except digits that differ at lme4's own optimiser tolerance (4th digit of a
    // residual quantile or p-value): compare those lines token by token as numbers
    got.forEach((line, i) => {
      if (line === want[i]) return;
      const a = line.trim().split(/\s+/);
      const b = want[i].trim().split(/\s+/);
      assert.equal(a.length, b.length, `${id} line ${i + 1}: ${line} vs ${want[i]}`);
      a.forEach((tok, k) => {
        if (tok === b[k]) return;
        const x = Number(tok);
        const y = Number(b[k]);
        assert.ok(
          Number.isFinite(x) && Math.abs(x - y) <= 2e-3 * Math.max(1, Math.abs(y)),
          `${id} line ${i + 1}: ${tok} vs ${b[k]}`,
        );
      });
    });
  }
});

test("predict() of a GLMM on the link and response scales (new data = the fitted rows)", () => {
  const fit = cbpp(1);
  const data = loadBundled("cbpp");
  const link = predict(fit, data);
  const resp = predict(fit, data, { type: "response" });
  for (let t = 0; t < fit.nobs; t++) {
    expectClose(link.fit[t], fit.linearPredictor[t], { atol: 1e-12, label: `η[${t}]` });
    expectClose(resp.fit[t], fit.fitted[t], { atol: 1e-12, label: `μ[${t}]` });
    assert.ok(
      resp.lower[t] < resp.fit[t] && resp.fit[t] < resp.upper[t] && resp.lower[t] > 0 && resp.upper[t] < 1,
    );
  }
  const pop = predict(fit, data, { re: "none" });
  expectClose(pop.fit[0], fit.beta[0], { atol: 1e-12, label: "population η, period 1" });
});
