/**
 * The window assembler on a synthetic block source whose every cell is known (value = row × 1000 +
 * column): windows across blocks, wrapping, cache bound, request sharing, closing. Plus the pure
 * pieces: axis fitting and value decoding.
 */
import { BlockGrid, decodedBlockBytes, makeInfo, type BlockSource } from '../../src/grid/block-grid.js';
import { fitRegularAxis, geographicGeometry } from '../../src/grid/axes.js';
import { GridError } from '../../src/grid/errors.js';
import { decodeRect, makeCodec, metresPerUnit } from '../../src/grid/values.js';
import type { GridGeometry } from '../../src/types.js';
import { MemoryGrid } from '../support/memory-grid.js';
import { describeGrid, formatGridInfo } from '../../src/grid/describe.js';

class CountingBlocks implements BlockSource {
  reads: string[] = [];
  closed = false;
  constructor(
    readonly blockWidth: number,
    readonly blockHeight: number,
    private readonly width: number,
    private readonly height: number,
  ) {}
  async readBlock(bx: number, by: number): Promise<Float32Array> {
    this.reads.push(`${bx},${by}`);
    await new Promise((r) => setTimeout(r, 1));
    const x0 = bx * this.blockWidth;
    const y0 = by * this.blockHeight;
    const w = Math.min(this.blockWidth, this.width - x0);
    const h = Math.min(this.blockHeight, this.height - y0);
    const out = new Float32Array(w * h);
    for (let j = 0; j < h; j++) for (let i = 0; i < w; i++) out[j * w + i] = (y0 + j) * 1000 + x0 + i;
    return out;
  }
  async close() {
    this.closed = true;
  }
}

function grid(g: Partial<GridGeometry> & { width: number; height: number }, bw: number, bh: number, cacheBytes = 1 << 20) {
  const geometry: GridGeometry = { lon0: 0, dLon: 1, lat0: 0, dLat: 1, registration: 'gridline', periodicLon: false, ...g };
  const blocks = new CountingBlocks(bw, bh, geometry.width, geometry.height);
  const info = makeInfo(geometry, {
    path: '/x/test.grid',
    format: 'netcdf3',
    variable: 'z',
    dataType: 'float32',
    units: 'm',
    metresPerStoredUnit: 1,
    positiveDown: false,
    scaleFactor: 1,
    addOffset: 0,
    nodata: [],
    layout: 'test',
    blockShape: [bw, bh],
    warnings: [],
  });
  return { g: new BlockGrid(geometry, info, blocks, { cacheBytes }), blocks };
}

const expected = (x0: number, y0: number, w: number, h: number, period = Infinity) =>
  Array.from({ length: w * h }, (_, k) => {
    const x = x0 + (k % w);
    return (y0 + Math.floor(k / w)) * 1000 + (Number.isFinite(period) ? ((x % period) + period) % period : x);
  });

test('a window across several blocks, edge blocks cut to the grid', async () => {
  const { g, blocks } = grid({ width: 25, height: 17 }, 8, 5);
  expect(Array.from(await g.read({ x0: 5, y0: 3, w: 20, h: 14 }))).toEqual(expected(5, 3, 20, 14));
  expect(blocks.reads.length).toBe(4 * 4);
});

test('empty windows are empty; bad windows are GridErrors naming the file', async () => {
  const { g } = grid({ width: 10, height: 10 }, 4, 4);
  expect((await g.read({ x0: 3, y0: 3, w: 0, h: 5 })).length).toBe(0);
  await expect(g.read({ x0: 0, y0: -1, w: 2, h: 2 })).rejects.toThrow('/x/test.grid: rows -1..0 outside 0..9');
  await expect(g.read({ x0: 9, y0: 0, w: 2, h: 2 })).rejects.toThrow(/columns 9..10 outside 0..9 \(grid does not wrap\)/);
  await expect(g.read({ x0: 0.5, y0: 0, w: 2, h: 2 })).rejects.toThrow(GridError);
});

test('a global pixel grid wraps with period = width', async () => {
  const { g } = grid({ width: 36, height: 4, dLon: 10, lon0: 5, periodicLon: true }, 8, 4);
  expect(Array.from(await g.read({ x0: -5, y0: 1, w: 12, h: 2 }))).toEqual(expected(-5, 1, 12, 2, 36));
  expect(Array.from(await g.read({ x0: 70, y0: 0, w: 4, h: 1 }))).toEqual(expected(70, 0, 4, 1, 36));
});

