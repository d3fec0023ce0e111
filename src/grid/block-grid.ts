/**
 * A GridSource assembled from the natural blocks of a file (GeoTIFF tiles or strips, netCDF-4 chunks,
 * runs of netCDF-3 rows). Each reader only says how to fetch and decode one block; this module cuts
 * windows out of blocks, wraps columns across the seam of global grids, and keeps recently used
 * blocks in a least-recently-used cache of bounded size, so a sweep of overlapping windows decodes
 * each block about once while memory stays flat whatever the grid's size.
 */
import type { GridFormat, GridGeometry, GridSource, PixelWindow, Region } from '../types.js';
import { lonPeriodColumns } from './geometry.js';
import { GridSourceBase } from './base.js';
import { GridError, asGridError } from './errors.js';
import type { RemoteObject, TransferStats } from './byte-source.js';

/** A reduced-resolution copy of a grid stored in the file (a COG overview), decoded to metres. */
export interface Overview {
  width: number;
  height: number;
  values: Float32Array;
  /** Image index in the file (1 = first overview). */
  level: number;
}

/** What a file reader provides: fixed-size blocks, decoded to metres (NaN for no-data). */
export interface BlockSource {
  /** Block size in cells; edge blocks are cut to the grid. */
  readonly blockWidth: number;
  readonly blockHeight: number;
  /**
   * Cells of block (bx, by) as a row-major Float32Array of its actual size
   * (min(blockWidth, width − bx·blockWidth) × min(blockHeight, height − by·blockHeight)).
   */
  readBlock(bx: number, by: number): Promise<Float32Array>;
  /** The smallest stored overview, where the format has them. */
  overview?(): Promise<Overview | null>;
  /** Traffic so far, for remote sources. */
  transferStats?(): TransferStats | null;
  close(): Promise<void>;
}

/** How stored values become metres, as the file states it. */
export interface StoredValues {
  /** Units as stored (null when the file says none) and the factor applied to reach metres. */
  units: string | null;
  metresPerStoredUnit: number;
  positiveDown: boolean;
  scaleFactor: number;
  addOffset: number;
  /** Raw values read as no-data. */
  nodata: number[];
}

/** What was opened, in the user's terms: for logs, manifests and `seamount info`. */
export interface GridInfo extends StoredValues {
  path: string;
  format: GridFormat;
  variable: string;
  width: number;
  height: number;
  /** Stored type of the values, e.g. int16, float32. */
  dataType: string;
  /** Box of the cell centres (lon in the file's convention). */
  centres: Region;
  /** Box of the cell edges (centres ± half a cell). */
  edges: Region;
  /** Cell size in degrees [lon, lat] and in arc-seconds. */
  spacingDeg: [number, number];
  spacingArcSec: [number, number];
  registration: GridGeometry['registration'];
  periodicLon: boolean;
  /** True when row 0 is the northernmost row. */
  northUp: boolean;
  /** Storage layout, e.g. "tiled 256×256, deflate" or "chunked 134×145, shuffle+deflate". */
  layout: string;
  /** Block size used for reads [width, height]. */
  blockShape: [number, number];
  /** Assumptions made while opening (missing units, coordinates without units ...). */
  warnings: string[];
  /** Set when the grid is read over HTTP(S)/S3: what identifies the object (in place of a checksum). */
  remote?: RemoteObject;
}

/** A grid opened from a file: a GridSource plus what it is. */
export interface FileGrid extends GridSource {
  readonly info: GridInfo;
}

export interface BlockGridOptions {
  /** Upper bound of the decoded-block cache in bytes. */
  cacheBytes: number;
}

export const DEFAULT_CACHE_MB = 128;

