/**
 * Training on synthetic windows whose class is known: Gaussian seamounts train the model; flat-topped
 * guyots are a new seamount shape for retraining; abyssal-hill fabric is not a seamount at all.
 */
import * as tf from '@tensorflow/tfjs';
import type { ModelConfig } from '../../src/config/schema.js';
import { selectBackend } from '../../src/engine/backend.js';
import { type TrainingSet, splitTrainValidation, trainAutoencoder } from '../../src/model/train.js';
import { reconstructionErrors } from '../../src/engine/reconstruction-errors.js';
import { type WindowKind, syntheticWindows, trainingConfig } from '../support/model-fixtures.js';

const S = 16;
const arch: ModelConfig = { filters: [8, 16], kernelSize: 3, bottleneck: 8 };
const training = trainingConfig();
const set = (kind: WindowKind, count: number, seed: number): TrainingSet => ({
  windows: syntheticWindows({ kind, count, samples: S, seed }),
  count,
  samples: S,
});
const median = (a: Float32Array) => Float32Array.from(a).sort()[Math.floor(a.length / 2)];
const weightsOf = (m: tf.LayersModel) => m.getWeights().map((w) => Array.from(w.dataSync()));

const train = set('gaussian', 192, 1);
const val = set('gaussian', 48, 2);

beforeAll(async () => {
  await selectBackend('wasm');
});

describe('trainAutoencoder', () => {
  let first: Awaited<ReturnType<typeof trainAutoencoder>>;

  beforeAll(async () => {
    first = await trainAutoencoder(train, val, { training, seed: 11, arch });
  });
  afterAll(() => first.model.dispose());

  test('learns seamounts: validation loss falls and non-seamounts reconstruct far worse', () => {
    const h = first.history;
    expect(h.length).toBeGreaterThanOrEqual(3);
    expect(h[first.bestEpoch - 1].valLoss).toBeLessThan(h[0].valLoss * 0.6);
    const seamounts = reconstructionErrors(first.model, syntheticWindows({ kind: 'gaussian', count: 64, samples: S, seed: 3 }), 64, S, 64);
    const fabric = reconstructionErrors(first.model, syntheticWindows({ kind: 'fabric', count: 64, samples: S, seed: 3 }), 64, S, 64);
    expect(median(fabric)).toBeGreaterThan(5 * median(seamounts));
    // calibrated on held-out seamounts: most new seamounts fall under the threshold, hardly any fabric does
    const t = first.calibration.threshold;
    expect(seamounts.filter((e) => e <= t).length).toBeGreaterThan(0.7 * 64);
    expect(fabric.filter((e) => e <= t).length).toBeLessThan(0.1 * 64);
  });

  test('keeps the best epoch: the returned weights give the best recorded validation loss', () => {
    const best = first.history[first.bestEpoch - 1].valLoss;
    expect(Math.min(...first.history.map((e) => e.valLoss))).toBe(best);
    const errors = reconstructionErrors(first.model, val.windows, val.count, S, 256);
    const meanError = errors.reduce((s, v) => s + v, 0) / errors.length;
    expect(meanError).toBeCloseTo(best, 10);
    expect(first.calibration.errors).toHaveLength(val.count);
    expect(first.calibration.recall).toBe(0.9);
  });

  test('is deterministic for a seed on one backend, and the seed matters', async () => {
    const again = await trainAutoencoder(train, val, { training, seed: 11, arch });
    const other = await trainAutoencoder(train, val, { training: { ...training, epochs: 1 }, seed: 12, arch });
    try {
      expect(again.history).toEqual(first.history);
      expect(weightsOf(again.model)).toEqual(weightsOf(first.model));
      expect(Array.from(reconstructionErrors(again.model, val.windows, val.count, S, 7))).toEqual(
        Array.from(reconstructionErrors(first.model, val.windows, val.count, S, 7)),
      );
      expect(other.history[0].loss).not.toBe(first.history[0].loss);
    } finally {
      again.model.dispose();
      other.model.dispose();
    }
  });

  test('gives the same model whatever the thread count (gradients summed over fixed shards)', async () => {
    const short = { ...training, epochs: 2 };
    const small = set('gaussian', 40, 13);
    const one = await trainAutoencoder(small, val, { training: { ...short, threads: 1 }, seed: 4, arch });
    const two = await trainAutoencoder(small, val, { training: { ...short, threads: 2 }, seed: 4, arch, backend: 'wasm' });
    const threeShards = await trainAutoencoder(small, val, { training: { ...short, threads: 1, shards: 3 }, seed: 4, arch });
    try {
      expect(two.history).toEqual(one.history);
      expect(weightsOf(two.model)).toEqual(weightsOf(one.model));
      // the shard count is part of the recipe: another count sums in another order
      expect(weightsOf(threeShards.model)).not.toEqual(weightsOf(one.model));
      expect(threeShards.history[0].loss).toBeCloseTo(one.history[0].loss, 5);
    } finally {
      one.model.dispose();
      two.model.dispose();
      threeShards.model.dispose();
    }
  });

  test('stops early after `patience` epochs without improvement', async () => {
    // a learning rate this high stalls quickly; whatever happens, the bookkeeping must agree
    const r = await trainAutoencoder(set('gaussian', 32, 5), set('gaussian', 16, 6), {
      training: { ...training, epochs: 40, patience: 2, learningRate: 0.05, batchSize: 8 },
      seed: 3,
      arch,
    });
    try {
      expect(r.stoppedEarly).toBe(true);
      expect(r.history.length).toBe(r.bestEpoch + 2);
      expect(r.history.length).toBeLessThan(40);
    } finally {
      r.model.dispose();
    }
  });

  test('releases its tensors: the count stays flat across batches and nothing is left after', async () => {
    const before = tf.memory().numTensors;
    const counts: number[][] = [[], [], []];
    const r = await trainAutoencoder(set('gaussian', 64, 7), set('gaussian', 8, 8), {
      training: { ...training, epochs: 3, batchSize: 8, patience: 5 },
      seed: 1,
      arch,
      onBatch: ({ epoch }) => counts[epoch - 1].push(tf.memory().numTensors),
    });
    expect(counts.map((c) => c.length)).toEqual([8, 8, 8]);
    // after the first batch (Adam creates its slots then) the count must not move within an epoch, nor
    // between later epochs (only the best-weights copy, made once per improvement, replaces the last one)
    expect(new Set(counts[0].slice(1)).size).toBe(1);
    expect(new Set([...counts[1], ...counts[2]]).size).toBe(1);
    const modelTensors = r.model.getWeights().length;
    r.model.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(modelTensors).toBe(2 * (arch.filters.length * 2 + 2)); // kernel + bias per layer
  });
});

