/**
 * One measured configuration of our pipeline, run in a process of its own so its peak memory (VmHWM)
 * is its own. bench/pipeline.ts transpiles this file to bench/.cache/stages.js, importing a snapshot of
 * the built dist/ (bench/.cache/dist), and runs
 *
 *   node bench/.cache/stages.js '<StageJob as JSON>'
 *
 * which prints one StageResult as JSON on the last line of stdout.
 *
 * Stages, each timed on its own, over the same grid, region and window plan as the end-to-end run:
 *   read   the source cells tiling reads (the same patch reads streamWindowBatches makes, in order)
 *   tile   streamWindowBatches: reads + windows built in worker threads (output dropped)
 *   score  reconstruction errors of as many windows as the run keeps: in the calling thread
 *          (reconstructionErrors) or with the worker pool (createScorer, what runDetect uses)
 *   pick   pickSeamounts over the scored windows of a finished end-to-end run
 *   e2e    runDetect: what `seamount detect` does (open, tile, score, pick, write outputs)
 *   e2e-pool  (experiment, not what users get) the same job built from the library functions: tiling
 *          workers and the scoring pool (createScorer) working concurrently, pickSeamounts, then
 *          seamounts.geojson + .csv only (what the peer writes): no score file per batch, no grid hash,
 *          quick-look PNG or error raster. The gap to e2e is what runDetect's extras cost
 *   windows  (cross-check, not timed) the kept windows of a region and their errors, to binary files
 */
import { misfitOf } from '../src/engine/misfit.js';
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Config, ConfigLayer } from '../src/config/index.js';
import { concatFloat32 } from '../src/base/float32.js';
import type { BundleMeta } from '../src/model/bundle.js';
import type { WindowPlan } from '../src/tiling/index.js';
import type { GridSource, WindowSpec } from '../src/types.js';

// Modules are imported by the stages that use them, so a stage's peak memory holds only what it needs
// (tfjs and the wasm backend alone are ~100 MB; the read and tile stages never load them).
const configModule = () => import('../src/config/index.js');
const gridModule = () => import('../src/grid/index.js');
const tilingModule = () => import('../src/tiling/index.js');

export type StageName = 'read' | 'tile' | 'score' | 'pick' | 'e2e' | 'e2e-pool';

export interface StageJob {
  stage: StageName | 'windows';
  grid: string;
  /** "W/E/S/N" or null for the whole grid. */
  region: string | null;
  /** Model bundle folder (its WindowSpec is used by every stage). */
  model: string;
  /** Tiling worker threads (default: config tiling.workers). */
  workers?: number;
  /** Scoring backend (default: config scoring.backend). */
  backend?: 'auto' | 'tensorflow' | 'wasm' | 'cpu';
  /** score: 'inline' scores in the calling thread; a number runs createScorer (runDetect's scorer) with that many threads. */
  scoreThreads?: 'inline' | number;
  /** score: windows to score (default: as many as the region keeps). */
  scoreWindows?: number;
  /** e2e: output folder; pick: the folder of a finished e2e run. */
  outDir?: string;
  /** e2e: JSON-lines log file. */
  logFile?: string;
  /** windows: at most this many kept windows are written. */
  maxWindows?: number;
}

export interface StageResult {
  stage: string;
  /** Time of the stage itself (not process start-up), s. */
  seconds: number;
  /** Windows the stage handled (planned for read, kept for the others). */
  windows: number;
  /** CPU time of the process (every thread) during the stage, s. */
  cpuSeconds?: number;
  /** Kernel high-water mark of the process's resident memory, MB. */
  vmHwmMB: number;
  /** e2e: the most live memory sampled (see `liveMemorySampler`), MB, and how many samples. */
  liveMB?: number;
  /** e2e: the most live memory outside the bounded grid block cache, and the most that cache held, MB. */
  liveUncachedMB?: number;
  blockCacheMB?: number;
  liveSamples?: number;
  detail: Record<string, unknown>;
}

const MB = 2 ** 20;

