/**
 * The window misfit (issue 15): the reference formula, and the two engines (tfjs, ONNX Runtime) computing
 * it in their graphs. Old bundles (mse, no centre weight) keep the plain mean squared error bit for bit.
 */
import * as tf from '@tensorflow/tfjs';
import { buildAutoencoder } from '../../src/model/autoencoder.js';
import { selectBackend } from '../../src/engine/backend.js';
import { centreWeights, misfitOf, windowMisfit } from '../../src/engine/misfit.js';
import { createOnnxScorer, loadOnnxRuntime } from '../../src/engine/onnx/runtime.js';
import { reconstructionErrors } from '../../src/engine/reconstruction-errors.js';
import { testWhen } from '../support/skip.js';
import { syntheticWindows } from '../support/model-fixtures.js';

const ortAvailable = await loadOnnxRuntime().then(
  () => true,
  () => false,
);

beforeAll(async () => {
  await selectBackend('wasm');
});

describe('misfitOf and centreWeights', () => {
  it('keeps the plain error for mse without centre weights', () => {
    expect(misfitOf({ samples: 8, misfit: 'mse', centreWeight: 0 })).toEqual({ weights: null, relative: false });
  });
  it('weights the centre by a Gaussian of σ = fraction × half-width', () => {
    const w = centreWeights(33, 0.5); // centre sample 16, half-width 16.5 samples, σ 8.25
    expect(w[16 * 33 + 16]).toBeCloseTo(1, 6);
    expect(w[16 * 33 + 16 + 8]).toBeCloseTo(Math.exp(-(8 ** 2) / (2 * 8.25 ** 2)), 6);
    expect(w[0]).toBeCloseTo(Math.exp(-(2 * 16 ** 2) / (2 * 8.25 ** 2)), 6); // the corner: 0.023
    expect(Array.from(centreWeights(4, 0))).toEqual(new Array(16).fill(1));
  });
});

describe('windowMisfit', () => {
  const x = Float32Array.of(1, -1, 0.5, 0);
  it('relative: the share of the relief not reproduced, whatever the amplitude', () => {
    const y = Float32Array.of(0.5, -1, 0.5, 0);
    const m = { weights: new Float32Array(4).fill(1), relative: true };
    expect(windowMisfit(x, y, m)).toBeCloseTo(0.25 / 2.25, 5);
    // ten times the relief, ten times the error: the same share
    const x10 = x.map((v) => v * 10);
    const y10 = y.map((v) => v * 10);
    expect(windowMisfit(x10, y10, m)).toBeCloseTo(windowMisfit(x, y, m), 5);
    // plain mse grows a hundredfold
    const mse = { weights: null, relative: false };
    expect(windowMisfit(x10, y10, mse) / windowMisfit(x, y, mse)).toBeCloseTo(100, 3);
  });
  it('a window with no relief scores high, not 0/0', () => {
    const flat = new Float32Array(4);
    expect(windowMisfit(flat, Float32Array.of(0.01, 0, 0, 0), { weights: new Float32Array(4).fill(1), relative: true })).toBeGreaterThan(10);
  });
});

describe('engines compute the misfit of the spec', () => {
  const samples = 16;
  const specs = [
    { samples, misfit: 'relative' as const, centreWeight: 0.5 },
    { samples, misfit: 'relative' as const, centreWeight: 0 },
    { samples, misfit: 'mse' as const, centreWeight: 0.4 },
  ];
  it.each(specs)('tfjs equals the reference (%o)', (spec) => {
    const model = buildAutoencoder({ filters: [8, 16], kernelSize: 3, bottleneck: 8 }, samples, 3);
    const count = 20;
    const windows = syntheticWindows({ kind: 'fabric', count, samples, seed: 4 });
    const m = misfitOf(spec);
    const errors = reconstructionErrors(model, windows, count, samples, 7, m);
    const recon = tf.tidy(
      () => (model.predict(tf.tensor4d(windows.subarray(0, count * samples * samples), [count, samples, samples, 1])) as tf.Tensor).dataSync() as Float32Array,
    );
    const n = samples * samples;
    for (let i = 0; i < count; i++) {
      const ref = windowMisfit(windows.subarray(i * n, (i + 1) * n), recon.subarray(i * n, (i + 1) * n), m);
      expect(Math.abs(errors[i] - ref) / ref).toBeLessThan(1e-4);
    }
    model.dispose();
  });

  // onnxruntime-node is optional: where it does not load, this test is listed as skipped
  testWhen(ortAvailable).each(specs)('ONNX Runtime equals tfjs (%o)', async (spec) => {
    const model = buildAutoencoder({ filters: [8, 16], kernelSize: 3, bottleneck: 8 }, samples, 3);
    const count = 20;
    const windows = syntheticWindows({ kind: 'gaussian', count, samples, seed: 6 });
    const m = misfitOf(spec);
    const scorer = await createOnnxScorer(model, { threads: 1, batchSize: 8, misfit: m });
    try {
      const a = await scorer.score(windows, count);
      const b = reconstructionErrors(model, windows, count, samples, 8, m);
      for (let i = 0; i < count; i++) expect(Math.abs(a[i] - b[i]) / b[i]).toBeLessThan(2e-5);
    } finally {
      await scorer.close();
      model.dispose();
    }
  });
});
