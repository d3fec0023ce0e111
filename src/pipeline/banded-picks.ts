/**
 * Picking over a whole job in bands of plan rows, so memory depends on the band, not on the job: each
 * band is picked together with a margin of rows on both sides wider than anything picking looks across
 * (error smoothing, the uphill walk, the measurement disc, merging close picks), and keeps the picks whose
 * latitude falls in its own rows. Every pick is thus computed from the same windows as in one pass over
 * the whole job, and the union of the bands equals that pass.
 */
import type { Logger } from '../base/logger.js';
import type { PickingConfig } from '../config/index.js';
import { numberSeamounts, pickSeamounts } from '../picking/index.js';
import type { WindowPlan } from '../tiling/index.js';
import type { GridSource, ScoredWindow, Seamount } from '../types.js';
import type { BatchStore } from './batch-store.js';

export interface RowBand {
  /** Rows whose picks this band keeps: first, last + 1. */
  core: [number, number];
  /** Rows whose windows it reads: the core and its margins. */
  read: [number, number];
}

/** How far picking looks from a pick, km: the band margin. */
export function pickingReachKm(picking: PickingConfig, strideKm: number): number {
  return 2 * picking.measureRadiusKm + picking.minSeparationKm + 2 * picking.smoothingKm + picking.summitErrorKm + 2 * strideKm;
}

/** Splits the plan's rows into bands about `bandKm` tall with `marginKm` of rows around each. */
export function rowBands(plan: Pick<WindowPlan, 'rows' | 'strideKm'>, bandKm: number, marginKm: number): RowBand[] {
  const per = Math.max(1, Math.round(bandKm / plan.strideKm));
  const margin = Math.ceil(marginKm / plan.strideKm);
  const bands: RowBand[] = [];
  for (let a = 0; a < plan.rows; a += per) {
    const b = Math.min(plan.rows, a + per);
    bands.push({ core: [a, b], read: [Math.max(0, a - margin), Math.min(plan.rows, b + margin)] });
  }
  return bands;
}

/** Scored windows of plan rows [first, end) from the batch files (each batch is an id range). */
export async function readRows(plan: WindowPlan, batchSize: number, stores: BatchStore[], rows: [number, number]): Promise<ScoredWindow[]> {
  const id0 = plan.rowFirstId[rows[0]];
  const id1 = plan.rowFirstId[rows[1]];
  const out: ScoredWindow[] = [];
  if (id1 <= id0) return out;
  for (let k = Math.floor(id0 / batchSize); k <= Math.floor((id1 - 1) / batchSize); k++) {
    const store = stores.find((s) => s.has(k));
    if (!store) throw new Error(`batch ${k} has no scores`);
    const b = await store.read(k);
    for (let i = 0; i < b.ids.length; i++) {
      const id = b.ids[i];
      if (id < id0 || id >= id1) continue;
      const { lon, lat } = plan.centre(id);
      out.push({ id, lon, lat, error: b.errors[i] });
    }
  }
  return out;
}

export interface BandedPickOptions {
  plan: WindowPlan;
  batchSize: number;
  stores: BatchStore[];
  grid: GridSource;
  threshold: number;
  confidence: (error: number) => number;
  picking: PickingConfig;
  logger?: Logger;
}

/** One Seamount per seamount over the whole plan, numbered by confidence as a single pass would. */
export async function pickInBands(o: BandedPickOptions): Promise<Seamount[]> {
  const { plan } = o;
  const bands = rowBands(plan, o.picking.bandKm, pickingReachKm(o.picking, plan.strideKm));
  // rows run north to south; a band keeps picks between the mid-latitudes to its neighbouring rows
  const edge = (row: number, side: 'north' | 'south'): number => {
    if (side === 'north') return row <= 0 ? Infinity : (plan.rowLatDeg[row - 1] + plan.rowLatDeg[row]) / 2;
    return row >= plan.rows ? -Infinity : (plan.rowLatDeg[row - 1] + plan.rowLatDeg[row]) / 2;
  };
  const kept: Seamount[] = [];
  for (const band of bands) {
    const windows = await readRows(plan, o.batchSize, o.stores, band.read);
    if (windows.length === 0) continue;
    const picks = await pickSeamounts(windows, o.grid, {
      threshold: o.threshold,
      confidence: o.confidence,
      strideKm: plan.strideKm,
      picking: o.picking,
      logger: bands.length > 1 ? undefined : o.logger,
    });
    const north = edge(band.core[0], 'north');
    const south = edge(band.core[1], 'south');
    for (const p of picks) if (p.lat <= north && p.lat > south) kept.push(p);
    if (bands.length > 1) {
      o.logger?.info({ rows: band.core, windows: windows.length, seamounts: kept.length }, `picked rows ${band.core[0]}–${band.core[1] - 1} of ${plan.rows}`);
    }
  }
  return numberSeamounts(kept.map(({ id: _id, ...rest }) => rest));
}
