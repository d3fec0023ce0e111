/**
 * Scoring on every core. tfjs's wasm backend runs one thread per process in Node (see engine/backend.ts),
 * so a scorer with `threads > 1` runs one wasm backend and one copy of the model per worker thread
 * (piscina) and splits each batch between them. Errors are identical to in-thread scoring: each window's
 * error depends on that window alone.
 */
import { availableParallelism } from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { Piscina } from 'piscina';
import type { BackendInfo } from '../engine/backend.js';
import type { Engine } from '../config/schema.js';
import type { Misfit } from '../engine/misfit.js';
import { createOnnxScorer, onOnnxRuntime, onnxRuntimeDetail } from '../engine/onnx/runtime.js';
import { reconstructionErrors } from '../engine/reconstruction-errors.js';
import type { ScoreTask, WorkerModel } from './worker.js';
import { workerEntry } from '../base/worker-entry.js';

/** Scores batches of normalised windows. */
export interface Scorer {
  /** Reconstruction errors of `count` windows (`samples × samples` each) in `windows`. */
  score(windows: Float32Array, count: number): Promise<Float32Array>;
  /** Worker threads in use (0: scoring in the calling thread); ONNX Runtime: its intra-op threads. */
  readonly threads: number;
  /** What scores, for logs: e.g. "onnxruntime-node 1.30.0, 2 threads" or "tfjs wasm, 2 worker threads". */
  readonly detail: string;
  close(): Promise<void>;
}

export interface ScorerOptions {
  /** Backend the workers select (the one the calling thread selected). */
  backend: BackendInfo['name'];
  /** Worker threads; 0 or 1: score in the calling thread; undefined: defaultScoringThreads(backend). */
  threads?: number;
  /** Windows per inference call inside each thread. */
  batchSize: number;
  /**
   * `tfjs`: the model on `backend`. `onnxruntime`: the model exported to ONNX Runtime (an error if
   * onnxruntime-node is not installed). `auto` (default): ONNX Runtime unless `backend` is the native
   * `tensorflow` one (which may be a GPU), falling back to tfjs when ONNX Runtime is unavailable.
   */
  engine?: Engine;
  /** Called with the reason when `auto` falls back to tfjs. */
  onFallback?: (reason: string) => void;
  /** How a reconstruction is scored (the bundle's WindowSpec, engine/misfit.ts); default: mean squared error. */
  misfit?: Misfit;
}

/** One thread per core for wasm and cpu; the native backend parallelises inside each op already. */
export function defaultScoringThreads(backend: BackendInfo['name']): number {
  return backend === 'tensorflow' ? 1 : Math.max(1, availableParallelism());
}

/**
 * A scorer for `model`: in the calling thread when one thread is asked for, else a worker pool. The pool is
 * ready (workers started, model loaded, backend checked) when the promise resolves.
 * @example
 * const scorer = await createScorer(model, { backend: 'wasm', batchSize: 256 });
 * const errors = await scorer.score(batch.data, batch.ids.length);
 * await scorer.close();
 */
export async function createScorer(model: tf.LayersModel, options: ScorerOptions): Promise<Scorer> {
  const onnx = await onOnnxRuntime(
    options.engine ?? 'auto',
    options.backend,
    'scoring',
    async () => {
      const scorer = await createOnnxScorer(model, {
        threads: options.threads ?? availableParallelism(),
        batchSize: options.batchSize,
        misfit: options.misfit,
      });
      return { ...scorer, detail: await onnxRuntimeDetail(scorer.threads) };
    },
    options.onFallback,
  );
  return onnx ?? createTfjsScorer(model, options);
}

async function createTfjsScorer(model: tf.LayersModel, options: ScorerOptions): Promise<Scorer> {
  const threads = options.threads ?? defaultScoringThreads(options.backend);
  const samples = model.inputs[0].shape[1] as number;
  if (threads <= 1) {
    return {
      threads: 0,
      detail: `tfjs ${options.backend}, in the calling thread`,
      score: async (windows, count) => reconstructionErrors(model, windows, count, samples, options.batchSize, options.misfit),
      close: async () => undefined,
    };
  }
  const workerModel = await serialiseModel(model);
  const entry = workerEntry(import.meta.url, 'worker');
  const pool = new Piscina<ScoreTask, Float32Array>({
    filename: entry.filename,
    execArgv: entry.execArgv,
    minThreads: threads,
    maxThreads: threads,
    // every task needs a warm worker (tfjs, wasm and the model loaded): keep them for the pool's life
    idleTimeout: Number.POSITIVE_INFINITY,
    workerData: { backend: options.backend, model: workerModel, misfit: options.misfit },
  });
  const run = (windows: Float32Array, count: number): Promise<Float32Array> => {
    const own = windows.slice(0, count * samples * samples); // a private copy can be transferred
    return pool.run({ windows: own, count, samples, batchSize: options.batchSize }, { transferList: [own.buffer] });
  };
  try {
    // start every worker now, so a backend or model problem surfaces here rather than mid-run
    const probe = new Float32Array(samples * samples);
    await Promise.all(Array.from({ length: threads }, () => run(probe, 1)));
  } catch (err) {
    await pool.destroy();
    throw new Error(`scoring workers failed to start: ${(err as Error).message}`);
  }
  return {
    threads,
    detail: `tfjs ${options.backend}, ${threads} worker threads`,
    async score(windows, count) {
      const size = samples * samples;
      if (windows.length < count * size) throw new Error(`score: ${windows.length} values for ${count} windows of ${samples} x ${samples}`);
      // one share per thread, at least a few windows each (tiny batches are not worth a round trip)
      const shares = Math.max(1, Math.min(threads, Math.ceil(count / 8)));
      const per = Math.ceil(count / shares);
      const parts: Array<Promise<Float32Array>> = [];
      for (let start = 0; start < count; start += per) {
        const n = Math.min(per, count - start);
        parts.push(run(windows.subarray(start * size, (start + n) * size), n));
      }
      const errors = new Float32Array(count);
      (await Promise.all(parts)).forEach((part, k) => errors.set(part, k * per));
      return errors;
    },
    close: () => pool.destroy(),
  };
}

/** Topology and weights of a model, as plain data a worker can rebuild it from. */
export async function serialiseModel(model: tf.LayersModel): Promise<WorkerModel> {
  let out: WorkerModel | null = null;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      out = {
        modelTopology: artifacts.modelTopology as object,
        weightSpecs: artifacts.weightSpecs ?? [],
        weightData: tf.io.CompositeArrayBuffer.join(artifacts.weightData ?? []),
      };
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    }),
  );
  if (!out) throw new Error('serialiseModel: the model produced no artifacts');
  return out;
}