test('a global gridline grid storing the seam twice wraps with period = width − 1', async () => {
  const { g } = grid({ width: 37, height: 4, dLon: 10, lon0: 0, periodicLon: true }, 8, 4);
  // column 36 (360°) is never used when wrapping: 360° is column 0
  expect(Array.from(await g.read({ x0: 34, y0: 0, w: 5, h: 1 }))).toEqual([34, 35, 0, 1, 2]);
});

test('overlapping reads share in-flight block requests and hit the cache', async () => {
  const { g, blocks } = grid({ width: 32, height: 32 }, 8, 8);
  await Promise.all([g.read({ x0: 0, y0: 0, w: 10, h: 10 }), g.read({ x0: 2, y0: 2, w: 10, h: 10 })]);
  expect(blocks.reads.sort()).toEqual(['0,0', '0,1', '1,0', '1,1']);
  await g.read({ x0: 1, y0: 1, w: 3, h: 3 });
  expect(g.stats.cacheHits).toBeGreaterThanOrEqual(1);
  expect(blocks.reads.length).toBe(4);
});

test('the cache stays within its byte budget (least recently used blocks go first)', async () => {
  // blocks are 8 × 8 float32 = 256 bytes; budget 3 blocks
  const { g, blocks } = grid({ width: 64, height: 8 }, 8, 8, 768);
  for (let bx = 0; bx < 8; bx++) await g.read({ x0: bx * 8, y0: 0, w: 1, h: 1 });
  expect(blocks.reads.length).toBe(8);
  await g.read({ x0: 56, y0: 0, w: 1, h: 1 }); // most recent: cached
  expect(blocks.reads.length).toBe(8);
  await g.read({ x0: 0, y0: 0, w: 1, h: 1 }); // evicted long ago: read again
  expect(blocks.reads.length).toBe(9);
});

test('decodedBlockBytes counts the blocks every open grid holds, within each budget, and drops them on close', async () => {
  const before = decodedBlockBytes();
  const a = grid({ width: 64, height: 8 }, 8, 8, 768).g; // 256-byte blocks, 3 kept
  const b = grid({ width: 16, height: 16 }, 8, 8, 1 << 20).g;
  for (let bx = 0; bx < 8; bx++) {
    await a.read({ x0: bx * 8, y0: 0, w: 1, h: 1 });
    expect(decodedBlockBytes() - before).toBe(Math.min(bx + 1, 3) * 256);
  }
  await b.read({ x0: 0, y0: 0, w: 16, h: 16 });
  expect(decodedBlockBytes() - before).toBe(3 * 256 + 4 * 256);
  await a.close();
  expect(decodedBlockBytes() - before).toBe(4 * 256);
  // a read still in flight at close does not refill the closed grid's cache
  await b.close();
  expect(decodedBlockBytes()).toBe(before);
  const c = grid({ width: 8, height: 8 }, 8, 8).g;
  const pending = c.read({ x0: 0, y0: 0, w: 1, h: 1 });
  await c.close();
  await pending.catch(() => undefined);
  expect(decodedBlockBytes()).toBe(before);
});

test('close releases the source; reading after close is an error', async () => {
  const { g, blocks } = grid({ width: 8, height: 8 }, 4, 4);
  await g.close();
  expect(blocks.closed).toBe(true);
  await expect(g.read({ x0: 0, y0: 0, w: 1, h: 1 })).rejects.toThrow(/read after close/);
});

