/** Positioned reads that either return every byte asked for or say the file is too short. */
import type { FileHandle } from 'node:fs/promises';
import { GridError } from './errors.js';

/**
 * Reads exactly `length` bytes at `position` (into `into` when given).
 *
 * @example
 * const header = await readExactly(fh, 'a.nc', 0, 1024);
 */
export async function readExactly(fh: FileHandle, path: string, position: number, length: number, into?: Uint8Array): Promise<Uint8Array> {
  const buf = into ?? new Uint8Array(length);
  let done = 0;
  while (done < length) {
    const { bytesRead } = await fh.read(buf, done, length - done, position + done);
    if (bytesRead === 0) throw new GridError(path, `truncated file: needed bytes ${position}..${position + length - 1}, file ends at ${position + done}`);
    done += bytesRead;
  }
  return buf;
}
