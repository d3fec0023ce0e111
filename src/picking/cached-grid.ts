/**
 * A GridSource that keeps recently read square tiles of another one in memory (least recently used
 * first out), so the many small overlapping reads of picking and measurement cost one file read per
 * tile. Memory is bounded by `maxTiles × tileSize² × 4` bytes.
 *
 * It always presents the grid north-up (row 0 northernmost), whatever the file's row order. Picking and
 * measurement scan cells in row order and break ties by it (the highest cell, the first summit, the thinned
 * fit points): on the file's own order, a south-up netCDF and a north-up GeoTIFF of the same values gave
 * different catalogues. On one canonical order the catalogue is a function of the values and their
 * positions only.
 */
import { PromiseLru } from '../base/lru.js';
import { flipRows } from '../grid/flip.js';
import { lonPeriodColumns } from '../grid/geometry.js';
import { GridSourceBase } from '../grid/base.js';
import type { GridSource, PixelWindow } from '../types.js';
const { floor, max, min } = Math;

export interface CachedGridOptions {
  /** Tile side, cells (default 256). */
  tileSize?: number;
  /** Tiles kept (default 64: 16 MiB of float32 at 256²). */
  maxTiles?: number;
}

export class CachedGrid extends GridSourceBase {
  /** Tiles read from the underlying grid so far (for tests and logs). */
  tilesRead = 0;
  private readonly source: GridSource;
  private readonly tileSize: number;
  private readonly tiles: PromiseLru<number, Float32Array>;
  private readonly period: number;
  /** True when the source stores rows south to north: view row r is source row height − 1 − r. */
  private readonly flipped: boolean;

  constructor(source: GridSource, o: CachedGridOptions = {}) {
    const flipped = source.dLat > 0;
    super(source, flipped ? { ...source, lat0: source.lat0 + (source.height - 1) * source.dLat, dLat: -source.dLat } : source);
    this.flipped = flipped;
    this.source = source;
    this.tileSize = o.tileSize ?? 256;
    this.tiles = new PromiseLru(max(1, o.maxTiles ?? 64));
    // columns repeat every `period` on a periodic grid (a gridline global grid repeats its seam column)
    this.period = source.periodicLon ? lonPeriodColumns(source) : source.width;
  }

  async read(win: PixelWindow): Promise<Float32Array> {
    if (win.y0 < 0 || win.y0 + win.h > this.height || win.w < 0 || win.h < 0) {
      throw new Error(`${this.path}: rows ${win.y0}..${win.y0 + win.h - 1} outside 0..${this.height - 1}`);
    }
    if (!this.periodicLon && (win.x0 < 0 || win.x0 + win.w > this.width)) {
      throw new Error(`${this.path}: columns ${win.x0}..${win.x0 + win.w - 1} outside 0..${this.width - 1}`);
    }
    const out = new Float32Array(win.w * win.h);
    const ts = this.tileSize;
    for (let ty = floor(win.y0 / ts); ty * ts < win.y0 + win.h; ty++) {
      const rowStart = max(win.y0, ty * ts);
      const rowEnd = min(win.y0 + win.h, (ty + 1) * ts);
      // walk the columns in spans that stay inside one tile (and one period)
      let i = 0;
      while (i < win.w) {
        const x = this.wrap(win.x0 + i);
        const tx = floor(x / ts);
        const spanEnd = min((tx + 1) * ts, this.period);
        const span = min(win.w - i, spanEnd - x);
        const tile = await this.tile(tx, ty);
        const tileW = min(ts, this.period - tx * ts);
        for (let y = rowStart; y < rowEnd; y++) {
          const src = (y - ty * ts) * tileW + (x - tx * ts);
          out.set(tile.subarray(src, src + span), (y - win.y0) * win.w + i);
        }
        i += span;
      }
    }
    return out;
  }

  /** Drops the cached tiles. The underlying grid stays open: its owner closes it. */
  async close(): Promise<void> {
    this.tiles.clear();
  }

  private wrap(x: number): number {
    return ((x % this.period) + this.period) % this.period;
  }

  private tile(tx: number, ty: number): Promise<Float32Array> {
    return this.tiles.get(ty * 1_000_003 + tx, () => {
      const ts = this.tileSize;
      const w = min(ts, this.period - tx * ts);
      const h = min(ts, this.height - ty * ts);
      const y0 = this.flipped ? this.height - ty * ts - h : ty * ts;
      this.tilesRead++;
      return this.source.read({ x0: tx * ts, y0, w, h }).then((values) => (this.flipped ? flipRows(values, w, h) : values));
    });
  }

}

