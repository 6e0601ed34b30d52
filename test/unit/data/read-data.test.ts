import assert from "node:assert/strict";
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { after, describe, test } from "node:test";
import { CsvBuilder } from "../../../src/data/csv-builder.ts";
import { parseCsv } from "../../../src/data/parse-csv.ts";
import { listDatasets, readData } from "../../../src/node/read-data.ts";
import { streamInto } from "../../../src/node/stream-into.ts";
import { factorValues, numericValues, tablePlain } from "./table-plain.ts";

interface Meta {
  name: string;
  nrow: number;
  ncol: number;
  columns: { name: string; type: string; ordered?: boolean; levels?: string[] }[];
}

const metas: Meta[] = readdirSync("data")
  .filter((f) => f.endsWith(".meta.json"))
  .map((f) => JSON.parse(readFileSync(join("data", f), "utf8")) as Meta);

const dir = mkdtempSync(join(tmpdir(), "mixedmodels-read-data-"));
after(() => rmSync(dir, { recursive: true, force: true }));

describe("bundled datasets", () => {
  for (const m of metas) {
    test(`${m.name} loads with the meta's shape, types and level order`, async () => {
      const t = await readData(m.name.toUpperCase());
      assert.equal(t.name, m.name);
      assert.equal(t.nrow, m.nrow);
      assert.equal(t.names.length, m.ncol);
      assert.deepEqual(
        t.names,
        m.columns.map((c) => c.name),
      );
      for (const mc of m.columns) {
        const c = t.column(mc.name);
        if (mc.type === "factor") {
          assert.ok(c?.kind === "factor", mc.name);
          assert.deepEqual(c.levels, mc.levels);
          assert.equal(c.ordered, mc.ordered);
          assert.ok(c.codes.every((k) => k >= -1 && k < c.levels.length));
        } else {
          assert.ok(c?.kind === "numeric", mc.name);
          assert.equal(c.integer, mc.type === "integer");
        }
      }
    });
  }

  test("cake temperature is an ordered factor in the meta's order", async () => {
    const t = await readData("cake");
    const temp = t.column("temperature");
    assert.ok(temp?.kind === "factor");
    assert.equal(temp.ordered, true);
    assert.equal(temp.contrasts, "contr.poly");
    assert.deepEqual(temp.levels, ["175", "185", "195", "205", "215", "225"]);
  });

  test("InstEval d keeps R's (unsorted) level order and name lookup is case-insensitive", async () => {
    const t = await readData("instEval");
    const d = t.column("d");
    assert.ok(d?.kind === "factor");
    assert.equal(d.levels.length, 1128);
    assert.deepEqual(d.levels.slice(0, 5), ["1", "6", "7", "8", "12"]);
    assert.equal(factorValues(t, "d")[0], "1002"); // first data row of InstEval.csv
    assert.equal(numericValues(t, "y")[0], 5);
  });

  test("listDatasets: rows, columns and a one-line description for each", async () => {
    const sets = await listDatasets();
    assert.deepEqual(sets.map((s) => s.name).sort(), metas.map((m) => m.name).sort());
    const sleep = sets.find((s) => s.name === "sleepstudy");
    assert.deepEqual({ rows: sleep?.rows, columns: sleep?.columns }, { rows: 180, columns: 3 });
    for (const s of sets) {
      assert.ok(s.description.length > 10 && !s.description.includes("\n"), s.name);
    }
  });
});

