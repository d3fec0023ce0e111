/**
 * Training loop: seamount windows only (Valentine et al. 2013), Adam on the mean squared reconstruction
 * error, on-the-fly dihedral augmentation, early stopping on held-out seamounts with the best weights
 * restored, then threshold calibration on the same held-out windows.
 *
 * Deterministic for a seed on one backend: weights come from seeded initialisers, the order and the
 * augmentation of every batch from a seeded PRNG, and nothing else is random.
 */
import { availableParallelism } from 'node:os';
import * as tf from '@tensorflow/tfjs';
import type { ModelConfig, TrainingConfig } from '../config/schema.js';
import type { Logger } from '../base/logger.js';
import type { Misfit } from '../engine/misfit.js';
import { reconstructionErrors } from '../engine/reconstruction-errors.js';
import { allowedTransforms, dihedral, transformWindow } from './augment.js';
import { buildAutoencoder } from './autoencoder.js';
import { type Calibration, calibrate } from './calibration.js';
import { createPrng } from './prng.js';
import type { GradientRunner, Shard } from '../engine/gradient-runner.js';
import { localGradients, workerGradients } from './gradients.js';
import { onOnnxRuntime, onnxGradients, onnxRuntimeDetail } from '../engine/onnx/runtime.js';

/** `count` normalised windows of `samples × samples`, row-major, one after another. */
export interface TrainingSet {
  windows: Float32Array;
  count: number;
  samples: number;
}

export interface EpochReport {
  epoch: number;
  /** Mean training loss (MSE) over the epoch's batches, augmented windows. */
  loss: number;
  /** Mean reconstruction error of the held-out windows after the epoch. */
  valLoss: number;
  /** Training windows per second in this epoch (forward + backward + update). */
  samplesPerSec: number;
}

export interface TrainOptions {
  training: TrainingConfig;
  seed: number;
  arch: ModelConfig;
  /** Fine-tune these weights (a loaded bundle's model; not modified) instead of starting from random ones. */
  init?: tf.LayersModel;
  onEpoch?: (e: EpochReport) => void;
  /** Called after every batch (progress bars). */
  onBatch?: (e: { epoch: number; batch: number; batches: number }) => void;
  logger?: Logger;
  /** Windows per batch when computing validation errors (memory bound only; default 256). */
  evalBatchSize?: number;
  /** Backend the worker threads select (default: the current one); needed only with training.threads > 1. */
  backend?: 'tensorflow' | 'wasm' | 'cpu';
  /** How detection will score windows (the WindowSpec's misfit): the calibration errors are computed so. */
  misfit?: Misfit;
}

/** What computed the gradients, for logs and the bundle, e.g. "onnxruntime-node 1.30.0, 1 thread". */
export type EngineDetail = string;

export interface TrainResult {
  model: tf.LayersModel;
  history: Array<{ epoch: number; loss: number; valLoss: number }>;
  /** Epoch (1-based) whose weights were kept. */
  bestEpoch: number;
  stoppedEarly: boolean;
  calibration: Calibration;
  /** What computed the gradients. */
  engine: EngineDetail;
}

/**
 * Trains the autoencoder on `train` (seamount windows; shifted copies already included by the caller) and
 * stops early on `val` (held-out seamount windows, never augmented). Each epoch visits every training
 * window once, in a seeded random order, each under a random rotation by a multiple of 90° and/or a mirror
 * (as `training.augment.rotations` / `flips` allow).
 * @example
 * const { model, calibration } = await trainAutoencoder(train, val, { training: config.training, seed: 42, arch: config.model });
 */
