/** Checksums that identify a job's inputs (grid file or remote object, model bundle, effective configuration). */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { describeGrid, isRemotePath, openRemote } from '../grid/index.js';
import type { GridSource } from '../types.js';

/** sha256 of a file, streamed (bounded memory for multi-GB grids). */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 22 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** sha256 over the files of a folder (names and contents, sorted), e.g. a model bundle. */
export async function sha256Folder(dir: string): Promise<string> {
  const hash = createHash('sha256');
  const names = (await readdir(dir, { withFileTypes: true }))
    .filter((e) => e.isFile() && !e.name.startsWith('.'))
    .map((e) => e.name)
    .sort();
  for (const name of names) {
    hash.update(name);
    hash.update(await readFile(join(dir, name)));
  }
  return hash.digest('hex');
}

/** Canonical JSON (sorted keys) of a value, for hashing configurations. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export const sha256Text = (text: string): string => createHash('sha256').update(text).digest('hex');

/** What identifies a grid in manifests: the sha256 of a local file, or a remote object's URL, size, ETag and Last-Modified. */
export interface GridFingerprint {
  /** Absolute path of a local file, or the URL as given. */
  path: string;
  sha256?: string;
  remote?: { url: string; size: number; etag: string | null; lastModified: string | null };
}

/**
 * Fingerprint of a grid input. A remote object is not read whole to hash it: what the server says
 * identifies it (taken from the open grid, or from one small ranged request when none is given).
 */
export async function gridFingerprint(path: string, grid?: GridSource): Promise<GridFingerprint> {
  if (!isRemotePath(path)) return { path: resolve(path), sha256: await sha256File(path) };
  let remote = grid ? describeGrid(grid).remote : undefined;
  if (!remote) {
    const source = await openRemote(path);
    remote = source.object;
    await source.close();
  }
  return { path, remote: { url: remote.url, size: remote.size, etag: remote.etag, lastModified: remote.lastModified } };
}