export function regionsOf(g: GridGeometry): { centres: Region; edges: Region } {
  const lonA = g.lon0;
  const lonB = g.lon0 + (g.width - 1) * g.dLon;
  const latA = g.lat0;
  const latB = g.lat0 + (g.height - 1) * g.dLat;
  const centres = { west: lonA, east: lonB, south: Math.min(latA, latB), north: Math.max(latA, latB) };
  const hx = g.dLon / 2;
  const hy = Math.abs(g.dLat) / 2;
  const edges = { west: lonA - hx, east: lonB + hx, south: centres.south - hy, north: centres.north + hy };
  return { centres, edges };
}

/** Fills the geometric fields of a GridInfo from the geometry. */
export function makeInfo(
  g: GridGeometry,
  rest: Omit<GridInfo, 'width' | 'height' | 'centres' | 'edges' | 'spacingDeg' | 'spacingArcSec' | 'registration' | 'periodicLon' | 'northUp'>,
): GridInfo {
  const { centres, edges } = regionsOf(g);
  return {
    ...rest,
    width: g.width,
    height: g.height,
    centres,
    edges,
    spacingDeg: [g.dLon, Math.abs(g.dLat)],
    spacingArcSec: [g.dLon * 3600, Math.abs(g.dLat) * 3600],
    registration: g.registration,
    periodicLon: g.periodicLon,
    northUp: g.dLat < 0,
  };
}

/** Bytes of decoded blocks held by every open grid of this thread (see `decodedBlockBytes`). */
let threadCachedBytes = 0;

/**
 * Bytes of decoded blocks that the open grids of this thread keep in their caches now. Each cache is
 * bounded (`cacheMB`), so a memory benchmark can tell this bounded part from memory that grows with the job.
 *
 * @example
 * const held = decodedBlockBytes(); // 0 before any read, at most cacheMB × 2^20 per open grid
 */
export function decodedBlockBytes(): number {
  return threadCachedBytes;
}

export class BlockGrid extends GridSourceBase implements FileGrid {
  readonly info: GridInfo;
  /** Counters for tests and benchmarks: blocks fetched from the file, and served from the cache. */
  readonly stats = { blocksRead: 0, cacheHits: 0 };

  private source: BlockSource | null;
  private readonly cacheBytes: number;
  private readonly cache = new Map<number, Float32Array>();
  private cachedBytes = 0;
  private readonly inFlight = new Map<number, Promise<Float32Array>>();
  private readonly blocksX: number;
  private readonly period: number;

  constructor(geometry: GridGeometry, info: GridInfo, source: BlockSource, options: BlockGridOptions) {
    super(info, geometry);
    this.info = info;
    this.source = source;
    this.cacheBytes = options.cacheBytes;
    this.blocksX = Math.ceil(this.width / source.blockWidth);
    // a gridline global grid stores the seam twice: wrap with the period, not the width
    this.period = this.periodicLon ? Math.min(lonPeriodColumns(this), this.width) : this.width;
  }