/** CPU seconds (user + system, all threads of the process) since `start` (a process.cpuUsage()). */
const cpuSince = (start: NodeJS.CpuUsage): number => {
  const d = process.cpuUsage(start);
  return (d.user + d.system) / 1e6;
};

export function vmHwmMB(): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

/**
 * Live memory of the main thread, sampled every `intervalMs` right after a full collection: V8 heap in
 * use plus memory outside it that JavaScript objects hold (ArrayBuffers: windows, scores, the grid's block
 * cache). Unlike the peak RSS it does not depend on when V8 chooses to collect garbage, so it shows what
 * the job holds. A full collection of this job's ~100 MB heap takes ~20 ms: every 2 s it costs ~1 % of the
 * run. Worker threads (tiling, scoring) and ONNX Runtime's own buffers are not in it; they hold one batch
 * each at a time.
 *
 * `cachedBytes` says how much of it sits in caches bounded by configuration (the grid's decoded blocks,
 * `grid.cacheMB`): such a cache fills with the area a job reads until it reaches its bound, so the
 * sampler also reports the peak of live memory *outside* them, the part that must not grow with the job.
 */
export function liveMemorySampler(
  intervalMs = 2000,
  cachedBytes: () => number = () => 0,
): { stop(): { liveMB: number; samples: number; heapMB: number; externalMB: number; uncachedMB: number; cacheMB: number } } {
  // gc() without starting node with --expose-gc: the flag, then a fresh context exposes it
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  let peak = 0;
  let heap = 0;
  let external = 0;
  let uncached = 0;
  let cache = 0;
  let samples = 0;
  let heldBefore = 0;
  const timeline = process.env.SEAMOUNT_BENCH_TIMELINE;
  const t0 = performance.now();
  const sample = () => {
    gc();
    const m = process.memoryUsage();
    const live = m.heapUsed + m.external;
    if (live > peak) {
      peak = live;
      heap = m.heapUsed;
      external = m.external;
    }
    const held = cachedBytes();
    // blocks a cache has just let go of (a grid closed) are freed a little after the collection that finds
    // them dead: until the next sample they may still be in `external`, so they are still set apart
    uncached = Math.max(uncached, live - Math.max(held, heldBefore));
    heldBefore = held;
    cache = Math.max(cache, held);
    samples++;
    // SEAMOUNT_BENCH_TIMELINE=file: every sample as a line (s, heap, external, block cache MB), to see when memory rises
    if (timeline)
      appendFileSync(
        timeline,
        `${((performance.now() - t0) / 1000).toFixed(1)} ${(m.heapUsed / MB).toFixed(1)} ${(m.external / MB).toFixed(1)} ${(held / MB).toFixed(1)}\n`,
      );
  };
  const timer = setInterval(sample, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      sample();
      return { liveMB: peak / MB, samples, heapMB: heap / MB, externalMB: external / MB, uncachedMB: uncached / MB, cacheMB: cache / MB };
    },
  };
}

async function configFor(job: StageJob, logging?: ConfigLayer): Promise<Config> {
  const { loadConfigLayers } = await configModule();
  const overrides: ConfigLayer = { region: job.region, logging: { progress: 'off', level: 'info', ...(logging ?? {}) } };
  if (job.backend) overrides.scoring = { backend: job.backend };
  if (job.workers !== undefined) overrides.tiling = { workers: job.workers };
  return loadConfigLayers({ overrides }).config;
}

/** bundle.json only: the stages that need no model do not load tfjs. */
function readBundleMeta(dir: string): BundleMeta {
  return JSON.parse(readFileSync(join(dir, 'bundle.json'), 'utf8')) as BundleMeta;
}

async function openPlan(job: StageJob, config: Config): Promise<{ grid: GridSource; plan: WindowPlan; spec: WindowSpec }> {
  const { parseRegion } = await configModule();
  const { openGrid } = await gridModule();
  const { planWindows } = await tilingModule();
  const meta = readBundleMeta(job.model);
  const grid = await openGrid(job.grid, { variable: config.grid.variable, cacheMB: config.grid.cacheMB });
  const plan = planWindows(grid, job.region ? parseRegion(job.region) : null, config.window.strideKm, config.plan);
  return { grid, plan, spec: meta.windowSpec };
}

