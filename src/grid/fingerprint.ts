/** What identifies a grid input in manifests: a local file's sha256, or what the server says about a remote object. */
import { resolve } from 'node:path';
import { sha256File } from '../base/hash.js';
import type { GridSource } from '../types.js';
import { describeGrid } from './describe.js';
import { isRemotePath } from './byte-source.js';
import { openRemote } from './remote.js';

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
