/**
 * `mixed demo` (what `npm start` runs): the two seed stories on bundled data.
 * 1. Gasoline panel: a random intercept per country by ML (and REML), and the same ML optimum
 *    reached by BOBYQA and by a plain Nelder–Mead over θ on the same profiled objective.
 * 2. Coffee: `y ~ x` by lm vs `y ~ x + (x | group)` by REML, and what the random slope does to the
 *    slope's standard error.
 * Then the seed figures are written to a folder (`--figures DIR`, default ./mixed-demo-figures),
 * with the `mixed plot` command that makes each; the plotting code is loaded only at that point.
 */
import { nelderMead } from "../../engine.ts";
import {
  fitLm,
  fitLmm,
  type LmmFit,
  parseFormula,
  printSummary,
  printVarianceDecomposition,
  varianceDecomposition,
} from "../../index.ts";
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { readData } from "../../node/read-data.ts";

const RULE = "=".repeat(100);

function banner(title: string): string {
  return `${RULE}\n${title}\n${RULE}\n\n`;
}

function fmt(x: number, digits = 6): string {
  return x.toFixed(digits);
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, j) => Math.max(h.length, ...rows.map((r) => r[j].length)));
  const line = (cells: readonly string[]) =>
    cells.map((c, j) => (j === 0 ? c.padEnd(widths[j]) : c.padStart(widths[j]))).join("  ");
  return `${[line(header), ...rows.map(line)].join("\n")}\n`;
}

async function gasoline(out: (s: string) => void): Promise<void> {
  const data = await readData("Gasoline");
  const formula = "LCarPCap ~ 1 + Time + LIncomeP + LRPMG + (1 | Country)";
  out(
    banner("1. Gasoline panel (18 OECD countries, 1960-1978): car ownership, random intercept per country"),
  );
  const ml = fitLmm(formula, data, { REML: false });
  out(printSummary(ml));
  const reml = fitLmm(formula, data, { REML: true });
  const nm = fitLmm(formula, data, { REML: false, optimizer: nelderMead });
  out("\nSame model by REML (lme4's default) next to ML:\n");
  out(
    table(
      ["", "ML", "REML"],
      [
        ...ml.xnames.map((name, i) => [name, fmt(ml.beta[i]), fmt(reml.beta[i])]),
        ["sd(Country)", fmt(ml.varcorr.groups[0].stddev[0]), fmt(reml.varcorr.groups[0].stddev[0])],
        ["sigma", fmt(ml.sigma), fmt(reml.sigma)],
      ],
    ),
  );
  out("\nThe ML optimum over theta, reached by two optimisers on the same profiled deviance:\n");
  const row = (label: string, f: LmmFit) => [
    label,
    f.objective.toFixed(8),
    f.theta.map((t) => t.toFixed(6)).join(", "),
    String(f.optinfo.feval),
  ];
  out(
    table(
      ["optimiser", "ML deviance", "theta", "evaluations"],
      [row("BOBYQA (default)", ml), row("Nelder-Mead", nm)],
    ),
  );
  out(`difference in deviance: ${Math.abs(ml.objective - nm.objective).toExponential(2)}\n\n`);
}

async function coffee(out: (s: string) => void): Promise<void> {
  const data = await readData("coffee");
  out(banner("2. Coffee (1,000 cups in 100 groups): one regression line, or one per group?"));
  const lm = fitLm(parseFormula("y ~ x"), data);
  out("Ordinary linear model, y ~ x:\n");
  out(printSummary(lm));
  const mm = fitLmm("y ~ x + (x | group)", data, { REML: true });
  out("\nLinear mixed model, y ~ x + (x | group), by REML:\n\n");
  out(printSummary(mm));
  const r = mm.ranef.group;
  const c = mm.coef.group;
  out("\nFirst groups: conditional modes (ranef) and per-group lines (coef = fixef + ranef):\n");
  out(
    table(
      ["group", "ranef (Intercept)", "ranef x", "coef (Intercept)", "coef x"],
      r.levels
        .slice(0, 6)
        .map((lev, i) => [
          lev,
          fmt(r.values[i][0], 4),
          fmt(r.values[i][1], 4),
          fmt(c.values[i][0], 4),
          fmt(c.values[i][1], 4),
        ]),
    ),
  );
  const seLm = lm.se[1];
  const seMm = mm.se[1];
  const sdInt = mm.varcorr.groups[0].stddev[0];
  const sdSlope = mm.varcorr.groups[0].stddev[1];
  const lines = [
    "",
    `Slope of x: lm ${fmt(lm.beta[1], 5)} (SE ${fmt(seLm, 5)}), mixed model ${fmt(mm.beta[1], 5)} (SE ${fmt(seMm, 5)}).`,
    `The lm SE is ${fmt(seLm / seMm, 2)} times the mixed-model SE. lm pools everything into one residual error`,
    `(sigma ${fmt(lm.sigma, 3)}), the spread of the group intercepts (sd ${fmt(sdInt, 3)}) included; the mixed model`,
    `separates the group intercepts and slopes (sd ${fmt(sdSlope, 3)}) from the cup-level noise (sigma ${fmt(mm.sigma, 3)}),`,
    "so the common slope is estimated within groups, and its SE reflects how much the slopes vary",
    "between groups.",
  ];
  out(`${lines.join("\n")}\n`);
  const vd = varianceDecomposition(mm);
  out(`\n${printVarianceDecomposition(vd)}`);
  out(
    `The seed's "explained variance" ${vd.r2Conditional.toFixed(3)} is this conditional R²: the groups' ` +
      "intercepts and slopes\ntogether with x explain nearly all the variance of y; x alone " +
      `(marginal R²) ${vd.r2Marginal.toFixed(3)}.\n\n`,
  );
}

