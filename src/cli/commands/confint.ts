/**
 * `mixed confint FORMULA --data DATA [--method profile|wald|boot] [--level 0.95] [--nsim N]
 * [--seed S] [--json]`: lme4's `confint(m, method, level, oldNames = FALSE)` for a mixed model
 * fitted by REML (unless --ml), a GLMM with `--family binomial|poisson` (profile of the Laplace or
 * AGQ deviance, Wald, or parametric bootstrap), or restored from `--fit FILE.json` (the formula may
 * then be left out); the bootstrap runs on worker threads and shows a progress bar on a terminal.
 */
import { bootConfint, confint, confintToJSON, OptionError, printConfint } from "../../index.ts";
import { readData } from "../../node/read-data.ts";
import type { ModelOptions } from "../main.ts";
import { parseReplicates, type ReplicateOptions, runBootstrapCli } from "../bootstrap-run.ts";
import { checkModelOptions, writeWarnings } from "./fit.ts";
import { fitOrRestore } from "./saved-fit.ts";

export interface ConfintCliOptions extends ModelOptions, ReplicateOptions {
  method?: "wald" | "profile" | "boot";
  level?: string;
  fit?: string;
}

export async function runConfint(formulaText: string | undefined, opts: ConfintCliOptions): Promise<number> {
  checkModelOptions(opts, true);
  const level = opts.level === undefined ? 0.95 : Number(opts.level);
  if (!(level > 0 && level < 1)) throw new OptionError(`--level must be between 0 and 1, got ${opts.level}`);
  const method = opts.method ?? "profile";
  const { nsim, seed } = parseReplicates(opts);
  const data = await readData(opts.data, { schemaPath: opts.schema, encoding: opts.encoding });
  const fit = await fitOrRestore("confint", formulaText, opts, data);
  const c =
    method === "boot"
      ? bootConfint(fit, await runBootstrapCli(fit, nsim, seed, opts.json), level)
      : confint(fit, { method, level });
  if (opts.json) {
    process.stdout.write(`${JSON.stringify(confintToJSON(c))}\n`);
    return 0;
  }
  process.stdout.write(printConfint(c));
  writeWarnings(fit.warnings);
  return 0;
}
