/**
 * A coarser copy of a grid: each cell the mean of a `factor × factor` block of the source's cells (tiling's
 * own block average, as anti-aliasing uses it). The coarse-grid bench judges a model on it beside a coarse
 * compilation of the same sea floor (ETOPO5), to tell what the cell size costs from what that compilation's
 * data cost.
 */
import { openGrid, writeFloat32GeoTiff } from '../../src/grid/index.js';
import { blockAverage } from '../../src/tiling/antialias.js';

const NODATA = -99999;

/**
 * Writes the block-mean copy of the grid file `source` by an integer `factor` to the GeoTIFF `out` (whole
 * grid in memory: meant for the shared regions, a few million cells at most) and returns its cell size in
 * degrees. Blocks with less than half their cells valid are no-data; trailing rows and columns that fill
 * no block are dropped.
 *
 * @example await writeBlockMean('../shared/data/grids/regions_1m/gorda_etopo1.tif', 5, 'out/gorda-5m.tif') // 5 / 60
 */
export async function writeBlockMean(source: string, factor: number, out: string): Promise<number> {
  if (!Number.isInteger(factor) || factor < 1) throw new Error(`block mean: factor must be a positive integer, got ${factor}`);
  const grid = await openGrid(source);
  try {
    if (grid.width < factor || grid.height < factor) {
      throw new Error(`${source}: ${grid.width} x ${grid.height} cells is too small to coarsen by ${factor}`);
    }
    const { width, height, lon0, dLon, lat0, dLat, registration } = grid;
    const values = await grid.read({ x0: 0, y0: 0, w: width, h: height });
    const coarse = blockAverage({ values, geometry: { width, height, lon0, dLon, lat0, dLat, registration, periodicLon: false } }, factor, factor);
    for (let i = 0; i < coarse.values.length; i++) if (!Number.isFinite(coarse.values[i])) coarse.values[i] = NODATA;
    await writeFloat32GeoTiff(out, coarse.values, coarse.geometry, NODATA);
    return Math.abs(coarse.geometry.dLat);
  } finally {
    await grid.close();
  }
}
