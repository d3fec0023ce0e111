/**
 * Streams the windows of a plan batch by batch. Reading stays in the main thread (a GridSource holds
 * its file handle); each batch's patches are transferred to a piscina worker, which builds the
 * windows and transfers them back. At most `workers + 1` batches are in flight and the next ones are
 * started only when the consumer asks, so memory is bounded by the batch size, not the grid size.
 */
import { Piscina } from 'piscina';
import type { PlanConfig } from '../config/schema.js';
import type { Logger } from '../base/logger.js';
import type { GridSource, WindowSpec } from '../types.js';
import { buildBatch, groupPatches, KEPT, SKIPPED_LAND, SKIPPED_NODATA, type BatchResult, type BatchTask, type PatchTask } from './batch.js';
import { readSourcePatch } from './extract.js';
import type { WindowPlan } from './plan.js';
import { checkWindowSpec } from './spec.js';
import { workerEntry } from '../base/worker-entry.js';

export interface WindowBatch {
  /** Batch index k: the batch covers plan ids k·batchSize .. (k+1)·batchSize − 1. */
  index: number;
  /** Ids of the windows kept, ascending. */
  ids: Int32Array;
  /** Centres of the kept windows (grid longitude convention), degrees. */
  lon: Float64Array;
  lat: Float64Array;
  /** ids.length × samples² values, normalised and tapered, each window row-major with row 0 north. */
  data: Float32Array;
  /** Median elevation removed from each kept window, m. */
  medianM: Float32Array;
  /** Windows of the batch dropped by the land rule and by the no-data rule (no-data is judged first). */
  skippedLand: number;
  skippedNodata: number;
}

export interface StreamOptions {
  batchSize: number;
  /** Worker threads; 0 builds in the main thread (same code, same bits). */
  workers: number;
  spec: WindowSpec;
  plan: PlanConfig;
  /** Only batches for which this returns true are built (shards: k % N === i; resume: not already done). */
  includeBatch?: (index: number) => boolean;
  logger?: Logger;
  signal?: AbortSignal;
}

/** Number of batches of a plan. */
export function batchCount(plan: WindowPlan, batchSize: number): number {
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`batch size ${batchSize} must be a positive integer`);
  return Math.ceil(plan.count / batchSize);
}

/** A typed array's buffer when it can be transferred without detaching anyone else's data; else a copy's. */
function ownBuffer(values: Float32Array): Float32Array {
  const whole = values.buffer instanceof ArrayBuffer && values.byteOffset === 0 && values.byteLength === values.buffer.byteLength;
  return whole ? values : values.slice();
}

function abortError(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new Error('window streaming aborted');
}

/**
 * Builds windows batch by batch in piscina workers; at most a few batches in flight (bounded memory);
 * yields batches in increasing index order. Every batch's skipped counts are in the batch; a summary
 * is logged at the end.
 *
 * @example
 * for await (const b of streamWindowBatches(grid, plan, { batchSize: 256, workers: 2, spec, plan: config.plan })) {
 *   score(b.data, b.ids.length);
 * }
 */
