/**
 * The datasets bundled in `data/` (CSV + `.meta.json`): lookup by case-insensitive name and the
 * listing behind `mixed data`.
 */
import { readdirSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { parseSchema } from "../data/schema.ts";
import { bundledDataDir } from "./package-root.ts";

export interface DatasetInfo {
  readonly name: string;
  readonly rows: number;
  readonly columns: number;
  readonly description: string;
}

/** One-line descriptions (written from data/README.md and each meta file's `origin`). */
const DESCRIPTIONS: Readonly<Record<string, string>> = {
  sleepstudy: "reaction times of 18 subjects over 10 days of sleep restriction (lme4; Belenky et al. 2003)",
  Dyestuff: "yield of dyestuff from 6 batches, 5 preparations each (lme4; Davies & Goldsmith 1972)",
  Dyestuff2: "simulated yields in the Dyestuff layout, a boundary (singular) fit (lme4; Box & Tiao 1973)",
  Penicillin: "penicillin potency: 6 samples assayed on each of 24 plates, crossed (lme4)",
  Pastes: "paste strength: 10 batches, 3 casks per batch, nested (lme4)",
  cbpp: "contagious bovine pleuropneumonia cases in 15 herds over 4 periods, binomial (lme4)",
  InstEval: "ETH Zurich lecture ratings: 2972 students rate 1128 lecturers (lme4)",
  cake: "breakage angle of cakes: 3 recipes x 6 baking temperatures, 15 replicates (lme4)",
  Gasoline: "gasoline use per car in 18 OECD countries, 1960-1978 (plm; Baltagi & Griffin 1983)",
  coffee: "simulated: 1000 observations in 100 groups with random intercepts and slopes (set.seed(1))",
};

export interface BundledDataset {
  readonly name: string;
  readonly csvPath: string;
  readonly metaPath: string;
}

let catalog: readonly BundledDataset[] | undefined;

/** Every bundled dataset (a `data/X.csv` with a `data/X.meta.json`), sorted case-insensitively. */
export function bundledDatasets(): readonly BundledDataset[] {
  if (catalog) return catalog;
  const dir = bundledDataDir();
  const files = new Set(readdirSync(dir));
  catalog = [...files]
    .filter((f) => f.endsWith(".csv") && files.has(`${f.slice(0, -4)}.meta.json`))
    .map((f) => {
      const name = f.slice(0, -4);
      return { name, csvPath: join(dir, f), metaPath: join(dir, `${name}.meta.json`) };
    })
    .sort((a, b) => a.name.toLowerCase().localeCompare(b.name.toLowerCase(), "en"));
  return catalog;
}

/** The bundled dataset called `name` (case-insensitive), or undefined. */
export function findBundled(name: string): BundledDataset | undefined {
  const lower = name.toLowerCase();
  return bundledDatasets().find((d) => d.name.toLowerCase() === lower);
}

/** Name, size and a one-line description of each bundled dataset (from the meta files). */
export async function listDatasets(): Promise<DatasetInfo[]> {
  return Promise.all(
    bundledDatasets().map(async (d) => {
      const schema = parseSchema(await readFile(d.metaPath, "utf8"), d.metaPath);
      return {
        name: d.name,
        rows: schema.nrow ?? 0,
        columns: schema.ncol ?? schema.columns.length,
        description: DESCRIPTIONS[d.name] ?? schema.origin ?? "",
      };
    }),
  );
}
