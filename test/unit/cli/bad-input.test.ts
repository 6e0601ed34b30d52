/**
 * Bad input through the real CLI: exit 1 with a one-paragraph `error[CODE]` message naming the
 * problem, no stack trace; exit 2 for usage errors. The input file is never modified.
 */
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import {
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { runCli } from "../../helpers/run-cli.ts";

const dir = mkdtempSync(join(tmpdir(), "mixed-cli-"));
function csv(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

function expectError(args: string[], code: string, mention: RegExp, input?: string): void {
  const r = runCli(args, input);
  assert.equal(r.status, 1, `exit status for ${args.join(" ")}: ${r.stderr}`);
  assert.equal(r.stdout, "", "nothing on stdout");
  assert.match(r.stderr, new RegExp(`^error\\[(?:${code})\\]: `));
  assert.match(r.stderr, mention);
  assert.doesNotMatch(r.stderr, /\n\s+at .+:\d+:\d+/, "no stack trace");
}

const good = "y,x,g\n1,2,a\n2,3,a\n3,5,b\n4,4,b\n5,7,c\n";

test("missing file", () =>
  expectError(["fit", "y ~ x", "--data", join(dir, "nope.csv")], "E_DATA_FILE_NOT_FOUND", /nope\.csv/));
test("directory instead of file", () => {
  const d = join(dir, "adir.csv");
  mkdirSync(d, { recursive: true });
  expectError(["fit", "y ~ x", "--data", d], "E_DATA_NOT_A_FILE", /adir\.csv/);
});
test("empty file", () =>
  expectError(["fit", "y ~ x", "--data", csv("empty.csv", "")], "E_DATA_EMPTY", /empty/));
test("header only", () =>
  expectError(
    ["fit", "y ~ x", "--data", csv("header.csv", "y,x\n")],
    "E_DATA_NO_ROWS",
    /no data rows|no rows/i,
  ));
test("ragged rows", () =>
  expectError(
    ["fit", "y ~ x", "--data", csv("ragged.csv", "y,x\n1,2\n3\n")],
    "E_DATA_RAGGED",
    /line 3|row 2/,
  ));
test("duplicate header names", () =>
  expectError(
    ["fit", "y ~ x", "--data", csv("dup.csv", "y,x,x\n1,2,3\n4,5,6\n")],
    "E_DATA_DUPLICATE_COLUMN",
    /"x"|'x'/,
  ));
test("non-numeric response", () =>
  expectError(
    ["fit", "g ~ x", "--data", csv("good.csv", good)],
    "E_FORMULA_FACTOR_RESPONSE",
    /'g'[\s\S]*\^/,
  ));
test("all-missing column", () =>
  expectError(
    ["fit", "y ~ z", "--data", csv("allna.csv", "y,z\n1,NA\n2,\n3,NA\n")],
    "E_DATA_ALL_MISSING",
    /'z'/,
  ));
test("a factor with one level used as a predictor", () =>
  expectError(
    ["fit", "y ~ x + h", "--data", csv("onelevel.csv", "y,x,h\n1,2,a\n2,3,a\n3,5,a\n4,4,a\n")],
    "E_DATA_ONE_LEVEL",
    /'h'/,
  ));
test("Inf in a numeric column", () =>
  expectError(
    ["fit", "y ~ x", "--data", csv("inf.csv", "y,x\n1,2\n2,Inf\n3,4\n4,6\n")],
    "E_DATA_NON_FINITE",
    /'x'/,
  ));
test("NaN in a numeric column is missing: the row is dropped with a warning", () => {
  const r = runCli(["fit", "y ~ x", "--data", csv("nan.csv", "y,x\n1,2\n2,NaN\n3,4\n4,6\n5,5\n")]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /warning\[rows_dropped\]: 1 row/);
});
test("unknown dataset name", () =>
  expectError(
    ["fit", "y ~ x", "--data", "sleepstudyy"],
    "E_DATA_UNKNOWN_DATASET|E_DATA_FILE_NOT_FOUND",
    /sleepstudy/,
  ));
test("nothing after ~", () =>
  expectError(["fit", "Reaction ~", "--data", "sleepstudy"], "E_FORMULA_\\w+", /Reaction ~\n\s+\^/));
test("unknown column with did-you-mean and caret", () => {
  const r = runCli(["fit", "Reaction ~ Dayz + (Dayz | Subject)", "--data", "sleepstudy"]);
  assert.equal(r.status, 1);
  assert.equal(
    r.stderr.split("\n").slice(0, 3).join("\n"),
    "error[E_FORMULA_UNKNOWN_COLUMN]: column 'Dayz' is not in the data (did you mean 'Days'?)\n  Reaction ~ Dayz + (Dayz | Subject)\n             ^^^^",
  );
});
test("usage errors exit 2", () => {
  assert.equal(runCli(["fit", "y ~ x"]).status, 2, "missing --data");
  assert.equal(runCli(["frobnicate"]).status, 2, "unknown command");
  assert.equal(runCli(["fit", "y ~ x", "--data", "coffee", "--bogus"]).status, 2, "unknown option");
  assert.equal(
    runCli(["fit", "y ~ x", "--data", "coffee", "--reml", "--ml"]).status,
    2,
    "conflicting options",
  );
});
test("--help and --version exit 0", () => {
  const h = runCli(["--help"]);
  assert.equal(h.status, 0);
  assert.match(h.stdout, /Usage: mixed/);
  const v = runCli(["--version"]);
  assert.equal(v.status, 0);
  assert.equal(v.stdout.trim(), JSON.parse(readFileSync("package.json", "utf8")).version);
});
test("the input file is never modified", () => {
  const p = csv("keep.csv", good);
  const before = statSync(p).mtimeMs;
  runCli(["fit", "y ~ x", "--data", p]);
  assert.equal(readFileSync(p, "utf8"), good);
  assert.equal(statSync(p).mtimeMs, before);
});
test("--data - reads standard input", () => {
  const r = runCli(["fit", "y ~ x", "--data", "-", "--json"], good);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout).nobs, 5);
});

