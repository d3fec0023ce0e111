import type * as tf from '@tensorflow/tfjs';
import { buildAutoencoder } from '../../src/model/autoencoder.js';
import { selectBackend } from '../../src/engine/backend.js';
import { createScorer, defaultScoringThreads } from '../../src/scoring/pool.js';
import { reconstructionErrors } from '../../src/engine/reconstruction-errors.js';
import { syntheticWindows } from '../support/model-fixtures.js';

const S = 16;
const count = 101;
const windows = syntheticWindows({ kind: 'fabric', count, samples: S, seed: 8 });
let model: tf.LayersModel;

beforeAll(async () => {
  await selectBackend('wasm');
  model = buildAutoencoder({ filters: [8, 16], kernelSize: 3, bottleneck: 8 }, S, 6);
});
afterAll(() => model.dispose());

describe('createScorer', () => {
  test("worker threads give exactly the in-thread errors, in order, and leave the caller's array intact", async () => {
    const reference = reconstructionErrors(model, windows, count, S, 32);
    const copy = Float32Array.from(windows);
    const scorer = await createScorer(model, { backend: 'wasm', threads: 2, batchSize: 16, engine: 'tfjs' });
    try {
      expect(scorer.threads).toBe(2);
      expect(Array.from(await scorer.score(windows, count))).toEqual(Array.from(reference));
      // small batches (not split) and a sub-range
      expect(Array.from(await scorer.score(windows, 3))).toEqual(Array.from(reference.subarray(0, 3)));
      expect(Array.from(await scorer.score(windows.subarray(10 * S * S), 50))).toEqual(Array.from(reference.subarray(10, 60)));
      expect(await scorer.score(windows, 0)).toHaveLength(0);
      await expect(scorer.score(windows, count + 1)).rejects.toThrow(/values for 102 windows/);
    } finally {
      await scorer.close();
    }
    expect(Array.from(windows)).toEqual(Array.from(copy));
  });

  test('one thread scores in the calling thread', async () => {
    const scorer = await createScorer(model, { backend: 'wasm', threads: 1, batchSize: 7, engine: 'tfjs' });
    expect(scorer.threads).toBe(0);
    expect(Array.from(await scorer.score(windows, count))).toEqual(Array.from(reconstructionErrors(model, windows, count, S, 64)));
    await scorer.close();
  });

  test('workers that cannot start their backend fail at creation with the reason', async () => {
    await expect(createScorer(model, { backend: 'tensorflow', threads: 2, batchSize: 16, engine: 'tfjs' })).rejects.toThrow(
      /scoring workers failed to start: backend 'tensorflow' is not available/,
    );
  });

  test('default thread count: one per core, except on the native backend', () => {
    expect(defaultScoringThreads('tensorflow')).toBe(1);
    expect(defaultScoringThreads('wasm')).toBeGreaterThanOrEqual(1);
  });
});
