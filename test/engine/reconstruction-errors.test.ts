import * as tf from '@tensorflow/tfjs';
import { buildAutoencoder } from '../../src/model/autoencoder.js';
import { selectBackend } from '../../src/engine/backend.js';
import { reconstructionErrors } from '../../src/engine/reconstruction-errors.js';
import { syntheticWindows } from '../support/model-fixtures.js';

const S = 16;
const arch = { filters: [8, 16], kernelSize: 3, bottleneck: 8 };
const count = 37; // not a multiple of any batch size used below
const windows = syntheticWindows({ kind: 'gaussian', count, samples: S, seed: 4 });
let model: tf.LayersModel;

beforeAll(async () => {
  await selectBackend('wasm');
  model = buildAutoencoder(arch, S, 2);
});
afterAll(() => model.dispose());

describe('reconstructionErrors', () => {
  test('is the mean squared difference between each window and its reconstruction', () => {
    const errors = reconstructionErrors(model, windows, count, S, 256);
    const recon = tf.tidy(() => (model.predict(tf.tensor4d(windows, [count, S, S, 1])) as tf.Tensor).dataSync());
    for (let w = 0; w < count; w++) {
      let s = 0;
      for (let i = 0; i < S * S; i++) s += (recon[w * S * S + i] - windows[w * S * S + i]) ** 2;
      expect(errors[w]).toBeCloseTo(s / (S * S), 6);
    }
    expect(new Set(errors).size).toBeGreaterThan(count / 2); // windows differ, so do their errors
  });

  test('batching does not change the result; tensors do not accumulate', () => {
    const reference = reconstructionErrors(model, windows, count, S, count);
    const before = tf.memory().numTensors;
    for (const batch of [1, 5, 16, 1000]) expect(Array.from(reconstructionErrors(model, windows, count, S, batch))).toEqual(Array.from(reference));
    expect(tf.memory().numTensors).toBe(before);
    expect(reconstructionErrors(model, windows, 0, S, 8)).toHaveLength(0);
    // a prefix of a larger array
    expect(Array.from(reconstructionErrors(model, windows, 3, S, 2))).toEqual(Array.from(reference.subarray(0, 3)));
  });

  test('bad sizes are clear errors', () => {
    expect(() => reconstructionErrors(model, windows, count + 1, S, 8)).toThrow(/values for 38 windows of 16 x 16/);
    expect(() => reconstructionErrors(model, windows, 2, 32, 8)).toThrow(/the model takes 16 x 16 windows, got 32 x 32/);
    expect(() => reconstructionErrors(model, windows, 2, S, 0)).toThrow(/batchSize/);
  });
});
