/**
 * The convolutional autoencoder (Valentine et al. 2013): trained only on seamount windows, it reconstructs
 * seamount-like windows well and everything else badly, so reconstruction error is the detector.
 *
 * Layout (NHWC, one channel in and out):
 *   input [s, s, 1]
 *   → per filters[i]: conv kernelSize×kernelSize, stride 2, same padding, ReLU         (s → s / 2^n)
 *   → flatten → dense(bottleneck), linear: the code
 *   → dense(side·side·filters[n−1]), ReLU → reshape [side, side, filters[n−1]]
 *   → per reversed filters[0..n−2]: conv2dTranspose, stride 2, ReLU
 *   → conv2dTranspose to 1 channel, stride 2, linear                                  (→ s)
 * Strided convolutions and transposed convolutions (rather than pooling and upsampling + convolution) keep
 * the multiply count lowest for the receptive field; on wasm both map to XNNPACK products (engine/kernels/wasm.ts).
 */
import * as tf from '@tensorflow/tfjs';
import type { ModelConfig } from '../config/schema.js';

/** Side of the feature map at the bottleneck, or an error naming the constraint. */
export function bottleneckSide(arch: ModelConfig, samples: number): number {
  const factor = 2 ** arch.filters.length;
  if (!Number.isInteger(samples) || samples <= 0 || samples % factor !== 0) {
    throw new Error(
      `autoencoder: window samples (${samples}) must be a multiple of 2^${arch.filters.length} = ${factor} ` +
        `(one halving per encoder layer, model.filters = [${arch.filters.join(', ')}])`,
    );
  }
  return samples / factor;
}

/**
 * Builds the autoencoder for `samples × samples` windows. Weights are drawn from seeded initialisers
 * (Glorot uniform, zero biases): the same (arch, samples, seed) gives the same weights on one backend.
 * Layer names are fixed (`enc1`, `code`, `dec1`, ...) so weights can be matched across builds.
 * @example
 * const model = buildAutoencoder({ filters: [16, 32, 64], kernelSize: 3, bottleneck: 32 }, 32, 42);
 * model.predict(tf.zeros([1, 32, 32, 1])); // shape [1, 32, 32, 1]
 */
export function buildAutoencoder(arch: ModelConfig, samples: number, seed: number): tf.LayersModel {
  const side = bottleneckSide(arch, samples);
  const n = arch.filters.length;
  let init = 0;
  // one seed per weight tensor, so inserting a layer does not shift the others' draws
  const kernelInitializer = () => tf.initializers.glorotUniform({ seed: seed * 1000 + init++ });
  const conv = { kernelSize: arch.kernelSize, strides: 2, padding: 'same' as const, biasInitializer: 'zeros' as const };

  const input = tf.input({ shape: [samples, samples, 1], name: 'window' });
  let x: tf.SymbolicTensor = input;
  arch.filters.forEach((filters, i) => {
    x = tf.layers.conv2d({ ...conv, filters, activation: 'relu', kernelInitializer: kernelInitializer(), name: `enc${i + 1}` }).apply(x) as tf.SymbolicTensor;
  });
  x = tf.layers.flatten({ name: 'flatten' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.dense({ units: arch.bottleneck, activation: 'linear', kernelInitializer: kernelInitializer(), name: 'code' }).apply(x) as tf.SymbolicTensor;
  const last = arch.filters[n - 1];
  x = tf.layers.dense({ units: side * side * last, activation: 'relu', kernelInitializer: kernelInitializer(), name: 'expand' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.reshape({ targetShape: [side, side, last], name: 'unflatten' }).apply(x) as tf.SymbolicTensor;
  const decoderFilters = [...arch.filters.slice(0, -1).reverse(), 1];
  decoderFilters.forEach((filters, i) => {
    const output = i === decoderFilters.length - 1;
    x = tf.layers
      .conv2dTranspose({
        ...conv,
        filters,
        activation: output ? 'linear' : 'relu',
        kernelInitializer: kernelInitializer(),
        name: output ? 'reconstruction' : `dec${i + 1}`,
      })
      .apply(x) as tf.SymbolicTensor;
  });
  return tf.model({ inputs: input, outputs: x, name: 'seamount_autoencoder' });
}
