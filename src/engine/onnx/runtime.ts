/**
 * ONNX Runtime (`onnxruntime-node`, an optional dependency whose npm package carries its CPU libraries:
 * nothing is downloaded) as a second engine for the autoencoder. Its CPU kernels use the machine's full
 * vector width (AVX2/AVX-512), which the wasm backend cannot (128-bit SIMD), so on the benchmark machine it
 * scores and computes gradients several times faster than wasm (bench/model.ts). The model itself stays a
 * tfjs LayersModel: ONNX graphs are built from it in memory (./autoencoder-graphs.ts), for scoring with its weights
 * baked in, for training with the weights fed on every step and Adam applied by tfjs as before.
 */
import type * as tf from '@tensorflow/tfjs';
import type { Engine } from '../../config/schema.js';
import { concatFloat32 } from '../../base/float32.js';
import { checkWindowCount } from '../reconstruction-errors.js';
import type { BackendInfo } from '../backend.js';
import { type GradientRunner, type ShardResult, flatWeights } from '../gradient-runner.js';
import { ONNX_ERRORS, ONNX_LOSS, ONNX_SCALE, ONNX_WINDOWS, gradientGraph, gradientOutput, scoringGraph, weightInput } from './autoencoder-graphs.js';
import { planModel } from './plan.js';
import type { Misfit } from '../misfit.js';

/** The part of onnxruntime-node's API used here (typed locally: the package is optional). */
interface OrtTensor {
  readonly data: unknown;
  dispose?(): void;
}
interface OrtSession {
  run(feeds: Record<string, OrtTensor>): Promise<Record<string, OrtTensor>>;
  release(): Promise<void>;
}
interface OrtModule {
  Tensor: new (type: 'float32', data: Float32Array, dims: number[]) => OrtTensor;
  InferenceSession: { create(model: Uint8Array, options: Record<string, unknown>): Promise<OrtSession> };
  env: { versions?: { node?: string; common?: string } };
}

export const ONNX_PACKAGE = 'onnxruntime-node';

let loading: Promise<OrtModule> | null = null;

/** onnxruntime-node, or an error saying why it is unavailable. */
export function loadOnnxRuntime(): Promise<OrtModule> {
  loading ??= (async () => {
    const specifier: string = ONNX_PACKAGE; // a variable: the package is optional
    const mod = (await import(specifier)) as OrtModule & { default?: OrtModule };
    const ort = mod.InferenceSession ? mod : mod.default;
    if (!ort?.InferenceSession) throw new Error(`${ONNX_PACKAGE} loaded but has no InferenceSession`);
    return ort;
  })();
  loading.catch(() => {
    loading = null; // a later call tries again (and reports the same reason)
  });
  return loading;
}

/**
 * `create()` on ONNX Runtime where `engine` asks for it: always for `onnxruntime`, and for `auto` unless the
 * backend is the native `tensorflow` one (which may be a GPU). Null where tfjs should run instead: not asked
 * for, or `auto` and ONNX Runtime failed (missing, or a layer it cannot export), the reason passed to
 * `onFallback`. With `onnxruntime` a failure is an error saying what to do.
 * @example
 * const scorer = await onOnnxRuntime('auto', 'wasm', 'scoring', () => createOnnxScorer(model, opts), log);
 */
export async function onOnnxRuntime<T>(
  engine: Engine,
  backend: BackendInfo['name'],
  use: 'scoring' | 'training',
  create: () => Promise<T>,
  onFallback?: (reason: string) => void,
): Promise<T | null> {
  if (engine === 'tfjs' || (engine === 'auto' && backend === 'tensorflow')) return null;
  try {
    return await create();
  } catch (err) {
    const reason = `ONNX Runtime ${use === 'scoring' ? 'scoring' : 'gradients'} unavailable: ${(err as Error).message.split('\n')[0]}`;
    if (engine === 'onnxruntime') throw new Error(`${reason} (install onnxruntime-node, or set ${use}.engine to tfjs or auto)`);
    onFallback?.(reason);
    return null;
  }
}

/** "onnxruntime-node 1.30.0, 2 threads": what runs, for logs and provenance. */
export async function onnxRuntimeDetail(threads: number): Promise<string> {
  const ort = await loadOnnxRuntime();
  const version = ort.env.versions?.node ?? ort.env.versions?.common ?? '(version unknown)';
  return `${ONNX_PACKAGE} ${version}, ${threads} thread${threads > 1 ? 's' : ''}`;
}

