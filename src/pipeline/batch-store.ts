/**
 * Scores of finished batches, one small binary file per batch under `<work>/scores/`. A batch file is
 * written atomically, so after a crash every file present is complete: resuming skips those batches and
 * the final result is the same as an uninterrupted run. Shard folders hold the same files; merge unions them.
 *
 * Layout (little-endian): "SMTB" | u32 version | u32 batch index | u32 n | u32 skipped land |
 * u32 skipped no-data | i32 ids[n] | f32 errors[n].
 */
import { mkdirSync, readdirSync, existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../io/atomic.js';

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

const batchFolder = (scoresDir: string, index: number): string =>
  join(scoresDir, String(Math.floor(index / 1000)).padStart(4, '0'));
const batchFile = (scoresDir: string, index: number): string =>
  join(batchFolder(scoresDir, index), `batch-${String(index).padStart(8, '0')}.bin`);

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
    await writeFileAtomic(batchFile(this.scoresDir, b.index), encodeBatch(b));
  }

  async read(index: number): Promise<BatchScores> {
    const path = batchFile(this.scoresDir, index);
    return decodeBatch(new Uint8Array(await readFile(path)), path);
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
