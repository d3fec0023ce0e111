/**
 * Writing outputs so that a final name never holds a partial file: write to a temporary name in the
 * same folder (same file system, so rename is atomic), fsync, then rename over the final name.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** A temporary path beside `path`: `.name.tmp-<random>` (hidden, recognisable, safe to delete). */
export function tempPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.tmp-${randomBytes(4).toString('hex')}`);
}

export interface AtomicWriteOptions {
  /**
   * Flush to disk before the rename (default true). Without it a process crash still never leaves a partial
   * file under the final name, but an operating-system crash may: callers that skip it must validate what
   * they read back.
   */
  fsync?: boolean;
}

/** Writes `data` to `path` atomically. Creates the folder if needed. */
export async function writeFileAtomic(path: string, data: string | Uint8Array, options: AtomicWriteOptions = {}): Promise<void> {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = tempPathFor(path);
  try {
    const fh = await open(tmp, 'w');
    try {
      await fh.writeFile(data);
      if (options.fsync !== false) await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

/** Writes JSON (2-space indented, trailing newline) atomically. */
export const writeJsonAtomic = (path: string, value: unknown): Promise<void> => writeFileAtomic(path, `${JSON.stringify(value, null, 2)}\n`);
