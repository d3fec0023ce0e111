/** A quiet terminal: one line per log event (no fields), written above the progress bar, never through it. */
import { jest } from '@jest/globals';
import { createLogger } from '../../src/base/logger.js';
import { createProgress, writeAboveProgress } from '../../src/base/progress.js';

function capture(stream: NodeJS.WriteStream): { text: () => string; restore: () => void } {
  let out = '';
  const spy = jest.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += chunk.toString();
    return true;
  });
  return { text: () => out, restore: () => spy.mockRestore() };
}

describe('terminal logs', () => {
  it('print one line per event, the message without its fields', () => {
    const stdout = capture(process.stdout);
    try {
      const log = createLogger({ level: 'info', pretty: true });
      log.info({ windows: 40899, threshold: 0.675, nested: { a: 1 } }, 'scored 164/164 batches');
      log.warn({ grid: 'g.nc' }, 'cells are coarse');
    } finally {
      stdout.restore();
    }
    const lines = stdout.text().split('\n').filter(Boolean);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/INFO.*scored 164\/164 batches/);
    expect(lines[1]).toMatch(/WARN.*cells are coarse/);
    expect(stdout.text()).not.toMatch(/40899|threshold|nested/);
  });

  it('go above the progress bar: the bar line is cleared first and drawn again after', () => {
    const stderr = capture(process.stderr);
    const stdout = capture(process.stdout);
    try {
      const bar = createProgress('windows', 'on', 10);
      bar.increment(3);
      const before = stderr.text().length;
      writeAboveProgress('12:00:00 INFO: a log line\n');
      const after = stderr.text().slice(before);
      expect(after.startsWith('\r\x1b[K')).toBe(true);
      expect(after).toMatch(/windows \[.*\] 3\/10/);
      bar.stop();
      // no bar: straight to stdout, nothing on stderr
      const quiet = stderr.text().length;
      writeAboveProgress('plain\n');
      expect(stderr.text().length).toBe(quiet);
    } finally {
      stderr.restore();
      stdout.restore();
    }
    expect(stdout.text()).toBe('12:00:00 INFO: a log line\nplain\n');
  });
});
