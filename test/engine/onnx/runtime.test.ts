import * as tf from '@tensorflow/tfjs';
import { buildAutoencoder } from '../../../src/model/autoencoder.js';
import { selectBackend } from '../../../src/engine/backend.js';
import type { ModelConfig } from '../../../src/config/schema.js';
import { planModel } from '../../../src/engine/onnx/plan.js';
import { createOnnxScorer, loadOnnxRuntime, onnxGradients } from '../../../src/engine/onnx/runtime.js';
import { shardGradient } from '../../../src/model/gradients.js';
import { trainAutoencoder } from '../../../src/model/train.js';
import { createScorer } from '../../../src/scoring/pool.js';
import { reconstructionErrors } from '../../../src/engine/reconstruction-errors.js';
import { syntheticWindows, trainingConfig } from '../../support/model-fixtures.js';
import { testWhen } from '../../support/skip.js';

// onnxruntime-node is an optional dependency: where it does not load, its tests are listed as skipped
const ortAvailable = await loadOnnxRuntime().then(
  () => true,
  (err: Error) => {
    console.warn(`onnxruntime-node is not installed (${err.message.split('\n')[0]}): ONNX Runtime tests are skipped`);
    return false;
  },
);
const testOrt = testWhen(ortAvailable);

beforeAll(async () => {
  await selectBackend('wasm');
});

/** Largest |a − b| / |b| over two error arrays. */
function maxRelative(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]) / Math.max(Math.abs(b[i]), 1e-12));
  return worst;
}

describe('ONNX export of the autoencoder', () => {
  const cases: Array<[string, ModelConfig, number]> = [
    ['default architecture, 32 x 32', { filters: [16, 32, 64], kernelSize: 3, bottleneck: 32 }, 32],
    ['even kernel (symmetric same padding)', { filters: [8, 16], kernelSize: 4, bottleneck: 8 }, 16],
    ['5 x 5 kernel, one layer', { filters: [8], kernelSize: 5, bottleneck: 4 }, 16],
  ];
  testOrt.each(cases)('%s: ONNX Runtime errors equal tfjs errors to float rounding', async (_label, arch, samples) => {
    const model = buildAutoencoder(arch, samples, 4);
    const count = 70;
    const windows = syntheticWindows({ kind: 'fabric', count, samples, seed: 2 });
    const reference = reconstructionErrors(model, windows, count, samples, 32);
    const scorer = await createOnnxScorer(model, { threads: 1, batchSize: 32 });
    try {
      const errors = await scorer.score(windows, count);
      expect(maxRelative(errors, reference)).toBeLessThan(2e-5);
      // a sub-range scores the same windows
      const part = await scorer.score(windows.subarray(5 * samples * samples), 10);
      expect(Array.from(part)).toEqual(Array.from(errors.subarray(5, 15)));
    } finally {
      await scorer.close();
      model.dispose();
    }
  });

  testOrt('valid padding, stride 1 and no bias are exported too', async () => {
    const input = tf.input({ shape: [12, 12, 1] });
    let x = tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'valid', activation: 'relu', useBias: false, name: 'c' }).apply(input) as tf.SymbolicTensor;
    x = tf.layers.conv2dTranspose({ filters: 1, kernelSize: 3, padding: 'valid', name: 'd' }).apply(x) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: x });
    const windows = syntheticWindows({ kind: 'gaussian', count: 9, samples: 12, seed: 5 });
    const scorer = await createOnnxScorer(model, { threads: 1, batchSize: 4 });
    expect(maxRelative(await scorer.score(windows, 9), reconstructionErrors(model, windows, 9, 12, 9))).toBeLessThan(2e-5);
    await scorer.close();
    model.dispose();
  });

  test('an unsupported layer or activation is an error naming it', () => {
    // planModel is what both graphs are built from
    const input = tf.input({ shape: [8, 8, 1] });
    const conv = tf.layers.conv2d({ filters: 1, kernelSize: 3, padding: 'same', activation: 'tanh', name: 'squash' });
    const tanhModel = tf.model({ inputs: input, outputs: conv.apply(input) as tf.SymbolicTensor });
    expect(() => planModel(tanhModel)).toThrow(/'squash' has activation 'tanh'/);
    const pool = tf.layers.maxPooling2d({ poolSize: 2, name: 'pool' });
    const up = tf.layers.upSampling2d({ size: [2, 2], name: 'up' });
    const poolModel = tf.model({ inputs: input, outputs: up.apply(pool.apply(input)) as tf.SymbolicTensor });
    expect(() => planModel(poolModel)).toThrow(/layer 'pool' \(MaxPooling2D\) is not supported/);
    tanhModel.dispose();
    poolModel.dispose();
  });
});

