/**
 * Model benchmark: training samples/s and scoring windows/s per available backend, side by side with a
 * PyTorch implementation of the same architecture (bench/peer/peer_speed.py, run with /usr/bin/python3 on
 * the same machine in the same command), and the ratio ours / PyTorch.
 *
 * Targets (issue #5): scoring at least as fast as PyTorch on the same CPU, training at least half as fast.
 *
 *   node --import tsx bench/model.ts [--samples 32,64] [--backends wasm,cpu] [--repeats 5] [--quick] [--no-onnx] [--json FILE]
 *
 * Also run by `npm run bench` (bench/run.ts) after the pipeline benchmark. Every configuration runs once per
 * round, ours and PyTorch interleaved; rows and ratios are the medians over the rounds (the cpu backend, a
 * reference point of minutes, runs in the first round only).
 *
 * Ours: training is the real loop (trainAutoencoder: augmentation, Adam, batch 32 in `shards` sub-batches,
 * `threads` threads), timed over its second epoch (cpu: its only one); scoring is createScorer (in-thread
 * for 1 thread, else one wasm backend per worker thread; batches of 256) after a warm-up batch. Each row is
 * one thread count used for both. Where onnxruntime-node is installed, rows "onnxruntime-node" measure the
 * same loops with engine onnxruntime (the model exported to ONNX graphs, src/model/onnx/; Adam stays on
 * tfjs wasm; threads = ONNX Runtime's intra-op threads); the ratios take each side's fastest row. The PyTorch peer trains without augmentation (a little less work).
 * PyTorch: same layers, batch sizes, Adam and MSE, torch.set_num_threads(threads) (2 here), eager mode.
 */
import { spawnSync } from 'node:child_process';
import { availableParallelism, cpus } from 'node:os';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import type { Engine, ModelConfig } from '../src/config/schema.js';
import { type BackendInfo, type BackendName, selectBackend } from '../src/engine/backend.js';
import { buildAutoencoder } from '../src/model/autoencoder.js';
import { loadOnnxRuntime } from '../src/engine/onnx/runtime.js';
import { trainAutoencoder } from '../src/model/train.js';
import { type Scorer, type ScorerOptions, createScorer } from '../src/scoring/pool.js';
import { syntheticWindows, trainingConfig } from '../test/support/model-fixtures.js';
import { median } from './stats.js';

export interface ModelBenchOptions {
  /** Window sizes (samples per side) to run. */
  samples: number[];
  backends: Array<Exclude<BackendName, 'auto'>>;
  arch: ModelConfig;
  trainBatch: number;
  scoreBatch: number;
  /** Windows per training epoch on fast backends (cpu uses a sixteenth). */
  trainSamples: number;
  /** Windows scored on fast backends (cpu uses a sixteenth). */
  scoreWindows: number;
  /** Threads (training replicas and scoring workers) for our side, torch threads for the peer. */
  threads: number;
  /** training.shards: sub-batches per batch. */
  shards: number;
  /** Also train and score on ONNX Runtime (engine onnxruntime), when onnxruntime-node is installed. */
  onnx: boolean;
  /** Run the PyTorch peer (needs python3-torch). */
  peer: boolean;
  python: string;
  /**
   * Rounds: every configuration (ours and the peer) runs once per round, rounds back to back, and each
   * row reports the median round. A shared machine's speed drifts by ±30 % within minutes (measured
   * here): interleaving puts both sides in the same conditions, the median drops the outliers.
   */
  repeats: number;
}

export interface ModelBenchRow {
  samples: number;
  implementation: string;
  backend: string;
  trainSamplesPerSec: number | null;
  scoreWindowsPerSec: number | null;
  /** Threads used for both training and scoring. */
  threads: number;
  note?: string;
  /** Slowest and fastest round, [train, score] (rounds > 1). */
  spread?: { train: [number, number] | null; score: [number, number] | null };
}

export interface ModelBenchResult {
  machine: { cpus: number; model: string; node: string };
  options: ModelBenchOptions;
  /** Median of the rounds per configuration. */
  rows: ModelBenchRow[];
  /** Every round's rows, in order. */
  rounds: ModelBenchRow[][];
  /** Ours (best backend) / PyTorch, per window size, from the medians. */
  ratios: Array<{ samples: number; backend: string; train: number | null; score: number | null }>;
}

export const defaultModelBenchOptions = (): ModelBenchOptions => ({
  samples: [32, 64],
  backends: ['tensorflow', 'wasm', 'cpu'],
  arch: { filters: [16, 32, 64], kernelSize: 3, bottleneck: 32 },
  trainBatch: 32,
  scoreBatch: 256,
  trainSamples: 2048,
  scoreWindows: 8192,
  threads: Math.min(2, availableParallelism()),
  shards: 2,
  onnx: true,
  peer: true,
  python: '/usr/bin/python3',
  repeats: 5,
});

