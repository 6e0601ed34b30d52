/**
 * `mixed fit FORMULA --data DATA`: lm when the formula has no random terms, else an LMM.
 */
import { fitLm, lmSummary, lmToJSON, OptionError, parseFormula } from "../../index.ts";
import { readData } from "../../node/read-data.ts";
import type { ModelOptions } from "../main.ts";

export interface FitOptions extends ModelOptions {
  ranef?: boolean;
  coef?: boolean;
}

function writeWarnings(warnings: readonly { code: string; message: string }[]): void {
  for (const w of warnings) process.stderr.write(`warning[${w.code}]: ${w.message}\n`);
}

export async function runFit(formulaText: string, opts: FitOptions): Promise<number> {
  if (opts.reml && opts.ml) throw new OptionError("--reml and --ml cannot be used together", "choose one");
  if (opts.family && opts.family !== "gaussian") {
    throw new OptionError(`--family ${opts.family} is not available yet`, "GLMMs arrive with the GLMM issue");
  }
  const formula = parseFormula(formulaText);
  const data = await readData(opts.data, { schemaPath: opts.schema });
  if (formula.random.length === 0) {
    const t0 = performance.now();
    const fit = fitLm(formula, data, { weights: opts.weights });
    const fitS = (performance.now() - t0) / 1000;
    if (opts.json) {
      process.stdout.write(`${JSON.stringify({ ...lmToJSON(fit), timing: { fit_s: fitS } })}\n`);
    } else {
      process.stdout.write(lmSummary(fit));
      writeWarnings(fit.warnings);
    }
    return 0;
  }
  throw new OptionError("linear mixed models are not wired into the CLI yet");
}
