import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { CsvBuilder } from "../../../src/data/csv-builder.ts";
import { DICTIONARY_LIMIT } from "../../../src/data/inferred-column.ts";
import { parseCsv } from "../../../src/data/parse-csv.ts";
import { factorValues, numericValues, tablePlain } from "./table-plain.ts";

const parse = (text: string) => parseCsv(text, { name: "t" });

function chunked(text: string, size: number) {
  const b = new CsvBuilder({ name: "t" });
  for (let i = 0; i < text.length; i += size) b.write(text.slice(i, i + size));
  return b.finish();
}

describe("CSV syntax (RFC 4180)", () => {
  test("quoted fields with commas, doubled quotes and embedded newlines", () => {
    const t = parse('id,text\n1,"a, b"\n2,"say ""hi"""\n3,"two\nlines"\n4,plain\n');
    assert.deepEqual(t.names, ["id", "text"]);
    assert.deepEqual(factorValues(t, "text"), ["a, b", 'say "hi"', "two\nlines", "plain"]);
    assert.deepEqual(numericValues(t, "id"), [1, 2, 3, 4]);
  });

  test("BOM is dropped, CRLF and CR line breaks are recognised", () => {
    const lf = parse("a,b\n1,x\n2,y\n");
    for (const text of [
      "\uFEFFa,b\n1,x\n2,y\n",
      "a,b\r\n1,x\r\n2,y\r\n",
      "\uFEFFa,b\r\n1,x\r\n2,y",
      "a,b\r1,x\r2,y\r",
    ]) {
      assert.deepEqual(tablePlain(parse(text)), tablePlain(lf), JSON.stringify(text));
    }
  });

  test("a quoted field ending a CRLF line, and an embedded CRLF inside quotes", () => {
    const t = parse('a,b\r\n"x","p\r\nq"\r\n"y","r"\r\n');
    assert.deepEqual(factorValues(t, "a"), ["x", "y"]);
    assert.deepEqual(factorValues(t, "b"), ["p\r\nq", "r"]);
  });

  test("blank lines are skipped and a missing final newline is fine", () => {
    const t = parse("\na,b\n1,2\n\n3,4");
    assert.deepEqual(numericValues(t, "b"), [2, 4]);
    assert.equal(t.nrow, 2);
  });
});

describe("values", () => {
  test("empty, NA and NaN are missing in numeric and factor columns", () => {
    const t = parse('x,g\n1,a\n,b\nNA,NA\nNaN,""\n 2 ,NaN\n');
    const x = numericValues(t, "x");
    assert.equal(x[0], 1);
    assert.ok(Number.isNaN(x[1]) && Number.isNaN(x[2]) && Number.isNaN(x[3]));
    assert.equal(x[4], 2);
    assert.deepEqual(factorValues(t, "g"), ["a", "b", null, null, null]);
  });

  test("Inf and -Inf are kept as infinities in a numeric column", () => {
    assert.deepEqual(numericValues(parse("x\n1\nInf\n-Inf\n"), "x"), [1, Infinity, -Infinity]);
  });

  test("numbers in all their spellings", () => {
    const t = parse('x\n1e-05\n.5\n-2.50\n+3\n"7"\n');
    assert.deepEqual(numericValues(t, "x"), [1e-5, 0.5, -2.5, 3, 7]);
  });

  test("hex literals are not numbers: the column is a factor", () => {
    assert.equal(parse("x\n0x10\n1\n").column("x")?.kind, "factor");
  });

  test("without a schema: numeric when every value parses, else a factor with C-locale sorted levels", () => {
    const t = parse("n,f,m\n10,b,2\n2,B,a\n1,a,10\n3,_,1\n");
    assert.equal(t.column("n")?.kind, "numeric");
    const f = t.column("f");
    assert.ok(f?.kind === "factor");
    // byte order: 'B' (0x42) < '_' (0x5F) < 'a' (0x61) < 'b'
    assert.deepEqual(f.levels, ["B", "_", "a", "b"]);
    assert.deepEqual(Array.from(f.codes), [3, 0, 2, 1]);
    assert.equal(f.ordered, false);
    assert.equal(f.contrasts, null);
    // one non-number makes the column a factor; its numbers are levels spelt as in the file
    const m = t.column("m");
    assert.ok(m?.kind === "factor");
    assert.deepEqual(m.levels, ["1", "10", "2", "a"]);
  });

  test("a numeric column past the dictionary limit that turns out to be a factor keeps the exact texts", () => {
    const n = DICTIONARY_LIMIT + 10;
    const rows: string[] = [];
    for (let i = 0; i < n; i++)
      rows.push(i % 7 === 0 ? `${i}.50` : i === 5 ? "NA" : i === 8 ? "1e-05" : String(i));
    const numeric = parse(`x\n${rows.join("\n")}\n`);
    assert.equal(numeric.column("x")?.kind, "numeric");
    assert.equal(numericValues(numeric, "x")[7], 7.5);
    const t = parse(`x\n${rows.join("\n")}\nzzz\n`);
    const values = factorValues(t, "x");
    assert.equal(values.length, n + 1);
    assert.equal(values[0], "0.50");
    assert.equal(values[5], null);
    assert.equal(values[7], "7.50");
    assert.equal(values[8], "1e-05");
    assert.equal(values[9], "9");
    assert.equal(values[n], "zzz");
    // rows read after the switch to one Float64 per row keep their spelling too
    const late = Math.ceil((DICTIONARY_LIMIT + 2) / 7) * 7;
    assert.equal(values[late], `${late}.50`);
    assert.equal(values[late + 1], String(late + 1));
    const c = t.column("x");
    assert.ok(c?.kind === "factor");
    assert.equal(c.levels.length, n); // n distinct values, one missing, plus "zzz"
  });
});