export async function trainAutoencoder(train: TrainingSet, val: TrainingSet, options: TrainOptions): Promise<TrainResult> {
  const { training, seed, arch, logger } = options;
  checkSet(train, 'training');
  checkSet(val, 'validation');
  if (train.samples !== val.samples) {
    throw new Error(`training windows are ${train.samples} x ${train.samples} but validation windows are ${val.samples} x ${val.samples}`);
  }
  const samples = train.samples;
  const size = samples * samples;
  const model = buildAutoencoder(arch, samples, seed);
  if (options.init) {
    try {
      copyWeights(options.init, model);
    } catch (err) {
      model.dispose();
      throw err;
    }
  }

  const rng = createPrng(seed);
  const transforms = allowedTransforms(training.augment.rotations, training.augment.flips);
  const batchSize = Math.min(training.batchSize, train.count);
  const batches = Math.ceil(train.count / batchSize);
  const shardCount = Math.min(training.shards, batchSize);
  const batchValues = new Float32Array(batchSize * size);
  const order = Int32Array.from({ length: train.count }, (_, i) => i);
  const evalBatch = options.evalBatchSize ?? 256;
  const backend = options.backend ?? (tf.getBackend() as NonNullable<TrainOptions['backend']>);
  const threads = Math.min(shardCount, trainingThreads(training.threads, backend));

  const history: TrainResult['history'] = [];
  let best = Number.POSITIVE_INFINITY;
  let bestEpoch = 0;
  let bestWeights: tf.Tensor[] | null = null;
  let stoppedEarly = false;
  let runner: GradientRunner | null = null;
  let engine: EngineDetail = '';
  const optimizer = tf.train.adam(training.learningRate);
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  logger?.info(
    { train: train.count, validation: val.count, samples, batchSize, shards: shardCount, epochs: training.epochs, fineTune: Boolean(options.init) },
    `training on ${train.count} seamount windows, ${val.count} held out`,
  );

  try {
    const chosen = await gradientRunner(model, training, backend, threads, arch, samples, logger);
    runner = chosen.runner;
    engine = chosen.detail;
    for (let epoch = 1; epoch <= training.epochs; epoch++) {
      const t0 = performance.now();
      rng.shuffle(order);
      let lossSum = 0;
      for (let b = 0; b < batches; b++) {
        const start = b * batchSize;
        const n = Math.min(batchSize, train.count - start);
        for (let k = 0; k < n; k++) {
          const src = train.windows.subarray(order[start + k] * size, (order[start + k] + 1) * size);
          const t = dihedral(transforms[rng.int(transforms.length)]);
          transformWindow(src, samples, t, batchValues.subarray(k * size, (k + 1) * size));
        }
        lossSum += (await batchStep(model, runner, optimizer, variables, batchValues, n, size, shardCount)) * n;
        options.onBatch?.({ epoch, batch: b + 1, batches });
        await yieldToEventLoop();
      }
      const seconds = (performance.now() - t0) / 1000;
      const loss = lossSum / train.count;
      const valLoss = mean(reconstructionErrors(model, val.windows, val.count, samples, evalBatch));
      if (!Number.isFinite(loss) || !Number.isFinite(valLoss)) {
        throw new Error(`training diverged at epoch ${epoch} (loss ${loss}, validation ${valLoss}): lower training.learningRate`);
      }
      history.push({ epoch, loss, valLoss });
      const report = { epoch, loss, valLoss, samplesPerSec: train.count / seconds };
      options.onEpoch?.(report);
      // debug: callers report epochs through onEpoch (progress bars, their own log line)
      logger?.debug(report, `epoch ${epoch}: loss ${loss.toExponential(3)}, validation ${valLoss.toExponential(3)}`);
      if (valLoss < best) {
        best = valLoss;
        bestEpoch = epoch;
        if (bestWeights) tf.dispose(bestWeights);
        bestWeights = model.getWeights().map((w) => w.clone()); // getWeights returns the live variables
      } else if (epoch - bestEpoch >= training.patience) {
        stoppedEarly = epoch < training.epochs;
        logger?.info({ epoch, bestEpoch }, `no validation improvement for ${training.patience} epochs: stopping`);
        break;
      }
    }
    if (bestWeights) model.setWeights(bestWeights);
  } catch (err) {
    model.dispose();
    throw err;
  } finally {
    if (bestWeights) tf.dispose(bestWeights);
    optimizer.dispose();
    await runner?.close();
  }
  const valErrors = reconstructionErrors(model, val.windows, val.count, samples, evalBatch, options.misfit);
  const calibration = calibrate(valErrors, training.calibrationRecall);
  logger?.info(
    { bestEpoch, threshold: calibration.threshold, recall: calibration.recall },
    `kept epoch ${bestEpoch}; threshold ${calibration.threshold.toExponential(3)} at recall ${calibration.recall}`,
  );
  return { model, history, bestEpoch, stoppedEarly, calibration, engine };
}

/**
 * The gradient runner `training.engine` asks for. `auto`: ONNX Runtime unless the backend is the native
 * `tensorflow` one, falling back to tfjs (logged) when onnxruntime-node is missing or cannot export the
 * model; `onnxruntime` makes that an error. ONNX Runtime runs the shards one after another with
 * `training.threads` intra-op threads (0: 1; two were slower than one on this graph's small operators here).
 */
