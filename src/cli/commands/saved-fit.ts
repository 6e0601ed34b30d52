/**
 * `--fit FILE.json` of `mixed predict` and `mixed confint`: a fit saved with `mixed fit ... --json`
 * (or `fit.toJSON()`), restored with the data by `restoreLmm` (a GLMM's by `restoreGlmm`) instead of
 * fitting again. A formula, `--reml`/`--ml`, `--weights`, `--family`, `--link` or `--nagq` given as
 * well must agree with the saved fit. Without `--fit` the
 * model is fitted: an LMM, or with `--family binomial|poisson` (`--link`, `--nagq`) a GLMM.
 */
import { readFile } from "node:fs/promises";
import type { ColumnTable } from "../../data/column-table.ts";
import { deparseFormula } from "../../formula/deparse-formula.ts";
import {
  DataError,
  fitGlmm,
  fitLmm,
  type GlmmFit,
  type LmmFit,
  OptionError,
  parseFormula,
  restoreGlmm,
  restoreLmm,
  SpecError,
} from "../../index.ts";
import { quote } from "../../util/quote.ts";
import type { ModelOptions } from "../main.ts";
import { glmmFamily, parseNagq } from "./fit-glmm.ts";

async function readFitFile(path: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === "ENOENT" || code === "ENOTDIR")
      throw new DataError(
        "E_DATA_FILE_NOT_FOUND",
        `the saved fit ${quote(path, 200)} does not exist`,
        "save a fit with `mixed fit FORMULA --data DATA --json > FILE.json`",
      );
    if (code === "EISDIR")
      throw new DataError(
        "E_DATA_NOT_A_FILE",
        `the saved fit ${quote(path, 200)} is a directory, not a file`,
      );
    throw new DataError(
      "E_DATA_UNREADABLE",
      `cannot read the saved fit ${quote(path, 200)} (${(e as Error).message})`,
    );
  }
}

/**
 * The fit of a command: restored from `--fit` with `data`, or fitted from `formulaText`.
 * `command` names the subcommand in messages.
 */
export async function fitOrRestore(
  command: string,
  formulaText: string | undefined,
  opts: ModelOptions & { fit?: string },
  data: ColumnTable,
): Promise<LmmFit | GlmmFit> {
  const family = glmmFamily(opts);
  if (family && (opts.reml || opts.ml))
    throw new OptionError(
      `--reml/--ml apply to linear mixed models, not to --family ${family}`,
      "a GLMM is fitted by maximum likelihood (Laplace, or --nagq N)",
    );
  if (!family && opts.link !== undefined)
    throw new OptionError("--link needs --family binomial or poisson", "or drop --link");
  if (!family && opts.nagq !== undefined) throw new OptionError("--nagq applies to generalized models only");
  if (opts.fit === undefined) {
    if (formulaText === undefined)
      throw new OptionError(`mixed ${command} needs a formula, or a saved fit with --fit FILE.json`);
    const formula = parseFormula(formulaText);
    if (formula.random.length === 0)
      throw new OptionError(`mixed ${command} needs a mixed model: the formula has no random-effects term`);
    if (family)
      return fitGlmm(formula, data, {
        family,
        link: opts.link,
        nAGQ: parseNagq(opts.nagq),
        weights: opts.weights,
      });
    return fitLmm(formula, data, { REML: !opts.ml, weights: opts.weights });
  }
  const text = await readFitFile(opts.fit);
  let saved: Record<string, unknown>;
  try {
    saved = JSON.parse(text);
  } catch (e) {
    throw new SpecError(
      "E_FIT_BAD_JSON",
      `the saved fit ${quote(opts.fit, 200)} is not JSON (${(e as Error).message})`,
      "save a fit with `mixed fit FORMULA --data DATA --json > FILE.json`",
    );
  }
  if (saved === null || typeof saved !== "object") saved = {};
  const disagree = (what: string, stored: string) =>
    new OptionError(
      `${what} disagrees with the saved fit ${quote(opts.fit!, 200)} (${stored})`,
      "leave it out: the saved fit's model is used",
    );
  if (formulaText !== undefined && typeof saved.formula === "string") {
    if (deparseFormula(formulaText) !== deparseFormula(saved.formula))
      throw disagree(`the formula ${quote(formulaText)}`, `formula ${quote(saved.formula)}`);
  }
  if ((opts.ml && saved.REML === true) || (opts.reml && saved.REML === false))
    throw disagree(opts.ml ? "--ml" : "--reml", saved.REML ? "fitted by REML" : "fitted by ML");
  const weights = typeof saved.weights === "string" ? saved.weights : undefined;
  if (opts.weights !== undefined && opts.weights !== weights)
    throw disagree(`--weights ${quote(opts.weights)}`, weights ? `weights ${quote(weights)}` : "no weights");
  const savedFamily = typeof saved.family === "string" ? saved.family : "gaussian";
  if (opts.family !== undefined && opts.family !== savedFamily)
    throw disagree(`--family ${opts.family}`, `family ${savedFamily}`);
  if (opts.link !== undefined && opts.link !== saved.link)
    throw disagree(`--link ${opts.link}`, `link ${String(saved.link)}`);
  if (opts.nagq !== undefined && parseNagq(opts.nagq) !== saved.nAGQ)
    throw disagree(`--nagq ${opts.nagq}`, `nAGQ ${String(saved.nAGQ)}`);
  return saved.model_class === "glmerMod" ? restoreGlmm(saved, data) : restoreLmm(saved, data);
}