describe('ONNX Runtime scorer', () => {
  const S = 32;
  const arch: ModelConfig = { filters: [16, 32, 64], kernelSize: 3, bottleneck: 32 };
  const count = 300;
  const windows = syntheticWindows({ kind: 'gaussian', count, samples: S, seed: 9 });

  testOrt('deterministic: the same errors on every run, with 1 or 2 threads', async () => {
    const model = buildAutoencoder(arch, S, 7);
    const one = await createOnnxScorer(model, { threads: 1, batchSize: 128 });
    const two = await createOnnxScorer(model, { threads: 2, batchSize: 128 });
    try {
      const first = await two.score(windows, count);
      expect(Array.from(await two.score(windows, count))).toEqual(Array.from(first));
      expect(maxRelative(await one.score(windows, count), first)).toBeLessThan(1e-5);
      expect(await two.score(windows, 0)).toHaveLength(0);
      await expect(two.score(windows, count + 1)).rejects.toThrow(/values for 301 windows of 32 x 32/);
    } finally {
      await one.close();
      await two.close();
      model.dispose();
    }
  });

  testOrt('createScorer: auto picks ONNX Runtime on wasm, tfjs when asked, and falls back with the reason', async () => {
    const model = buildAutoencoder(arch, S, 7);
    const auto = await createScorer(model, { backend: 'wasm', threads: 2, batchSize: 64 });
    const tfjs = await createScorer(model, { backend: 'wasm', threads: 1, batchSize: 64, engine: 'tfjs' });
    try {
      expect(auto.detail).toMatch(/^onnxruntime-node \d+\.\d+\.\d+, 2 threads$/);
      expect(tfjs.detail).toBe('tfjs wasm, in the calling thread');
      expect(maxRelative(await auto.score(windows, count), await tfjs.score(windows, count))).toBeLessThan(2e-5);
    } finally {
      await auto.close();
      await tfjs.close();
      model.dispose();
    }
    // a model ONNX export cannot take: auto falls back to tfjs and says why; a forced engine fails
    const input = tf.input({ shape: [8, 8, 1] });
    const odd = tf.model({
      inputs: input,
      outputs: tf.layers.conv2d({ filters: 1, kernelSize: 3, padding: 'same', activation: 'sigmoid', name: 'sig' }).apply(input) as tf.SymbolicTensor,
    });
    const reasons: string[] = [];
    const fallback = await createScorer(odd, { backend: 'wasm', threads: 1, batchSize: 8, onFallback: (r) => reasons.push(r) });
    expect(fallback.detail).toBe('tfjs wasm, in the calling thread');
    expect(reasons).toEqual([expect.stringMatching(/ONNX Runtime scoring unavailable: ONNX export: 'sig' has activation 'sigmoid'/)]);
    await expect(createScorer(odd, { backend: 'wasm', threads: 1, batchSize: 8, engine: 'onnxruntime' })).rejects.toThrow(
      /ONNX Runtime scoring unavailable: .*sigmoid.*\(install onnxruntime-node, or set scoring.engine to tfjs or auto\)/,
    );
    odd.dispose();
  });
});

