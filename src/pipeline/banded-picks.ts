/**
 * Picking over a whole job in blocks, so memory depends on the block, not on the job: rows of the plan
 * are split into bands about `bandKm` tall, each band into blocks about `bandKm` wide on the ground, and
 * each block is picked together with a margin on every side wider than anything picking looks across
 * (error smoothing, the uphill walk, the measurement disc, merging close picks); a block keeps the picks
 * that fall in its own core. Every pick is thus computed from the same windows as in one pass over the
 * whole job, and the union of the blocks equals that pass. A band's scores are held as two typed arrays
 * (8 bytes a window); only a block's windows become objects for the picker.
 */
import type { Logger } from '../base/logger.js';
import { lonDegreesOfKm } from '../base/geodesy.js';
import { concatFloat32, concatInt32 } from '../base/float32.js';
import type { PickingConfig } from '../config/index.js';
import {
  cutAndMeasure,
  gatherCandidates,
  numberPicks,
  rankAndMerge,
  RING_OUTER,
  type Candidate,
  type CandidateDecision,
  type CutRule,
  type Survivor,
} from '../picking/index.js';
import type { WindowPlan } from '../tiling/index.js';
import type { GridSource, ScoredWindow, Seamount } from '../types.js';
import type { BatchScores } from './batch-store.js';

/** Where a job's batch scores are read from: a batch store on disk, or scores held in memory (train). */
export interface ScoreSource {
  has(index: number): boolean;
  read(index: number): Promise<BatchScores>;
}

export interface RowBand {
  /** Rows whose picks this band keeps: first, last + 1. */
  core: [number, number];
  /** Rows whose windows it reads: the core and its margins. */
  read: [number, number];
}

