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

/** Writes `data` to `path` atomically. Creates the folder if needed. */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = tempPathFor(path);
  try {
    const fh = await open(tmp, 'w');
    try {
      await fh.writeFile(data);
      await fh.sync();
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
export const writeJsonAtomic = (path: string, value: unknown): Promise<void> =>
  writeFileAtomic(path, `${JSON.stringify(value, null, 2)}\n`);