async function stageRead(job: StageJob): Promise<StageResult> {
  const { batchCount } = await tilingModule();
  const { groupPatches } = await import('../src/tiling/batch.js');
  const { readSourcePatch } = await import('../src/tiling/extract.js');
  const config = await configFor(job);
  const { grid, plan, spec } = await openPlan(job, config);
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const batchSize = config.tiling.batchSize;
  let cells = 0;
  let reads = 0;
  try {
    for (let k = 0, n = batchCount(plan, batchSize); k < n; k++) {
      const first = k * batchSize;
      for (const g of groupPatches(grid, plan, spec, first, Math.min(plan.count, first + batchSize))) {
        const patch = await readSourcePatch(grid, g.window);
        cells += patch.values.length;
        reads++;
      }
    }
  } finally {
    await grid.close();
  }
  return {
    stage: 'read',
    seconds: (performance.now() - t0) / 1000,
    cpuSeconds: cpuSince(c0),
    windows: plan.count,
    vmHwmMB: vmHwmMB(),
    detail: { cellsRead: cells, reads, planned: plan.count },
  };
}

async function stageTile(job: StageJob): Promise<StageResult> {
  const { streamWindowBatches } = await tilingModule();
  const config = await configFor(job);
  const { grid, plan, spec } = await openPlan(job, config);
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  let kept = 0;
  let land = 0;
  let nodata = 0;
  try {
    for await (const b of streamWindowBatches(grid, plan, { batchSize: config.tiling.batchSize, workers: config.tiling.workers, spec, plan: config.plan })) {
      kept += b.ids.length;
      land += b.skippedLand;
      nodata += b.skippedNodata;
    }
  } finally {
    await grid.close();
  }
  return {
    stage: 'tile',
    seconds: (performance.now() - t0) / 1000,
    cpuSeconds: cpuSince(c0),
    windows: kept,
    vmHwmMB: vmHwmMB(),
    detail: { planned: plan.count, kept, skippedLand: land, skippedNodata: nodata, workers: config.tiling.workers },
  };
}

async function stageScore(job: StageJob): Promise<StageResult> {
  const { streamWindowBatches } = await tilingModule();
  const { loadBundle } = await import('../src/model/index.js');
  const { selectBackend } = await import('../src/engine/index.js');
  const { createScorer } = await import('../src/scoring/pool.js');
  const { reconstructionErrors } = await import('../src/engine/reconstruction-errors.js');
  const config = await configFor(job);
  const backend = await selectBackend(config.scoring.backend);
  const { grid, plan, spec } = await openPlan(job, config);
  const { model } = await loadBundle(job.model);
  const s2 = spec.samples * spec.samples;
  // real windows of the region (the first kept ones): the model's cost does not depend on the values,
  // but the windows are the real kind; they are cycled to reach the count
  const poolWindows = 4096;
  const pool = new Float32Array(poolWindows * s2);
  let have = 0;
  let kept = 0;
  try {
    for await (const b of streamWindowBatches(grid, plan, { batchSize: config.tiling.batchSize, workers: 0, spec, plan: config.plan })) {
      kept += b.ids.length;
      const take = Math.min(b.ids.length, poolWindows - have);
      pool.set(b.data.subarray(0, take * s2), have * s2);
      have += take;
      if (job.scoreWindows !== undefined && have === poolWindows) break;
    }
  } finally {
    await grid.close();
  }
  if (have === 0) throw new Error(`${job.grid}: the region keeps no windows to score`);
  const total = job.scoreWindows ?? kept;
  const batchSize = config.tiling.batchSize;
  const threads = job.scoreThreads ?? 'inline';
  const scorer =
    threads === 'inline' ? null : await createScorer(model, { backend: backend.name, threads, batchSize: config.scoring.batchSize, misfit: misfitOf(spec) });
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  let done = 0;
  let checksum = 0;
  try {
    while (done < total) {
      const start = done % have;
      const n = Math.min(batchSize, total - done, have - start);
      const windows = pool.subarray(start * s2, (start + n) * s2);
      const errors = scorer ? await scorer.score(windows, n) : reconstructionErrors(model, windows, n, spec.samples, config.scoring.batchSize, misfitOf(spec));
      checksum += errors[0];
      done += n;
    }
  } finally {
    await scorer?.close();
  }
  const seconds = (performance.now() - t0) / 1000;
  const cpuSeconds = cpuSince(c0);
  model.dispose();
  return {
    stage: 'score',
    seconds,
    cpuSeconds,
    windows: total,
    vmHwmMB: vmHwmMB(),
    // the pool mode scores with what detect's createScorer picks (ONNX Runtime under engine auto), not `backend`
    detail: {
      backend: scorer ? scorer.detail : `tfjs ${backend.detail}`,
      threads: scorer ? scorer.threads : 1,
      mode: threads === 'inline' ? 'in the calling thread' : 'createScorer (as detect)',
      distinctWindows: have,
      checksum,
    },
  };
}

