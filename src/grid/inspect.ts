/**
 * What a grid is, in the user's terms, for `seamount info`: the reader's GridInfo plus spacing in km,
 * the longitude convention, and the range of values: exact from every cell when the grid is small,
 * else from the file's smallest overview (COGs), else from a sample of windows spread over the grid.
 * Each says which it is.
 */
import type { GridSource } from '../types.js';
import type { FileGrid, GridInfo, Overview } from './block-grid.js';
import type { TransferStats } from './byte-source.js';
import { describeGrid } from './describe.js';
import { cellSizeKm } from './geometry.js';

export interface ValueRange {
  /** Lowest and highest value seen, metres positive up (NaN when every cell looked at was no-data). */
  minM: number;
  maxM: number;
  /** Share of the cells looked at that hold a value (not no-data). */
  validShare: number;
  /** Cells looked at. */
  cells: number;
  method: 'all cells' | 'overview' | 'sample';
  /** Which cells, in words. */
  detail: string;
}

export interface GridInspection {
  info: GridInfo;
  /** Cell size in km: [east–west at the middle latitude, north–south], and that latitude. */
  spacingKm: [number, number];
  spacingLatDeg: number;
  /** East–west cell size at the grid's equatorward and poleward edges, km. */
  spacingKmRange: [number, number];
  /** How the file writes longitudes. */
  lonConvention: string;
  valueRange: ValueRange;
}

export interface InspectOptions {
  /** Read every cell when the grid has at most this many (default 4 M cells, 16 MB). */
  fullReadCells?: number;
  /** Sample windows per side when sampling (default 8, so 64 windows). */
  samplesPerSide?: number;
  /** Side of each sample window, cells (default 128). */
  sampleCells?: number;
}

/** Requests and bytes fetched so far by a remote grid; null for local files and in-memory grids. */
export function gridTransfer(grid: GridSource): TransferStats | null {
  const t = (grid as GridSource & { transfer?: () => TransferStats | null }).transfer;
  return typeof t === 'function' ? t.call(grid) : null;
}

function lonConvention(info: GridInfo): string {
  const { west, east } = info.edges;
  if (info.periodicLon) return west < -90 ? 'global, −180..180' : 'global, 0..360';
  if (east > 180) return `0..360 (reaches ${Number(east.toFixed(4))}°)`;
  if (west < 0) return '−180..180';
  return 'either (lies within 0..180)';
}

class Extremes {
  min = Infinity;
  max = -Infinity;
  valid = 0;
  cells = 0;
  add(values: Float32Array): void {
    let { min, max, valid } = this;
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (v === v) {
        valid++;
        if (v < min) min = v;
        if (v > max) max = v;
      }
    }
    this.min = min;
    this.max = max;
    this.valid = valid;
    this.cells += values.length;
  }
  range(method: ValueRange['method'], detail: string): ValueRange {
    const any = this.valid > 0;
    return { minM: any ? this.min : NaN, maxM: any ? this.max : NaN, validShare: this.cells ? this.valid / this.cells : 0, cells: this.cells, method, detail };
  }
}

/** Value range of a grid: all cells, the smallest overview, or a spread sample (see module comment). */
export async function valueRange(grid: GridSource, o: InspectOptions = {}): Promise<ValueRange> {
  const full = o.fullReadCells ?? 4 << 20;
  const e = new Extremes();
  if (grid.width * grid.height <= full) {
    const rows = Math.max(1, Math.floor((1 << 20) / grid.width));
    for (let y0 = 0; y0 < grid.height; y0 += rows) e.add(await grid.read({ x0: 0, y0, w: grid.width, h: Math.min(rows, grid.height - y0) }));
    return e.range('all cells', `every cell (${grid.width * grid.height})`);
  }
  const withOverview = grid as GridSource & { overview?: () => Promise<Overview | null> };
  const ov = typeof withOverview.overview === 'function' ? await withOverview.overview() : null;
  if (ov) {
    e.add(ov.values);
    return e.range('overview', `the file's smallest overview (${ov.width} × ${ov.height}, level ${ov.level}); resampled, so extremes may be smoothed`);
  }
  const k = o.samplesPerSide ?? 8;
  const side = o.sampleCells ?? 128;
  const w = Math.min(side, grid.width);
  const h = Math.min(side, grid.height);
  for (let j = 0; j < k; j++) {
    const y0 = Math.round(((grid.height - h) * (j + 0.5)) / k);
    for (let i = 0; i < k; i++) {
      const x0 = Math.round(((grid.width - w) * (i + 0.5)) / k);
      e.add(await grid.read({ x0, y0, w, h }));
    }
  }
  return e.range('sample', `${k * k} windows of ${w} × ${h} cells spread evenly over the grid (${e.cells} of ${grid.width * grid.height} cells)`);
}

/**
 * Describes a grid for `seamount info`.
 *
 * @example
 * const g = await openGrid('GEBCO_2024.nc');
 * (await inspectGrid(g)).valueRange; // { minM: -10920, maxM: 8627, method: 'sample', ... }
 */
export async function inspectGrid(grid: FileGrid | GridSource, o: InspectOptions = {}): Promise<GridInspection> {
  const info = describeGrid(grid);
  const { south, north } = info.centres;
  const midLat = (south + north) / 2;
  const [ew, ns] = cellSizeKm(grid, midLat);
  const equatorward = south <= 0 && north >= 0 ? 0 : Math.min(Math.abs(south), Math.abs(north));
  const poleward = Math.max(Math.abs(south), Math.abs(north));
  const ewAt = (lat: number) => cellSizeKm(grid, lat)[0];
  return {
    info,
    spacingKm: [ew, ns],
    spacingLatDeg: midLat,
    spacingKmRange: [ewAt(poleward), ewAt(equatorward)],
    lonConvention: lonConvention(info),
    valueRange: await valueRange(grid, o),
  };
}
