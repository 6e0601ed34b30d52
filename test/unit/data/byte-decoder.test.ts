/**
 * Strict decoding of CSV bytes: invalid UTF-8 is refused naming the line and byte (never replaced
 * by U+FFFD, which merged distinct factor levels), whatever the chunking; explicit encodings.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { ByteDecoder, firstInvalidUtf8 } from "../../../src/data/byte-decoder.ts";
import { CsvBuilder } from "../../../src/data/csv-builder.ts";
import { parseCsv } from "../../../src/data/parse-csv.ts";
import { factorValues, tablePlain } from "./table-plain.ts";

const bytes = (...parts: (string | readonly number[])[]): Uint8Array =>
  Uint8Array.from(
    parts.flatMap((p) => (typeof p === "string" ? Array.from(new TextEncoder().encode(p)) : p)),
  );

/** Feed `b` to a builder in pieces cut at `cuts`. */
function chunked(b: Uint8Array, cuts: number[], encoding?: "utf-8" | "latin1" | "utf-16le") {
  const builder = new CsvBuilder({ name: "t", encoding });
  let at = 0;
  for (const c of [...cuts].sort((x, y) => x - y)) {
    builder.writeBytes(b.subarray(at, c));
    at = c;
  }
  builder.writeBytes(b.subarray(at));
  return builder.finish();
}

test("firstInvalidUtf8 follows Unicode Table 3-7", () => {
  assert.equal(firstInvalidUtf8(bytes("abc é € 😀")), -1);
  assert.equal(firstInvalidUtf8(bytes("ab", [0xe9], "c")), 2, "Latin-1 é");
  assert.equal(firstInvalidUtf8(bytes("a", [0xc0, 0x80])), 1, "overlong NUL");
  assert.equal(firstInvalidUtf8(bytes([0xe0, 0x80, 0x80])), 0, "overlong 3-byte");
  assert.equal(firstInvalidUtf8(bytes([0xed, 0xa0, 0x80])), 0, "surrogate");
  assert.equal(firstInvalidUtf8(bytes([0xf4, 0x90, 0x80, 0x80])), 0, "above U+10FFFF");
  assert.equal(firstInvalidUtf8(bytes("ab", [0xe2, 0x82])), 2, "cut off at the end");
  assert.equal(firstInvalidUtf8(bytes([0x80])), 0, "stray continuation byte");
});

test("distinct Latin-1 levels are refused in UTF-8, naming line and byte", () => {
  const b = bytes("y,g\n1,caf", [0xe9], "\n2,caf", [0xe8], "\n");
  assert.throws(() => parseCsv(b, { name: "t" }), {
    code: "E_DATA_BAD_ENCODING",
    message: /'t' is not valid UTF-8 text: byte 0xE9 on line 2 \(byte 6 of the line\)[\s\S]*latin1/,
  });
});

test("with encoding latin1 the two levels stay distinct", () => {
  const b = bytes("y,g\n1,caf", [0xe9], "\n2,caf", [0xe8], "\n");
  const t = parseCsv(b, { name: "t", encoding: "latin1" });
  assert.deepEqual(factorValues(t, "g"), ["café", "cafè"]);
});

function utf16le(text: string): Uint8Array {
  const out = new Uint8Array(text.length * 2);
  for (let i = 0; i < text.length; i++) {
    out[2 * i] = text.charCodeAt(i) & 0xff;
    out[2 * i + 1] = text.charCodeAt(i) >> 8;
  }
  return out;
}

test("windows-1252 and utf-16le decode (split anywhere); a BOM is dropped", () => {
  const w = parseCsv(bytes("y,g\n1,", [0x80], "\n"), { name: "t", encoding: "windows-1252" });
  assert.deepEqual(factorValues(w, "g"), ["€"]);
  const u16 = utf16le("\ufeffy,g\n1,ä\n2,😀\n");
  const want = tablePlain(parseCsv("y,g\n1,ä\n2,😀\n", { name: "t" }));
  for (let cut = 0; cut <= u16.length; cut++) {
    assert.deepEqual(tablePlain(chunked(u16, [cut], "utf-16le")), want, `cut at ${cut}`);
  }
  const bom8 = parseCsv(bytes([0xef, 0xbb, 0xbf], "y,g\n1,a\n"), { name: "t" });
  assert.deepEqual(bom8.names, ["y", "g"]);
});

test("UTF-16 without --encoding: a BOM or NUL bytes are refused with a hint", () => {
  assert.throws(() => parseCsv(utf16le("\ufeffy,g\n1,a\n"), { name: "t" }), {
    code: "E_DATA_BAD_ENCODING",
    message: /UTF-16 byte-order mark[\s\S]*utf-16le/,
  });
  assert.throws(() => parseCsv(utf16le("y,g\n1,a\n"), { name: "t" }), {
    code: "E_DATA_BAD_ENCODING",
    message: /NUL byte on line 1[\s\S]*utf-16le/,
  });
  assert.throws(() => parseCsv("y,g\n1,a\n2,b\u0000c\n", { name: "t" }), {
    code: "E_DATA_BAD_ENCODING",
    message: /NUL byte on line 3/,
  });
});

test("a file that ends inside a character is refused", () => {
  assert.throws(() => parseCsv(bytes("y,g\n1,a\n2,b", [0xc3]), { name: "t" }), {
    code: "E_DATA_BAD_ENCODING",
    message: /ends in the middle of a character, on line 3 \(byte 4 of the line\)/,
  });
});

test("valid UTF-8 decodes the same however the bytes are chunked", () => {
  const b = bytes('y,g\n1,é\n2,€\n3,😀\n4,"a,\né"\n');
  const want = tablePlain(parseCsv(b, { name: "t" }));
  for (let c1 = 0; c1 <= b.length; c1++) {
    for (let c2 = c1; c2 <= b.length; c2 += 3) {
      assert.deepEqual(tablePlain(chunked(b, [c1, c2])), want, `cuts ${c1}, ${c2}`);
    }
  }
});

test("an invalid byte is located on the same line and byte however the input is chunked", () => {
  fc.assert(
    fc.property(
      fc.array(fc.constantFrom("a", "é", "€", "😀", "\n", "1", " "), { maxLength: 40 }),
      fc.constantFrom([0xe9], [0x80], [0xc0, 0x80], [0xed, 0xa0, 0x80], [0xf8]),
      fc.array(fc.nat(), { maxLength: 3 }),
      (pre, bad, cuts) => {
        const head = `y\n${pre.join("")}`;
        const b = bytes(head, bad, "z\n");
        const lines = head.split("\n");
        const line = lines.length;
        const col = new TextEncoder().encode(lines[lines.length - 1]).length + 1;
        const positions = cuts.map((c) => c % (b.length + 1));
        assert.throws(
          () => chunked(b, positions),
          (e: Error & { code?: string }) => {
            assert.equal(e.code, "E_DATA_BAD_ENCODING");
            assert.match(e.message, new RegExp(`on line ${line} \\(byte ${col} of the line\\)`));
            return true;
          },
        );
      },
    ),
    { seed: 6, numRuns: 300 },
  );
});

test("ByteDecoder counts the bytes it has consumed", () => {
  const d = new ByteDecoder();
  assert.equal(d.decode(bytes("ab", [0xc3])), "ab");
  assert.equal(d.decode(bytes([0xa9])), "é");
  assert.equal(d.end(), "");
  assert.equal(d.offset, 4);
});
