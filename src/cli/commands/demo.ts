/**
 * `mixed demo` (what `npm start` runs): fit the bundled example models and print their summaries.
 */
import { fitLm, lmSummary, parseFormula } from "../../index.ts";
import { readData } from "../../node/read-data.ts";

export async function runDemo(): Promise<number> {
  const out = (s: string) => process.stdout.write(s);
  out("== coffee: ordinary linear model y ~ x ==\n\n");
  const coffee = await readData("coffee");
  out(lmSummary(fitLm(parseFormula("y ~ x"), coffee)));
  return 0;
}
