/**
 * A GridSource served from square tiles that a subclass computes from another grid (its raw cells, its
 * high-passed relief): reads are cut from tiles, columns wrapping over one period on a periodic grid, and
 * the last `maxTiles` tiles are kept (least recently used out first), so the many small overlapping reads
 * of picking cost one tile each and memory stays bounded.
 */
import { PromiseLru } from '../base/lru.js';
import { GridSourceBase, type GridIdentity } from '../grid/base.js';
import { assertReadable, lonPeriodColumns, wrapColumn } from '../grid/geometry.js';
import type { GridGeometry, PixelWindow } from '../types.js';
const { floor, max, min } = Math;

export interface TiledViewOptions {
  /** Tile side, cells. */
  tileSize: number;
  /** Tiles kept. */
  maxTiles: number;
}

export abstract class TiledView extends GridSourceBase {
  protected readonly tileSize: number;
  /** Distinct columns: the width, or one period of a periodic grid (a gridline global grid repeats its seam column). */
  protected readonly period: number;
  private readonly tiles: PromiseLru<number, Float32Array>;

  protected constructor(identity: GridIdentity, geometry: GridGeometry, o: TiledViewOptions) {
    super(identity, geometry);
    this.tileSize = o.tileSize;
    this.tiles = new PromiseLru(o.maxTiles);
    this.period = geometry.periodicLon ? min(lonPeriodColumns(geometry), geometry.width) : geometry.width;
  }

  async read(win: PixelWindow): Promise<Float32Array> {
    assertReadable(this, win);
    const out = new Float32Array(win.w * win.h);
    const ts = this.tileSize;
    for (let ty = floor(win.y0 / ts); ty * ts < win.y0 + win.h; ty++) {
      const rowStart = max(win.y0, ty * ts);
      const rowEnd = min(win.y0 + win.h, (ty + 1) * ts);
      // walk the columns in spans that stay inside one tile (and one period)
      let i = 0;
      while (i < win.w) {
        const x = wrapColumn(win.x0 + i, this.period);
        const tx = floor(x / ts);
        const tileW = min(ts, this.period - tx * ts);
        const span = min(win.w - i, tx * ts + tileW - x);
        const tile = await this.tiles.get(ty * 1_000_003 + tx, () => this.computeTile(tx, ty, tileW, min(ts, this.height - ty * ts)));
        for (let y = rowStart; y < rowEnd; y++) {
          const src = (y - ty * ts) * tileW + (x - tx * ts);
          out.set(tile.subarray(src, src + span), (y - win.y0) * win.w + i);
        }
        i += span;
      }
    }
    return out;
  }

  /** Drops the kept tiles. The underlying grid stays open: its owner closes it. */
  async close(): Promise<void> {
    this.tiles.clear();
  }

  /** Cells of tile (tx, ty), `w × h` row-major, its first cell at column tx·tileSize, row ty·tileSize of this view. */
  protected abstract computeTile(tx: number, ty: number, w: number, h: number): Promise<Float32Array>;
}