export async function* streamWindowBatches(grid: GridSource, plan: WindowPlan, options: StreamOptions): AsyncGenerator<WindowBatch> {
  const { spec, batchSize, signal, logger } = options;
  checkWindowSpec(spec);
  const workers = Math.max(0, Math.floor(options.workers));
  const nBatches = batchCount(plan, batchSize);
  const include = options.includeBatch ?? (() => true);
  const s2 = spec.samples * spec.samples;
  const started = Date.now();
  logger?.info(
    { grid: grid.path, windows: plan.count, rows: plan.rows, strideKm: plan.strideKm, batches: nBatches, batchSize, workers },
    `cutting up to ${plan.count} windows (${spec.sizeKm} km, ${spec.samples}×${spec.samples}) from ${grid.path} in ${nBatches} batches`,
  );

  let pool: Piscina<BatchTask, BatchResult> | null = null;
  if (workers > 0) {
    const entry = workerEntry(import.meta.url, 'worker');
    pool = new Piscina<BatchTask, BatchResult>({ filename: entry.filename, execArgv: entry.execArgv, minThreads: workers, maxThreads: workers });
  }

  const serialRead = serialiser(); // readers need not support concurrent reads

  const buildOne = async (k: number): Promise<WindowBatch> => {
    const firstId = k * batchSize;
    const endId = Math.min(plan.count, firstId + batchSize);
    const patches = await serialRead(() => readBatchPatches(grid, plan, spec, firstId, endId, signal));
    const task: BatchTask = {
      spec,
      landLevelM: options.plan.landLevelM,
      maxLandFraction: options.plan.maxLandFraction,
      maxNodataFraction: options.plan.maxNodataFraction,
      patches,
    };
    const result = pool
      ? await pool.run(task, {
          transferList: patches.flatMap((p): ArrayBuffer[] => [p.values.buffer as ArrayBuffer, p.lon.buffer as ArrayBuffer, p.lat.buffer as ArrayBuffer]),
          signal: signal ?? null,
        })
      : buildBatch(task);
    return assembleBatch(k, plan, firstId, endId, result, s2);
  };

  const queue: Promise<WindowBatch>[] = [];
  const maxInFlight = Math.max(1, workers) + 1;
  let next = 0;
  const startNext = (): boolean => {
    while (next < nBatches && !include(next)) next++;
    if (next >= nBatches) return false;
    const p = buildOne(next++);
    p.catch(() => undefined); // rejections surface when awaited in order
    queue.push(p);
    return true;
  };

  let built = 0;
  let kept = 0;
  let skippedLand = 0;
  let skippedNodata = 0;
  try {
    for (;;) {
      if (signal?.aborted) throw abortError(signal);
      while (queue.length < maxInFlight && startNext());
      const head = queue.shift();
      if (!head) break;
      const batch = await head;
      built++;
      kept += batch.ids.length;
      skippedLand += batch.skippedLand;
      skippedNodata += batch.skippedNodata;
      logger?.debug(
        { batch: batch.index, kept: batch.ids.length, skippedLand: batch.skippedLand, skippedNodata: batch.skippedNodata },
        `window batch ${batch.index + 1}/${nBatches}`,
      );
      yield batch;
    }
    logger?.info(
      { batches: built, windows: kept, skippedLand, skippedNodata, seconds: (Date.now() - started) / 1000 },
      `cut ${kept} windows in ${built} batches; skipped ${skippedLand} mostly land, ${skippedNodata} mostly no-data`,
    );
  } finally {
    await Promise.allSettled(queue);
    await pool?.destroy();
  }
}

/** Runs the functions given to it one after another, each starting when the previous settled. */
function serialiser(): <T>(f: () => Promise<T>) => Promise<T> {
  let chain: Promise<unknown> = Promise.resolve();
  return <T>(f: () => Promise<T>): Promise<T> => {
    const p = chain.then(f);
    chain = p.catch(() => undefined);
    return p;
  };
}

/** Reads the source patches of windows firstId..endId-1 (one per group of neighbouring windows), with their centres. */
async function readBatchPatches(
  grid: GridSource,
  plan: WindowPlan,
  spec: WindowSpec,
  firstId: number,
  endId: number,
  signal: AbortSignal | undefined,
): Promise<PatchTask[]> {
  const out: PatchTask[] = [];
  for (const g of groupPatches(grid, plan, spec, firstId, endId)) {
    if (signal?.aborted) throw abortError(signal);
    const patch = await readSourcePatch(grid, g.window);
    const lon = new Float64Array(g.count);
    const lat = new Float64Array(g.count);
    for (let i = 0; i < g.count; i++) {
      const c = plan.centre(firstId + g.first + i);
      lon[i] = c.lon;
      lat[i] = c.lat;
    }
    out.push({ values: ownBuffer(patch.values), geometry: patch.geometry, lon, lat });
  }
  return out;
}

/** Batch `k` from a worker's result: the kept windows' ids and centres, and the skipped counts. */
function assembleBatch(k: number, plan: WindowPlan, firstId: number, endId: number, result: BatchResult, s2: number): WindowBatch {
  const n = endId - firstId;
  if (result.status.length !== n) throw new Error(`tiling worker returned ${result.status.length} window codes for ${n} windows`);
  const keptCount = result.medianM.length;
  const ids = new Int32Array(keptCount);
  const lon = new Float64Array(keptCount);
  const lat = new Float64Array(keptCount);
  let skippedLand = 0;
  let skippedNodata = 0;
  let j = 0;
  for (let i = 0; i < n; i++) {
    const code = result.status[i];
    if (code === KEPT) {
      const c = plan.centre(firstId + i);
      ids[j] = firstId + i;
      lon[j] = c.lon;
      lat[j] = c.lat;
      j++;
    } else if (code === SKIPPED_LAND) skippedLand++;
    else if (code === SKIPPED_NODATA) skippedNodata++;
  }
  if (j !== keptCount || result.data.length !== keptCount * s2) throw new Error(`tiling worker returned inconsistent batch ${k}`);
  return { index: k, ids, lon, lat, data: result.data, medianM: result.medianM, skippedLand, skippedNodata };
}
