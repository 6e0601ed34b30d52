/** `mixed plot KIND [FORMULA] --data DATA -o FILE` through the built CLI (CONTRACT "Plots and reports"). */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { runCli } from "../../helpers/run-cli.ts";

const dir = mkdtempSync(join(tmpdir(), "mixed-plot-"));
after(() => rmSync(dir, { recursive: true, force: true }));

function svgSize(svg: string): [number, number] {
  const m = /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="(\d+)" height="(\d+)"/.exec(svg);
  assert.ok(m, svg.slice(0, 200));
  return [Number(m[1]), Number(m[2])];
}

function pngSize(png: Buffer): [number, number] {
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  assert.equal(png.toString("latin1", 12, 16), "IHDR");
  return [png.readUInt32BE(16), png.readUInt32BE(20)];
}

test("every data figure kind writes an SVG of the requested size, columns from the formula", () => {
  const cases: [string, string[]][] = [
    [
      "trajectories",
      ["LCarPCap ~ Year + (1 | Country)", "--data", "Gasoline", "--highlight", "JAPAN,TURKEY"],
    ],
    ["between-within", ["--data", "Gasoline", "--x", "LIncomeP", "--y", "LCarPCap", "--group", "Country"]],
    ["facets", ["y ~ x + (x | group)", "--data", "coffee", "--groups", "1,2,3,4"]],
    ["pooled", ["y ~ x", "--data", "coffee"]],
    ["panel", ["LCarPCap ~ Year + (1 | Country)", "--data", "Gasoline", "--covariate", "LIncomeP"]],
  ];
  for (const [kind, args] of cases) {
    const out = join(dir, `${kind}.svg`);
    const r = runCli(["plot", kind, ...args, "-o", out, "--width", "700", "--height", "500"]);
    assert.equal(r.status, 0, `${kind}: ${r.stderr}`);
    assert.equal(r.stdout, "", "nothing on stdout");
    const svg = readFileSync(out, "utf8");
    assert.deepEqual(svgSize(svg), [700, 500], kind);
    assert.match(svg, /<\/svg>\n$/);
  }
  const traj = readFileSync(join(dir, "trajectories.svg"), "utf8");
  assert.match(traj, />population \(fixed effects\)</);
  assert.match(traj, />LCarPCap by Year, one line per Country \(18\)</);
});

test("-o FILE.png writes a PNG of the requested size; -o - writes the SVG to stdout", () => {
  const png = join(dir, "f.png");
  const r = runCli([
    "plot",
    "facets",
    "Reaction ~ Days + (Days | Subject)",
    "--data",
    "sleepstudy",
    "-o",
    png,
    "--width",
    "640",
    "--height",
    "480",
  ]);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(pngSize(readFileSync(png)), [640, 480]);
  const s = runCli([
    "plot",
    "pooled",
    "--data",
    "coffee",
    "--x",
    "x",
    "--y",
    "y",
    "-o",
    "-",
    "--title",
    "Pooled",
  ]);
  assert.equal(s.status, 0, s.stderr);
  assert.deepEqual(svgSize(s.stdout), [640, 440]);
  assert.match(s.stdout, />Pooled</);
});

test("mixed plot errors: unknown kind (listing kinds), bad column, bad output, missing column, bad size", () => {
  const out = join(dir, "x.svg");
  const k = runCli(["plot", "pie", "--data", "coffee", "-o", out]);
  assert.equal(k.status, 1);
  assert.match(k.stderr, /error\[E_PLOT_UNKNOWN_KIND\]: unknown figure kind 'pie'/);
  for (const kind of ["trajectories", "between-within", "facets", "pooled", "panel"])
    assert.match(k.stderr, new RegExp(kind));
  const c = runCli(["plot", "pooled", "--data", "coffee", "--x", "xx", "--y", "y", "-o", out]);
  assert.equal(c.status, 1);
  assert.match(c.stderr, /error\[E_PLOT_UNKNOWN_COLUMN\].*'xx'.*did you mean 'x'/);
  const f = runCli(["plot", "pooled", "--data", "coffee", "--x", "group", "--y", "y", "-o", out]);
  assert.equal(f.status, 1);
  assert.match(f.stderr, /E_PLOT_NON_NUMERIC/);
  const e = runCli(["plot", "pooled", "--data", "coffee", "--x", "x", "--y", "y", "-o", join(dir, "x.pdf")]);
  assert.equal(e.status, 2);
  assert.match(e.stderr, /FILE\.svg or FILE\.png/);
  const m = runCli(["plot", "trajectories", "--data", "coffee", "--x", "x", "--y", "y", "-o", out]);
  assert.equal(m.status, 2);
  assert.match(m.stderr, /needs the group column/);
  const w = runCli([
    "plot",
    "pooled",
    "--data",
    "coffee",
    "--x",
    "x",
    "--y",
    "y",
    "-o",
    out,
    "--width",
    "12",
  ]);
  assert.equal(w.status, 2);
  assert.match(w.stderr, /--width '12'/);
  const d = runCli([
    "plot",
    "pooled",
    "--data",
    "coffee",
    "--x",
    "x",
    "--y",
    "y",
    "-o",
    join(dir, "no", "x.svg"),
  ]);
  assert.equal(d.status, 1);
  assert.match(d.stderr, /E_OUTPUT_WRITE/);
  for (const r of [k, c, f, e, m, w, d]) assert.doesNotMatch(r.stderr, /\n\s+at /, "no stack trace");
});

test("warnings go to stderr: groups left out, a population line that is not a line", () => {
  const out = join(dir, "w.svg");
  const f = runCli(["plot", "facets", "y ~ x + (x | group)", "--data", "coffee", "-o", out]);
  assert.equal(f.status, 0, f.stderr);
  assert.match(f.stderr, /warning\[groups_omitted\]: groups 1–36 of 100 shown/);
  const t = runCli([
    "plot",
    "trajectories",
    "LCarPCap ~ Year + LIncomeP + (1 | Country)",
    "--data",
    "Gasoline",
    "-o",
    out,
  ]);
  assert.equal(t.status, 0, t.stderr);
  assert.match(t.stderr, /warning\[line_omitted\]/);
});

test("mixed demo writes the seed figures (SVG and PNG) to --figures and says where; its commands make them", () => {
  const figs = join(dir, "demo");
  const r = runCli(["demo", "--figures", figs]);
  assert.equal(r.status, 0, r.stderr);
  assert.ok(r.stdout.includes(`Seed figures (SVG and PNG), written to ${figs}`));
  for (const name of [
    "gasoline-panel",
    "gasoline-trajectories",
    "coffee-facets",
    "coffee-pooled",
    "coffee-between-within",
  ]) {
    const svg = readFileSync(join(figs, `${name}.svg`), "utf8");
    assert.deepEqual(pngSize(readFileSync(join(figs, `${name}.png`))), svgSize(svg), name);
  }
  const again = join(dir, "panel-again.svg");
  const p = runCli([
    "plot",
    "panel",
    "LCarPCap ~ Year + (1 | Country)",
    "--data",
    "Gasoline",
    "--covariate",
    "LIncomeP",
    "--highlight",
    "JAPAN,U.S.A.,TURKEY",
    "-o",
    again,
  ]);
  assert.equal(p.status, 0, p.stderr);
  assert.equal(readFileSync(again, "utf8"), readFileSync(join(figs, "gasoline-panel.svg"), "utf8"));
});