// ---- output channel -------------------------------------------------------------------------

test("a reader that closes the pipe early ends the command quietly", async () => {
  const child = spawn(
    process.execPath,
    ["bin/mixed.mjs", "fit", "Reaction ~ Days + (Days | Subject)", "--data", "sleepstudy", "--ranef"],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  child.stdout.destroy(); // the read end is closed before the child writes anything
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => {
    stderr += d.toString();
  });
  const status = await new Promise<number | null>((res) => child.on("close", (code) => res(code)));
  assert.equal(stderr, "", "nothing on stderr");
  assert.equal(status, 0);
});

test("a full disk is E_OUTPUT_WRITE, exit 1, no stack trace", { skip: !existsSync("/dev/full") }, () => {
  const fd = openSync("/dev/full", "w");
  try {
    const r = spawnSync(
      process.execPath,
      ["bin/mixed.mjs", "fit", "y ~ x", "--data", csv("full.csv", good)],
      {
        stdio: ["ignore", fd, "pipe"],
        encoding: "utf8",
      },
    );
    assert.equal(r.status, 1);
    assert.match(r.stderr, /^error\[E_OUTPUT_WRITE\]: .*no space left on device/);
    assert.doesNotMatch(r.stderr, /\n\s+at .+:\d+:\d+/, "no stack trace");
  } finally {
    closeSync(fd);
  }
});

// ---- what messages echo ----------------------------------------------------------------------

test("a 10,000-column header is not echoed whole, and control characters are escaped", () => {
  const names = Array.from({ length: 10000 }, (_, i) => `column_with_a_long_name_${i}`);
  const header = ["y", "x\u0001\u001b[2J", ...names].join(",");
  const row = Array.from({ length: 10002 }, () => "1").join(",");
  const p = csv("wide.csv", `${header}\n${row}\n${row}\n`);
  const r = runCli(["fit", "y ~ nosuch", "--data", p]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /^error\[E_FORMULA_UNKNOWN_COLUMN\]/);
  assert.ok(r.stderr.length < 1500, `stderr is ${r.stderr.length} characters`);
  assert.match(r.stderr, /'x\\x01\\x1b\[2J'/);
  assert.match(r.stderr, /10002 in all/);
  const raw = [...r.stderr].filter((ch) => ch !== "\n" && ch.charCodeAt(0) < 0x20);
  assert.deepEqual(raw, [], "no raw control characters");
});

