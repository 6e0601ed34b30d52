/**
 * A progress bar on stderr for long runs (bootstrap replicates), only when stderr is a terminal;
 * `cli-progress` is loaded lazily so that commands that never show a bar do not pay for it.
 */
export interface Progress {
  update: (done: number, total: number) => void;
  stop: () => void;
}

export async function progressBar(total: number, label = "replicates"): Promise<Progress | null> {
  if (!process.stderr.isTTY) return null;
  const { SingleBar, Presets } = (await import("cli-progress")).default;
  const bar = new SingleBar(
    {
      stream: process.stderr,
      format: `{bar} {value}/{total} ${label} | {eta_formatted} left`,
      hideCursor: true,
    },
    Presets.shades_classic,
  );
  bar.start(total, 0);
  let last = 0;
  return {
    update: (done: number) => {
      // redraw at most every 1% (the bar throttles itself too)
      if (done === total || done - last >= Math.max(1, Math.floor(total / 100))) {
        last = done;
        bar.update(done);
      }
    },
    stop: () => bar.stop(),
  };
}
