/**
 * Fuzzing the CSV reader with hostile text and bytes: every input gives a well-formed table or a
 * typed `MixedError` (never another exception), and the result does not depend on how the input
 * is cut into chunks. Seeded; `MIXED_FUZZ_RUNS` raises the number of runs locally.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import type { ColumnTable } from "../../../src/data/column-table.ts";
import { CsvBuilder } from "../../../src/data/csv-builder.ts";
import { MixedError } from "../../../src/errors.ts";
import { tablePlain } from "./table-plain.ts";

const RUNS = Number(process.env.MIXED_FUZZ_RUNS ?? 400);

const PIECES = [
  ",",
  '"',
  '""',
  "\n",
  "\r",
  "\r\n",
  "a",
  "b",
  "1",
  "-0",
  "1e400",
  "0x10",
  " ",
  "NA",
  "NaN",
  "Inf",
  "\u0000",
  "é",
  "\ufeff",
  "😀",
  "\u001b",
  "constructor",
  "__proto__",
];

type Outcome = { ok: unknown } | { code: string };

function outcome(run: () => ColumnTable): Outcome {
  try {
    const t = run();
    for (const c of t.columns) {
      const n = c.kind === "numeric" ? c.values.length : c.codes.length;
      assert.equal(n, t.nrow, `column ${c.name} has ${n} rows, the table ${t.nrow}`);
    }
    return { ok: tablePlain(t) };
  } catch (e) {
    if (!(e instanceof MixedError)) throw e;
    assert.ok(e.message.length < 3000, `message of ${e.message.length} characters`);
    return { code: e.code };
  }
}

function fromText(text: string, cuts: number[]): ColumnTable {
  const b = new CsvBuilder({ name: "fuzz" });
  let at = 0;
  for (const c of cuts.map((x) => x % (text.length + 1)).sort((x, y) => x - y)) {
    b.write(text.slice(at, c));
    at = c;
  }
  b.write(text.slice(at));
  return b.finish();
}

function fromBytes(
  bytes: Uint8Array,
  cuts: number[],
  encoding: "utf-8" | "latin1" | "utf-16le",
): ColumnTable {
  const b = new CsvBuilder({ name: "fuzz", encoding });
  let at = 0;
  for (const c of cuts.map((x) => x % (bytes.length + 1)).sort((x, y) => x - y)) {
    b.writeBytes(bytes.subarray(at, c));
    at = c;
  }
  b.writeBytes(bytes.subarray(at));
  return b.finish();
}

test("hostile CSV text: a table or a typed error, the same however it is chunked", () => {
  fc.assert(
    fc.property(
      fc.array(fc.constantFrom(...PIECES), { maxLength: 60 }),
      fc.array(fc.nat(), { maxLength: 4 }),
      (pieces, cuts) => {
        const text = `y,x\n${pieces.join("")}`;
        assert.deepEqual(
          outcome(() => fromText(text, cuts)),
          outcome(() => fromText(text, [])),
        );
      },
    ),
    { seed: 2026, numRuns: RUNS },
  );
});

test("hostile CSV bytes in each encoding: a table or a typed error, the same however chunked", () => {
  fc.assert(
    fc.property(
      fc.uint8Array({ maxLength: 80 }),
      fc.array(fc.nat(), { maxLength: 4 }),
      fc.constantFrom("utf-8" as const, "latin1" as const, "utf-16le" as const),
      (bytes, cuts, encoding) => {
        assert.deepEqual(
          outcome(() => fromBytes(bytes, cuts, encoding)),
          outcome(() => fromBytes(bytes, [], encoding)),
        );
      },
    ),
    { seed: 2026, numRuns: RUNS },
  );
});