export async function benchModel(partial: Partial<ModelBenchOptions> = {}, log: (line: string) => void = console.log): Promise<ModelBenchResult> {
  const options = { ...defaultModelBenchOptions(), ...partial };
  const rounds: ModelBenchRow[][] = [];
  for (let round = 1; round <= Math.max(1, options.repeats); round++) {
    if (options.repeats > 1) log(`round ${round} of ${options.repeats}`);
    rounds.push(await benchRound(options, round, log));
  }
  const rows = medianRows(rounds);
  if (options.repeats > 1) {
    log(`medians of ${options.repeats} rounds (slowest..fastest):`);
    for (const row of rows) log(formatRow(row));
  }
  const ratios: ModelBenchResult['ratios'] = [];
  for (const samples of options.samples) {
    const peers = rows.filter((r) => r.samples === samples && r.implementation === 'pytorch' && r.trainSamplesPerSec !== null);
    const ours = rows.filter((r) => r.samples === samples && r.implementation === 'seamount-detect');
    if (peers.length === 0 || ours.length === 0) continue;
    // best against best: each side at its fastest thread count
    const bestOf = (list: ModelBenchRow[], key: 'trainSamplesPerSec' | 'scoreWindowsPerSec') => list.reduce((a, b) => ((b[key] ?? 0) > (a[key] ?? 0) ? b : a));
    const bestTrain = bestOf(ours, 'trainSamplesPerSec');
    const bestScore = bestOf(ours, 'scoreWindowsPerSec');
    const peerTrain = bestOf(peers, 'trainSamplesPerSec');
    const peerScore = bestOf(peers, 'scoreWindowsPerSec');
    const ratio = (a: number | null, b: number | null) => (a !== null && b !== null && b > 0 ? a / b : null);
    const r = {
      samples,
      backend: `train: ${bestTrain.backend} x${bestTrain.threads} vs torch x${peerTrain.threads}; score: ${bestScore.backend} x${bestScore.threads} vs torch x${peerScore.threads}`,
      train: ratio(bestTrain.trainSamplesPerSec, peerTrain.trainSamplesPerSec),
      score: ratio(bestScore.scoreWindowsPerSec, peerScore.scoreWindowsPerSec),
    };
    ratios.push(r);
    log(`${samples}x${samples} ours / pytorch: training ${fmtRatio(r.train)} (target >= 0.5), scoring ${fmtRatio(r.score)} (target >= 1)  [${r.backend}]`);
  }
  return { machine: { cpus: availableParallelism(), model: cpus()[0]?.model ?? 'unknown', node: process.version }, options, rows, rounds, ratios };
}

/** One round: every window size, backend and thread count of ours, then the peer at each thread count. */
async function benchRound(options: ModelBenchOptions, round: number, log: (line: string) => void): Promise<ModelBenchRow[]> {
  const rows: ModelBenchRow[] = [];
  for (const samples of options.samples) {
    // 64x64 costs 4x per window: keep each measurement about the same length
    const scale = (32 / samples) ** 2;
    for (const requested of options.backends) {
      let info: BackendInfo;
      try {
        info = await selectBackend(requested);
      } catch (err) {
        log(`${samples}x${samples} ${requested}: skipped (${(err as Error).message.split(':')[0]})`);
        continue;
      }
      // the plain-JavaScript backend is a reference point (minutes per round): the first round only
      if (info.name === 'cpu' && round > 1) continue;
      const slow = info.name === 'cpu' ? 1 / 32 : 1;
      // the plain-JavaScript backend is only a reference point: one thread is enough to show its scale
      const threadCounts = info.name === 'cpu' ? [1] : [...new Set([1, options.threads])];
      for (const threads of threadCounts) {
        const trainCount = Math.max(options.trainBatch, Math.round(options.trainSamples * scale * slow));
        const scoreCount = Math.max(256, Math.round(options.scoreWindows * scale * slow));
        const row = await benchOurs(samples, info, options, threads, trainCount, scoreCount);
        rows.push(row);
        log(formatRow(row));
      }
    }
    if (options.onnx) {
      // Adam and the model's weights live on tfjs: wasm, as in a real run (the loop above may have left cpu selected)
      await selectBackend('wasm');
      for (const threads of [...new Set([1, options.threads])]) {
        const row = await benchOnnx(
          samples,
          options,
          threads,
          Math.max(options.trainBatch, Math.round(options.trainSamples * scale)),
          Math.max(256, Math.round(options.scoreWindows * scale)),
        );
        if (!row) {
          log(`${samples}x${samples} onnxruntime: skipped (onnxruntime-node is not installed)`);
          break;
        }
        rows.push(row);
        log(formatRow(row));
      }
    }
    if (options.peer) {
      // PyTorch at every thread count up to ours: on a small machine one thread is often its fastest
      for (let t = 1; t <= options.threads; t++) {
        const row = benchPeer(samples, { ...options, threads: t }, Math.round(options.trainSamples * scale), Math.round(options.scoreWindows * scale));
        rows.push(row);
        log(formatRow(row));
      }
    }
  }
  return rows;
}

