/**
 * Data-parallel gradients. Each batch is cut into a fixed number of shards; each shard's loss and gradient
 * are computed independently (in this thread or in worker threads, each holding a copy of the model with
 * the current weights); the batch gradient is their weighted sum in shard order, applied once by the
 * caller's optimizer. The result depends on the shard count, never on the thread count.
 */
import * as tf from '@tensorflow/tfjs';
import { Piscina } from 'piscina';
import type { ModelConfig } from '../config/schema.js';
import type { BackendInfo } from '../engine/backend.js';
import { type GradientRunner, type Shard, type ShardResult, flatWeights } from '../engine/gradient-runner.js';
import { workerEntry } from '../base/worker-entry.js';

/** What a worker needs to compute shard gradients. */
export interface GradientTask {
  arch: ModelConfig;
  samples: number;
  /** Current trainable weights, flat. */
  weights: Float32Array;
  shards: Shard[];
}

/** Loss and flat gradient of the mean squared reconstruction error on one shard. */
export function shardGradient(model: tf.LayersModel, shard: Shard): ShardResult {
  const samples = model.inputs[0].shape[1] as number;
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const x = tf.tensor4d(shard.windows.subarray(0, shard.count * samples * samples), [shard.count, samples, samples, 1]);
  const { value, grads } = tf.variableGrads(() => tf.losses.meanSquaredError(x, model.apply(x, { training: true }) as tf.Tensor) as tf.Scalar, variables);
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
