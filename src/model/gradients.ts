/**
 * Data-parallel gradients. Each batch is cut into a fixed number of shards; each shard's loss and gradient
 * are computed independently (in this thread or in worker threads, each holding a copy of the model with
 * the current weights); the batch gradient is their weighted sum in shard order, applied once by the
 * caller's optimizer. The result depends on the shard count, never on the thread count.
 */
import * as tf from '@tensorflow/tfjs';
import { Piscina } from 'piscina';
import type { ModelConfig } from '../config/schema.js';
import type { BackendInfo } from './backend.js';
import { concatFloat32 } from '../base/float32.js';
import { workerEntry } from '../base/worker-entry.js';

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

/** What a worker needs to compute shard gradients. */
export interface GradientTask {
  arch: ModelConfig;
  samples: number;
  /** Current trainable weights, flat. */
  weights: Float32Array;
  shards: Shard[];
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

/** Loss and flat gradient of the mean squared reconstruction error on one shard. */
export function shardGradient(model: tf.LayersModel, shard: Shard): ShardResult {
  const samples = model.inputs[0].shape[1] as number;
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const x = tf.tensor4d(shard.windows.subarray(0, shard.count * samples * samples), [shard.count, samples, samples, 1]);
  const { value, grads } = tf.variableGrads(
    () => tf.losses.meanSquaredError(x, model.apply(x, { training: true }) as tf.Tensor) as tf.Scalar,
    variables,
  );
  x.dispose();
  const flat = new Float32Array(variables.reduce((s, v) => s + v.size, 0));
  let o = 0;
  for (const v of variables) {
    flat.set(grads[v.name].dataSync() as Float32Array, o);
    o += v.size;
  }
  const loss = value.dataSync()[0];
  tf.dispose([value, ...Object.values(grads)]);
  return { loss, grads: flat };
}

/** Shard gradients in the calling thread, on the model itself. */
export function localGradients(): GradientRunner {
  return {
    threads: 1,
    run: async (model, shards) => shards.map((shard) => shardGradient(model, shard)),
    close: async () => undefined,
  };
}

/**
 * Shard gradients on `threads` threads: this one and `threads − 1` workers (piscina), each worker with its own
 * `backend` and model copy. Shard k goes to thread k mod threads (thread 0 is this one, which computes its
 * shards while the workers compute theirs). Resolves once every worker is up.
 */
export async function workerGradients(backend: BackendInfo['name'], threads: number, arch: ModelConfig, samples: number): Promise<GradientRunner> {
  const workers = threads - 1;
  if (workers < 1) return localGradients();
  const entry = workerEntry(import.meta.url, 'gradient-worker');
  const pool = new Piscina<GradientTask, ShardResult[]>({
    filename: entry.filename,
    execArgv: entry.execArgv,
    minThreads: workers,
    maxThreads: workers,
    idleTimeout: Number.POSITIVE_INFINITY,
    workerData: { backend },
  });
  const runner: GradientRunner = {
    threads,
    async run(model, shards) {
      const weights = flatWeights(model);
      const mine = (r: number) => shards.filter((_, k) => k % threads === r);
      const remote: Array<Promise<ShardResult[]>> = [];
      for (let r = 1; r < threads; r++) {
        const group = mine(r);
        if (group.length === 0) continue;
        const copies = group.map((s) => ({ windows: s.windows.slice(0, s.count * samples * samples), count: s.count }));
        remote.push(pool.run({ arch, samples, weights, shards: copies }, { transferList: copies.map((s) => s.windows.buffer as ArrayBuffer) }));
      }
      const local = mine(0).map((shard) => shardGradient(model, shard));
      const replies = [local, ...(await Promise.all(remote))];
      return shards.map((_, k) => replies[k % threads][Math.floor(k / threads)]);
    },
    close: () => pool.destroy(),
  };
  try {
    // start every worker now, so a backend problem surfaces before the first epoch
    const probe = { arch, samples, weights: new Float32Array(0), shards: [] };
    await Promise.all(Array.from({ length: workers }, () => pool.run(probe)));
  } catch (err) {
    await pool.destroy();
    throw new Error(`training workers failed to start: ${(err as Error).message}`);
  }
  return runner;
}