describe("reading files", () => {
  const csv = 'id,g,y\r\n1,"b",1.5\r\n2,"a, x",NA\r\n3,"ü€𝄞\r\nline",2e3\r\n';

  test("a CSV path uses its sibling .meta.json; --schema overrides it", async () => {
    writeFileSync(join(dir, "s.csv"), csv);
    writeFileSync(
      join(dir, "s.meta.json"),
      JSON.stringify({ name: "s", columns: [{ name: "id", type: "factor", levels: ["3", "2", "1"] }] }),
    );
    const t = await readData(join(dir, "s.csv"));
    assert.equal(t.name, "s");
    const id = t.column("id");
    assert.ok(id?.kind === "factor");
    assert.deepEqual(id.levels, ["3", "2", "1"]);
    writeFileSync(
      join(dir, "other.json"),
      JSON.stringify({ name: "o", columns: [{ name: "id", type: "integer" }] }),
    );
    const o = await readData(join(dir, "s.csv"), { schemaPath: join(dir, "other.json") });
    assert.deepEqual(numericValues(o, "id"), [1, 2, 3]);
  });

  test("the file is streamed: 7-byte chunks (splitting UTF-8 characters) give the same table", async () => {
    const path = join(dir, "chunks.csv");
    writeFileSync(path, csv);
    const b = new CsvBuilder({ name: "chunks" });
    await streamInto(path, b, (e) => e as Error, 7);
    assert.deepEqual(tablePlain(b.finish()), tablePlain(parseCsv(csv, { name: "chunks" })));
    assert.deepEqual(factorValues(await readData(path), "g"), ["b", "a, x", "ü€𝄞\r\nline"]);
  });

  test("the input file is never modified", async () => {
    const path = join(dir, "keep.csv");
    writeFileSync(path, csv);
    const before = statSync(path);
    const bytes = readFileSync(path);
    await new Promise((r) => setTimeout(r, 20));
    await readData(path);
    const afterStat = statSync(path);
    assert.deepEqual(readFileSync(path), bytes);
    assert.equal(afterStat.mtimeMs, before.mtimeMs);
    assert.equal(afterStat.size, before.size);
  });

  test("'-' reads standard input (byte chunks split inside a UTF-8 character)", async () => {
    const bytes = Buffer.from(`\uFEFF${csv}`, "utf8");
    const chunks = [];
    for (let i = 0; i < bytes.length; i += 5) chunks.push(bytes.subarray(i, i + 5));
    const t = await readData("-", { stdin: Readable.from(chunks) });
    assert.equal(t.name, "stdin");
    assert.deepEqual(tablePlain(t), tablePlain(parseCsv(csv, { name: "stdin" })));
  });

  const errors: [string, () => Promise<unknown>, string, RegExp][] = [
    [
      "missing file",
      () => readData(join(dir, "nope.csv")),
      "E_DATA_FILE_NOT_FOUND",
      /nope\.csv' does not exist/,
    ],
    [
      "missing file named like a bundled dataset",
      () => readData(join(dir, "sleepstudy.csv")),
      "E_DATA_FILE_NOT_FOUND",
      /did you mean the bundled dataset 'sleepstudy'/,
    ],
    ["a directory", () => readData(dir), "E_DATA_NOT_A_FILE", /is a directory/],
    [
      "unknown dataset",
      () => readData("sleepstudyy"),
      "E_DATA_UNKNOWN_DATASET",
      /did you mean 'sleepstudy'.*cake, cbpp/,
    ],
    [
      "missing schema file",
      () => readData("cake", { schemaPath: join(dir, "x.meta.json") }),
      "E_DATA_FILE_NOT_FOUND",
      /schema file/,
    ],
    [
      "empty file",
      async () => {
        writeFileSync(join(dir, "empty.csv"), "");
        return readData(join(dir, "empty.csv"));
      },
      "E_DATA_EMPTY",
      /'empty' is empty/,
    ],
    [
      "header only",
      async () => {
        writeFileSync(join(dir, "head.csv"), "a,b\n");
        return readData(join(dir, "head.csv"));
      },
      "E_DATA_NO_ROWS",
      /no data rows/,
    ],
  ];
  for (const [what, run, code, message] of errors) {
    test(`error: ${what}`, async () => {
      await assert.rejects(run, (e: Error & { code?: string }) => {
        assert.equal(e.code, code);
        assert.match(e.message, message);
        return true;
      });
    });
  }

  test("error: unreadable file", {
    skip: process.getuid?.() === 0 ? "root can read any file" : false,
  }, async () => {
    const path = join(dir, "secret.csv");
    writeFileSync(path, csv);
    chmodSync(path, 0o000);
    await assert.rejects(readData(path), { code: "E_DATA_UNREADABLE" });
  });
});
