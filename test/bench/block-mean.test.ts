/**
 * The coarse-grid bench's block-mean copies (bench/accuracy/block-mean.ts): cell values, no-data, where the
 * coarse cells sit, and the GeoTIFF it writes read back through openGrid.
 */
import { join } from 'node:path';
import { coarsenGrid, writeBlockMean } from '../../bench/accuracy/block-mean.js';
import { openGrid, writeFloat32GeoTiff } from '../../src/grid/index.js';
import { MemoryGrid } from '../support/memory-grid.js';
import { tempDir } from '../support/temp-dir.js';

/** A 6 × 4 grid whose cell (x, y) holds 10·y + x, 1′ cells, north-up. */
const grid = (values?: Float32Array) =>
  new MemoryGrid({
    width: 6,
    height: 4,
    lon0: 10,
    dLon: 1 / 60,
    lat0: 5,
    dLat: -1 / 60,
    values: values ?? Float32Array.from({ length: 24 }, (_, i) => 10 * Math.floor(i / 6) + (i % 6)),
  });

describe('coarsenGrid', () => {
  it('averages each block, centres the coarse cells on their blocks and drops the cells that fill no block', async () => {
    const c = coarsenGrid(grid(), 2);
    expect([c.width, c.height]).toEqual([3, 2]);
    expect(c.dLon).toBeCloseTo(2 / 60, 12);
    expect(c.dLat).toBeCloseTo(-2 / 60, 12);
    expect(c.lon0).toBeCloseTo(10 + 0.5 / 60, 12); // between fine columns 0 and 1
    expect(c.lat0).toBeCloseTo(5 - 0.5 / 60, 12);
    // block (0,0) = cells 0, 1, 10, 11 → 5.5; block (2,1) = 24, 25, 34, 35 → 29.5
    expect(Array.from(await c.read({ x0: 0, y0: 0, w: 3, h: 2 }))).toEqual([5.5, 7.5, 9.5, 25.5, 27.5, 29.5]);
    expect(Array.from(await c.read({ x0: 1, y0: 1, w: 2, h: 1 }))).toEqual([27.5, 29.5]);
    const three = coarsenGrid(grid(), 3); // 6 × 4 → 2 × 1: the last row fills no block
    expect([three.width, three.height]).toEqual([2, 1]);
    expect(Array.from(await three.read({ x0: 0, y0: 0, w: 2, h: 1 }))).toEqual([11, 14]);
  });

  it('leaves no-data out of a block, and a block of no-data alone is no-data', async () => {
    const v = Float32Array.from({ length: 24 }, (_, i) => 10 * Math.floor(i / 6) + (i % 6));
    v[0] = Number.NaN; // block (0,0) keeps 1, 10, 11
    for (const i of [4, 5, 10, 11]) v[i] = Number.NaN; // block (2,0) all no-data
    const out = await coarsenGrid(grid(v), 2).read({ x0: 0, y0: 0, w: 3, h: 1 });
    expect(out[0]).toBeCloseTo(22 / 3, 6);
    expect(out[1]).toBe(7.5);
    expect(out[2]).toBeNaN();
  });

  it('returns the grid itself for factor 1, and refuses a factor that is not a positive integer or too large', () => {
    const g = grid();
    expect(coarsenGrid(g, 1)).toBe(g);
    expect(() => coarsenGrid(g, 1.5)).toThrow(/positive integer/);
    expect(() => coarsenGrid(g, 0)).toThrow(/positive integer/);
    expect(() => coarsenGrid(g, 5)).toThrow(/too small to coarsen by 5/);
  });
});

describe('writeBlockMean', () => {
  it('writes the block-mean copy as a GeoTIFF that reads back with the same cells and geometry', async () => {
    const dir = tempDir('block-mean-');
    const src = join(dir, 'fine.tif');
    const g = grid();
    await writeFloat32GeoTiff(src, await g.read({ x0: 0, y0: 0, w: 6, h: 4 }), g, -99999);
    const out = join(dir, 'coarse.tif');
    expect(await writeBlockMean(src, 2, out)).toBeCloseTo(2 / 60, 12);
    const back = await openGrid(out);
    try {
      expect([back.width, back.height]).toEqual([3, 2]);
      expect(back.lon0).toBeCloseTo(10 + 0.5 / 60, 9);
      expect(Math.abs(back.dLat)).toBeCloseTo(2 / 60, 9);
      const values = await back.read({ x0: 0, y0: 0, w: 3, h: 2 });
      const northFirst = back.dLat < 0 ? Array.from(values) : [...values.subarray(3), ...values.subarray(0, 3)];
      expect(northFirst).toEqual([5.5, 7.5, 9.5, 25.5, 27.5, 29.5]);
    } finally {
      await back.close();
    }
  });
});
