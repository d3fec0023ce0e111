import { tempDir } from '../support/temp-dir.js';
import { readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { BatchStore, decodeBatch, encodeBatch } from '../../src/pipeline/batch-store.js';

describe('BatchStore', () => {
  it('round-trips batches exactly and lists only complete files', async () => {
    const dir = tempDir('batches-');
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

describe('BatchStore.validDoneBatches', () => {
  it('keeps whole files and removes damaged ones so their batches are scored again', async () => {
    const dir = tempDir('batches-valid-');
    const store = new BatchStore(dir);
    const b = { index: 7, ids: Int32Array.from([1, 2, 3]), errors: Float32Array.from([0.5, 0.25, 0.125]), skippedLand: 0, skippedNodata: 1 };
    await store.write(b);
    await store.write({ ...b, index: 8 });
    // what a machine crash can leave under a final name: an empty file and a truncated one
    writeFileSync(join(dir, '0000', 'batch-00000009.bin'), '');
    const whole = encodeBatch({ ...b, index: 10 });
    writeFileSync(join(dir, '0000', 'batch-00000010.bin'), whole.slice(0, whole.length - 3));
    writeFileSync(join(dir, '0000', '.batch-00000011.bin.tmp-0badf00d'), 'interrupted');
    expect(store.doneBatches()).toEqual([7, 8, 9, 10]);
    const { done, removed } = await store.validDoneBatches();
    expect(readdirSync(join(dir, '0000')).filter((f) => f.includes('.tmp-'))).toEqual([]);
    expect(done).toEqual([7, 8]);
    expect(removed.map((p) => p.slice(-18))).toEqual(['batch-00000009.bin', 'batch-00000010.bin']);
    expect(store.doneBatches()).toEqual([7, 8]);
  });
});