  async read(win: PixelWindow): Promise<Float32Array> {
    const source = this.source;
    if (!source) throw new GridError(this.path, 'read after close');
    const { x0, y0, w, h } = win;
    if (![x0, y0, w, h].every(Number.isInteger) || w < 0 || h < 0) {
      throw new GridError(this.path, `invalid window ${JSON.stringify(win)}`);
    }
    if (y0 < 0 || y0 + h > this.height) {
      throw new GridError(this.path, `rows ${y0}..${y0 + h - 1} outside 0..${this.height - 1}`);
    }
    if (!this.periodicLon && (x0 < 0 || x0 + w > this.width)) {
      throw new GridError(this.path, `columns ${x0}..${x0 + w - 1} outside 0..${this.width - 1} (grid does not wrap)`);
    }
    const out = new Float32Array(w * h);
    if (w === 0 || h === 0) return out;
    const bw = source.blockWidth;
    const bh = source.blockHeight;
    const period = this.period;

    // runs of output columns that map to consecutive source columns inside one block column
    const runs: Array<{ outX: number; srcX: number; n: number }> = [];
    for (let i = 0; i < w; ) {
      const srcX = (((x0 + i) % period) + period) % period;
      const blockEnd = (Math.floor(srcX / bw) + 1) * bw;
      const n = Math.min(w - i, blockEnd - srcX, period - srcX);
      runs.push({ outX: i, srcX, n });
      i += n;
    }
    const by0 = Math.floor(y0 / bh);
    const by1 = Math.floor((y0 + h - 1) / bh);
    const needed = new Set<number>();
    for (const run of runs) {
      const bx = Math.floor(run.srcX / bw);
      for (let by = by0; by <= by1; by++) needed.add(by * this.blocksX + bx);
    }
    const blocks = new Map<number, Float32Array>();
    await Promise.all(
      [...needed].map(async (key) => {
        blocks.set(key, await this.block(source, key));
      }),
    );
    for (const run of runs) {
      const bx = Math.floor(run.srcX / bw);
      const blockX0 = bx * bw;
      const blockW = Math.min(bw, this.width - blockX0);
      for (let by = by0; by <= by1; by++) {
        const block = blocks.get(by * this.blocksX + bx) as Float32Array;
        const blockY0 = by * bh;
        const rStart = Math.max(y0, blockY0);
        const rEnd = Math.min(y0 + h, blockY0 + bh, this.height);
        const cx = run.srcX - blockX0;
        for (let r = rStart; r < rEnd; r++) {
          const from = (r - blockY0) * blockW + cx;
          out.set(block.subarray(from, from + run.n), (r - y0) * w + run.outX);
        }
      }
    }
    return out;
  }

  private block(source: BlockSource, key: number): Promise<Float32Array> {
    const hit = this.cache.get(key);
    if (hit) {
      this.stats.cacheHits++;
      // refresh recency: Map keeps insertion order, oldest first
      this.cache.delete(key);
      this.cache.set(key, hit);
      return Promise.resolve(hit);
    }
    const pending = this.inFlight.get(key);
    if (pending) return pending;
    const bx = key % this.blocksX;
    const by = Math.floor(key / this.blocksX);
    this.stats.blocksRead++;
    const p = source
      .readBlock(bx, by)
      .then((values) => {
        this.remember(key, values);
        return values;
      })
      .catch((err: unknown) => {
        throw asGridError(this.path, err, `cannot read block (${bx}, ${by}) of ${this.variable}`);
      })
      .finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, p);
    return p;
  }

  private remember(key: number, values: Float32Array): void {
    // a read that settles after close() must not refill the cache of a closed grid
    if (this.cacheBytes <= 0 || !this.source) return;
    this.cache.set(key, values);
    this.cachedBytes += values.byteLength;
    threadCachedBytes += values.byteLength;
    for (const [k, v] of this.cache) {
      if (this.cachedBytes <= this.cacheBytes || k === key) break;
      this.cache.delete(k);
      this.cachedBytes -= v.byteLength;
      threadCachedBytes -= v.byteLength;
    }
  }

  /** The smallest overview stored in the file (COGs), or null when the format or file has none. */
  async overview(): Promise<Overview | null> {
    const source = this.source;
    if (!source) throw new GridError(this.path, 'read after close');
    if (!source.overview) return null;
    try {
      return await source.overview();
    } catch (err) {
      throw asGridError(this.path, err, 'cannot read overview');
    }
  }

  /** Requests and bytes fetched so far, for a remote grid; null for local files. */
  transfer(): TransferStats | null {
    return this.source?.transferStats?.() ?? this.lastTransfer;
  }

  private lastTransfer: TransferStats | null = null;

  async close(): Promise<void> {
    const source = this.source;
    this.lastTransfer = source?.transferStats?.() ?? this.lastTransfer;
    this.source = null;
    this.cache.clear();
    threadCachedBytes -= this.cachedBytes;
    this.cachedBytes = 0;
    if (source) await source.close();
  }
}