/** One session, `threads` intra-op threads (ONNX Runtime splits each operator across them). */
async function createSession(ort: OrtModule, graph: Uint8Array, threads: number): Promise<OrtSession> {
  return ort.InferenceSession.create(graph, {
    intraOpNumThreads: Math.max(1, threads),
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
  });
}

/** Scores windows through ONNX Runtime in the calling thread (its own thread pool does the parallel work). */
export interface OnnxScorer {
  score(windows: Float32Array, count: number): Promise<Float32Array>;
  readonly threads: number;
  close(): Promise<void>;
}

/**
 * An ONNX Runtime session computing `model`'s reconstruction errors. Deterministic for a thread count
 * (test/engine/onnx/runtime.test.ts); equal to tfjs's errors to float rounding.
 * @example
 * const scorer = await createOnnxScorer(model, { threads: 2, batchSize: 256 });
 * const errors = await scorer.score(windows, count);
 */
export async function createOnnxScorer(model: tf.LayersModel, options: { threads: number; batchSize: number; misfit?: Misfit }): Promise<OnnxScorer> {
  const ort = await loadOnnxRuntime();
  const plan = planModel(model);
  const weights = model.trainableWeights.map((w) => w.read().dataSync() as Float32Array);
  const session = await createSession(ort, scoringGraph(plan, weights, options.misfit), options.threads);
  const samples = plan.samples;
  const size = samples * samples;
  return {
    threads: Math.max(1, options.threads),
    async score(windows, count) {
      checkWindowCount('score', windows, count, samples);
      const errors = new Float32Array(count);
      for (let start = 0; start < count; start += options.batchSize) {
        const n = Math.min(options.batchSize, count - start);
        const input = new ort.Tensor('float32', windows.subarray(start * size, (start + n) * size), [n, 1, samples, samples]);
        const out = await session.run({ [ONNX_WINDOWS]: input });
        errors.set(out[ONNX_ERRORS].data as Float32Array, start);
        out[ONNX_ERRORS].dispose?.();
      }
      return errors;
    },
    close: () => session.release(),
  };
}

/**
 * Shard gradients through ONNX Runtime: one session of the gradient graph, the model's current weights fed
 * on every call, shards computed one after another (each with `threads` intra-op threads). Same contract as
 * the tfjs runners (model/gradients.ts): loss and flat gradient per shard, in model.trainableWeights order.
 */
export async function onnxGradients(model: tf.LayersModel, threads: number): Promise<GradientRunner> {
  const ort = await loadOnnxRuntime();
  const plan = planModel(model);
  const session = await createSession(ort, gradientGraph(plan), threads);
  const sizes = plan.weightShapes.map((s) => s.reduce((a, b) => a * b, 1));
  const total = sizes.reduce((a, b) => a + b, 0);
  const size = plan.samples * plan.samples;
  return {
    threads: Math.max(1, threads),
    async run(m, shards) {
      const flat = flatWeights(m);
      if (flat.length !== total) throw new Error(`ONNX gradients: the model has ${flat.length} weights, the graph ${total}`);
      const feeds: Record<string, OrtTensor> = {};
      let o = 0;
      plan.weightShapes.forEach((shape, i) => {
        feeds[weightInput(i)] = new ort.Tensor('float32', flat.subarray(o, o + sizes[i]), shape);
        o += sizes[i];
      });
      const results: ShardResult[] = [];
      for (const shard of shards) {
        feeds[ONNX_WINDOWS] = new ort.Tensor('float32', shard.windows.subarray(0, shard.count * size), [shard.count, 1, plan.samples, plan.samples]);
        feeds[ONNX_SCALE] = new ort.Tensor('float32', Float32Array.of(2 / (shard.count * size)), [1]);
        const out = await session.run(feeds);
        const outputs = plan.weightShapes.map((_, i) => out[gradientOutput(i)]);
        results.push({ loss: (out[ONNX_LOSS].data as Float32Array)[0], grads: concatFloat32(outputs.map((g) => g.data as Float32Array)) });
        for (const g of outputs) g.dispose?.();
      }
      return results;
    },
    close: () => session.release(),
  };
}
