/**
 * The `mixed` command line. Exit status: 0 success, 1 wrong input (a MixedError: bad formula,
 * unknown column, unreadable file, ...), 2 bad command-line usage. Warnings go to stderr (or into
 * the JSON with --json). No stack trace unless --debug.
 */
import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { TEXT_ENCODINGS, type TextEncodingName } from "../data/byte-decoder.ts";
import { OptionError } from "../index.ts";
import { runData } from "./commands/data.ts";
import { runDemo } from "./commands/demo.ts";
import { runFit } from "./commands/fit.ts";
import { runSample, type SampleOptions } from "./commands/sample.ts";
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
  nagq?: string;
  json?: boolean;
  debug?: boolean;
}

/** `--family` / `--nagq` are reserved for generalized models, which do not exist yet: hidden from --help. */
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
    .addOption(new Option("--family <family>", "response distribution").hideHelp())
    .addOption(new Option("--nagq <n>", "adaptive Gauss-Hermite points").hideHelp())
    .option("--json", "write one JSON object to standard output");
}

async function main(argv: string[]): Promise<number> {
  const debug = argv.includes("--debug");
  const program = new Command();
  program
    .name("mixed")
    .description("Linear mixed models (lme4 formulas, profiled deviance) and ordinary linear models.")
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
    .action((formula: string, opts: ModelOptions & { ranef?: boolean; coef?: boolean }) =>
      run(() => runFit(formula, { ...opts, debug }))(),
    );
  addModelOptions(
    program
      .command("sample")
      .description("fit a Bayesian mixed model by NUTS (Stan's sampler) and print the posterior summary")
      .argument("<formula>", 'model formula, e.g. "y ~ x + (x | group)"'),
  )
    .option("--method <method>", "collapsed (random effects integrated out, then drawn exactly) or nuts-full")
    .option(
      "--parameterisation <p>",
      "random effects of nuts-full: noncentred, centred or hcentred (default: chosen from the data)",
    )
    .option("--chains <n>", "number of chains (default 4)")
    .option("--warmup <n>", "warm-up iterations per chain (default 1000)")
    .option("--draws <n>", "kept draws per chain (default 1000)")
    .option("--seed <n>", "random seed (default: random, printed)")
    .option(
      "--prior <prior>",
      'a prior "CLASS: DIST", repeatable (b, Intercept, sd, cor, sigma)',
      (v: string, acc: string[]) => [...acc, v],
      [] as string[],
    )
    .option("--adapt-delta <x>", "target acceptance rate of the step-size adaptation (default 0.8)")
    .option("--max-treedepth <n>", "maximum NUTS tree depth (default 10)")
    .option("--draws-out <file>", "write the draws as CSV (cmdstan's columns)")
    .option("--compare-lmm", "compare posterior means with lme4's REML estimates and conditional modes")
    .action((formula: string, opts: SampleOptions) => run(() => runSample(formula, { ...opts, debug }))());
  program
    .command("data")
    .description("list the bundled datasets")
    .option("--json", "JSON output")
    .action((opts: { json?: boolean }) => run(() => runData(opts))());
  program
    .command("demo")
    .description("fit the bundled example models and print their summaries")
    .action(() => run(() => runDemo())());

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
