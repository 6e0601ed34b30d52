/**
 * The README, docs/, package.json and `mixed --help` claim only what the code does: families beyond
 * gaussian, binomial and Poisson do not exist yet, so they are mentioned only in a paragraph that
 * says they are not implemented. (GLMMs — binomial and Poisson, Laplace and adaptive Gauss–Hermite —
 * plots, prediction, anova and Bayesian fitting exist.)
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { runCli } from "../../helpers/run-cli.ts";

const NOT_YET = /\b(Gamma family|negative binomial|inverse Gaussian|quasi-?(binomial|poisson))\b/i;

function unbackedClaims(name: string, text: string): string[] {
  return text
    .split(/\n\s*\n/)
    .filter((para) => NOT_YET.test(para) && !/not implemented/i.test(para))
    .map((para) => `${name}: ${para.trim().slice(0, 120)}`);
}

test("README, docs and package.json mention missing features only as not implemented", () => {
  const docs = readdirSync("docs").filter((f) => f.endsWith(".md"));
  const claims = [
    ...unbackedClaims("README.md", readFileSync("README.md", "utf8")),
    ...docs.flatMap((f) => unbackedClaims(`docs/${f}`, readFileSync(join("docs", f), "utf8"))),
    ...unbackedClaims(
      "package.json description",
      JSON.parse(readFileSync("package.json", "utf8")).description,
    ),
  ];
  assert.deepEqual(claims, []);
  assert.deepEqual(
    unbackedClaims("x", "Fits negative binomial GLMMs."),
    ["x: Fits negative binomial GLMMs."],
    "the check bites",
  );
});

test("mixed --help and mixed fit --help offer the generalized models that exist, and no others", () => {
  for (const args of [["--help"], ["fit", "--help"]]) {
    const r = runCli(args);
    assert.equal(r.status, 0);
    assert.doesNotMatch(r.stdout, NOT_YET, `mixed ${args.join(" ")}`);
  }
  const fit = runCli(["fit", "--help"]).stdout;
  assert.match(fit, /--family <family>[\s\S]*glmer/);
  assert.match(fit, /--nagq <n>[\s\S]*Gauss-Hermite/);
});
