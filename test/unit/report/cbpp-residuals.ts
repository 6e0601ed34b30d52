/**
 * The reference GLMM fits carry no residual quantiles; recompute the Pearson residuals of the cbpp
 * fits from the bundled data and the reference beta and conditional modes (binomial, logit link:
 * mu = plogis(X beta + b[herd]), r = (y/n - mu) / sqrt(mu (1 - mu) / n)).
 */
import { residualQuantiles } from "../../../src/report/quantile.ts";
import { readText } from "./snapshot-helper.ts";

// biome-ignore lint/suspicious/noExplicitAny: reference JSON is untyped
export function cbppScaledResidualQuantiles(fit: Record<string, any>): number[] {
  const lines = readText("data/cbpp.csv").trim().split("\n");
  const header = lines[0].split(",").map((s) => s.replace(/"/g, ""));
  const col = (name: string) => header.indexOf(name);
  const beta = fit.beta as Record<string, number>;
  const re = fit.ranef.herd as { levels: string[]; values: number[][] };
  const r = lines.slice(1).map((line) => {
    const f = line.split(",").map((s) => s.replace(/"/g, ""));
    const period = f[col("period")];
    const eta =
      beta["(Intercept)"] +
      (period === "1" ? 0 : beta[`period${period}`]) +
      re.values[re.levels.indexOf(f[col("herd")])][0];
    const mu = 1 / (1 + Math.exp(-eta));
    const n = Number(f[col("size")]);
    const y = Number(f[col("incidence")]) / n;
    return (y - mu) / Math.sqrt((mu * (1 - mu)) / n);
  });
  return residualQuantiles(r);
}
