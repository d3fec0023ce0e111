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
import { flipRows } from '../grid/flip.js';
import type { GridSource } from '../types.js';
import { TiledView } from './tiled-view.js';

export interface CachedGridOptions {
  /** Tile side, cells (default 256). */
  tileSize?: number;
  /** Tiles kept (default 64: 16 MiB of float32 at 256²). */
  maxTiles?: number;
}

export class CachedGrid extends TiledView {
  /** Tiles read from the underlying grid so far (for tests and logs). */
  tilesRead = 0;
  private readonly source: GridSource;
  /** True when the source stores rows south to north: view row r is source row height − 1 − r. */
  private readonly flipped: boolean;

  constructor(source: GridSource, o: CachedGridOptions = {}) {
    const flipped = source.dLat > 0;
    const geometry = flipped ? { ...source, lat0: source.lat0 + (source.height - 1) * source.dLat, dLat: -source.dLat } : source;
    super(source, geometry, { tileSize: o.tileSize ?? 256, maxTiles: o.maxTiles ?? 64 });
    this.flipped = flipped;
    this.source = source;
  }

  protected computeTile(tx: number, ty: number, w: number, h: number): Promise<Float32Array> {
    const ts = this.tileSize;
    const y0 = this.flipped ? this.height - ty * ts - h : ty * ts;
    this.tilesRead++;
    return this.source.read({ x0: tx * ts, y0, w, h }).then((values) => (this.flipped ? flipRows(values, w, h) : values));
  }
}