async function stagePick(job: StageJob): Promise<StageResult> {
  const { resolveThreshold } = await import('../src/picking/index.js');
  const { decideCut, rankerConfidence } = await import('../src/ranking/index.js');
  const { cutSettings, detectRanker } = await import('../src/pipeline/detect.js');
  const { BatchStore } = await import('../src/pipeline/batch-store.js');
  const { pickInBands, readRows } = await import('../src/pipeline/banded-picks.js');
  if (!job.outDir) throw new Error('pick stage: outDir (a finished e2e run) is required');
  const config = await configFor(job);
  const { grid, plan } = await openPlan(job, config);
  const meta = readBundleMeta(job.model);
  try {
    const t0 = performance.now();
    const stores = [new BatchStore(join(job.outDir, 'scores'))];
    const windows = await readRows(plan, config.tiling.batchSize, stores, [0, plan.rows]);
    if (windows.ids.length === 0) throw new Error(`${job.outDir}: no scored windows`);
    const t1 = performance.now();
    const c1 = process.cpuUsage();
    const threshold = resolveThreshold(config.picking, meta.calibration).threshold;
    // what detect does: picking in blocks of plan rows and columns (the ledger's records are gathered, not written)
    const ranker = detectRanker(meta, job.model);
    let candidates = 0;
    const { seamounts } = await pickInBands({
      plan,
      batchSize: config.tiling.batchSize,
      stores,
      grid,
      threshold,
      score: (c) => rankerConfidence(ranker, c.evidence),
      cut: (all, survivors) => decideCut(all, survivors, cutSettings(config.picking, ranker)),
      islands: config.islands,
      picking: config.picking,
      onDecisions: (d) => {
        candidates += d.length;
      },
    });
    const t2 = performance.now();
    let hits = 0;
    for (const e of windows.errors) if (e < threshold) hits++;
    return {
      stage: 'pick',
      seconds: (t2 - t1) / 1000,
      cpuSeconds: cpuSince(c1),
      windows: windows.ids.length,
      vmHwmMB: vmHwmMB(),
      detail: { collectSeconds: (t1 - t0) / 1000, rawHits: hits, threshold, candidates, seamounts: seamounts.length },
    };
  } finally {
    await grid.close();
  }
}

