/**
 * `mixed bootstrap FORMULA --data DATA [--nsim 500] [--seed 1] [-o FILE.csv] [--json]`: the
 * parametric bootstrap of a mixed model (lme4's bootMer): an LMM, or with `--family
 * binomial|poisson` (`--link`, `--nagq`) a GLMM, whose responses are drawn from the family. Prints the replicates' summary (mean,
 * sd, 2.5/50/97.5% quantiles per parameter); `-o` writes the replicate table as CSV (`-o -` to
 * standard output instead of the summary); `--json` writes `{nsim, seed, columns, rows, summary,
 * failures, warning_counts}`. The replicates run on worker threads (`bootstrapParallel`); a progress
 * bar shows on a terminal.
 */
import { writeFileSync } from "node:fs";
import { bootstrapCsv } from "../../index.ts";
import { readData } from "../../node/read-data.ts";
import { formatDataFrame } from "../../report/format-data-frame.ts";
import { quantile7 } from "../../report/quantile.ts";
import type { ModelOptions } from "../main.ts";
import { parseReplicates, type ReplicateOptions, runBootstrapCli } from "../bootstrap-run.ts";
import { checkModelOptions, writeWarnings } from "./fit.ts";
import { fitOrRestore } from "./saved-fit.ts";

export interface BootstrapCliOptions extends ModelOptions, ReplicateOptions {
  output?: string;
}

export async function runBootstrap(formulaText: string, opts: BootstrapCliOptions): Promise<number> {
  checkModelOptions(opts, true);
  const { nsim, seed } = parseReplicates(opts);
  const data = await readData(opts.data, { schemaPath: opts.schema, encoding: opts.encoding });
  const fit = await fitOrRestore("bootstrap", formulaText, { ...opts, fit: undefined }, data);
  writeWarnings(fit.warnings);
  const table = await runBootstrapCli(fit, nsim, seed, opts.json);
  const summary = table.columns.map((_, c) => {
    const v = table.rows.map((r) => r[c]).filter((x) => !Number.isNaN(x));
    v.sort((a, b) => a - b);
    const mean = v.reduce((a, b) => a + b, 0) / v.length;
    const sd = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / (v.length - 1));
    return [mean, sd, quantile7(v, 0.025), quantile7(v, 0.5), quantile7(v, 0.975)];
  });
  if (opts.output && opts.output !== "-") writeFileSync(opts.output, bootstrapCsv(table));
  if (opts.json) {
    const sumObj: Record<string, unknown> = Object.create(null);
    table.columns.forEach((c, i) => {
      const [mean, sd, q025, q50, q975] = summary[i];
      sumObj[c] = { mean, sd, "q2.5": q025, q50, "q97.5": q975 };
    });
    const num = (v: number) => (Number.isFinite(v) ? v : null);
    process.stdout.write(
      `${JSON.stringify({
        nsim,
        seed,
        columns: table.columns,
        rows: table.rows.map((r) => Array.from(r, num)),
        summary: sumObj,
        failures: table.failures,
        warning_counts: table.warningCounts,
      })}\n`,
    );
    return 0;
  }
  if (opts.output === "-") {
    process.stdout.write(bootstrapCsv(table));
    return 0;
  }
  process.stdout.write(
    `Parametric bootstrap: ${nsim} replicates, seed ${seed}${table.failures ? `, ${table.failures} failed refits` : ""}\n`,
  );
  process.stdout.write(formatDataFrame(summary, table.columns, ["mean", "sd", "2.5%", "50%", "97.5%"]));
  const warned = Object.entries(table.warningCounts);
  if (warned.length > 0)
    process.stderr.write(`note: refit warnings: ${warned.map(([k, v]) => `${k} ${v}`).join(", ")}\n`);
  return 0;
}
