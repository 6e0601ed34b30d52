/**
 * The `mixed` command line. Exit status: 0 success, 1 wrong input (a MixedError: bad formula,
 * unknown column, unreadable file, ...), 2 bad command-line usage. Warnings go to stderr (or into
 * the JSON with --json). No stack trace unless --debug.
 */
import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { TEXT_ENCODINGS, type TextEncodingName } from "../data/byte-decoder.ts";
import { OptionError } from "../index.ts";
import { type AnovaCliOptions, runAnova } from "./commands/anova.ts";
import { runData } from "./commands/data.ts";
import { runDemo } from "./commands/demo.ts";
import { type FitOptions, runFit } from "./commands/fit.ts";
import { type PredictCliOptions, runPredict } from "./commands/predict.ts";
import { type ConfintCliOptions, runConfint } from "./commands/confint.ts";
import { type BootstrapCliOptions, runBootstrap } from "./commands/bootstrap.ts";
import { addPlotOptions, type PlotCliOptions } from "./commands/plot-options.ts";
import { runSample, type SampleOptions } from "./commands/sample.ts";
import { addSamplerOptions } from "./commands/sampler-options.ts";
import type { ReportCliOptions } from "./commands/report.ts";
import { formatError } from "./format-error.ts";
import { guardOutput } from "./output.ts";
import { VERSION } from "./version.ts";

const ENCODING_ALIASES: Record<string, TextEncodingName> = {
  utf8: "utf-8",
  "iso-8859-1": "latin1",
  "iso8859-1": "latin1",
  "latin-1": "latin1",
  cp1252: "windows-1252",
  utf16le: "utf-16le",
};

function parseEncoding(value: string): TextEncodingName {
  const v = value.toLowerCase();
  if ((TEXT_ENCODINGS as readonly string[]).includes(v)) return v as TextEncodingName;
  const alias = ENCODING_ALIASES[v];
  if (alias !== undefined && Object.hasOwn(ENCODING_ALIASES, v)) return alias;
  throw new InvalidArgumentError(`Allowed choices are ${TEXT_ENCODINGS.join(", ")}.`);
}

/** Options shared by every model command. */
export interface ModelOptions {
  data: string;
  schema?: string;
  reml?: boolean;
  ml?: boolean;
  weights?: string;
  encoding?: TextEncodingName;
  family?: string;
  link?: string;
  nagq?: string;
  agq?: "lme4" | "extended";
  json?: boolean;
  debug?: boolean;
}

/** Options shared by the model commands (`--family`/`--link`/`--nagq`/`--agq` select a generalized model). */
function addModelOptions(cmd: Command): Command {
  return cmd
    .requiredOption("-d, --data <data>", "CSV file, '-' for standard input, or a bundled dataset name")
    .option("--schema <file>", "column types and factor levels (.meta.json)")
    .option("--reml", "fit by REML (default for linear mixed models)")
    .option("--ml", "fit by maximum likelihood")
    .option("--weights <column>", "prior weights column")
    .addOption(
      new Option("--encoding <encoding>", `text encoding of the CSV: ${TEXT_ENCODINGS.join(", ")}`)
        .default("utf-8")
        .argParser(parseEncoding),
    )
    .addOption(
      new Option(
        "--family <family>",
        "response distribution: binomial/poisson give a GLM (R's glm), or with random terms a GLMM (lme4's glmer)",
      ).choices(["gaussian", "binomial", "poisson"]),
    )
    .option("--link <link>", "link function: logit, probit, cloglog (binomial), log, identity")
    .option("--nagq <n>", "GLMM: 1 = Laplace (default), 0 = fast, >1 = adaptive Gauss-Hermite points")
    .addOption(
      new Option(
        "--agq <mode>",
        "GLMM, nAGQ > 1: lme4 (default: a single scalar random term) or extended (beyond lme4: any random terms, a product rule per block of linked random effects)",
      ).choices(["lme4", "extended"]),
    )
    .option("--json", "write one JSON object to standard output");
}

