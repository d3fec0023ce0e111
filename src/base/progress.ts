/**
 * Progress on stderr for long stages: "windows 1200/5400 22% ETA 1m20s". Drawn only on a TTY unless
 * forced; otherwise silent (logs carry the counts).
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
  return {
    setTotal: (t) => bar.setTotal(t),
    increment: (n = 1) => bar.increment(n),
    stop: () => bar.stop(),
  };
}
