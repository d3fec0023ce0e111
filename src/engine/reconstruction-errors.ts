/**
 * Reconstruction error of windows: the detector. Batched so memory stays bounded whatever the count,
 * every tensor released before returning.
 */
import * as tf from '@tensorflow/tfjs';
import { RELATIVE_EPSILON, type Misfit } from './misfit.js';

/**
 * Reconstruction error of each of `count` windows (`samples × samples` each, row-major, consecutive in
 * `windows`), computed `batchSize` windows at a time: the mean squared error, or the spec's misfit
 * (engine/misfit.ts) when `misfit` has weights.
 * @example
 * const errors = reconstructionErrors(model, windows, 1000, 32, 256); // Float32Array(1000)
 */
export function reconstructionErrors(
  model: tf.LayersModel,
  windows: Float32Array,
  count: number,
  samples: number,
  batchSize: number,
  misfit: Misfit = { weights: null, relative: false },
): Float32Array {
  const size = samples * samples;
  checkWindowCount('reconstructionErrors', windows, count, samples);
  if (!(batchSize >= 1)) throw new Error(`reconstructionErrors: batchSize must be >= 1, got ${batchSize}`);
  const inputShape = model.inputs[0].shape;
  if (inputShape[1] !== samples || inputShape[2] !== samples) {
    throw new Error(`reconstructionErrors: the model takes ${inputShape[1]} x ${inputShape[2]} windows, got ${samples} x ${samples}`);
  }
  const errors = new Float32Array(count);
  const weights = misfit.weights;
  if (weights && weights.length !== size) throw new Error(`reconstructionErrors: ${weights.length} misfit weights for ${samples} x ${samples} windows`);
  const w = weights ? tf.tensor4d(weights, [1, samples, samples, 1]) : null;
  const sumW = weights ? weights.reduce((a, b) => a + b, 0) : 0;
  try {
    for (let start = 0; start < count; start += batchSize) {
      const n = Math.min(batchSize, count - start);
      const batch = tf.tidy(() => {
        const x = tf.tensor4d(windows.subarray(start * size, (start + n) * size), [n, samples, samples, 1]);
        const y = model.apply(x, { training: false }) as tf.Tensor;
        if (!w) return tf.mean(tf.squaredDifference(y, x), [1, 2, 3]);
        const num = tf.sum(tf.mul(w, tf.squaredDifference(y, x)), [1, 2, 3]);
        const den = misfit.relative ? tf.add(tf.sum(tf.mul(w, tf.square(x)), [1, 2, 3]), RELATIVE_EPSILON * sumW) : tf.scalar(sumW);
        return tf.div(num, den);
      });
      errors.set(batch.dataSync() as Float32Array, start);
      batch.dispose();
    }
  } finally {
    w?.dispose();
  }
  return errors;
}

/** Throws, naming `caller`, unless `count` is a whole number of `samples × samples` windows that `windows` holds. */
export function checkWindowCount(caller: string, windows: Float32Array, count: number, samples: number): void {
  if (!Number.isInteger(count) || count < 0) throw new Error(`${caller}: count must be a non-negative integer, got ${count}`);
  if (windows.length < count * samples * samples) throw new Error(`${caller}: ${windows.length} values for ${count} windows of ${samples} x ${samples}`);
}