/** Per configuration (same order as a round), the median of each rate over the rounds, with its spread. */
export function medianRows(rounds: ModelBenchRow[][]): ModelBenchRow[] {
  const key = (r: ModelBenchRow) => `${r.samples}|${r.implementation}|${r.backend}|${r.threads}`;
  const first = rounds[0] ?? [];
  return first.map((row) => {
    const same = rounds.flatMap((rs) => rs.filter((r) => key(r) === key(row)));
    const rates = (k: 'trainSamplesPerSec' | 'scoreWindowsPerSec') =>
      same
        .map((r) => r[k])
        .filter((v): v is number => v !== null && Number.isFinite(v))
        .sort((a, b) => a - b);
    const train = rates('trainSamplesPerSec');
    const score = rates('scoreWindowsPerSec');
    const range = (v: number[]): [number, number] | null => (v.length ? [v[0], v[v.length - 1]] : null);
    return {
      ...row,
      trainSamplesPerSec: median(train),
      scoreWindowsPerSec: median(score),
      ...(rounds.length > 1 ? { spread: { train: range(train), score: range(score) } } : {}),
    };
  });
}

async function benchOurs(
  samples: number,
  info: BackendInfo,
  o: ModelBenchOptions,
  threads: number,
  trainCount: number,
  scoreCount: number,
): Promise<ModelBenchRow> {
  const trainRate = await trainingRate(samples, o, threads, trainCount, info.name, 'tfjs');

  const scoreRate = (await scoringRate(samples, o, scoreCount, { backend: info.name, threads, batchSize: o.scoreBatch, engine: 'tfjs' })).rate;
  return {
    samples,
    implementation: 'seamount-detect',
    backend: info.detail,
    trainSamplesPerSec: trainRate,
    scoreWindowsPerSec: scoreRate,
    threads,
    note: `train ${trainCount}/epoch in ${o.shards} shards, score ${scoreCount}; tensors left ${tf.memory().numTensors}`,
  };
}

/**
 * Ours on ONNX Runtime (training.engine and scoring.engine onnxruntime; Adam still on tfjs): `threads` is its
 * intra-op thread count for both. Null when onnxruntime-node is not installed.
 */
async function benchOnnx(samples: number, o: ModelBenchOptions, threads: number, trainCount: number, scoreCount: number): Promise<ModelBenchRow | null> {
  if (
    !(await loadOnnxRuntime().then(
      () => true,
      () => false,
    ))
  )
    return null;
  const scored = await scoringRate(samples, o, scoreCount, { backend: 'wasm', threads, batchSize: o.scoreBatch, engine: 'onnxruntime' });
  const trainRate = await trainingRate(samples, o, threads, trainCount, 'wasm', 'onnxruntime');
  return {
    samples,
    implementation: 'seamount-detect',
    backend: scored.detail.split(',')[0],
    trainSamplesPerSec: trainRate,
    scoreWindowsPerSec: scored.rate,
    threads,
    note: `train ${trainCount}/epoch in ${o.shards} shards (gradients on ONNX Runtime, Adam on tfjs wasm), score ${scoreCount}; tensors left ${tf.memory().numTensors}`,
  };
}

/** Training samples/s of trainAutoencoder on `engine`. */
async function trainingRate(
  samples: number,
  o: ModelBenchOptions,
  threads: number,
  trainCount: number,
  backend: BackendInfo['name'],
  engine: Engine,
): Promise<number> {
  // fast backends: epoch 1 warms up (JIT, kernel caches), epoch 2 is measured; cpu: one epoch (minutes otherwise)
  const epochs = backend === 'cpu' ? 1 : 2;
  const training = trainingConfig({ epochs, batchSize: o.trainBatch, learningRate: 0.001, patience: 10, shards: o.shards, engine, threads });
  const train = { windows: syntheticWindows({ kind: 'gaussian', count: trainCount, samples, seed: 1 }), count: trainCount, samples };
  const val = { windows: syntheticWindows({ kind: 'gaussian', count: 32, samples, seed: 2 }), count: 32, samples };
  let rate = 0;
  const result = await trainAutoencoder(train, val, { training, seed: 1, arch: o.arch, backend, onEpoch: (e) => (rate = e.samplesPerSec) });
  result.model.dispose();
  return rate;
}

