/**
 * The error-grid writer: GDAL reads what it writes (type, georeferencing, registration, no-data,
 * every value across several strips), it round-trips through openGrid, and a failed write leaves
 * nothing behind.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { columnLon, rowLat } from '../../src/grid/geometry.js';
import { Float32GeoTiffWriter, openGrid, writeFloat32GeoTiff, GridError } from '../../src/grid/index.js';
import { encodeFloatRow } from '../../src/grid/write-geotiff.js';
import type { GridGeometry } from '../../src/types.js';
import { gdalRead } from './gdal-truth.js';
import { hasTool, run, tempDir } from './fixtures.js';
import { describeWhen } from '../support/skip.js';

const haveGdal = hasTool('gdalinfo');
const { dir, cleanup } = tempDir('grid-write-');
afterAll(cleanup);
let n = 0;
const out = (name: string) => join(dir, `${n++}-${name}.tif`);

function field(g: GridGeometry): Float32Array {
  const v = new Float32Array(g.width * g.height);
  for (let y = 0; y < g.height; y++) {
    for (let x = 0; x < g.width; x++) {
      v[y * g.width + x] = (x + 3 * y) % 17 === 0 ? NaN : Math.fround(Math.sin(x / 7) * Math.cos(y / 5) * 0.01 + y * 1e-4);
    }
  }
  return v;
}

const geometries: Array<[string, GridGeometry]> = [
  ['gridline, north-up', { width: 1000, height: 700, lon0: 170, dLon: 0.05, lat0: 40, dLat: -0.04, registration: 'gridline', periodicLon: false }],
  ['pixel, north-up', { width: 333, height: 250, lon0: -120.025, dLon: 0.05, lat0: 10.025, dLat: -0.05, registration: 'pixel', periodicLon: false }],
  [
    'gridline, south-up rows (flipped on write)',
    { width: 200, height: 150, lon0: 0, dLon: 0.5, lat0: -60, dLat: 0.5, registration: 'gridline', periodicLon: false },
  ],
];

describeWhen(haveGdal)('GDAL reads what is written', () => {
  test.each(geometries)('%s', async (_name, g) => {
    const p = out('gdal');
    const values = field(g);
    await writeFloat32GeoTiff(p, values, g, -9999);
    const info = JSON.parse(run('gdalinfo', ['-json', '-mdd', 'all', p])) as {
      bands: Array<{ type: string; noDataValue: number }>;
      coordinateSystem: { wkt: string };
      metadata: Record<string, Record<string, string>>;
    };
    expect(info.bands[0].type).toBe('Float32');
    expect(info.bands[0].noDataValue).toBe(-9999);
    expect(info.coordinateSystem.wkt).toMatch(/ID\["EPSG",4326\]/);
    expect(info.metadata[''].AREA_OR_POINT).toBe(g.registration === 'pixel' ? 'Area' : 'Point');
    const { dir: tmp, cleanup: done } = tempDir();
    try {
      const truth = gdalRead(p, tmp);
      const [gx0, gdx, , gy0, , gdy] = truth.geoTransform;
      expect(gdx).toBeCloseTo(g.dLon, 12);
      expect(gdy).toBeCloseTo(-Math.abs(g.dLat), 12);
      // GDAL's pixel (0, 0) centre is our westernmost column and northernmost row
      const northRow = g.dLat < 0 ? 0 : g.height - 1;
      expect(gx0 + gdx / 2).toBeCloseTo(columnLon(g, 0), 9);
      expect(gy0 + gdy / 2).toBeCloseTo(rowLat(g, northRow), 9);
      for (let r = 0; r < g.height; r++) {
        const y = g.dLat < 0 ? r : g.height - 1 - r;
        for (let x = 0; x < g.width; x++) {
          const want = values[y * g.width + x];
          const got = truth.values[r * g.width + x];
          if (!(got === want || (want !== want && got !== got))) throw new Error(`cell (${x}, ${y}): wrote ${want}, GDAL reads ${got}`);
        }
      }
    } finally {
      done();
    }
  });

  test('NaN as no-data is written as "nan"', async () => {
    const g = geometries[1][1];
    const p = out('nan');
    await writeFloat32GeoTiff(p, field(g), g, NaN);
    const info = JSON.parse(run('gdalinfo', ['-json', p])) as { bands: Array<{ noDataValue: unknown }> };
    expect(String(info.bands[0].noDataValue)).toMatch(/nan/i);
  });
});

test.each(geometries)('round trip through openGrid: %s', async (_name, g) => {
  const p = out('roundtrip');
  const values = field(g);
  await writeFloat32GeoTiff(p, values, g, -9999);
  const r = await openGrid(p);
  try {
    expect([r.width, r.height]).toEqual([g.width, g.height]);
    expect(r.registration).toBe(g.registration);
    expect(r.dLon).toBeCloseTo(g.dLon, 12);
    expect(r.lon0).toBeCloseTo(g.lon0, 9);
    const back = await r.read({ x0: 0, y0: 0, w: r.width, h: r.height });
    for (let y = 0; y < g.height; y++) {
      const yr = Math.round((rowLat(g, y) - r.lat0) / r.dLat);
      for (let x = 0; x < g.width; x++) {
        const a = values[y * g.width + x];
        const b = back[yr * r.width + x];
        if (!(a === b || (a !== a && b !== b))) throw new Error(`cell (${x}, ${y}): ${a} vs ${b}`);
      }
    }
  } finally {
    await r.close();
  }
});

test('floating-point predictor: byte planes most significant first, then differences', () => {
  const row = Float32Array.of(1, 1);
  // 1.0f = 0x3f800000: planes [3f 3f][80 80][00 00][00 00], differenced
  expect(Array.from(encodeFloatRow(row))).toEqual([0x3f, 0, 0x80 - 0x3f, 0, 0x100 - 0x80, 0, 0, 0]);
});

describe('a failed write leaves nothing behind', () => {
  const g = geometries[1][1];
  const listing = (d: string) => readdirSync(d).sort();

  test('wrong number of values: GridError naming the file, no file', async () => {
    const d = join(dir, 'fail1');
    mkdirSync(d);
    const p = join(d, 'error.tif');
    await expect(writeFloat32GeoTiff(p, new Float32Array(10), g, -9999)).rejects.toThrow(GridError);
    await expect(writeFloat32GeoTiff(p, new Float32Array(10), g, -9999)).rejects.toThrow(`${p}: 10 values for a 333 × 250 grid`);
    expect(listing(d)).toEqual([]);
  });

  test('the target is a directory: the rename fails, the temporary file is removed', async () => {
    const d = join(dir, 'fail2');
    mkdirSync(join(d, 'error.tif'), { recursive: true });
    await expect(writeFloat32GeoTiff(join(d, 'error.tif'), field(g), g, -9999)).rejects.toThrow(GridError);
    expect(listing(d)).toEqual(['error.tif']);
  });

  test('an existing file is replaced whole', async () => {
    const p = out('replace');
    writeFileSync(p, 'old');
    await writeFloat32GeoTiff(p, field(g), g, -9999);
    const r = await openGrid(p);
    await r.close();
    expect(existsSync(p)).toBe(true);
  });

  test('a missing folder is created', async () => {
    const p = join(dir, 'new', 'deeper', 'error.tif');
    await writeFloat32GeoTiff(p, field(g), g, -9999);
    expect(existsSync(p)).toBe(true);
  });
});

describe('Float32GeoTiffWriter: row by row, never the whole raster', () => {
  const g = geometries[0][1]; // 1000 wide: 65 rows a strip, 11 strips
  const listing = (d: string) => readdirSync(d).sort();

  test('writes the same bytes as the one-call writer, and nothing under the target name until finished', async () => {
    const d = join(dir, 'stream1');
    mkdirSync(d);
    const whole = join(d, 'whole.tif');
    const streamed = join(d, 'streamed.tif');
    const values = field(g);
    await writeFloat32GeoTiff(whole, values, g, -9999);
    const w = await Float32GeoTiffWriter.create(streamed, g, -9999);
    const row = new Float32Array(g.width); // one buffer reused for every row, as ErrorRasterStream does
    for (let r = 0; r < g.height; r++) {
      row.set(values.subarray(r * g.width, (r + 1) * g.width));
      await w.writeRow(row);
      if (r === 100) expect(existsSync(streamed)).toBe(false);
    }
    await w.finish();
    expect(readFileSync(streamed).equals(readFileSync(whole))).toBe(true);
    expect(listing(d)).toEqual(['streamed.tif', 'whole.tif']);
  });

  test('too few rows: GridError naming the file, no file; too many or a short row: refused', async () => {
    const d = join(dir, 'stream2');
    mkdirSync(d);
    const p = join(d, 'error.tif');
    const w = await Float32GeoTiffWriter.create(p, g, -9999);
    await expect(w.writeRow(new Float32Array(g.width - 1))).rejects.toThrow(`${p}: a row of ${g.width - 1} values for a grid ${g.width} wide`);
    for (let r = 0; r < 10; r++) await w.writeRow(new Float32Array(g.width));
    await expect(w.finish()).rejects.toThrow(`${p}: 10 rows written of ${g.height}`);
    expect(listing(d)).toEqual([]);

    const full = await Float32GeoTiffWriter.create(p, { ...g, height: 2 }, -9999);
    await full.writeRow(new Float32Array(g.width));
    await full.writeRow(new Float32Array(g.width));
    await expect(full.writeRow(new Float32Array(g.width))).rejects.toThrow(/more than 2 rows/);
    await full.abort();
    expect(listing(d)).toEqual([]);
  });

  test('abort leaves the target as it was and no temporary file; abort after finish changes nothing', async () => {
    const d = join(dir, 'stream3');
    mkdirSync(d);
    const p = join(d, 'error.tif');
    writeFileSync(p, 'the previous run');
    const w = await Float32GeoTiffWriter.create(p, g, -9999);
    for (let r = 0; r < 200; r++) await w.writeRow(new Float32Array(g.width));
    await w.abort();
    expect(listing(d)).toEqual(['error.tif']);
    expect(readFileSync(p, 'utf8')).toBe('the previous run');

    const v = await Float32GeoTiffWriter.create(p, { ...g, height: 2 }, -9999);
    await v.writeRow(new Float32Array(g.width));
    await v.writeRow(new Float32Array(g.width));
    await v.finish();
    await v.abort();
    const r = await openGrid(p);
    expect(r.info.width).toBe(g.width);
    await r.close();
  });
});