describe("streaming", () => {
  const tricky =
    '\uFEFF"id","label","y"\r\n1,"a, ""quoted""\r\nline",1.5\r\n2,plain,NA\r\n3,"x",-Inf\r\n\r\n4,"ü€𝄞","2e3"\r\n';

  test("any chunk size gives the same table as one chunk (boundaries inside quotes and CRLF)", () => {
    const whole = tablePlain(parse(tricky));
    for (let size = 1; size <= 13; size++) {
      assert.deepEqual(tablePlain(chunked(tricky, size)), whole, `chunk size ${size}`);
    }
    assert.deepEqual(factorValues(parse(tricky), "label"), ['a, "quoted"\r\nline', "plain", "x", "ü€𝄞"]);
  });

  test("many rows in 7-character chunks", () => {
    const lines = ["g,x"];
    for (let i = 0; i < 2000; i++) lines.push(`"g${i % 37}",${(i * 0.37).toFixed(2)}`);
    const text = lines.join("\r\n");
    assert.deepEqual(tablePlain(chunked(text, 7)), tablePlain(parse(text)));
    assert.equal(parse(text).nrow, 2000);
  });
});

describe("errors", () => {
  const cases: [string, string, string, RegExp][] = [
    ["empty input", "", "E_DATA_EMPTY", /empty/],
    ["only blank lines", "\n  \r\n\n", "E_DATA_EMPTY", /empty/],
    ["header only", "a,b\n", "E_DATA_NO_ROWS", /no data rows/],
    [
      "ragged row (short)",
      "a,b,c\n1,2,3\n4,5\n",
      "E_DATA_RAGGED",
      /line 3 of 't' has 2 fields, but the header has 3/,
    ],
    [
      "ragged row (long)",
      "a,b\n1,2\n3,4,5\n",
      "E_DATA_RAGGED",
      /line 3 of 't' has 3 fields, but the header has 2/,
    ],
    [
      "ragged row after an embedded newline",
      'a,b\n"x\ny",2\n"p",3\n4\n',
      "E_DATA_RAGGED",
      /line 5 of 't' has 1 field, but the header has 2/,
    ],
    ["duplicate header names", "a,b,a\n1,2,3\n", "E_DATA_DUPLICATE_COLUMN", /names column 'a' twice/],
    ["empty header name", "a,,c\n1,2,3\n", "E_DATA_BAD_CSV", /column 2 of 't' has no name/],
    ["unterminated quote", 'a,b\n1,"open\n2,3\n', "E_DATA_BAD_CSV", /never closed .*line 2/],
    ["malformed quote", 'a,b\n1,2\n3,"x"y\n', "E_DATA_BAD_CSV", /malformed quoted field .*line 3/],
  ];
  for (const [what, text, code, message] of cases) {
    test(what, () => {
      assert.throws(
        () => parse(text),
        (e: Error & { code?: string }) => {
          assert.equal(e.name, "DataError");
          assert.equal(e.code, code);
          assert.match(e.message, message);
          return true;
        },
      );
      // the same error when streamed in small chunks
      assert.throws(() => chunked(text, 3), { code });
    });
  }
});

describe("mixed line ends", () => {
  test("CRLF lines in a file that starts with LF do not make 'a\\r' a level of its own", () => {
    const t = parse("y,g\n1,a\r\n2,a\n3,b\r\n4,b\n");
    assert.deepEqual(factorValues(t, "g"), ["a", "a", "b", "b"]);
    for (const size of [1, 2, 3, 5]) {
      assert.deepEqual(
        tablePlain(chunked("y,g\n1,a\r\n2,a\n3,b\r\n4,b\n", size)),
        tablePlain(t),
        `chunks of ${size}`,
      );
    }
  });

  test("bare LF lines in a CRLF file are a ragged-row error that says so", () => {
    assert.throws(() => parse("y,g\r\n1,a\n2,a\r\n"), {
      code: "E_DATA_RAGGED",
      message: /line 2 .* 3 fields[\s\S]*mixes line ends/,
    });
  });
});

describe("hostile headers and values", () => {
  test("a 100,000-column header parses, and a missing column's message stays short", () => {
    const names = Array.from({ length: 100000 }, (_, i) => `c${i}`);
    const t = parse(`${names.join(",")}\n${names.map(() => "1").join(",")}\n`);
    assert.equal(t.ncol, 100000);
    assert.throws(
      () => t.require("nope"),
      (e: Error) => e.message.length < 600,
    );
  });

  test("numbers: -0, ' 1 ', quoted numbers and 1e400 as R reads them; 0x10 is text", () => {
    const t = parse('a,b,c,d\n-0, 1 ,"2",1e400\n1,2,3,0x10\n');
    assert.deepEqual(numericValues(t, "a"), [-0, 1]);
    assert.deepEqual(numericValues(t, "b"), [1, 2]);
    assert.deepEqual(numericValues(t, "c"), [2, 3]);
    assert.deepEqual(factorValues(t, "d"), ["1e400", "0x10"]);
  });
});

describe("options", () => {
  test("parseCsv and CsvBuilder work without options (the dataset is named 'data')", () => {
    const t = parseCsv("y,g\n1,a\n2,b\n");
    assert.equal(t.nrow, 2);
    assert.deepEqual(factorValues(t, "g"), ["a", "b"]);
    const b = new CsvBuilder();
    b.write("y\n3\n");
    assert.deepEqual(numericValues(b.finish(), "y"), [3]);
  });
});
