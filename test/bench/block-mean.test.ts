/**
 * The coarse-grid bench's block-mean copies (bench/accuracy/block-mean.ts): cell values, no-data, where the
 * coarse cells sit and which cells are dropped, read back through openGrid from the GeoTIFF it writes.
 */
import { join } from 'node:path';
import { writeBlockMean } from '../../bench/accuracy/block-mean.js';
import { openGrid, writeFloat32GeoTiff } from '../../src/grid/index.js';
import type { GridGeometry } from '../../src/types.js';
import { tempDir } from '../support/temp-dir.js';

/** A 6 × 4 grid of 1′ cells, north-up; by default cell (x, y) holds 10·y + x. */
const GEOMETRY: GridGeometry = { width: 6, height: 4, lon0: 10, dLon: 1 / 60, lat0: 5, dLat: -1 / 60, registration: 'gridline', periodicLon: false };
const cells = (width = 6, height = 4) => Float32Array.from({ length: width * height }, (_, i) => 10 * Math.floor(i / width) + (i % width));

/** Writes `values` as the fine grid, its block mean by `factor`, and reads the copy back (rows north first). */
async function blockMeanOf(values: Float32Array, factor: number, geometry: GridGeometry = GEOMETRY) {
  const dir = tempDir('block-mean-');
  const src = join(dir, 'fine.tif');
  await writeFloat32GeoTiff(src, values, geometry, -99999);
  const out = join(dir, 'coarse.tif');
  const cellDeg = await writeBlockMean(src, factor, out);
  const g = await openGrid(out);
  try {
    const v = await g.read({ x0: 0, y0: 0, w: g.width, h: g.height });
    const rows = Array.from({ length: g.height }, (_, j) => Array.from(v.subarray(j * g.width, (j + 1) * g.width)));
    if (g.dLat > 0) rows.reverse();
    return { cellDeg, width: g.width, height: g.height, lon0: g.lon0, lat0: Math.max(g.lat0, g.lat0 + (g.height - 1) * g.dLat), values: rows.flat() };
  } finally {
    await g.close();
  }
}

describe('writeBlockMean', () => {
  it('averages each block, centres the coarse cells on their blocks and drops the cells that fill no block', async () => {
    const c = await blockMeanOf(cells(), 2);
    expect([c.width, c.height]).toEqual([3, 2]);
    expect(c.cellDeg).toBeCloseTo(2 / 60, 12);
    expect(c.lon0).toBeCloseTo(10 + 0.5 / 60, 9); // between fine columns 0 and 1
    expect(c.lat0).toBeCloseTo(5 - 0.5 / 60, 9);
    // block (0,0) = cells 0, 1, 10, 11 → 5.5; block (2,1) = 24, 25, 34, 35 → 29.5
    expect(c.values).toEqual([5.5, 7.5, 9.5, 25.5, 27.5, 29.5]);
    // 7 × 7 → 2 × 2 (the readers refuse a grid of one row): the last row and column fill no block
    const three = await blockMeanOf(cells(7, 7), 3, { ...GEOMETRY, width: 7, height: 7 });
    expect([three.width, three.height]).toEqual([2, 2]);
    expect(three.values).toEqual([11, 14, 41, 44]);
  });

  it('leaves no-data out of a block, and a block of no-data alone is no-data', async () => {
    const v = cells();
    v[0] = Number.NaN; // block (0,0) keeps 1, 10, 11
    for (const i of [4, 5, 10, 11]) v[i] = Number.NaN; // block (2,0) all no-data
    const out = (await blockMeanOf(v, 2)).values;
    expect(out[0]).toBeCloseTo(22 / 3, 6);
    expect(out[1]).toBe(7.5);
    expect(out[2]).toBeNaN();
  });

  it('copies the grid unchanged for factor 1, and refuses a factor that is not a positive integer or too large', async () => {
    expect((await blockMeanOf(cells(), 1)).values).toEqual(Array.from(cells()));
    const dir = tempDir('block-mean-');
    const src = join(dir, 'fine.tif');
    await writeFloat32GeoTiff(src, cells(), GEOMETRY, -99999);
    await expect(writeBlockMean(src, 1.5, join(dir, 'a.tif'))).rejects.toThrow(/positive integer/);
    await expect(writeBlockMean(src, 0, join(dir, 'a.tif'))).rejects.toThrow(/positive integer/);
    await expect(writeBlockMean(src, 5, join(dir, 'a.tif'))).rejects.toThrow(/too small to coarsen by 5/);
  });
});
