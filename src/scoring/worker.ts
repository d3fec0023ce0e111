/**
 * Piscina worker entry for the scoring pool: one tfjs backend and one copy of the model per thread, set up
 * on the first task from `workerData`; each task's windows arrive transferred and its errors go back
 * transferred.
 */
import '../engine/quiet.js';
import { workerData } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs';
import { move } from 'piscina';
import { type BackendInfo, selectBackend } from '../engine/backend.js';
import type { Misfit } from '../engine/misfit.js';
import { reconstructionErrors } from '../engine/reconstruction-errors.js';

export interface WorkerModel {
  modelTopology: object;
  weightSpecs: tf.io.WeightsManifestEntry[];
  weightData: ArrayBuffer;
}

export interface ScoreTask {
  windows: Float32Array;
  count: number;
  samples: number;
  batchSize: number;
}

interface ScoringWorkerData {
  backend: BackendInfo['name'];
  model: WorkerModel;
  misfit?: Misfit;
}

let ready: Promise<tf.LayersModel> | null = null;

async function setUp(data: ScoringWorkerData): Promise<tf.LayersModel> {
  await selectBackend(data.backend);
  return tf.loadLayersModel(
    tf.io.fromMemory({ modelTopology: data.model.modelTopology, weightSpecs: data.model.weightSpecs, weightData: data.model.weightData }),
  );
}

export default async function scoreInWorker(task: ScoreTask): Promise<Float32Array> {
  ready ??= setUp(workerData as ScoringWorkerData);
  const model = await ready;
  const errors = reconstructionErrors(model, task.windows, task.count, task.samples, task.batchSize, (workerData as ScoringWorkerData).misfit);
  return move(errors) as unknown as Float32Array;
}
