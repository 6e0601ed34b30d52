/**
 * R's model.matrix() column names, assign and values for tricky formulas
 * (fixture: test/reference/design/model-matrix.json from scripts/fixtures/model-matrix.R).
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { dropAliasedColumns } from "../../../src/design/design.ts";
import { buildModelFrame } from "../../../src/design/model-frame.ts";
import { buildModelMatrix } from "../../../src/design/model-matrix.ts";
import { parseFormula } from "../../../src/formula/parse-formula.ts";
import { expectClose } from "../../helpers/expect-close.ts";
import { loadBundled } from "../../helpers/load-bundled.ts";

interface Case {
  data: string;
  rhs: string;
  colnames: string[];
  assign: number[];
  rank: number;
  rows: number[];
  values: number[][];
}
const fixture = JSON.parse(readFileSync("test/reference/design/model-matrix.json", "utf8")) as {
  cases: Case[];
};
const responseOf: Record<string, string> = {
  cake: "angle",
  sleepstudy: "Reaction",
  InstEval: "y",
  Penicillin: "diameter",
  cbpp: "incidence",
  Gasoline: "LCarPCap",
};

for (const c of fixture.cases) {
  test(`model.matrix(${c.rhs}) on ${c.data} matches R`, () => {
    const f = parseFormula(`${responseOf[c.data]} ${c.rhs}`);
    const frame = buildModelFrame(f, loadBundled(c.data));
    const mm = buildModelMatrix(f.fixed, frame.variables, frame.n);
    assert.deepEqual(mm.names, c.colnames);
    assert.deepEqual(Array.from(mm.assign), c.assign);
    c.rows.forEach((r, k) => {
      const row = Array.from({ length: mm.p }, (_, j) => mm.X[j * mm.n + (r - 1)]);
      expectClose(row, c.values[k], { rtol: 1e-12, atol: 1e-12, label: `row ${r}` });
    });
    assert.equal(dropAliasedColumns(mm).keep.length, c.rank, "rank");
  });
}