test("a header-only file with a huge header gives a short message", () => {
  const header = Array.from({ length: 10000 }, (_, i) => `c${i}`).join(",");
  const r = runCli(["fit", "c0 ~ c1", "--data", csv("wide-header.csv", `${header}\n`)]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /^error\[E_DATA_NO_ROWS\]/);
  assert.ok(r.stderr.length < 1000, `stderr is ${r.stderr.length} characters`);
});

test("a factor level with control characters is escaped in messages", () => {
  const r = runCli([
    "fit",
    "y ~ h",
    "--data",
    csv("lvl.csv", 'y,h\n1,"a\u0007\u001b]0;x"\n2,"a\u0007\u001b]0;x"\n'),
  ]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /^error\[E_DATA_ONE_LEVEL\]: .*'a\\x07\\x1b\]0;x'/);
});

test("--weights naming a missing column is E_DATA_UNKNOWN_COLUMN with did-you-mean", () => {
  expectError(
    ["fit", "Reaction ~ Days + (1 | Subject)", "--data", "sleepstudy", "--weights", "Dayz"],
    "E_DATA_UNKNOWN_COLUMN",
    /weights column 'Dayz' is not in the data \(did you mean 'Days'\?\)/,
  );
  expectError(
    ["fit", "y ~ x", "--data", csv("w.csv", good), "--weights", "nosuchcol"],
    "E_DATA_UNKNOWN_COLUMN",
    /weights column 'nosuchcol' is not in the data[\s\S]*'y', 'x', 'g'/,
  );
});

// ---- encodings ---------------------------------------------------------------------------------

const latin1 = Buffer.from("y,g\n1,caf\xe9\n2,caf\xe8\n3,caf\xe9\n4,caf\xe8\n5,caf\xe9\n", "latin1");

test("a NUL byte in the data is refused, naming the line", () =>
  expectError(
    ["fit", "y ~ x", "--data", csv("nul.csv", "y,x\n1,2\n2,3\u0000\n3,4\n")],
    "E_DATA_BAD_ENCODING",
    /NUL byte on line 3/,
  ));

test("Latin-1 bytes are refused as not UTF-8, naming the line", () => {
  const p = join(dir, "latin1.csv");
  writeFileSync(p, latin1);
  expectError(
    ["fit", "y ~ g", "--data", p],
    "E_DATA_BAD_ENCODING",
    /not valid UTF-8.* line 2 .*--encoding latin1/s,
  );
});

test("--encoding latin1 keeps the levels distinct", () => {
  const p = join(dir, "latin1b.csv");
  writeFileSync(p, latin1);
  const r = runCli(["fit", "y ~ g", "--data", p, "--json"].concat(["--encoding", "latin1"]));
  assert.equal(r.status, 0, r.stderr);
  const fit = JSON.parse(r.stdout) as { beta: Record<string, number> | number[]; coefnames?: string[] };
  assert.match(JSON.stringify(fit), /gcafé/);
});

test("invalid bytes on standard input are refused too", () => {
  const r = spawnSync(process.execPath, ["bin/mixed.mjs", "fit", "y ~ g", "--data", "-"], {
    input: latin1,
    encoding: "utf8",
  });
  assert.equal(r.status, 1);
  assert.match(
    r.stderr,
    /^error\[E_DATA_BAD_ENCODING\]: 'stdin' is not valid UTF-8 text: byte 0xE9 on line 2/,
  );
});

test("an unknown --encoding is a usage error", () => {
  const r = runCli(["fit", "y ~ x", "--data", csv("enc.csv", good), "--encoding", "ebcdic"]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /utf-8, latin1, windows-1252, utf-16le/);
});

// ---- hostile paths, schemas and headers -----------------------------------------------------

test("devices are refused as data and as schema, never read (/dev/zero would never end)", () => {
  expectError(
    ["fit", "y ~ x", "--data", "/dev/zero"],
    "E_DATA_NOT_A_FILE",
    /'\/dev\/zero' is not a regular file/,
  );
  expectError(
    ["fit", "y ~ x", "--data", csv("zs.csv", good), "--schema", "/dev/zero"],
    "E_DATA_NOT_A_FILE",
    /schema file '\/dev\/zero' is not a regular file/,
  );
});