/** How far picking looks from a pick, km: the band margin. */
export function pickingReachKm(picking: PickingConfig, strideKm: number): number {
  return (
    2 * picking.measureRadiusKm + picking.minSeparationKm + 2 * picking.smoothingKm + RING_OUTER * picking.evidenceRadiusKm + picking.peakSeedKm + 2 * strideKm
  );
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

/** The scores of a band's windows in id order: 8 bytes a window. */
export interface BandScores {
  ids: Int32Array;
  errors: Float32Array;
}

/** Scored windows of plan rows [first, end) from the batch files (each batch is an id range). */
export async function readRows(plan: WindowPlan, batchSize: number, stores: ScoreSource[], rows: [number, number]): Promise<BandScores> {
  const id0 = plan.rowFirstId[rows[0]];
  const id1 = plan.rowFirstId[rows[1]];
  const ids: Int32Array[] = [];
  const errors: Float32Array[] = [];
  for (let k = Math.floor(id0 / batchSize); id1 > id0 && k <= Math.floor((id1 - 1) / batchSize); k++) {
    const store = stores.find((s) => s.has(k));
    if (!store) throw new Error(`batch ${k} has no scores`);
    const b = await store.read(k);
    // ids ascend within a batch: the band's part is one slice
    const a = lowerBound(b.ids, id0);
    const z = lowerBound(b.ids, id1);
    ids.push(b.ids.subarray(a, z));
    errors.push(b.errors.subarray(a, z));
  }
  return { ids: concatInt32(ids), errors: concatFloat32(errors) };
}

/** First index of a sorted array whose value is ≥ v. */
function lowerBound(a: Int32Array, v: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** A block of a band: longitudes [west, east) of its core (plan convention), ±∞ at an open end. */
export interface ColumnBlock {
  west: number;
  east: number;
}

/**
 * Splits a band's longitude range into blocks about `blockKm` wide at the band's middle latitude. Rows
 * that go round the globe give blocks over one turn from the band's west end; otherwise the outer
 * blocks are open-ended, so a pick just outside the outermost window centres still has a block.
 */
export function columnBlocks(west: number, east: number, midLatDeg: number, blockKm: number, fullCircle: boolean): ColumnBlock[] {
  const span = fullCircle ? 360 : east - west;
  const widthDeg = lonDegreesOfKm(blockKm, midLatDeg);
  const n = Math.max(1, Math.floor(span / widthDeg));
  if (n === 1) return [{ west: fullCircle ? west : -Infinity, east: fullCircle ? west + 360 : Infinity }];
  return Array.from({ length: n }, (_, j) => ({
    west: j === 0 && !fullCircle ? -Infinity : west + (j * span) / n,
    east: j === n - 1 && !fullCircle ? Infinity : west + ((j + 1) * span) / n,
  }));
}

/** `lon` moved by whole turns to the alias nearest `ref`. */
const nearestAlias = (lon: number, ref: number): number => lon - 360 * Math.round((lon - ref) / 360);

export interface BlockOptions {
  plan: WindowPlan;
  batchSize: number;
  stores: ScoreSource[];
  picking: PickingConfig;
  logger?: Logger;
}

/**
 * Runs `work` over the plan block by block (each block's windows with its margins) and hands `keep` the
 * items `work` returns whose position lies in the block's core: every item once, computed from the same
 * windows as one pass over the whole plan would use.
 */
export async function forEachBlock<T>(
  o: BlockOptions,
  work: (windows: ScoredWindow[], single: boolean) => Promise<T[]>,
  position: (item: T) => { lon: number; lat: number },
  keep: (items: T[]) => void | Promise<void>,
): Promise<void> {
  const { plan } = o;
  const reachKm = pickingReachKm(o.picking, plan.strideKm);
  const bands = rowBands(plan, o.picking.bandKm, reachKm);
  // rows run north to south; a band keeps picks between the mid-latitudes to its neighbouring rows
  const edge = (row: number, side: 'north' | 'south'): number => {
    if (side === 'north') return row <= 0 ? Infinity : (plan.rowLatDeg[row - 1] + plan.rowLatDeg[row]) / 2;
    return row >= plan.rows ? -Infinity : (plan.rowLatDeg[row - 1] + plan.rowLatDeg[row]) / 2;
  };
  let blocksDone = 0;
  let kept = 0;
  for (const band of bands) {
    const scores = await readRows(plan, o.batchSize, o.stores, band.read);
    if (scores.ids.length === 0) continue;
    const extent = bandExtent(plan, band.read);
    const midLat = (plan.rowLatDeg[band.core[0]] + plan.rowLatDeg[band.core[1] - 1]) / 2;
    const blocks = columnBlocks(extent.west, extent.east, midLat, o.picking.bandKm, plan.fullCircle);
    // the margin in longitude at the read rows' most poleward latitude covers the reach on every row
    const marginDeg = lonDegreesOfKm(reachKm, extent.maxAbsLat);
    const north = edge(band.core[0], 'north');
    const south = edge(band.core[1], 'south');
    const ref = (extent.west + extent.east) / 2;
    const single = bands.length === 1 && blocks.length === 1;
    for (const block of blocks) {
      const windows = blockWindows(plan, scores, band.read, blocks.length === 1 ? null : block, marginDeg);
      if (windows.length === 0) continue;
      const items = await work(windows, single);
      blocksDone++;
      const inCore = items.filter((item) => {
        const p = position(item);
        if (!(p.lat <= north && p.lat > south)) return false;
        // full-circle rows: blocks cover one turn from the band's west end; otherwise the plan's own alias
        const lon = plan.fullCircle ? extent.west + ((((p.lon - extent.west) % 360) + 360) % 360) : nearestAlias(p.lon, ref);
        return lon >= block.west && lon < block.east;
      });
      kept += inCore.length;
      await keep(inCore);
    }
    if (!single) {
      o.logger?.info(
        { rows: band.core, blocks: blocks.length, windows: scores.ids.length, kept },
        `picked rows ${band.core[0]}–${band.core[1] - 1} of ${plan.rows} in ${blocks.length} blocks`,
      );
    }
  }
  o.logger?.debug({ bands: bands.length, blocks: blocksDone }, 'picking blocks');
}

export interface BandedPickOptions extends BlockOptions {
  grid: GridSource;
  threshold: number;
  /** The ranker's raw score of a candidate. */
  score: (c: Candidate) => number;
  /** The confidence and cut from all the job's scores (ranking/prior.ts decideCut). */
  cut: (allScores: Float64Array, survivorScores: Float64Array) => CutRule;
  islands: 'drop' | 'keep';
  /** Receives each block's candidate decisions (those in its core; survivors `kept`), in block order: the ledger. */
  onDecisions?: (decisions: CandidateDecision[]) => void | Promise<void>;
}

export interface BandedPickResult {
  seamounts: Seamount[];
  /** Seamount id of each picked candidate, by candidate id. */
  pickIds: Map<string, string>;
  /** The confidence of a raw score and the cut the job was decided with. */
  rule: CutRule;
}

/** A growing Float64Array (8 bytes a score: the job's scores for the prior). */
class Scores {
  private data = new Float64Array(1024);
  length = 0;
  push(v: number): void {
    if (this.length === this.data.length) {
      const grown = new Float64Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = v;
  }
  view(): Float64Array {
    return this.data.subarray(0, this.length);
  }
}

/**
 * One Seamount per seamount over the whole plan and the ledger: candidates gathered, scored and merged
 * block by block, then the job's cut from all its scores, then the picks measured and numbered as a single
 * pass would.
 */
export async function pickInBands(o: BandedPickOptions): Promise<BandedPickResult> {
  const survivors: Survivor[] = [];
  const scores = new Scores();
  type Item = { survivor: Survivor } | { decision: CandidateDecision };
  await forEachBlock<Item>(
    o,
    async (windows, single) => {
      const candidates = await gatherCandidates(windows, o.grid, { threshold: o.threshold, strideKm: o.plan.strideKm, picking: o.picking, islands: o.islands });
      const ranked = await rankAndMerge(candidates, o.grid, { score: o.score, picking: o.picking });
      if (single)
        o.logger?.info(
          { windows: windows.length, candidates: candidates.length, survivors: ranked.survivors.length },
          `${candidates.length} candidates, ${ranked.survivors.length} after merging`,
        );
      return [...ranked.survivors.map((survivor) => ({ survivor })), ...ranked.decisions.map((decision) => ({ decision }))];
    },
    (item) => ('survivor' in item ? item.survivor.m : item.decision.candidate),
    async (items) => {
      const decisions: CandidateDecision[] = [];
      for (const item of items) {
        if ('survivor' in item) survivors.push(item.survivor);
        else {
          decisions.push(item.decision);
          if (Number.isFinite(item.decision.score)) scores.push(item.decision.score);
        }
      }
      await o.onDecisions?.(decisions);
    },
  );
  const rule = o.cut(
    scores.view(),
    Float64Array.from(survivors, (s) => s.score),
  );
  const picks = await cutAndMeasure(survivors, o.grid, rule, o.picking);
  return { ...numberPicks(picks), rule };
}

/** Westernmost and easternmost window centres of rows [first, end) (plan convention), and their largest |latitude|. */
function bandExtent(plan: WindowPlan, rows: [number, number]): { west: number; east: number; maxAbsLat: number } {
  let west = Infinity;
  let east = -Infinity;
  let maxAbsLat = 0;
  for (let r = rows[0]; r < rows[1]; r++) {
    const n = plan.rowFirstId[r + 1] - plan.rowFirstId[r];
    if (n <= 0) continue;
    west = Math.min(west, plan.rowLon0Deg[r]);
    east = Math.max(east, plan.rowLon0Deg[r] + (n - 1) * plan.rowStepDeg[r]);
    maxAbsLat = Math.max(maxAbsLat, Math.abs(plan.rowLatDeg[r]));
  }
  return { west, east, maxAbsLat };
}

/**
 * The band's windows a block reads, as the picker takes them (id order): those of rows [first, end)
 * within `marginDeg` of the block's core (any alias of it on full-circle rows); all of them when
 * `block` is null. Each row's windows are a run of ids, so the block's part of a row is found by index.
 */
function blockWindows(plan: WindowPlan, scores: BandScores, rows: [number, number], block: ColumnBlock | null, marginDeg: number): ScoredWindow[] {
  const out: ScoredWindow[] = [];
  const push = (i0: number, i1: number) => {
    for (let i = i0; i < i1; i++) {
      const id = scores.ids[i];
      const { lon, lat } = plan.centre(id);
      out.push({ id, lon, lat, error: scores.errors[i] });
    }
  };
  if (!block) {
    push(0, scores.ids.length);
    return out;
  }
  const lo = block.west - marginDeg;
  const hi = block.east + marginDeg;
  for (let r = rows[0]; r < rows[1]; r++) {
    const first = plan.rowFirstId[r];
    const n = plan.rowFirstId[r + 1] - first;
    if (n <= 0) continue;
    const lon0 = plan.rowLon0Deg[r];
    const step = plan.rowStepDeg[r];
    // columns c with lon0 + c·step (or an alias of it) in [lo, hi], as ascending runs
    const runs: Array<[number, number]> = [];
    for (const turn of plan.fullCircle ? [-360, 0, 360] : [0]) {
      const c0 = Math.max(0, Math.ceil((lo + turn - lon0) / step - 1e-9));
      const c1 = Math.min(n - 1, Math.floor((hi + turn - lon0) / step + 1e-9));
      if (c1 >= c0) runs.push([c0, c1 + 1]);
    }
    runs.sort((a, b) => a[0] - b[0]);
    let end = 0; // runs of aliases may overlap: each column once
    for (const [c0, c1] of runs) {
      const a = Math.max(c0, end);
      if (c1 <= a) continue;
      push(lowerBound(scores.ids, first + a), lowerBound(scores.ids, first + c1));
      end = c1;
    }
  }
  return out;
}
