/**
 * `seamount info`: what the tool makes of a grid (format, geometry, units, value range) and what a
 * `detect` with the current configuration would plan on it: windows, batches, the share skipped as
 * land / no-data and an estimated time, both from a short probe that tiles and scores a few batches
 * spread over the plan with the real model and scorer. From the same probe: the memory to give a
 * machine, the core-hours (what a bill multiplies by a price) and, for `--shard auto/N` jobs, the same
 * per shard. Memory does not grow with the job (reading, tiling and scoring stream in bounded batches),
 * so the probe's peak, plus the block cache it had no time to fill, is what a whole run needs.
 */
import { availableParallelism } from 'node:os';
import { misfitOf } from '../engine/misfit.js';
import type { Logger } from '../base/logger.js';
import type { Config } from '../config/index.js';
import { formatRegion, parseRegion } from '../config/index.js';
import { gridTransfer, inspectGrid, openGrid, type GridInspection, type TransferStats } from '../grid/index.js';
import { selectBackend } from '../engine/index.js';
import { loadBundle } from '../model/index.js';
import { createScorer } from '../scoring/index.js';
import { assertGridHoldsWindow, batchCount, planWindows, streamWindowBatches } from '../tiling/index.js';
import type { Region } from '../types.js';
import { gridWarnings, resolveWindowSpec } from './detect.js';

export interface InfoOptions {
  gridPath: string;
  modelDir: string;
  config: Config;
  userWindow?: Record<string, unknown>;
  /** Tile and score a few batches to estimate skipped shares and time (default true). */
  probe?: boolean;
  /** Batches the probe times, spread over the plan (default: 3, up to 24 for large plans; see probeBatchCount). */
  probeBatches?: number;
  /** Plan this many shards (`--shard auto/N`) too: windows, time and core-hours per shard (default 1: none). */
  shards?: number;
  logger: Logger;
}

export interface ProbeResult {
  /** The batches timed and counted (the warm-up batch is not among them). */
  batches: number[];
  windows: number;
  kept: number;
  skippedLand: number;
  skippedNodata: number;
  /** Scorer, e.g. "onnxruntime-node 1.22.0, 2 threads". */
  scorer: string;
  /** Model load and scorer start, ms. */
  startupMs: number;
  /**
   * Wall time per planned window, cutting and scoring overlapped as in detect, ms: timed over `batches`,
   * after an untimed warm-up batch just before the first of them (workers, first inference); a plan too
   * small for that leaves its first batch untimed instead.
   */
  msPerWindow: number;
  /** Peak resident memory of this process while probing (model, scorer, tiling workers, grid cache), MB. */
  peakRssMB: number;
}

/** A sharded run of the plan: shard i of N takes batches k with k mod N = i. */
export interface ShardPlanInfo {
  count: number;
  /** The largest shard's batches and windows (the others have at most one batch fewer). */
  batchesPerShard: number;
  windowsPerShard: number;
  /** The largest shard's tiling and scoring time on a machine like this one, s (with its own start-up). */
  estimatedSecondsPerShard: number | null;
  /** All shards together, on machines like this one: count × time per shard × cores. */
  coreHours: number | null;
}

export interface DetectPlanInfo {
  model: string;
  windowSizeKm: number;
  samples: number;
  strideKm: number;
  region: string;
  wholeGrid: boolean;
  windows: number;
  batches: number;
  batchSize: number;
  probe: ProbeResult | null;
  /** Shares of the planned windows expected to be skipped, from the probe. */
  skippedLandShare: number | null;
  skippedNodataShare: number | null;
  /** Tiling and scoring time of the whole plan, from the probe (picking and writing outputs not included). */
  estimatedSeconds: number | null;
  /**
   * Cores the job keeps busy: `scoring.threads`, or with 0 (one scoring thread per core) every core this
   * process may use, so the time here is time on all of them. In a container with a CPU limit the node's
   * cores show through: set scoring.threads to the limit there.
   */
  cores: number;
  /** estimatedSeconds × cores / 3600: the core-hours of the estimate, what a price per core-hour multiplies. */
  coreHours: number | null;
  /** Memory to give a machine running this plan, MB: the probe's peak plus the grid block cache (`grid.cacheMB`), which a short probe does not fill. */
  estimatedPeakMB: number | null;
  /** With `shards` > 1: the plan per shard. */
  shards: ShardPlanInfo | null;
  /** What detect would warn about (e.g. a grid much coarser than the window samples). */
  warnings: string[];
}