async function stageE2e(job: StageJob): Promise<StageResult> {
  const { runDetect } = await import('../src/pipeline/detect.js');
  const { createLogger, silentLogger } = await import('../src/base/logger.js');
  if (!job.outDir) throw new Error('e2e stage: outDir is required');
  const config = await configFor(job, { file: job.logFile ?? null });
  const logger = job.logFile ? createLogger({ level: 'info', file: job.logFile }) : silentLogger();
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const { decodedBlockBytes } = await gridModule();
  const live = liveMemorySampler(2000, decodedBlockBytes);
  const summary = await runDetect({ gridPath: job.grid, modelDir: job.model, outDir: job.outDir, config, logger, fresh: true });
  const seconds = (performance.now() - t0) / 1000;
  const { liveMB, samples, heapMB, externalMB, uncachedMB, cacheMB } = live.stop();
  return {
    stage: 'e2e',
    seconds,
    cpuSeconds: cpuSince(c0),
    windows: summary.windows.scored,
    vmHwmMB: vmHwmMB(),
    liveMB,
    liveUncachedMB: uncachedMB,
    blockCacheMB: cacheMB,
    liveSamples: samples,
    detail: {
      planned: summary.windows.planned,
      kept: summary.windows.scored,
      skippedLand: summary.windows.skippedLand,
      skippedNodata: summary.windows.skippedNodata,
      seamounts: summary.seamounts?.length ?? 0,
      threshold: summary.threshold,
      timingsMs: summary.timingsMs,
      backend: config.scoring.backend,
      workers: config.tiling.workers,
      liveAtPeak: { heapMB, externalMB },
    },
  };
}

async function stageE2ePool(job: StageJob): Promise<StageResult> {
  if (!job.outDir) throw new Error('e2e-pool stage: outDir is required');
  const { streamWindowBatches } = await tilingModule();
  const { loadBundle } = await import('../src/model/index.js');
  const { decideCut, rankerConfidence } = await import('../src/ranking/index.js');
  const { cutSettings, detectRanker } = await import('../src/pipeline/detect.js');
  const { selectBackend } = await import('../src/engine/index.js');
  const { createScorer } = await import('../src/scoring/pool.js');
  const { pickSeamounts, resolveThreshold } = await import('../src/picking/index.js');
  const { writeSeamountsCsv, writeSeamountsGeoJson } = await import('../src/catalogue/index.js');
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const config = await configFor(job);
  const backend = await selectBackend(config.scoring.backend);
  const { model, meta } = await loadBundle(job.model);
  const { grid, plan, spec } = await openPlan(job, config);
  const scorer = await createScorer(model, {
    backend: backend.name,
    threads: job.scoreThreads === 'inline' ? 1 : (job.scoreThreads ?? undefined),
    batchSize: config.scoring.batchSize,
    misfit: misfitOf(spec),
  });
  const windows: Array<{ id: number; lon: number; lat: number; error: number }> = [];
  const t1 = performance.now();
  try {
    const pending: Array<Promise<void>> = [];
    for await (const b of streamWindowBatches(grid, plan, { batchSize: config.tiling.batchSize, workers: config.tiling.workers, spec, plan: config.plan })) {
      // score without waiting, so the next batches are cut meanwhile; at most two batches queued
      pending.push(
        scorer.score(b.data, b.ids.length).then((errors) => {
          for (let i = 0; i < b.ids.length; i++) windows.push({ id: b.ids[i], lon: b.lon[i], lat: b.lat[i], error: errors[i] });
        }),
      );
      if (pending.length >= 2) await pending.shift();
    }
    await Promise.all(pending);
    const t2 = performance.now();
    const threshold = resolveThreshold(config.picking, meta.calibration).threshold;
    const ranker = detectRanker(meta, job.model);
    const { seamounts } = await pickSeamounts(windows, grid, {
      threshold,
      score: (c) => rankerConfidence(ranker, c.evidence),
      cut: (all, survivors) => decideCut(all, survivors, cutSettings(config.picking, ranker)),
      strideKm: config.window.strideKm,
      picking: config.picking,
      islands: config.islands,
    });
    const t3 = performance.now();
    mkdirSync(job.outDir, { recursive: true });
    await writeSeamountsGeoJson(join(job.outDir, 'seamounts.geojson'), seamounts, { grid: job.grid, threshold });
    await writeSeamountsCsv(join(job.outDir, 'seamounts.csv'), seamounts);
    const t4 = performance.now();
    return {
      stage: 'e2e-pool',
      seconds: (t4 - t0) / 1000,
      cpuSeconds: cpuSince(c0),
      windows: windows.length,
      vmHwmMB: vmHwmMB(),
      detail: { seamounts: seamounts.length, scoreThreads: scorer.threads, timingsMs: { open: t1 - t0, tileAndScore: t2 - t1, pick: t3 - t2, write: t4 - t3 } },
    };
  } finally {
    await scorer.close();
    await grid.close();
    model.dispose();
  }
}

