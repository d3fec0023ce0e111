/**
 * What every engine's gradient computation provides (tfjs shards in model/gradients.ts, ONNX Runtime in
 * onnx/runtime.ts): shard losses and flat gradients, in shard order, for a model's current weights.
 */
import * as tf from '@tensorflow/tfjs';
import { concatFloat32 } from '../base/float32.js';

/** A shard: `count` windows of `samples × samples`. */
export interface Shard {
  windows: Float32Array;
  count: number;
}

export interface ShardResult {
  loss: number;
  /** All trainable weights' gradients, concatenated in model.trainableWeights order. */
  grads: Float32Array;
}

/** Computes shard gradients for the current weights of a model. */
export interface GradientRunner {
  /** Results in shard order. */
  run(model: tf.LayersModel, shards: Shard[]): Promise<ShardResult[]>;
  /** Threads computing shards, this one included. */
  readonly threads: number;
  close(): Promise<void>;
}

/** Flat copy of a model's trainable weights. */
export function flatWeights(model: tf.LayersModel): Float32Array {
  return concatFloat32(model.trainableWeights.map((w) => w.read().dataSync() as Float32Array));
}

/** Writes flat weights into a model's trainable weights. */
export function setFlatWeights(model: tf.LayersModel, flat: Float32Array): void {
  let o = 0;
  const values = model.trainableWeights.map((w) => {
    const shape = w.shape as number[];
    const size = tf.util.sizeFromShape(shape);
    const t = tf.tensor(flat.subarray(o, o + size), shape);
    o += size;
    return t;
  });
  if (o !== flat.length) {
    tf.dispose(values);
    throw new Error(`setFlatWeights: ${flat.length} values for ${o} weights`);
  }
  model.trainableWeights.forEach((w, i) => w.write(values[i]));
  tf.dispose(values);
}
