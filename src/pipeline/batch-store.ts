/**
 * Scores of finished batches, one small binary file per batch under `<work>/scores/`. A batch file is
 * written to a temporary name and renamed, so after a process crash every file present is complete:
 * resuming skips those batches and the final result is the same as an uninterrupted run. Files are not
 * fsync'd (a flush per batch cost ~15 % of a run); after an operating-system crash a file may be damaged,
 * so resuming checks every file (`validDoneBatches`) and scores a damaged batch again. Shard folders hold
 * the same files; merge unions them.
 *
 * Layout (little-endian): "SMTB" | u32 version | u32 batch index | u32 n | u32 skipped land |
 * u32 skipped no-data | i32 ids[n] | f32 errors[n].
 */
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../base/atomic.js';

const MAGIC = 0x42544d53; // "SMTB" read as a little-endian u32
const VERSION = 1;
const HEADER_BYTES = 24;

export interface BatchScores {
  index: number;
  ids: Int32Array;
  errors: Float32Array;
  skippedLand: number;
  skippedNodata: number;
}

const batchFolder = (scoresDir: string, index: number): string => join(scoresDir, String(Math.floor(index / 1000)).padStart(4, '0'));
const batchFile = (scoresDir: string, index: number): string => join(batchFolder(scoresDir, index), `batch-${String(index).padStart(8, '0')}.bin`);

/** One batch's scores as the bytes of its file (layout in the module comment). */
export function encodeBatch(b: BatchScores): Uint8Array {
  const n = b.ids.length;
  if (b.errors.length !== n) throw new Error(`batch ${b.index}: ${n} ids but ${b.errors.length} errors`);
  const buf = new ArrayBuffer(HEADER_BYTES + n * 8);
  const view = new DataView(buf);
  [MAGIC, VERSION, b.index, n, b.skippedLand, b.skippedNodata].forEach((v, i) => view.setUint32(i * 4, v, true));
  for (let i = 0; i < n; i++) {
    view.setInt32(HEADER_BYTES + i * 4, b.ids[i], true);
    view.setFloat32(HEADER_BYTES + n * 4 + i * 4, b.errors[i], true);
  }
  return new Uint8Array(buf);
}

/** A batch file's bytes back as scores; an error naming `source` when they are not a whole batch file. */
export function decodeBatch(bytes: Uint8Array, source: string): BatchScores {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.byteLength < HEADER_BYTES || view.getUint32(0, true) !== MAGIC) {
    throw new Error(`${source}: not a batch score file`);
  }
  const version = view.getUint32(4, true);
  if (version !== VERSION) throw new Error(`${source}: batch file version ${version}, expected ${VERSION}`);
  const n = view.getUint32(12, true);
  if (bytes.byteLength !== HEADER_BYTES + n * 8) throw new Error(`${source}: truncated batch file`);
  const ids = new Int32Array(n);
  const errors = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    ids[i] = view.getInt32(HEADER_BYTES + i * 4, true);
    errors[i] = view.getFloat32(HEADER_BYTES + n * 4 + i * 4, true);
  }
  return { index: view.getUint32(8, true), ids, errors, skippedLand: view.getUint32(16, true), skippedNodata: view.getUint32(20, true) };
}

export class BatchStore {
  constructor(readonly scoresDir: string) {
    mkdirSync(scoresDir, { recursive: true });
  }

  has(index: number): boolean {
    return existsSync(batchFile(this.scoresDir, index));
  }

  async write(b: BatchScores): Promise<void> {
    await writeFileAtomic(batchFile(this.scoresDir, b.index), encodeBatch(b), { fsync: false });
  }

  async read(index: number): Promise<BatchScores> {
    const path = batchFile(this.scoresDir, index);
    return decodeBatch(new Uint8Array(await readFile(path)), path);
  }

  /**
   * Batches whose files are present and decode; damaged files (a crash of the machine, not of the process)
   * are removed and reported so their batches are scored again, and leftover temporary files are removed.
   */
  async validDoneBatches(): Promise<{ done: number[]; removed: string[] }> {
    const done: number[] = [];
    const removed: string[] = [];
    // temporary files of writes a crash interrupted: never complete, never to be read
    for (const sub of existsSync(this.scoresDir) ? readdirSync(this.scoresDir, { withFileTypes: true }) : []) {
      if (!sub.isDirectory()) continue;
      for (const name of readdirSync(join(this.scoresDir, sub.name))) {
        if (/^\.batch-\d+\.bin\.tmp-/.test(name)) rmSync(join(this.scoresDir, sub.name, name), { force: true });
      }
    }
    for (const k of this.doneBatches()) {
      const path = batchFile(this.scoresDir, k);
      try {
        const b = decodeBatch(new Uint8Array(await readFile(path)), path);
        if (b.index !== k) throw new Error(`${path}: holds batch ${b.index}`);
        done.push(k);
      } catch {
        rmSync(path, { force: true });
        removed.push(path);
      }
    }
    return { done, removed };
  }

  /** Indices of the complete batch files present (temporary files of an interrupted write are ignored). */
  doneBatches(): number[] {
    if (!existsSync(this.scoresDir)) return [];
    const out: number[] = [];
    for (const sub of readdirSync(this.scoresDir, { withFileTypes: true })) {
      if (!sub.isDirectory()) continue;
      const dir = join(this.scoresDir, sub.name);
      for (const name of readdirSync(dir)) {
        const m = /^batch-(\d+)\.bin$/.exec(name);
        if (m) out.push(Number(m[1]));
      }
    }
    return out.sort((a, b) => a - b);
  }
}
