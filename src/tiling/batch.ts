/**
 * A batch of windows: a fixed range of plan ids, its source patches, and building its windows (the
 * part that runs in worker threads). A batch's content depends only on its id range, never on which
 * other batches run, so shards and resumed runs produce identical windows.
 */
import type { GridGeometry, PixelWindow, WindowSpec } from '../types.js';
import { antiAliasPatch, type SourcePatch } from './antialias.js';
import { clampPatchWindow, sampleLattice } from './extract.js';
import { taperWeights, windowFootprint, windowLattice } from './lattice.js';
import { normaliseWindow } from './normalise.js';
import type { WindowPlan } from './plan.js';
import { sampleSpacingKm } from './spec.js';

/** Largest patch (cells) several windows are merged into; a single window's footprint may exceed it. */
export const MAX_PATCH_CELLS = 4_000_000;

/** One read of source cells and the consecutive windows of the batch built from it. */
export interface PatchRead {
  /** Cells to read, clamped to the grid (w or h is 0 when the windows lie off the grid). */
  window: PixelWindow;
  /** Index in the batch of the first window, and how many consecutive windows use this patch. */
  first: number;
  count: number;
}

const area = (w: PixelWindow): number => w.w * w.h;

function union(a: PixelWindow, b: PixelWindow): PixelWindow {
  if (area(a) === 0) return b;
  if (area(b) === 0) return a;
  const x0 = Math.min(a.x0, b.x0);
  const y0 = Math.min(a.y0, b.y0);
  return { x0, y0, w: Math.max(a.x0 + a.w, b.x0 + b.w) - x0, h: Math.max(a.y0 + a.h, b.y0 + b.h) - y0 };
}

/**
 * Groups the windows `firstId .. endId-1` into patches: consecutive windows share a patch while the
 * merged rectangle costs no more cells than separate reads would and stays under `maxCells` (so the
 * end of one row and the start of the next, at opposite sides of the region, get separate reads).
 */
export function groupPatches(grid: GridGeometry, plan: WindowPlan, spec: WindowSpec, firstId: number, endId: number, maxCells = MAX_PATCH_CELLS): PatchRead[] {
  const out: PatchRead[] = [];
  let current: PatchRead | null = null;
  let currentCells = 0;
  for (let id = firstId; id < endId; id++) {
    const c = plan.centre(id);
    const fp = clampPatchWindow(grid, windowFootprint(grid, spec, c.lon, windowLattice(spec, c.lat)));
    if (current) {
      const merged = union(current.window, fp);
      const cells = area(merged);
      if (cells <= currentCells + area(fp) && cells <= maxCells) {
        current.window = merged;
        current.count++;
        currentCells = cells;
        continue;
      }
      out.push(current);
    }
    current = { window: fp, first: id - firstId, count: 1 };
    currentCells = area(fp);
  }
  if (current) out.push(current);
  return out;
}

/** A patch of source cells with the centres of the windows to cut from it. */
export interface PatchTask extends SourcePatch {
  lon: Float64Array;
  lat: Float64Array;
}

/** Everything a worker needs to build one batch (structured-clone friendly; patch buffers are transferred). */
export interface BatchTask {
  spec: WindowSpec;
  landLevelM: number;
  maxLandFraction: number;
  maxNodataFraction: number;
  patches: PatchTask[];
}

/** Per-window outcome codes in `BatchResult.status`. */
export const KEPT = 0;
export const SKIPPED_LAND = 1;
export const SKIPPED_NODATA = 2;

export interface BatchResult {
  /** One code per window of the task, in order: KEPT, SKIPPED_LAND or SKIPPED_NODATA. */
  status: Uint8Array;
  /** Kept windows only, each samples² values. */
  data: Float32Array;
  /** Median elevation removed from each kept window, m. */
  medianM: Float32Array;
}

/**
 * Builds the windows of a batch: anti-alias each patch once, sample its windows, drop those failing
 * the no-data / land rules (no-data is judged first), normalise the rest. Pure: worker threads and
 * the main thread give the same bits.
 */
export function buildBatch(task: BatchTask): BatchResult {
  const { spec } = task;
  const s2 = spec.samples * spec.samples;
  let total = 0;
  for (const p of task.patches) total += p.lon.length;
  const status = new Uint8Array(total);
  const data = new Float32Array(total * s2);
  const medianM = new Float32Array(total);
  const taper = taperWeights(spec);
  const scratch = new Float32Array(s2);
  const spacingKm = sampleSpacingKm(spec);
  let index = 0;
  let kept = 0;
  for (const patch of task.patches) {
    const field = spec.antiAlias ? antiAliasPatch(patch, spacingKm) : patch;
    for (let w = 0; w < patch.lon.length; w++, index++) {
      const lattice = windowLattice(spec, patch.lat[w]);
      const out = data.subarray(kept * s2, (kept + 1) * s2);
      const counts = sampleLattice(out, patch, field, patch.lon[w], patch.lat[w], lattice, task.landLevelM);
      if (counts.nodata / s2 > task.maxNodataFraction) {
        status[index] = SKIPPED_NODATA;
      } else if (counts.land / s2 > task.maxLandFraction) {
        status[index] = SKIPPED_LAND;
      } else {
        medianM[kept] = normaliseWindow(out, spec, taper, scratch);
        status[index] = KEPT;
        kept++;
      }
    }
  }
  return { status, data: data.subarray(0, kept * s2), medianM: medianM.subarray(0, kept) };
}