describe('axes', () => {
  test('least-squares fit absorbs rounding; the step snaps to 1/k degree', () => {
    const values = Array.from({ length: 50 }, (_, i) => Math.fround(-118 + i / 60));
    expect(fitRegularAxis(values, 'lon', 'f')).toEqual({ start: -118, step: 1 / 60, n: 50 });
  });
  test('descending axes keep their sign', () => {
    expect(fitRegularAxis([5, 4, 3], 'lat', 'f')).toEqual({ start: 5, step: -1, n: 3 });
  });
  test('a global axis a little off 360° (ETOPO5) is snapped and periodic', () => {
    const lon = fitRegularAxis(
      Array.from({ length: 4320 }, (_, i) => (i * 359.92) / 4319),
      'x',
      'f',
    );
    const g = geographicGeometry({ path: 'f', lon, lat: { start: -90, step: 1 / 12, n: 2161 }, registration: 'gridline', warnings: [] });
    expect(g.dLon).toBe(1 / 12);
    expect(g.periodicLon).toBe(true);
  });
  test('a grid resampled from ETOPO5 (66000 cells spanning 360.0033°) is global with 360/66000, not a repeated seam', () => {
    for (const registration of ['pixel', 'gridline'] as const) {
      const g = geographicGeometry({ path: 'f', lon: { start: 0, step: 360.0033 / 66000, n: 66000 }, lat: { start: 0, step: 1, n: 3 }, registration });
      expect(g.dLon).toBe(360 / 66000);
      expect(g.periodicLon).toBe(true);
    }
  });
  test('GMT -Rg gridline (0..360 inclusive): the seam is stored twice, period n − 1', () => {
    const g = geographicGeometry({ path: 'f', lon: { start: 0, step: 0.25, n: 1441 }, lat: { start: 0, step: 1, n: 3 }, registration: 'gridline' });
    expect(g.dLon).toBe(0.25);
    expect(g.periodicLon).toBe(true);
  });
  test('cell centres a little beyond the poles are accepted with a warning; far beyond is an error', () => {
    const warnings: string[] = [];
    geographicGeometry({ path: 'f', lon: { start: 0, step: 1, n: 10 }, lat: { start: 90.04, step: -0.01, n: 18009 }, registration: 'pixel', warnings });
    expect(warnings.join(' ')).toMatch(/beyond the poles/);
    expect(() => geographicGeometry({ path: 'f', lon: { start: 0, step: 1, n: 10 }, lat: { start: 95, step: -1, n: 10 }, registration: 'pixel' })).toThrow(
      /outside −90..90/,
    );
  });
  test('a regional axis is not snapped to global', () => {
    const g = geographicGeometry({ path: 'f', lon: { start: 0, step: 0.1, n: 100 }, lat: { start: 0, step: 0.1, n: 10 }, registration: 'pixel' });
    expect(g.periodicLon).toBe(false);
    expect(g.dLon).toBe(0.1);
  });
});

describe('values', () => {
  test('decodeRect: strides, packing, fills, valid range', () => {
    const raw = Int16Array.of(1, -32768, 3, 9, 5, 6, 7, 8, 30000);
    const codec = makeCodec({ scaleFactor: 2, addOffset: 10, fills: [-32768], validMax: 20000 });
    // 2 rows of 2 columns, every other column, from index 0, row stride 4
    expect(Array.from(decodeRect(raw, 0, 4, 2, 2, 2, codec))).toEqual([12, 16, 20, 24]);
    expect(Array.from(decodeRect(raw, 1, 7, 1, 1, 2, codec))).toEqual([NaN, NaN]);
  });
  test('positive down and km fold into one factor', () => {
    const codec = makeCodec({ unitsToM: 1000, positiveDown: true });
    expect(Array.from(decodeRect(Float32Array.of(4.5), 0, 1, 1, 1, 1, codec))).toEqual([-4500]);
  });
  test('units', () => {
    expect([
      metresPerUnit('m'),
      metresPerUnit('Meters'),
      metresPerUnit('km'),
      metresPerUnit('metres above sea level'),
      metresPerUnit(undefined),
      metresPerUnit('mGal'),
    ]).toEqual([1, 1, 1000, 1, 1, null]);
  });
});

test('describeGrid works for in-memory grids too', () => {
  const g = new MemoryGrid({ width: 3, height: 2, lon0: 10, dLon: 0.5, lat0: 5, dLat: -0.5, values: new Float32Array(6) });
  const info = describeGrid(g);
  expect(info.layout).toBe('in memory');
  expect(info.edges).toEqual({ west: 9.75, east: 11.25, south: 4.25, north: 5.25 });
  expect(formatGridInfo(info)).toMatch(/memory 'z' float32, 3 × 2 cells of 1800″, gridline, lon 10..11, lat 4.5..5/);
});
