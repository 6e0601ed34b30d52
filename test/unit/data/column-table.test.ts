import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ColumnTable } from "../../../src/data/column-table.ts";
import type { Column } from "../../../src/data/column.ts";

const x: Column = {
  kind: "numeric",
  name: "x",
  values: Float64Array.from([1, Number.NaN, 3, 4]),
  integer: false,
};
const g: Column = {
  kind: "factor",
  name: "g",
  codes: Int32Array.from([0, 1, -1, 1]),
  levels: ["a", "b"],
  ordered: false,
  contrasts: null,
};

describe("ColumnTable", () => {
  const t = new ColumnTable("d", [x, g]);

  test("shape and lookup", () => {
    assert.equal(t.name, "d");
    assert.equal(t.nrow, 4);
    assert.equal(t.ncol, 2);
    assert.deepEqual(t.names, ["x", "g"]);
    assert.equal(t.column("g"), g);
    assert.equal(t.column("G"), undefined);
    assert.throws(() => (t.names as string[]).push("z"));
  });

  test("select shares columns and keeps the requested order", () => {
    const s = t.select(["g", "x"]);
    assert.deepEqual(s.names, ["g", "x"]);
    assert.equal(s.column("x"), x);
    assert.throws(() => t.select(["y"]), {
      code: "E_DATA_UNKNOWN_COLUMN",
      message: /'y' is not in data 'd'.*'x', 'g'/,
    });
  });

  test("rowsComplete marks rows with no missing value in the named columns", () => {
    assert.deepEqual(Array.from(t.rowsComplete(["x"])), [1, 0, 1, 1]);
    assert.deepEqual(Array.from(t.rowsComplete(["g"])), [1, 1, 0, 1]);
    assert.deepEqual(Array.from(t.rowsComplete(["x", "g"])), [1, 0, 0, 1]);
    assert.deepEqual(Array.from(t.rowsComplete([])), [1, 1, 1, 1]);
  });

  test("rejects duplicate names and unequal lengths", () => {
    assert.throws(() => new ColumnTable("d", [x, x]), { code: "E_DATA_DUPLICATE_COLUMN" });
    const short: Column = { ...x, name: "s", values: new Float64Array(2) } as Column;
    assert.throws(() => new ColumnTable("d", [x, short]), RangeError);
  });
});
