/**
 * `seamount info`: what the tool makes of a grid (format, geometry, units, value range) and what a
 * `detect` with the current configuration would plan on it: windows, batches, the share skipped as
 * land / no-data and an estimated time, both from a short probe that tiles and scores a few batches
 * spread over the plan with the real model and scorer.
 */
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
  /** Batches the probe takes, spread over the plan (default 3). */
  probeBatches?: number;
  logger: Logger;
}

export interface ProbeResult {
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
   * Wall time per planned window, cutting and scoring overlapped as in detect, timed over the batches
   * after the first (which warms the workers up), ms.
   */
  msPerWindow: number;
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
      warnings: gridWarnings(grid, spec),
    };
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
    const chosen = spread(batches, Math.max(1, o.probeBatches ?? 3));
    const wanted = new Set(chosen);
    let windows = 0;
    let kept = 0;
    let skippedLand = 0;
    let skippedNodata = 0;
    let timedWindows = 0;
    let timedMs = 0;
    try {
      let t = performance.now();
      for await (const b of streamWindowBatches(grid, plan, { batchSize, workers: config.tiling.workers, spec, plan: config.plan, includeBatch: (k) => wanted.has(k) })) {
        await scorer.score(b.data, b.ids.length);
        const n = b.ids.length + b.skippedLand + b.skippedNodata;
        // the first batch pays for warming up (workers, first inference): time the rest when there is a rest
        if (windows > 0 || chosen.length === 1) {
          timedMs += performance.now() - t;
          timedWindows += n;
        }
        windows += n;
        kept += b.ids.length;
        skippedLand += b.skippedLand;
        skippedNodata += b.skippedNodata;
        t = performance.now();
      }
    } finally {
      await scorer.close();
    }
    const msPerWindow = timedWindows ? timedMs / timedWindows : 0;
    out.probe = { batches: chosen, windows, kept, skippedLand, skippedNodata, scorer: scorer.detail, startupMs, msPerWindow };
    out.skippedLandShare = windows ? skippedLand / windows : null;
    out.skippedNodataShare = windows ? skippedNodata / windows : null;
    out.estimatedSeconds = (startupMs + plan.count * msPerWindow) / 1000;
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
 * r.detect;          // { windows: 37870, batches: 148, skippedLandShare: 0, estimatedSeconds: 6.1, ... }
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