describe('ONNX Runtime gradients', () => {
  /** Valid padding whose kernel gradient overruns the kernel (sliced), dense layers straight to the output. */
  const validStrided = (): tf.LayersModel => {
    const input = tf.input({ shape: [16, 16, 1] });
    let x = tf.layers.conv2d({ filters: 4, kernelSize: 3, strides: 2, padding: 'valid', activation: 'relu', name: 'v' }).apply(input) as tf.SymbolicTensor;
    x = tf.layers.flatten().apply(x) as tf.SymbolicTensor;
    x = tf.layers.dense({ units: 8, name: 'd1' }).apply(x) as tf.SymbolicTensor;
    x = tf.layers.dense({ units: 256, activation: 'relu', useBias: false, name: 'd2' }).apply(x) as tf.SymbolicTensor;
    return tf.model({ inputs: input, outputs: tf.layers.reshape({ targetShape: [16, 16, 1] }).apply(x) as tf.SymbolicTensor });
  };
  /** Stride-1 valid convolution and transposed convolution, no bias on the first. */
  const validTransposed = (): tf.LayersModel => {
    const input = tf.input({ shape: [12, 12, 1] });
    const x = tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'valid', activation: 'relu', useBias: false }).apply(input) as tf.SymbolicTensor;
    return tf.model({ inputs: input, outputs: tf.layers.conv2dTranspose({ filters: 1, kernelSize: 3, padding: 'valid' }).apply(x) as tf.SymbolicTensor });
  };
  const cases: Array<[string, () => tf.LayersModel, number]> = [
    ['default architecture, 32 x 32', () => buildAutoencoder({ filters: [16, 32, 64], kernelSize: 3, bottleneck: 32 }, 32, 11), 32],
    ['even kernel', () => buildAutoencoder({ filters: [8, 16], kernelSize: 4, bottleneck: 8 }, 16, 11), 16],
    ['5 x 5 kernel, 3 layers on 24 x 24 (odd feature map)', () => buildAutoencoder({ filters: [4, 8, 8], kernelSize: 5, bottleneck: 6 }, 24, 11), 24],
    ['valid stride-2 convolution (kernel gradient sliced) and dense layers', validStrided, 16],
    ['valid transposed convolution, no bias', validTransposed, 12],
  ];
  testOrt.each(cases)('%s: loss and every weight gradient equal tfjs autodiff', async (_label, makeModel, samples) => {
    const model = makeModel();
    const windows = syntheticWindows({ kind: 'gaussian', count: 12, samples, seed: 3 });
    const reference = shardGradient(model, { windows, count: 12 });
    const runner = await onnxGradients(model, 1);
    try {
      const [got] = await runner.run(model, [{ windows, count: 12 }]);
      expect(got.loss).toBeCloseTo(reference.loss, 6);
      // per weight tensor: relative L2 error of the gradient
      let offset = 0;
      for (const w of model.trainableWeights) {
        const n = w.shape.reduce((a, b) => (a as number) * (b as number), 1) as number;
        let diff = 0;
        let norm = 0;
        for (let i = offset; i < offset + n; i++) {
          diff += (got.grads[i] - reference.grads[i]) ** 2;
          norm += reference.grads[i] ** 2;
        }
        expect({ weight: w.name, close: Math.sqrt(diff / Math.max(norm, 1e-30)) < 1e-4 }).toEqual({ weight: w.name, close: true });
        offset += n;
      }
      expect(offset).toBe(got.grads.length);
    } finally {
      await runner.close();
      model.dispose();
    }
  });

  testOrt('training on ONNX Runtime: deterministic for a seed, learns, and records its engine', async () => {
    const samples = 16;
    const arch: ModelConfig = { filters: [8, 16], kernelSize: 3, bottleneck: 8 };
    const training = trainingConfig({ epochs: 3, patience: 5, calibrationRecall: 0.8, engine: 'onnxruntime', threads: 0 });
    const train = { windows: syntheticWindows({ kind: 'gaussian', count: 96, samples, seed: 1 }), count: 96, samples };
    const val = { windows: syntheticWindows({ kind: 'gaussian', count: 16, samples, seed: 2 }), count: 16, samples };
    const a = await trainAutoencoder(train, val, { training, seed: 5, arch, backend: 'wasm' });
    const b = await trainAutoencoder(train, val, { training, seed: 5, arch, backend: 'wasm' });
    try {
      expect(a.engine).toMatch(/^onnxruntime-node \d+\.\d+\.\d+, 1 thread$/);
      const wa = a.model.getWeights().map((w) => Array.from(w.dataSync()));
      const wb = b.model.getWeights().map((w) => Array.from(w.dataSync()));
      expect(wa).toEqual(wb);
      expect(a.history[a.history.length - 1].loss).toBeLessThan(a.history[0].loss);
    } finally {
      a.model.dispose();
      b.model.dispose();
    }
  });
});