test("a directory as schema is E_DATA_NOT_A_FILE with a schema hint", () =>
  expectError(
    ["fit", "y ~ x", "--data", csv("ds.csv", good), "--schema", dir],
    "E_DATA_NOT_A_FILE",
    /schema file .* is a directory[\s\S]*help: give the path of a \.meta\.json schema file/,
  ));

test("a schema whose nrow disagrees with the data is refused", () => {
  const s = join(dir, "nrow.meta.json");
  writeFileSync(s, JSON.stringify({ columns: [{ name: "x", type: "numeric" }], nrow: 2 }));
  expectError(
    ["fit", "y ~ x", "--data", csv("nrow.csv", good), "--schema", s],
    "E_DATA_BAD_SCHEMA",
    /the schema says 'nrow' has 2 rows, but it has 5/,
  );
});

test("a schema that is not JSON is quoted escaped", () => {
  const s = join(dir, "ctl.meta.json");
  writeFileSync(s, '{"columns": [\u0001');
  const r = runCli(["fit", "y ~ x", "--data", csv("ctl.csv", good), "--schema", s]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /^error\[E_DATA_BAD_SCHEMA\]: .*not valid JSON.*\\x01/);
});

test("a header name with blanks around it is suggested", () =>
  expectError(
    ["fit", "y ~ x", "--data", csv("padded.csv", "y, x\n1,2\n2,3\n3,5\n")],
    "E_FORMULA_UNKNOWN_COLUMN",
    /did you mean ' x'\?/,
  ));

test("hostile CSV shapes: CR-only line ends fit; open quotes, empty names, 1e400 are typed errors", () => {
  const cr = runCli(["fit", "y ~ x", "--data", csv("cr.csv", "y,x\r1,2\r2,3\r3,5\r4,4\r"), "--json"]);
  assert.equal(cr.status, 0, cr.stderr);
  assert.equal(JSON.parse(cr.stdout).df_residual, 2);
  expectError(
    ["fit", "y ~ x", "--data", csv("oq.csv", 'y,x\n1,2\n2,"3\n3,5\n')],
    "E_DATA_BAD_CSV",
    /never closed.*line 3/,
  );
  expectError(
    ["fit", "y ~ x", "--data", csv("en.csv", "y,,x\n1,2,3\n")],
    "E_DATA_BAD_CSV",
    /column 2 .* no name/,
  );
  expectError(
    ["fit", "y ~ x", "--data", csv("e400.csv", "y,x\n1,1e400\n2,3\n3,4\n")],
    "E_DATA_NON_FINITE",
    /'x'/,
  );
});

test("a very long formula is shown as a window around the error", () => {
  const f = `y ~ ${Array.from({ length: 900 }, (_, i) => `x${i}`).join("+")}`;
  const r = runCli(["fit", f, "--data", csv("lf.csv", good)]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /^error\[E_FORMULA_UNKNOWN_COLUMN\]: column 'x0'/);
  assert.ok(r.stderr.length < 1000, `stderr is ${r.stderr.length} characters`);
});

test("warnings on stderr escape control characters from the data", () => {
  const r = runCli([
    "fit",
    "y ~ g + h",
    "--data",
    csv(
      "warnctl.csv",
      'y,g,h\n1,"z\u001b[31m","z\u001b[31m"\n2,b,b\n3,"z\u001b[31m","z\u001b[31m"\n4,b,b\n5,b,b\n',
    ),
  ]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /warning\[rank_deficient\]: .*hz\\x1b\[31m/);
  assert.ok(!r.stderr.includes("\u001b"), "no raw escape on stderr");
});

test("a directory as standard input is E_DATA_NOT_A_FILE (it read as an empty file)", () => {
  const fd = openSync(dir, "r");
  try {
    const r = spawnSync(process.execPath, ["bin/mixed.mjs", "fit", "y ~ x", "--data", "-"], {
      stdio: [fd, "pipe", "pipe"],
      encoding: "utf8",
    });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /^error\[E_DATA_NOT_A_FILE\]: standard input is a directory/);
  } finally {
    closeSync(fd);
  }
});
