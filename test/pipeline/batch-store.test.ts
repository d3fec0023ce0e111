import { mkdtempSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BatchStore, decodeBatch, encodeBatch } from '../../src/pipeline/batch-store.js';

describe('BatchStore', () => {
  it('round-trips batches exactly and lists only complete files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'batches-'));
    const store = new BatchStore(dir);
    const b = { index: 1234, ids: Int32Array.from([5, 9, 1_000_000]), errors: Float32Array.from([0.1, 0.25, 1e-7]), skippedLand: 3, skippedNodata: 7 };
    await store.write(b);
    await store.write({ ...b, index: 2, ids: new Int32Array(0), errors: new Float32Array(0) });
    // an interrupted write leaves only a hidden temporary file: it must not count
    mkdirSync(join(dir, '0000'), { recursive: true });
    writeFileSync(join(dir, '0000', '.batch-00000003.bin.tmp-abcd'), 'partial');
    expect(store.doneBatches()).toEqual([2, 1234]);
    expect(store.has(1234)).toBe(true);
    expect(store.has(3)).toBe(false);
    const back = await store.read(1234);
    expect(back).toEqual(b);
    expect(readdirSync(join(dir, '0001'))).toEqual(['batch-00001234.bin']);
  });

  it('rejects truncated and foreign files', () => {
    const bytes = encodeBatch({ index: 0, ids: Int32Array.from([1, 2]), errors: Float32Array.from([1, 2]), skippedLand: 0, skippedNodata: 0 });
    expect(() => decodeBatch(bytes.slice(0, bytes.length - 1), 'x.bin')).toThrow(/x\.bin: truncated/);
    expect(() => decodeBatch(new Uint8Array(40), 'y.bin')).toThrow(/y\.bin: not a batch score file/);
  });
});
