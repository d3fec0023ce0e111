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
import type { GridSource } from '../types.js';
import { highpassBand } from './highpass.js';
import { TiledView } from './tiled-view.js';

export interface HighpassGridOptions {
  /** Width (6 σ) of the Gaussian regional trend removed, km. */
  highpassKm: number;
  /** Tile side, cells (default 64: the filter's halo is read around each, so small tiles keep reads near what is asked). */
  tileSize?: number;
  /** Tiles kept (default 64). */
  maxTiles?: number;
}

export class HighpassGrid extends TiledView {
  private readonly source: GridSource;
  private readonly highpassKm: number;

  constructor(source: GridSource, o: HighpassGridOptions) {
    super(source, source, { tileSize: o.tileSize ?? 64, maxTiles: o.maxTiles ?? 64 });
    this.source = source;
    this.highpassKm = o.highpassKm;
  }

  protected computeTile(tx: number, ty: number, w: number, h: number): Promise<Float32Array> {
    const x0 = tx * this.tileSize;
    const y0 = ty * this.tileSize;
    const cells = { x0, x1: x0 + w - 1, y0: 0, y1: this.height - 1 };
    return highpassBand(this.source, cells, y0, y0 + h - 1, { highpassKm: this.highpassKm, peakRadiusKm: 0 }, { x0: 0, y0: 0 }).then((b) => b.highpass);
  }
}
