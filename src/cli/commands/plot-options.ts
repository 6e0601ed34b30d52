/**
 * The options of `mixed plot` (registered by main.ts). Kept apart from plot.ts so that registering
 * the command loads nothing heavy: the plotting library is imported only when `mixed plot` runs.
 */
import { type Command, Option } from "commander";
import { addSamplerOptions, type SamplerCliOptions } from "./sampler-options.ts";

/** Raw option values of `mixed plot` as commander parses them. */
export interface PlotCliOptions extends SamplerCliOptions {
  data: string;
  output: string;
  schema?: string;
  x?: string;
  y?: string;
  group?: string;
  width?: string;
  height?: string;
  title?: string;
  highlight?: string;
  groups?: string;
  page?: string;
  covariate?: string;
  nsim?: string;
  variables?: string;
  reml?: boolean;
  ml?: boolean;
  family?: string;
  link?: string;
  nagq?: string;
  weights?: string;
  residuals?: string;
  debug?: boolean;
}

export function addPlotOptions(cmd: Command): Command {
  cmd
    .requiredOption("-d, --data <data>", "CSV file, '-' for standard input, or a bundled dataset name")
    .requiredOption(
      "-o, --output <file>",
      "FILE.svg or FILE.png (by the extension); '-' writes SVG to standard output",
    )
    .option("--schema <file>", "column types and factor levels (.meta.json)")
    .option("--x <column>", "x column (default: the formula's first covariate)")
    .option("--y <column>", "y column (default: the formula's response)")
    .option("--group <column>", "grouping column (default: the formula's first grouping factor)")
    .option("--width <px>", "figure width in pixels")
    .option("--height <px>", "figure height in pixels")
    .option("--title <text>", "figure title ('' for none)")
    .option("--highlight <groups>", "comma-separated groups drawn in colour (trajectories, panel)")
    .option("--groups <groups>", "comma-separated groups to show, in order (facets)")
    .option("--page <n>", "page of groups when there are more than fit one figure (facets)")
    .option("--covariate <column>", "x of the between/within scatters (panel; default --x)")
    .option("--nsim <n>", "bootstrap replicates (bootstrap; default 500)")
    .option(
      "--seed <s>",
      "random seed (bootstrap: default 1; trace, rank, density: the sampler's, default random)",
    )
    .option("--reml", "fit the formula's mixed model by REML (default)")
    .option("--ml", "fit the formula's mixed model by maximum likelihood")
    .addOption(
      new Option(
        "--family <family>",
        "binomial/poisson: diagnostics of a GLMM (lme4's glmer), or of a GLM without random terms (residuals, qq, caterpillar, shrinkage, trajectories)",
      ).choices(["gaussian", "binomial", "poisson"]),
    )
    .option("--link <link>", "link function of --family: logit, probit, cloglog (binomial), log, identity")
    .option("--nagq <n>", "GLMM: 1 = Laplace (default), 0 = fast, >1 = adaptive Gauss-Hermite points")
    .option("--weights <column>", "prior weights column (binomial: trials of a proportion response)")
    .addOption(
      new Option(
        "--residuals <type>",
        "GLM/GLMM residuals of the residuals and qq figures: pearson (default, as lme4's plot) or deviance",
      ).choices(["pearson", "deviance"]),
    )
    .option(
      "--variables <names>",
      "comma-separated posterior variables (trace, rank, density; default: all but r_…)",
    );
  // the sampler's flags (trace, rank, density), parsed as `mixed sample` parses them
  return addSamplerOptions(cmd, { seed: false });
}
