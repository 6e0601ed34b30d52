/**
 * `mixed predict FORMULA --data DATA --newdata FILE [--re all|none] [--new-levels population|error]
 * [--level L] [--family F [--link L] [--nagq N] [--type link|response]] [--json]`: fit the model
 * (an LMM by REML unless --ml; with --family a GLMM), or restore a saved one with `--fit FILE.json`
 * (the formula may then be left out), then predict the new data's rows. Writes CSV
 * (`fit,se_fit,lower,upper`, one line per new row, `NA` where a variable is missing) or, with
 * --json, `{fit, se_fit, lower, upper, level}`. For a GLMM `--type` chooses the scale (link, the
 * default as lme4's predict.merMod, or response); `se_fit` is the standard error of the fixed part
 * on the link scale, and the interval (for the conditional mean, link scale, ends transformed for
 * response) has no residual term.
 */
import { OptionError, predict, predictionToJSON } from "../../index.ts";
import { readData } from "../../node/read-data.ts";
import type { ModelOptions } from "../main.ts";
import { checkModelOptions, writeWarnings } from "./fit.ts";
import { fitOrRestore } from "./saved-fit.ts";

export interface PredictCliOptions extends ModelOptions {
  newdata: string;
  fit?: string;
  re?: "all" | "none";
  newLevels?: "population" | "error";
  level?: string;
  type?: "link" | "response";
}

export async function runPredict(formulaText: string | undefined, opts: PredictCliOptions): Promise<number> {
  checkModelOptions(opts, true);
  const level = opts.level === undefined ? 0.95 : Number(opts.level);
  if (!(level > 0 && level < 1)) throw new OptionError(`--level must be between 0 and 1, got ${opts.level}`);
  const data = await readData(opts.data, { schemaPath: opts.schema, encoding: opts.encoding });
  const newdata = await readData(opts.newdata, { encoding: opts.encoding });
  const fit = await fitOrRestore("predict", formulaText, opts, data);
  if (opts.type === "response" && fit.kind !== "glmm")
    throw new OptionError(
      "--type response applies to generalized linear mixed models (--family binomial|poisson)",
      "a linear mixed model's predictions are on the response scale already",
    );
  const p = predict(fit, newdata, {
    re: opts.re ?? "all",
    newLevels: opts.newLevels ?? "error",
    level,
    type: opts.type ?? "link",
  });
  if (opts.json) {
    process.stdout.write(`${JSON.stringify(predictionToJSON(p))}\n`);
    return 0;
  }
  const num = (v: number) => (Number.isFinite(v) ? String(v) : "NA");
  let out = "fit,se_fit,lower,upper\n";
  for (let i = 0; i < p.fit.length; i++)
    out += `${num(p.fit[i])},${num(p.seFit[i])},${num(p.lower[i])},${num(p.upper[i])}\n`;
  process.stdout.write(out);
  writeWarnings(fit.warnings);
  if (p.newLevelRows > 0)
    process.stderr.write(
      `note: ${p.newLevelRows} row(s) have group levels the fit never saw; their random effects are 0 (population prediction)\n`,
    );
  return 0;
}
