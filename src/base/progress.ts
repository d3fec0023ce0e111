/**
 * Progress on stderr for long stages: "windows 1200/5400 22% ETA 1m20s". Drawn only on a TTY unless
 * forced; otherwise silent (logs carry the counts). Terminal log lines go through `writeAboveProgress`,
 * which clears the bar's line, writes the text and draws the bar again, so the two never tangle.
 */
import cliProgress from 'cli-progress';

export interface Progress {
  /** Sets the total (it may be known only after planning). */
  setTotal(total: number): void;
  /** Advances by `n` units done. */
  increment(n?: number): void;
  stop(): void;
}

export type ProgressMode = 'auto' | 'on' | 'off';

const noProgress: Progress = { setTotal: () => {}, increment: () => {}, stop: () => {} };

/** The bar on screen now (one at a time: stages run one after another). */
let active: cliProgress.SingleBar | null = null;

/**
 * Writes terminal text (a log line) to stdout above the progress bar: the bar's line is cleared first and
 * the bar drawn again after, so a log event never splits or duplicates the bar.
 *
 * @example writeAboveProgress('12:00:01 INFO: scored 50/164 batches\n')
 */
export function writeAboveProgress(text: string): void {
  if (!active) {
    process.stdout.write(text);
    return;
  }
  process.stderr.write('\r\x1b[K');
  process.stdout.write(text);
  // the bar redraws only when its text changed: forget the last drawing so it comes back at once
  (active as unknown as { lastDrawnString: string }).lastDrawnString = '';
  active.render();
}

export function createProgress(label: string, mode: ProgressMode, total = 0): Progress {
  const enabled = mode === 'on' || (mode === 'auto' && Boolean(process.stderr.isTTY));
  if (!enabled) return noProgress;
  const bar = new cliProgress.SingleBar(
    {
      format: `${label} [{bar}] {value}/{total} {percentage}% ETA {eta_formatted}`,
      stream: process.stderr,
      hideCursor: true,
      etaBuffer: 50,
      noTTYOutput: mode === 'on',
      notTTYSchedule: 5000,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0);
  active = bar;
  return {
    setTotal: (t) => bar.setTotal(t),
    increment: (n = 1) => bar.increment(n),
    stop: () => {
      bar.stop();
      if (active === bar) active = null;
    },
  };
}
