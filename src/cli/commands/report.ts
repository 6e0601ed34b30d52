/**
 * `mixed report FORMULA --data DATA -o FILE.html [--no-figures] [--bayes …]`: fit the formula (lm
 * without random terms, else an LMM, REML unless --ml; with `--family binomial|poisson` a GLM, or
 * a GLMM with random terms, `--link`, `--nagq`) and write `reportHtml`'s self-contained page
 * (mixedmodels/report). `--bayes` adds a Bayesian fit of the same model (the sampler flags as
 * `mixed sample`) with its summary and trace, rank and density figures. Loaded lazily by main.ts.
 */
import { writeFileSync } from "node:fs";
import { type ReportOptions, reportHtml } from "../../html/report-html.ts";
import { fitGlm, fitGlmm, fitLm, fitLmm, MixedError, OptionError, parseFormula } from "../../index.ts";
import { readData } from "../../node/read-data.ts";
import { printBayesSummary } from "../../report/bayes-summary.ts";
import { quote } from "../../util/quote.ts";
import type { ModelOptions } from "../main.ts";
import { checkModelOptions, writeWarnings } from "./fit.ts";
import { parseNagq } from "./fit-glmm.ts";
import type { SamplerCliOptions } from "./sampler-options.ts";

export interface ReportCliOptions extends ModelOptions, SamplerCliOptions {
  output: string;
  figures?: boolean;
  x?: string;
  group?: string;
  title?: string;
  width?: string;
  bayes?: boolean;
  variables?: string;
}

function checkOutput(file: string): void {
  if (file !== "-" && !/\.html?$/i.test(file))
    throw new OptionError(
      `the report ${quote(file)} is written as HTML`,
      "name it FILE.html, or '-' for standard output",
    );
}

export async function runReport(formulaText: string, opts: ReportCliOptions): Promise<number> {
  checkModelOptions(opts, true);
  if (opts.json) throw new OptionError("--json does not apply to mixed report", "use mixed fit --json");
  checkOutput(opts.output);
  const width =
    opts.width === undefined
      ? undefined
      : /^\s*\d+\s*$/.test(opts.width) && Number(opts.width) >= 200 && Number(opts.width) <= 20000
        ? Number(opts.width)
        : (() => {
            throw new OptionError(
              `--width ${quote(opts.width ?? "")} is not a whole number from 200 to 20000`,
            );
          })();
  const formula = parseFormula(formulaText);
  const data = await readData(opts.data, { schemaPath: opts.schema, encoding: opts.encoding });
  const lm = formula.random.length === 0;
  const generalized = (opts.family !== undefined && opts.family !== "gaussian") || opts.link !== undefined;
  if (generalized && (opts.family === undefined || opts.family === "gaussian"))
    throw new OptionError("--link needs --family binomial or poisson");
  if (generalized && (opts.reml || opts.ml))
    throw new OptionError(`--reml/--ml apply to linear mixed models, not to --family ${opts.family}`);
  if (generalized && opts.bayes)
    throw new OptionError("--bayes fits linear mixed models; it does not apply to --family " + opts.family);
  if (opts.nagq !== undefined && (!generalized || lm))
    throw new OptionError(
      "--nagq applies to generalized mixed models (--family binomial|poisson with a random term)",
    );
  if (lm && (opts.reml || opts.ml))
    throw new OptionError("--reml/--ml apply to mixed models; this formula has no random term");
  if (lm && opts.bayes)
    throw new OptionError("--bayes needs a mixed-model formula with a random term", 'e.g. "y ~ x + (x | g)"');
  const fit = generalized
    ? lm
      ? fitGlm(formula, data, { family: opts.family!, link: opts.link, weights: opts.weights })
      : fitGlmm(formula, data, {
          family: opts.family!,
          link: opts.link,
          nAGQ: parseNagq(opts.nagq),
          weights: opts.weights,
        })
    : lm
      ? fitLm(formula, data, { weights: opts.weights })
      : fitLmm(formula, data, { REML: !opts.ml, weights: opts.weights });
  let posterior: ReportOptions["posterior"];
  const warnings = [...fit.warnings];
  if (opts.bayes) {
    if (opts.weights) throw new OptionError("--weights is not supported by the Bayesian fit (--bayes) yet");
    const { bayesFitFor, posteriorDraws, variableList } = await import("./posterior-draws.ts");
    const variables = variableList(opts.variables);
    const b = await bayesFitFor(formulaText, data, opts);
    warnings.push(...b.warnings);
    posterior = { draws: posteriorDraws(b, variables), summary: printBayesSummary(b) };
  }
  const html = reportHtml(fit, data, {
    figures: opts.figures,
    x: opts.x,
    group: opts.group,
    title: opts.title,
    width,
    posterior,
  });
  if (opts.output === "-") process.stdout.write(html);
  else {
    try {
      writeFileSync(opts.output, html);
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      throw new MixedError(
        "E_OUTPUT_WRITE",
        `cannot write the report to ${quote(opts.output)} (${err.code ?? err.message})`,
        "check that the directory exists and is writable",
      );
    }
  }
  writeWarnings(warnings);
  return 0;
}
