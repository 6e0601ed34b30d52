/**
 * `mixed anova FORMULA0 FORMULA1 [...] --data DATA [--no-refit]`: likelihood-ratio tests between
 * the models, as lme4's `anova(m0, m1, ...)`. Mixed models are fitted by REML (unless --ml) and
 * refitted by ML for the comparison, with lme4's message on stderr; formulas without a random
 * term are fitted as linear models.
 */
import {
  anova,
  anovaToJSON,
  fitGlmm,
  fitLm,
  fitLmm,
  type GlmmFit,
  type LmFit,
  type LmmFit,
  OptionError,
  parseFormula,
  printAnova,
} from "../../index.ts";
import { readData } from "../../node/read-data.ts";
import type { ModelOptions } from "../main.ts";
import { checkModelOptions, writeWarnings } from "./fit.ts";
import { glmmFamily, parseNagq } from "./fit-glmm.ts";

export interface AnovaCliOptions extends ModelOptions {
  /** commander's `--no-refit` sets this to false. */
  refit?: boolean;
}

export async function runAnova(formulas: readonly string[], opts: AnovaCliOptions): Promise<number> {
  checkModelOptions(opts, true);
  if (formulas.length < 2) {
    throw new OptionError(
      `anova needs at least two formulas, got ${formulas.length}`,
      'give the smaller and the larger model, e.g. mixed anova "y ~ x + (1 | g)" "y ~ x + (x | g)" --data D',
    );
  }
  const parsed = formulas.map((f) => parseFormula(f));
  const data = await readData(opts.data, { schemaPath: opts.schema, encoding: opts.encoding });
  const family = glmmFamily(opts);
  const nAGQ = parseNagq(opts.nagq);
  const fits: (LmFit | LmmFit | GlmmFit)[] = parsed.map((f) => {
    if (family) {
      if (f.random.length === 0)
        throw new OptionError(
          `--family ${family} needs a random-effects term in every formula here ('${f.text}' has none)`,
        );
      return fitGlmm(f, data, { family, link: opts.link, nAGQ, agq: opts.agq, weights: opts.weights });
    }
    return f.random.length === 0
      ? fitLm(f, data, { weights: opts.weights })
      : fitLmm(f, data, { REML: !opts.ml, weights: opts.weights });
  });
  const table = anova(fits, { refit: opts.refit !== false });
  if (opts.json) {
    process.stdout.write(`${JSON.stringify(anovaToJSON(table))}\n`);
    return 0;
  }
  for (const m of table.messages) process.stderr.write(`${m}\n`);
  process.stdout.write(printAnova(table));
  writeWarnings(table.warnings);
  return 0;
}
