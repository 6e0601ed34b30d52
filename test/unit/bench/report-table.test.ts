import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { errorRow, measuredRow } from "../../../bench/bench-row.ts";
import { formatRatio, formatSeconds, reportTable } from "../../../bench/report-table.ts";
import { WORKLOADS, workloadById } from "../../../bench/workloads.ts";

const ctx = {
  date: "2026-01-01T00:00Z",
  machine: { cpu: "AMD EPYC", cores: 2, mem_GB: 23.5, node: "v20.0.0", os: "Debian" },
  loadStart: 0.5,
  loadEnd: 1.5,
  flags: [],
  lme4Machine: { lme4: "1.1.31", R: "R version 4.2.2", cpu: "AMD EPYC", cores: 2 },
};

describe("bench report", () => {
  it("formats seconds with 3 significant digits and a unit", () => {
    assert.equal(formatSeconds(25.14), "25.1s");
    assert.equal(formatSeconds(0.0224117), "22.4ms");
    assert.equal(formatSeconds(0.000613), "613µs");
    assert.equal(formatSeconds(4.96e-6), "4.96µs");
    assert.equal(formatSeconds(null), "-");
    assert.equal(formatRatio(22.4 / 0.9), "×24.9");
    assert.equal(formatRatio(0.5), "×0.500");
  });

  it("PASS needs both the time and the RSS target; the ratio is baseline / ours", () => {
    const crossed = workloadById("crossed_1e6_reml");
    const base = { source: "lme4:x", median_s: 52, feval: 40, objective_eval_s: null, max_rss_MB: 802 };
    const ok = measuredRow(crossed, { times_s: [6, 5, 7], peak_rss_MB: 300 }, base);
    assert.equal(ok.status, "PASS");
    assert.equal(ok.median_s, 6);
    assert.equal(ok.min_s, 5);
    assert.ok(Math.abs((ok.ratio ?? 0) - 52 / 6) < 1e-12);
    assert.equal(measuredRow(crossed, { times_s: [6], peak_rss_MB: 700 }, base).status, "MISS");
    assert.equal(measuredRow(crossed, { times_s: [11], peak_rss_MB: 300 }, base).status, "MISS");
    assert.equal(measuredRow(crossed, { times_s: [6], peak_rss_MB: null }, base).status, "MISS");
  });

  it("a workload without a target is INFO and not counted among the targets", () => {
    const b = workloadById("crossed_b_1e5_reml");
    assert.equal(b.target, null);
    const row = measuredRow(b, { times_s: [2, 3], peak_rss_MB: 300 }, null);
    assert.equal(row.status, "INFO");
    assert.equal(row.target_text, "-");
    const pass = measuredRow(workloadById("crossed_1e6_reml"), { times_s: [6], peak_rss_MB: 300 }, null);
    const text = reportTable([pass, row], ctx);
    assert.match(text, /1\/1 targets met \(1 row\(s\) without a target: INFO\)/);
  });

  it("every line of the table fits in 100 columns, one row per workload", () => {
    const rows = WORKLOADS.map((w, i) =>
      i === 0
        ? errorRow(w, "killed")
        : measuredRow(
            w,
            { times_s: [123.456, 0.5], peak_rss_MB: 1234.5, feval: 1234, objective_eval_s: 1e-5 },
            null,
          ),
    );
    const text = reportTable(rows, ctx);
    for (const l of text.split("\n")) assert.ok([...l].length <= 100, `too wide (${l.length}): ${l}`);
    for (const w of WORKLOADS) assert.ok(text.includes(w.label), w.label);
    assert.match(text, /0\/\d+ targets met/);
    assert.match(text, /ERROR killed/);
  });
});