/** Windows/s of createScorer over `scoreCount` synthetic windows, after one warm-up batch. */
async function scoringRate(samples: number, o: ModelBenchOptions, scoreCount: number, options: ScorerOptions): Promise<{ rate: number; detail: string }> {
  const model = buildAutoencoder(o.arch, samples, 1);
  const windows = syntheticWindows({ kind: 'gaussian', count: scoreCount, samples, seed: 3 });
  let scorer: Scorer | null = null;
  try {
    scorer = await createScorer(model, options);
    const size = samples * samples;
    const batch = Math.min(o.scoreBatch, scoreCount);
    await scorer.score(windows.subarray(0, batch * size), batch); // warm-up
    const t0 = performance.now();
    for (let start = 0; start < scoreCount; start += o.scoreBatch) {
      const n = Math.min(o.scoreBatch, scoreCount - start);
      await scorer.score(windows.subarray(start * size, (start + n) * size), n);
    }
    return { rate: scoreCount / ((performance.now() - t0) / 1000), detail: scorer.detail };
  } finally {
    await scorer?.close();
    model.dispose();
  }
}

function benchPeer(samples: number, o: ModelBenchOptions, trainCount: number, scoreCount: number): ModelBenchRow {
  const script = fileURLToPath(new URL('./peer/peer_speed.py', import.meta.url));
  const args = [
    script,
    `--samples=${samples}`,
    `--filters=${o.arch.filters.join(',')}`,
    `--kernel=${o.arch.kernelSize}`,
    `--bottleneck=${o.arch.bottleneck}`,
    `--train-batch=${o.trainBatch}`,
    `--train-samples=${trainCount}`,
    `--score-batch=${o.scoreBatch}`,
    `--score-windows=${scoreCount}`,
    `--threads=${o.threads}`,
  ];
  const run = spawnSync(o.python, args, { encoding: 'utf8', timeout: 600_000 });
  const base = { samples, implementation: 'pytorch', threads: o.threads };
  if (run.status !== 0) {
    const why = (run.error?.message ?? run.stderr ?? '').trim().split('\n').pop();
    return { ...base, backend: 'torch (failed)', trainSamplesPerSec: null, scoreWindowsPerSec: null, note: why };
  }
  const out = JSON.parse(run.stdout.trim().split('\n').pop() ?? '{}') as {
    torch: string;
    threads: number;
    trainSamplesPerSec: number;
    scoreWindowsPerSec: number;
  };
  return {
    ...base,
    backend: `torch ${out.torch}, ${out.threads} threads`,
    trainSamplesPerSec: out.trainSamplesPerSec,
    scoreWindowsPerSec: out.scoreWindowsPerSec,
    threads: out.threads,
    note: `train ${trainCount}, score ${scoreCount}`,
  };
}

const fmt = (v: number | null) => (v === null ? '-' : v >= 100 ? v.toFixed(0) : v.toFixed(1));
const fmtRatio = (v: number | null) => (v === null ? '-' : `${v.toFixed(2)}x`);
function formatRow(r: ModelBenchRow): string {
  return (
    `${r.samples}x${r.samples} ${r.implementation.padEnd(15)} ${r.backend.padEnd(28)} ` +
    `x${r.threads}  train ${fmt(r.trainSamplesPerSec).padStart(6)} samples/s${fmtSpread(r.spread?.train)}   ` +
    `score ${fmt(r.scoreWindowsPerSec).padStart(6)} windows/s${fmtSpread(r.spread?.score)}`
  );
}
function fmtSpread(s: [number, number] | null | undefined): string {
  return s ? ` (${fmt(s[0])}..${fmt(s[1])})` : '';
}

function parseArgs(argv: string[]): { options: Partial<ModelBenchOptions>; json?: string } {
  const options: Partial<ModelBenchOptions> = {};
  let json: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--samples') options.samples = value().split(',').map(Number);
    else if (a === '--backends') options.backends = value().split(',') as ModelBenchOptions['backends'];
    else if (a === '--threads') options.threads = Number(value());
    else if (a === '--no-peer') options.peer = false;
    else if (a === '--no-onnx') options.onnx = false;
    else if (a === '--quick') Object.assign(options, { trainSamples: 512, scoreWindows: 2048, repeats: 1 });
    else if (a === '--repeats') options.repeats = Number(value());
    else if (a === '--json') json = value();
    else throw new Error(`unknown option ${a}`);
  }
  return { options, json };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { options, json } = parseArgs(process.argv.slice(2));
  const result = await benchModel(options);
  if (json) writeFileSync(json, `${JSON.stringify(result, null, 2)}\n`);
}
