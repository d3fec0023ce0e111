/**
 * A GridSource of the high-passed relief of another one: elevation minus the Gaussian regional trend
 * (σ = highpassKm / 6, the filter of the baselines and of a pick's prominence). The uphill walk that groups
 * windows into seamounts climbs this surface, so on a regional slope it stops at the seamount's summit
 * instead of walking on up the slope (issue 15).
 *
 * Computed in tiles (with the filter's halo read around each), the filter's blocks aligned to the grid's
 * corner, so a cell's value does not depend on which tile computed it; only the tiles that reads touch are
 * computed (a small region of a remote grid stays a small read) and the last few are kept (bounded memory).
 */
import { PromiseLru } from '../base/lru.js';
import { GridSourceBase } from '../grid/base.js';
import { assertReadable, lonPeriodColumns } from '../grid/geometry.js';
import type { GridSource, PixelWindow } from '../types.js';
import { highpassBand } from './highpass.js';

export interface HighpassGridOptions {
  /** Width (6 σ) of the Gaussian regional trend removed, km. */
  highpassKm: number;
  /** Tile side, cells (default 64: the filter's halo is read around each, so small tiles keep reads near what is asked). */
  tileSize?: number;
  /** Tiles kept (default 64). */
  maxTiles?: number;
}

export class HighpassGrid extends GridSourceBase {
  private readonly source: GridSource;
  private readonly o: Required<HighpassGridOptions>;
  private readonly tiles: PromiseLru<number, Float32Array>;
  private readonly columns: number;

  constructor(source: GridSource, o: HighpassGridOptions) {
    super(source, source);
    this.source = source;
    this.o = { tileSize: 64, maxTiles: 64, ...o };
    this.tiles = new PromiseLru(this.o.maxTiles);
    // a periodic grid's tiles cover one period of columns; reads wrap into it
    this.columns = source.periodicLon ? Math.min(lonPeriodColumns(source), source.width) : source.width;
  }

  async read(win: PixelWindow): Promise<Float32Array> {
    assertReadable(this, win);
    const out = new Float32Array(win.w * win.h);
    const n = this.o.tileSize;
    const period = this.columns;
    for (let ty = Math.floor(win.y0 / n); ty * n < win.y0 + win.h; ty++) {
      const r0 = Math.max(win.y0, ty * n);
      const r1 = Math.min(win.y0 + win.h, (ty + 1) * n, this.height);
      let i = 0;
      while (i < win.w) {
        const x = (((win.x0 + i) % period) + period) % period;
        const tx = Math.floor(x / n);
        const tileX0 = tx * n;
        const tileW = Math.min(n, period - tileX0);
        const span = Math.min(win.w - i, tileX0 + tileW - x);
        const tile = await this.tile(tx, ty);
        for (let r = r0; r < r1; r++) {
          const from = (r - ty * n) * tileW + (x - tileX0);
          out.set(tile.subarray(from, from + span), (r - win.y0) * win.w + i);
        }
        i += span;
      }
    }
    return out;
  }

  async close(): Promise<void> {
    this.tiles.clear();
  }

  private tile(tx: number, ty: number): Promise<Float32Array> {
    return this.tiles.get(ty * 1_000_003 + tx, () => {
      const n = this.o.tileSize;
      const cells = { x0: tx * n, x1: Math.min(this.columns, (tx + 1) * n) - 1, y0: 0, y1: this.height - 1 };
      const b0 = ty * n;
      const b1 = Math.min(this.height - 1, b0 + n - 1);
      return highpassBand(this.source, cells, b0, b1, { highpassKm: this.o.highpassKm, peakRadiusKm: 0 }, { x0: 0, y0: 0 }).then((h) => h.highpass);
    });
  }

}