async function main(argv: string[]): Promise<number> {
  const debug = argv.includes("--debug");
  const program = new Command();
  program
    .name("mixed")
    .description(
      "Linear and generalized linear mixed models (lme4 formulas), ordinary linear models and GLMs.",
    )
    .version(VERSION, "-V, --version")
    .option("--debug", "show stack traces")
    .exitOverride()
    .showHelpAfterError("(run 'mixed --help' for usage)")
    .configureOutput({ writeErr: (s) => process.stderr.write(s), writeOut: (s) => process.stdout.write(s) });

  let status = 0;
  const run = (fn: () => Promise<number>) => async () => {
    status = await fn();
  };
  addModelOptions(
    program
      .command("fit")
      .description("fit a model and print its summary")
      .argument("<formula>", 'model formula, e.g. "Reaction ~ 1 + Days + (1 + Days | Subject)"'),
  )
    .option("--ranef", "also print the conditional modes of the random effects")
    .option("--coef", "also print per-level coefficients (fixed + random)")
    .addOption(
      new Option("--ddf <method>", "t-tests and type III F-tests with denominator df (lmerTest)")
        .choices(["satterthwaite", "kenward-roger", "none"])
        .default("none"),
    )
    .option(
      "--convergence",
      "check the optimum: gradient, Hessian and Newton decrement of the criterion in θ",
    )
    .option(
      "--variance",
      "also print the variance decomposition: shares per component, ICC, marginal and conditional R²",
    )
    .action((formula: string, opts: FitOptions) => run(() => runFit(formula, { ...opts, debug }))());
  addModelOptions(
    program
      .command("anova")
      .description("likelihood-ratio tests between nested models (lme4's anova)")
      .argument("<formulas...>", "two or more model formulas, smallest first"),
  )
    .option("--no-refit", "compare REML criteria instead of refitting by ML (identical fixed effects only)")
    .action((formulas: string[], opts: AnovaCliOptions) =>
      run(() => runAnova(formulas, { ...opts, debug }))(),
    );
  addModelOptions(
    program
      .command("confint")
      .description("confidence intervals for every parameter (lme4's confint)")
      .argument("[formula]", "model formula (may be left out with --fit)"),
  )
    .option(
      "--fit <file>",
      "a fit saved by `mixed fit ... --json`, restored with --data instead of refitting",
    )
    .addOption(
      new Option("--method <method>", "profile (likelihood profile), wald (fixed effects only)")
        .choices(["profile", "wald", "boot"])
        .default("profile"),
    )
    .option("--level <p>", "confidence level", "0.95")
    .option("--nsim <n>", "bootstrap replicates (--method boot)")
    .option("--seed <s>", "random seed (--method boot)")
    .action((formula: string | undefined, opts: ConfintCliOptions) =>
      run(() => runConfint(formula, { ...opts, debug }))(),
    );
  addModelOptions(
    program
      .command("bootstrap")
      .description("parametric bootstrap of a mixed model (lme4's bootMer): replicate table and quantiles")
      .argument("<formula>", "model formula"),
  )
    .option("--nsim <n>", "number of replicates", "500")
    .option("--seed <s>", "random seed", "1")
    .option("-o, --output <file>", "write the replicate table as CSV ('-' for standard output)")
    .action((formula: string, opts: BootstrapCliOptions) =>
      run(() => runBootstrap(formula, { ...opts, debug }))(),
    );
  addModelOptions(
    program
      .command("predict")
      .description("predict new data from a fitted mixed model (lme4's predict), with standard errors")
      .argument("[formula]", "model formula (may be left out with --fit)"),
  )
    .option(
      "--fit <file>",
      "a fit saved by `mixed fit ... --json`, restored with --data instead of refitting",
    )
    .requiredOption("--newdata <file>", "CSV file (or bundled dataset) with the rows to predict")
    .addOption(new Option("--re <which>", "random effects to add").choices(["all", "none"]).default("all"))
    .addOption(
      new Option("--new-levels <rule>", "group levels the fit never saw")
        .choices(["population", "error"])
        .default("error"),
    )
    .option("--level <p>", "level of the prediction intervals", "0.95")
    .addOption(
      new Option(
        "--type <scale>",
        "GLMM: predictions on the link (default, as lme4) or response scale",
      ).choices(["link", "response"]),
    )
    .action((formula: string | undefined, opts: PredictCliOptions) =>
      run(() => runPredict(formula, { ...opts, debug }))(),
    );
  addSamplerOptions(
    addModelOptions(
      program
        .command("sample")
        .description("fit a Bayesian mixed model by NUTS (Stan's sampler) and print the posterior summary")
        .argument("<formula>", 'model formula, e.g. "y ~ x + (x | group)"'),
    ),
  )
    .option("--draws-out <file>", "write the draws as CSV (cmdstan's columns)")
    .option("--compare-lmm", "compare posterior means with lme4's REML estimates and conditional modes")
    .action((formula: string, opts: SampleOptions) => run(() => runSample(formula, { ...opts, debug }))());
  program
    .command("data")
    .description("list the bundled datasets")
    .option("--json", "JSON output")
    .action((opts: { json?: boolean }) => run(() => runData(opts))());
  addPlotOptions(
    program
      .command("plot")
      .description(
        "draw a figure as SVG or PNG (kinds: trajectories, between-within, facets, pooled, panel, ...)",
      )
      .argument("<kind>", "figure kind")
      .argument("[formula]", 'model formula; x, y and group default from it ("y ~ x + (x | g)")'),
  ).action(async (kind: string, formula: string | undefined, opts: PlotCliOptions) => {
    // the plotting library is loaded only when a figure is drawn
    const { runPlot } = await import("./commands/plot.ts");
    status = await runPlot(kind, formula, { ...opts, debug });
  });
  addSamplerOptions(
    addModelOptions(
      program
        .command("report")
        .description(
          "write a self-contained HTML report: summary, diagnostics, variance decomposition, figures",
        )
        .argument("<formula>", "model formula (lm without random terms, else a mixed model)"),
    ),
  )
    .requiredOption("-o, --output <file>", "FILE.html ('-' for standard output)")
    .option("--no-figures", "leave the figures out")
    .option("--x <column>", "x column of the data figures (default: the formula's first covariate)")
    .option("--group <column>", "grouping column of the data figures (default: the first grouping factor)")
    .option("--title <text>", "page title")
    .option("--width <px>", "figure width in pixels (default 760)")
    .option(
      "--bayes",
      "add a Bayesian fit of the same model: posterior summary, trace, rank and density plots",
    )
    .option(
      "--variables <names>",
      "comma-separated posterior variables to plot (--bayes; default: all but r_…)",
    )
    .action(async (formula: string, opts: ReportCliOptions) => {
      // the plotting library is loaded only when a report is written
      const { runReport } = await import("./commands/report.ts");
      status = await runReport(formula, { ...opts, debug });
    });
  program
    .command("demo")
    .description("fit the bundled example models, print their summaries and write the seed figures")
    .option("--figures <dir>", "folder for the figures", "mixed-demo-figures")
    .action((opts: { figures?: string }) => run(() => runDemo(opts))());

  try {
    await program.parseAsync(argv, { from: "user" });
    return status;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (
        e.code === "commander.helpDisplayed" ||
        e.code === "commander.version" ||
        e.code === "commander.help"
      ) {
        return 0;
      }
      return 2;
    }
    process.stderr.write(formatError(e, debug));
    return e instanceof OptionError ? 2 : 1;
  }
}

guardOutput();
const argv = process.argv.slice(2);
main(argv.length === 0 ? ["--help"] : argv).then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    process.stderr.write(formatError(e, argv.includes("--debug")));
    process.exitCode = 1;
  },
);