export interface InfoReport {
  grid: GridInspection;
  /** What detect would do, or why it could not (e.g. the region misses the grid). */
  detect: DetectPlanInfo | { error: string };
  /** Bytes fetched while making this report (remote grids). */
  transfer: TransferStats | null;
}

const roundRegion = (r: Region): Region => ({ west: round6(r.west), east: round6(r.east), south: round6(r.south), north: round6(r.north) });
const round6 = (x: number) => Number(x.toFixed(6));

/** Batch indices spread evenly over 0..total-1. */
function spread(total: number, n: number): number[] {
  const k = Math.min(total, n);
  return [...new Set(Array.from({ length: k }, (_, i) => Math.floor(((i + 0.5) * total) / k)))];
}

/**
 * Batches the probe times by default: 3 for a region, more for a plan spanning many latitudes, whose
 * windows cost more towards the poles (a window there spans more grid columns) and whose land share
 * varies; 24 on a global 15″ grid (124,064 batches), a few seconds more than 3.
 *
 * @example probeBatchCount(164) // 3
 * @example probeBatchCount(124_064) // 24
 */
export const probeBatchCount = (batches: number): number => Math.min(24, Math.max(3, Math.ceil(Math.sqrt(batches) / 15)));

async function planInfo(o: InfoOptions, grid: Awaited<ReturnType<typeof openGrid>>): Promise<DetectPlanInfo> {
  const { config } = o;
  const { model, meta } = await loadBundle(o.modelDir);
  try {
    const spec = resolveWindowSpec(meta, o.userWindow, o.modelDir);
    assertGridHoldsWindow(grid, spec.sizeKm);
    const region = config.region ? parseRegion(config.region) : null;
    const plan = planWindows(grid, region, config.window.strideKm, config.plan);
    const batchSize = config.tiling.batchSize;
    const batches = batchCount(plan, batchSize);
    const out: DetectPlanInfo = {
      model: o.modelDir,
      windowSizeKm: spec.sizeKm,
      samples: spec.samples,
      strideKm: config.window.strideKm,
      region: formatRegion(roundRegion(plan.region)),
      wholeGrid: region === null,
      windows: plan.count,
      batches,
      batchSize,
      probe: null,
      skippedLandShare: null,
      skippedNodataShare: null,
      estimatedSeconds: null,
      cores: config.scoring.threads > 0 ? config.scoring.threads : availableParallelism(),
      coreHours: null,
      estimatedPeakMB: null,
      shards: null,
      warnings: gridWarnings(grid, spec),
    };
    const shardCount = Math.max(1, Math.floor(o.shards ?? 1));
    if (shardCount > 1) {
      const batchesPerShard = Math.ceil(batches / shardCount);
      out.shards = {
        count: shardCount,
        batchesPerShard,
        windowsPerShard: Math.min(plan.count, batchesPerShard * batchSize),
        estimatedSecondsPerShard: null,
        coreHours: null,
      };
    }
    if (o.probe === false || plan.count === 0) return out;

    const t0 = performance.now();
    const backend = await selectBackend(config.scoring.backend, o.logger);
    const scorer = await createScorer(model, {
      backend: backend.name,
      threads: config.scoring.threads === 0 ? undefined : config.scoring.threads,
      batchSize: config.scoring.batchSize,
      engine: config.scoring.engine,
      misfit: misfitOf(spec),
    });
    const startupMs = performance.now() - t0;
    const chosen = spread(batches, Math.max(1, o.probeBatches ?? probeBatchCount(batches)));
    // one batch before the first timed one warms up the workers and the first inference, untimed and
    // uncounted; a plan too small for that times all but its first batch
    const warmUp = chosen[0] > 0 && !chosen.includes(chosen[0] - 1) ? chosen[0] - 1 : null;
    const wanted = new Set(warmUp === null ? chosen : [warmUp, ...chosen]);
    let windows = 0;
    let kept = 0;
    let skippedLand = 0;
    let skippedNodata = 0;
    let timedWindows = 0;
    let timedMs = 0;
    let peakRss = process.memoryUsage.rss();
    try {
      let t = performance.now();
      let first = true;
      for await (const b of streamWindowBatches(grid, plan, {
        batchSize,
        workers: config.tiling.workers,
        spec,
        plan: config.plan,
        includeBatch: (k) => wanted.has(k),
      })) {
        await scorer.score(b.data, b.ids.length);
        const n = b.ids.length + b.skippedLand + b.skippedNodata;
        const isWarmUp = first && warmUp !== null;
        // the first batch pays for warming up (workers, first inference): time the rest when there is a rest
        if (!first || (warmUp === null && chosen.length === 1)) {
          timedMs += performance.now() - t;
          timedWindows += n;
        }
        first = false;
        peakRss = Math.max(peakRss, process.memoryUsage.rss());
        t = performance.now();
        if (isWarmUp) continue;
        windows += n;
        kept += b.ids.length;
        skippedLand += b.skippedLand;
        skippedNodata += b.skippedNodata;
      }
    } finally {
      await scorer.close();
    }
    const msPerWindow = timedWindows ? timedMs / timedWindows : 0;
    const peakRssMB = peakRss / 2 ** 20;
    out.probe = { batches: chosen, windows, kept, skippedLand, skippedNodata, scorer: scorer.detail, startupMs, msPerWindow, peakRssMB };
    out.skippedLandShare = windows ? skippedLand / windows : null;
    out.skippedNodataShare = windows ? skippedNodata / windows : null;
    out.estimatedSeconds = (startupMs + plan.count * msPerWindow) / 1000;
    out.coreHours = (out.estimatedSeconds * out.cores) / 3600;
    out.estimatedPeakMB = peakRssMB + config.grid.cacheMB;
    if (out.shards) {
      const s = out.shards;
      s.estimatedSecondsPerShard = (startupMs + s.windowsPerShard * msPerWindow) / 1000;
      s.coreHours = (s.count * s.estimatedSecondsPerShard * out.cores) / 3600;
    }
    return out;
  } finally {
    model.dispose();
  }
}

/**
 * Describes a grid and what detect would plan on it.
 *
 * @example
 * const r = await gridInfo({ gridPath: 'spac.tif', modelDir: defaultModelDir(), config, logger });
 * r.grid.valueRange; // { minM: -4168, maxM: -802, method: 'all cells', ... }
 * r.detect;          // { windows: 37870, batches: 148, skippedLandShare: 0, estimatedSeconds: 6.1, coreHours: 0.0034, estimatedPeakMB: 560, ... }
 */
export async function gridInfo(o: InfoOptions): Promise<InfoReport> {
  const grid = await openGrid(o.gridPath, { variable: o.config.grid.variable, cacheMB: o.config.grid.cacheMB });
  try {
    const inspection = await inspectGrid(grid);
    let detect: InfoReport['detect'];
    try {
      detect = await planInfo(o, grid);
    } catch (err) {
      detect = { error: err instanceof Error ? err.message : String(err) };
    }
    return { grid: inspection, detect, transfer: gridTransfer(grid) };
  } finally {
    await grid.close();
  }
}