/** Kept windows of the region (ids, centres, values) and their errors, as raw little-endian files. */
async function stageWindows(job: StageJob): Promise<StageResult> {
  const { streamWindowBatches } = await tilingModule();
  const { loadBundle } = await import('../src/model/index.js');
  const { selectBackend } = await import('../src/engine/index.js');
  const { reconstructionErrors } = await import('../src/engine/reconstruction-errors.js');
  if (!job.outDir) throw new Error('windows: outDir is required');
  const config = await configFor(job);
  await selectBackend(config.scoring.backend);
  const { grid, plan, spec } = await openPlan(job, config);
  const { model } = await loadBundle(job.model);
  const max = job.maxWindows ?? Infinity;
  const s2 = spec.samples * spec.samples;
  const ids: number[] = [];
  const parts: Float32Array[] = [];
  const errs: Float32Array[] = [];
  try {
    for await (const b of streamWindowBatches(grid, plan, { batchSize: config.tiling.batchSize, workers: 0, spec, plan: config.plan })) {
      if (ids.length >= max) break;
      const n = Math.min(b.ids.length, max - ids.length);
      if (n === 0) continue;
      for (let i = 0; i < n; i++) ids.push(b.ids[i]);
      const data = b.data.slice(0, n * s2);
      parts.push(data);
      errs.push(reconstructionErrors(model, data, n, spec.samples, config.scoring.batchSize, misfitOf(spec)));
    }
  } finally {
    await grid.close();
    model.dispose();
  }
  mkdirSync(job.outDir, { recursive: true });
  writeFileSync(join(job.outDir, 'ids.i32'), new Uint8Array(Int32Array.from(ids).buffer));
  writeFileSync(join(job.outDir, 'windows.f32'), new Uint8Array(concatFloat32(parts).buffer));
  writeFileSync(join(job.outDir, 'errors.f32'), new Uint8Array(concatFloat32(errs).buffer));
  writeFileSync(join(job.outDir, 'meta.json'), JSON.stringify({ count: ids.length, samples: spec.samples, planned: plan.count }));
  return { stage: 'windows', seconds: 0, windows: ids.length, vmHwmMB: vmHwmMB(), detail: { planned: plan.count } };
}

export async function runStage(job: StageJob): Promise<StageResult> {
  switch (job.stage) {
    case 'read':
      return stageRead(job);
    case 'tile':
      return stageTile(job);
    case 'score':
      return stageScore(job);
    case 'pick':
      return stagePick(job);
    case 'e2e':
      return stageE2e(job);
    case 'e2e-pool':
      return stageE2ePool(job);
    case 'windows':
      return stageWindows(job);
    default:
      throw new Error(`unknown stage ${(job as { stage: string }).stage}`);
  }
}

const isMain = process.argv[1] !== undefined && /stages\.(js|ts)$/.test(process.argv[1]);
if (isMain) {
  const arg = process.argv[2];
  if (!arg) {
    process.stderr.write('usage: node stages.js \'{"stage": "tile", "grid": "...", "region": null, "model": "..."}\'\n');
    process.exit(2);
  }
  runStage(JSON.parse(arg) as StageJob)
    .then((r) => {
      process.stdout.write(`${JSON.stringify({ ...r, rssAtEndMB: process.memoryUsage().rss / MB })}\n`);
      // worker pools and wasm keep handles open in some versions: leave now that the figure is out
      process.exit(0);
    })
    .catch((err: unknown) => {
      process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exit(1);
    });
}
