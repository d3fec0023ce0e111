/**
 * Where a grid's bytes come from: a local file (positioned reads) or a remote object (HTTP range
 * requests, see remote.ts). Readers that work from byte ranges (GeoTIFF) take either; the rest of the
 * grid stage never sees the difference.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { GridError } from './errors.js';
import { readExactly } from './file-read.js';

/** Random access to the bytes of one file or object. */
export interface ByteSource {
  /** The file or URL as the user gave it (for messages). */
  readonly path: string;
  /** Total size in bytes. */
  readonly size: number;
  /** Exactly `length` bytes at `offset`, or a GridError (truncated, unreachable ...). */
  read(offset: number, length: number): Promise<Uint8Array>;
  close(): Promise<void>;
}

/** What identifies a remote object in manifests: what a sha256 is for a local file. */
export interface RemoteObject {
  /** The URL as given (`s3://bucket/key` or `https://...`). */
  location: string;
  /** The HTTP(S) URL actually requested. */
  url: string;
  size: number;
  etag: string | null;
  lastModified: string | null;
}

/** Traffic of a remote source so far. */
export interface TransferStats {
  requests: number;
  /** Body bytes received (including those of failed attempts). */
  bytesFetched: number;
  retries: number;
}

/** `https://…`, `http://…` and `s3://bucket/key` name remote objects; anything else is a local path. */
export const isRemotePath = (path: string): boolean => /^(https?|s3):\/\//i.test(path);

export class FileByteSource implements ByteSource {
  private constructor(
    readonly path: string,
    readonly size: number,
    private readonly fh: FileHandle,
  ) {}

  static async open(path: string): Promise<FileByteSource> {
    const fh = await open(path, 'r');
    try {
      const { size } = await fh.stat();
      return new FileByteSource(path, size, fh);
    } catch (err) {
      await fh.close();
      throw err;
    }
  }

  read(offset: number, length: number): Promise<Uint8Array> {
    if (offset + length > this.size) {
      return Promise.reject(new GridError(this.path, `truncated file: needed bytes ${offset}..${offset + length - 1}, the file has ${this.size}`));
    }
    return readExactly(this.fh, this.path, offset, length);
  }

  close(): Promise<void> {
    return this.fh.close();
  }
}

/**
 * Reads through a cache of aligned blocks, fetching runs of missing blocks in one read each: for the
 * many small reads of a TIFF header over HTTP. The cache holds at most `maxBlocks` blocks.
 */
export class BlockCachedBytes {
  private readonly cache = new Map<number, Uint8Array>();

  constructor(
    readonly source: ByteSource,
    private readonly blockBytes = 1 << 16,
    private readonly maxBlocks = 64,
  ) {}

  /** Seeds the cache with bytes already fetched from offset 0 (e.g. the probe of a remote object). */
  seed(head: Uint8Array): void {
    const bs = this.blockBytes;
    for (let from = 0, b = 0; from < head.length && b < this.maxBlocks; from += bs, b++) {
      const part = head.subarray(from, Math.min(head.length, from + bs));
      if (part.length === bs || from + part.length === this.source.size) this.cache.set(b, part);
    }
  }

  /** Bytes offset..offset+length, clamped to the end of the file (a shorter result there). */
  async read(offset: number, length: number): Promise<Uint8Array> {
    const size = this.source.size;
    const end = Math.min(size, offset + length);
    if (offset < 0 || end <= offset) return new Uint8Array(0);
    const bs = this.blockBytes;
    const first = Math.floor(offset / bs);
    const last = Math.floor((end - 1) / bs);
    if (last - first + 1 > this.maxBlocks) return this.source.read(offset, end - offset);
    const blocks = new Map<number, Uint8Array>();
    const missing: number[] = [];
    for (let b = first; b <= last; b++) {
      const hit = this.cache.get(b);
      if (hit) {
        this.cache.delete(b);
        this.cache.set(b, hit);
        blocks.set(b, hit);
      } else missing.push(b);
    }
    // runs of consecutive missing blocks: one read each
    const runs: Array<[number, number]> = [];
    for (const b of missing) {
      const run = runs[runs.length - 1];
      if (run && run[1] === b - 1) run[1] = b;
      else runs.push([b, b]);
    }
    await Promise.all(
      runs.map(async ([a, z]) => {
        const from = a * bs;
        const to = Math.min(size, (z + 1) * bs);
        const bytes = await this.source.read(from, to - from);
        for (let b = a; b <= z; b++) {
          const part = bytes.subarray((b - a) * bs, Math.min(bytes.length, (b - a + 1) * bs));
          blocks.set(b, part);
          this.cache.set(b, part);
        }
      }),
    );
    while (this.cache.size > this.maxBlocks) {
      const oldest = this.cache.keys().next().value as number;
      this.cache.delete(oldest);
    }
    const out = new Uint8Array(end - offset);
    for (let b = first; b <= last; b++) {
      const block = blocks.get(b) as Uint8Array;
      const blockStart = b * bs;
      const s = Math.max(offset, blockStart);
      const e = Math.min(end, blockStart + block.length);
      out.set(block.subarray(s - blockStart, e - blockStart), s - offset);
    }
    return out;
  }
}
