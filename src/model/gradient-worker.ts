/**
 * Piscina worker entry for data-parallel training (gradients.ts): keeps one model per architecture, loads
 * the task's weights into it and returns each shard's loss and gradient (buffers transferred back).
 */
import '../engine/quiet.js';
import { workerData } from 'node:worker_threads';
import type * as tf from '@tensorflow/tfjs';
import { move, transferableSymbol, valueSymbol } from 'piscina';
import { buildAutoencoder } from './autoencoder.js';
import { type BackendInfo, selectBackend } from '../engine/backend.js';
import { type ShardResult, setFlatWeights } from '../engine/gradient-runner.js';
import { type GradientTask, shardGradient } from './gradients.js';

let ready: Promise<unknown> | null = null;
const models = new Map<string, tf.LayersModel>();

export default async function gradientsInWorker(task: GradientTask): Promise<ShardResult[]> {
  ready ??= selectBackend((workerData as { backend: BackendInfo['name'] }).backend);
  await ready;
  if (task.shards.length === 0) return [];
  const key = JSON.stringify([task.arch, task.samples]);
  let model = models.get(key);
  if (!model) {
    model = buildAutoencoder(task.arch, task.samples, 0); // its initial weights are replaced just below
    models.set(key, model);
  }
  setFlatWeights(model, task.weights);
  const results = task.shards.map((shard) => shardGradient(model, shard));
  // a Transferable wrapper: piscina posts `value` with the gradient buffers in the transfer list
  return move({ [transferableSymbol]: results.map((r) => r.grads.buffer), [valueSymbol]: results }) as unknown as ShardResult[];
}