/** Default folder of the demo's figures (relative to the working directory). */
export const DEMO_FIGURES_DIR = "mixed-demo-figures";

/** A shell command wrapped with backslashes to fit 100 columns (indented by 2, continued by 4). */
function wrapCommand(cmd: string): string {
  const lines: string[] = [];
  let line = "  ";
  for (const w of cmd.match(/"[^"]*"|-o \S+|\S+/g) ?? []) {
    if (line.trim().length > 0 && line.length + 1 + w.length > 96) {
      lines.push(`${line} \\`);
      line = "    ";
    }
    line += line.trim().length > 0 ? ` ${w}` : w;
  }
  lines.push(line);
  return lines.join("\n");
}

async function figures(out: (s: string) => void, dir: string): Promise<void> {
  const plot = await import("../../plot/index.ts");
  const { svgToPng } = await import("../../node/svg-to-png.ts");
  const gas = await readData("Gasoline");
  const cof = await readData("coffee");
  const gasYear = fitLmm("LCarPCap ~ Year + (1 | Country)", gas, { REML: true });
  const mm = fitLmm("y ~ x + (x | group)", cof, { REML: true });
  const g = { x: "Year", y: "LCarPCap", group: "Country" };
  const c = { x: "x", y: "y", group: "group" };
  const made: [string, string, string][] = [
    [
      "gasoline-panel",
      plot.panel(gas, {
        ...g,
        covariate: "LIncomeP",
        highlight: ["JAPAN", "U.S.A.", "TURKEY"],
        population: gasYear,
      }),
      `mixed plot panel "LCarPCap ~ Year + (1 | Country)" --data Gasoline --covariate LIncomeP --highlight JAPAN,U.S.A.,TURKEY`,
    ],
    [
      "gasoline-trajectories",
      plot.trajectories(gas, { ...g, population: gasYear }),
      `mixed plot trajectories "LCarPCap ~ Year + (1 | Country)" --data Gasoline`,
    ],
    [
      "coffee-facets",
      plot.facets(cof, { ...c, fit: mm }),
      `mixed plot facets "y ~ x + (x | group)" --data coffee`,
    ],
    ["coffee-pooled", plot.pooled(cof, c), `mixed plot pooled "y ~ x" --data coffee`],
    [
      "coffee-between-within",
      plot.betweenWithin(cof, c),
      `mixed plot between-within "y ~ x + (x | group)" --data coffee`,
    ],
  ];
  mkdirSync(dir, { recursive: true });
  out(banner(`3. Seed figures (SVG and PNG), written to ${resolve(dir)}`));
  for (const [name, svg, cmd] of made) {
    writeFileSync(join(dir, `${name}.svg`), `${svg}\n`);
    writeFileSync(join(dir, `${name}.png`), await svgToPng(svg));
    out(`${name}.svg, ${name}.png; the SVG is also made by\n${wrapCommand(`${cmd} -o ${name}.svg`)}\n`);
  }
  const { reportHtml } = await import("../../html/report-html.ts");
  writeFileSync(join(dir, "coffee-report.html"), reportHtml(mm, cof));
  out(
    `coffee-report.html (summary, diagnostics, variance decomposition, figures in one page), made by\n${wrapCommand(`mixed report "y ~ x + (x | group)" --data coffee -o coffee-report.html`)}\n`,
  );
}

export async function runDemo(opts: { figures?: string } = {}): Promise<number> {
  const out = (s: string) => process.stdout.write(s);
  await gasoline(out);
  await coffee(out);
  await figures(out, opts.figures ?? DEMO_FIGURES_DIR);
  return 0;
}
