/**
 * pino logger for a run: JSON lines to a file or stdout; on a terminal (stdout a TTY, no file) one short
 * line per event, the message alone (the fields stay in JSON logs and run.json), written above the
 * progress bar. Child loggers carry job, shard and stage.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';
import { Writable } from 'node:stream';
import { writeAboveProgress } from './progress.js';

export type { Logger } from 'pino';

export interface LoggerOptions {
  level: string;
  /** JSON lines to this file; null/undefined: stdout. */
  file?: string | null;
  /** Force human-readable output (default: stdout is a TTY and no file). */
  pretty?: boolean;
}

export function createLogger(options: LoggerOptions): Logger {
  const base = { level: options.level, base: undefined, timestamp: pino.stdTimeFunctions.isoTime };
  if (options.file) {
    mkdirSync(dirname(options.file), { recursive: true });
    return pino(base, pino.destination({ dest: options.file, sync: true, mkdir: true }));
  }
  const usePretty = options.pretty ?? Boolean(process.stdout.isTTY);
  if (usePretty) {
    const terminal = new Writable({
      write(chunk: Buffer | string, _encoding, done) {
        writeAboveProgress(chunk.toString());
        done();
      },
    });
    return pino(base, pretty({ colorize: true, sync: true, hideObject: true, ignore: 'pid,hostname', translateTime: 'SYS:HH:MM:ss', destination: terminal }));
  }
  return pino(base, pino.destination({ dest: 1, sync: true }));
}

/** A logger that drops everything (library use and tests). */
export const silentLogger = (): Logger => pino({ level: 'silent' });