async function gradientRunner(
  model: tf.LayersModel,
  training: TrainingConfig,
  backend: NonNullable<TrainOptions['backend']>,
  threads: number,
  arch: ModelConfig,
  samples: number,
  logger?: Logger,
): Promise<{ runner: GradientRunner; detail: EngineDetail }> {
  const ortThreads = Math.max(1, training.threads);
  const onnx = await onOnnxRuntime(
    training.engine ?? 'tfjs',
    backend,
    'training',
    async () => ({ runner: await onnxGradients(model, ortThreads), detail: await onnxRuntimeDetail(ortThreads) }),
    (reason) => logger?.info({ engine: 'tfjs', reason }, `${reason}; training with tfjs`),
  );
  if (onnx) return onnx;
  const runner = threads > 1 ? await workerGradients(backend, threads, arch, samples) : localGradients();
  return { runner, detail: `tfjs ${backend}, ${threads} thread${threads > 1 ? 's' : ''}` };
}

/** Worker threads for training: 0 = one per core; the native backend parallelises inside each op. */
export function trainingThreads(requested: number, backend: string): number {
  if (requested > 0) return requested;
  return backend === 'tensorflow' ? 1 : Math.max(1, availableParallelism());
}

/**
 * One optimiser step on `n` windows: `shardCount` contiguous shards (sizes differing by at most one), their
 * gradients summed in shard order weighted by shard size, one Adam step. Returns the batch loss.
 */
async function batchStep(
  model: tf.LayersModel,
  runner: GradientRunner,
  optimizer: tf.Optimizer,
  variables: tf.Variable[],
  values: Float32Array,
  n: number,
  size: number,
  shardCount: number,
): Promise<number> {
  const shards: Shard[] = [];
  for (let k = 0, start = 0; k < shardCount; k++) {
    const count = Math.floor(n / shardCount) + (k < n % shardCount ? 1 : 0);
    if (count > 0) shards.push({ windows: values.subarray(start * size, (start + count) * size), count });
    start += count;
  }
  const results = await runner.run(model, shards);
  const grads = new Float32Array(results[0].grads.length);
  let loss = 0;
  results.forEach(({ grads: g, loss: l }, k) => {
    const w = shards[k].count / n;
    for (let i = 0; i < g.length; i++) grads[i] += w * g[i];
    loss += w * l;
  });
  let o = 0;
  const named = variables.map((v) => {
    const tensor = tf.tensor(grads.subarray(o, o + v.size), v.shape);
    o += v.size;
    return { name: v.name, tensor };
  });
  optimizer.applyGradients(named);
  tf.dispose(named.map((g) => g.tensor));
  return loss;
}

/**
 * Splits `count` seamounts into training and held-out indices (seeded, at least one of each when count ≥ 2).
 * Split seamounts, not windows: shifted copies of one seamount must all fall on the same side.
 */
export function splitTrainValidation(count: number, validationFraction: number, seed: number): { train: number[]; validation: number[] } {
  if (count < 2) throw new Error(`need at least 2 seamounts to hold some out for validation, got ${count}`);
  const order = createPrng(seed ^ 0x5eed).shuffle(Array.from({ length: count }, (_, i) => i));
  const held = Math.min(count - 1, Math.max(1, Math.round(count * validationFraction)));
  return { train: order.slice(held).sort((a, b) => a - b), validation: order.slice(0, held).sort((a, b) => a - b) };
}

/** Copies `from`'s weights into `to`, refusing a different architecture. */
function copyWeights(from: tf.LayersModel, to: tf.LayersModel): void {
  const a = from.getWeights();
  const b = to.getWeights();
  const describe = (ws: tf.Tensor[]) => ws.map((w) => `[${w.shape.join(',')}]`).join(' ');
  if (a.length !== b.length || a.some((w, i) => !tf.util.arraysEqual(w.shape, b[i].shape))) {
    throw new Error(
      `the initial model's architecture differs from model config: weights ${describe(a)} vs ${describe(b)} ` +
        '(fine-tuning needs the same filters, kernelSize, bottleneck and window samples)',
    );
  }
  to.setWeights(a);
}

function checkSet(set: TrainingSet, what: string): void {
  if (!Number.isInteger(set.count) || set.count < 1) throw new Error(`no ${what} windows (count ${set.count})`);
  const size = set.samples * set.samples;
  if (set.windows.length !== set.count * size) {
    throw new Error(`${what} set: ${set.windows.length} values for ${set.count} windows of ${set.samples} x ${set.samples}`);
  }
  for (let i = 0; i < set.windows.length; i++) {
    if (!Number.isFinite(set.windows[i])) {
      throw new Error(`${what} window ${Math.floor(i / size)} holds a non-finite value (${set.windows[i]}): fill or drop no-data before training`);
    }
  }
}

function mean(a: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return s / a.length;
}

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
