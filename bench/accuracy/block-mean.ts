/**
 * A coarser copy of a grid: each cell the mean of a `factor × factor` block of the source's cells. The
 * coarse-grid bench judges a model on it beside a coarse compilation of the same sea floor (ETOPO5), to
 * tell what the cell size costs from what that compilation's data cost.
 */
import type { GridSource, PixelWindow } from '../../src/types.js';
import { GridSourceBase } from '../../src/grid/base.js';
import { assertReadable } from '../../src/grid/geometry.js';
import { openGrid, writeFloat32GeoTiff } from '../../src/grid/index.js';

const NODATA = -99999;

/**
 * Writes the block-mean copy of the grid file `source` by `factor` to the GeoTIFF `out` (whole grid in
 * memory: meant for the shared regions, a few million cells at most) and returns its cell size in degrees.
 *
 * @example await writeBlockMean('../shared/data/grids/regions_1m/gorda_etopo1.tif', 5, 'out/gorda-5m.tif') // 5 / 60
 */
export async function writeBlockMean(source: string, factor: number, out: string): Promise<number> {
  const grid = await openGrid(source);
  try {
    const coarse = coarsenGrid(grid, factor);
    const values = await coarse.read({ x0: 0, y0: 0, w: coarse.width, h: coarse.height });
    for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) values[i] = NODATA;
    const { width, height, lon0, dLon, lat0, dLat, registration } = coarse;
    await writeFloat32GeoTiff(out, values, { width, height, lon0, dLon, lat0, dLat, registration, periodicLon: false }, NODATA);
    return Math.abs(coarse.dLat);
  } finally {
    await grid.close();
  }
}

/**
 * The block-mean view of `source` by an integer `factor` (1 returns `source` itself). No-data cells are left
 * out of a block's mean; a block of no-data alone is no-data. Trailing rows and columns that do not fill a
 * block are dropped. The view reads through `source` and does not own it: closing it closes nothing.
 *
 * @example
 * const fiveMinute = coarsenGrid(oneMinuteGrid, 5); // 5′ cells, centred on the 5 × 5 blocks they average
 */
export function coarsenGrid(source: GridSource, factor: number): GridSource {
  if (!Number.isInteger(factor) || factor < 1) throw new Error(`coarsenGrid: factor must be a positive integer, got ${factor}`);
  if (factor === 1) return source;
  if (source.width < factor || source.height < factor) {
    throw new Error(`${source.path}: ${source.width} x ${source.height} cells is too small to coarsen by ${factor}`);
  }
  return new CoarsenedGrid(source, factor);
}

class CoarsenedGrid extends GridSourceBase {
  constructor(
    private readonly source: GridSource,
    private readonly factor: number,
  ) {
    const f = factor;
    super(
      { path: source.path, format: source.format, variable: source.variable },
      {
        width: Math.floor(source.width / f),
        height: Math.floor(source.height / f),
        // a block's centre lies (f − 1) / 2 source cells past its first cell
        lon0: source.lon0 + ((f - 1) / 2) * source.dLon,
        dLon: source.dLon * f,
        lat0: source.lat0 + ((f - 1) / 2) * source.dLat,
        dLat: source.dLat * f,
        registration: source.registration,
        // wrapping stays exact only when whole blocks tile the 360°
        periodicLon: source.periodicLon && source.width % f === 0,
      },
    );
  }

  async read(win: PixelWindow): Promise<Float32Array> {
    assertReadable(this, win);
    const f = this.factor;
    const fineW = win.w * f;
    const fine = await this.source.read({ x0: win.x0 * f, y0: win.y0 * f, w: fineW, h: win.h * f });
    const out = new Float32Array(win.w * win.h);
    for (let j = 0; j < win.h; j++) {
      for (let i = 0; i < win.w; i++) {
        let sum = 0;
        let n = 0;
        for (let b = 0; b < f; b++) {
          const row = (j * f + b) * fineW + i * f;
          for (let a = 0; a < f; a++) {
            const v = fine[row + a];
            if (Number.isFinite(v)) {
              sum += v;
              n++;
            }
          }
        }
        out[j * win.w + i] = n > 0 ? sum / n : Number.NaN;
      }
    }
    return out;
  }

  async close(): Promise<void> {
    // the source belongs to the caller
  }
}