describe('retraining (--init) on newly labelled seamounts', () => {
  test('fine-tuning on guyots moves their error down without touching the initial model', async () => {
    const base = await trainAutoencoder(train, val, { training, seed: 21, arch });
    const newTrain = set('guyot', 96, 31);
    const newVal = set('guyot', 32, 32);
    const probe = syntheticWindows({ kind: 'guyot', count: 64, samples: S, seed: 33 });
    const before = reconstructionErrors(base.model, probe, 64, S, 64);
    const baseWeights = weightsOf(base.model);
    const tuned = await trainAutoencoder(newTrain, newVal, { training: { ...training, epochs: 10 }, seed: 22, arch, init: base.model });
    try {
      const after = reconstructionErrors(tuned.model, probe, 64, S, 64);
      expect(median(after)).toBeLessThan(0.7 * median(before));
      // most new guyots were missed at the original threshold; after retraining most pass it
      const t = base.calibration.threshold;
      expect(before.filter((e) => e <= t).length).toBeLessThan(0.4 * 64);
      expect(after.filter((e) => e <= t).length).toBeGreaterThan(0.6 * 64);
      expect(weightsOf(base.model)).toEqual(baseWeights);
      // starting from the trained weights beats starting from scratch after the same short schedule
      const scratch = await trainAutoencoder(newTrain, newVal, { training: { ...training, epochs: 1 }, seed: 22, arch });
      const tunedOne = await trainAutoencoder(newTrain, newVal, { training: { ...training, epochs: 1 }, seed: 22, arch, init: base.model });
      expect(tunedOne.history[0].valLoss).toBeLessThan(scratch.history[0].valLoss);
      scratch.model.dispose();
      tunedOne.model.dispose();
    } finally {
      base.model.dispose();
      tuned.model.dispose();
    }
  });
});

describe('bad input', () => {
  const options = { training: { ...training, epochs: 1 }, seed: 1, arch };

  test('a non-finite value names the window', async () => {
    const bad = set('gaussian', 4, 9);
    bad.windows[2 * S * S + 5] = Number.NaN;
    await expect(trainAutoencoder(bad, val, options)).rejects.toThrow(/training window 2 holds a non-finite value/);
  });

  test('empty or inconsistent sets', async () => {
    await expect(trainAutoencoder(train, { windows: new Float32Array(0), count: 0, samples: S }, options)).rejects.toThrow(/no validation windows/);
    await expect(trainAutoencoder({ ...train, count: 5 }, val, options)).rejects.toThrow(/values for 5 windows/);
    await expect(trainAutoencoder(train, { windows: new Float32Array(2 * 8 * 8), count: 2, samples: 8 }, options)).rejects.toThrow(
      /training windows are 16 x 16 but validation windows are 8 x 8/,
    );
  });

  test('window size not divisible by the encoder, and an initial model of another architecture', async () => {
    const odd = { windows: new Float32Array(2 * 18 * 18), count: 2, samples: 18 };
    await expect(trainAutoencoder(odd, odd, options)).rejects.toThrow(/multiple of 2\^2 = 4/);
    const { buildAutoencoder } = await import('../../src/model/autoencoder.js');
    const other = buildAutoencoder({ ...arch, bottleneck: 4 }, S, 1);
    await expect(trainAutoencoder(train, val, { ...options, init: other })).rejects.toThrow(/architecture differs/);
    other.dispose();
  });
});

describe('splitTrainValidation', () => {
  test('seeded, disjoint, complete, at least one on each side', () => {
    const a = splitTrainValidation(50, 0.2, 4);
    expect(a).toEqual(splitTrainValidation(50, 0.2, 4));
    expect(a.validation).toHaveLength(10);
    expect([...a.train, ...a.validation].sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(splitTrainValidation(50, 0.2, 5).validation).not.toEqual(a.validation);
    expect(splitTrainValidation(2, 0.05, 1).validation).toHaveLength(1);
    expect(splitTrainValidation(3, 0.5, 1).train.length).toBeGreaterThanOrEqual(1);
    expect(() => splitTrainValidation(1, 0.2, 1)).toThrow(/at least 2 seamounts/);
  });
});
