/**
 * netCDF-4 / HDF5 specifics: chunked and compressed files from GMT, descending and contiguous
 * files from GDAL, dimension scales, transposed storage and attributes in a file written with h5wasm,
 * and reads that decompress only the chunks a window touches.
 */
import { join } from 'node:path';
import h5wasm, { type Dataset } from 'h5wasm/node';
import { columnLon, rowLat } from '../../src/grid/geometry.js';
import { openGrid, GridError, type FileGrid } from '../../src/grid/index.js';
import type { BlockGrid } from '../../src/grid/block-grid.js';
import { axis, hasTool, lonLatNc3, run, tempDir } from './fixtures.js';
import { describeWhen } from '../support/skip.js';

const { dir, cleanup } = tempDir('grid-nc4-');
afterAll(cleanup);
const haveGmt = hasTool('gmt');
const haveGdal = hasTool('gdal_translate');

const W = 120;
const H = 90;
const lons = axis(200, 1 / 12, W);
const lats = axis(10, 1 / 12, H);
/** Integer-valued by cell index, so rewriting 200..210°E as −160..−150 (GDAL does) cannot change it. */
const truth = (lon: number, lat: number) => {
  const ix = Math.round(((((lon - 200) % 360) + 360) % 360) * 12);
  const iy = Math.round((lat - 10) * 12);
  return ix > 84 && iy < 24 ? NaN : -4500 + ((ix * 37 + iy * 11) % 1000);
};
const base = lonLatNc3(join(dir, 'base.nc'), lons, lats, (lon, lat) => (Number.isNaN(truth(lon, lat)) ? -32768 : truth(lon, lat)), {
  type: 'short',
  zAttrs: { units: 'm', _FillValue: { type: 'short', values: [-32768] } },
});

async function expectTruth(g: FileGrid, f = truth) {
  expect([g.width, g.height]).toEqual([W, H]);
  const all = await g.read({ x0: 0, y0: 0, w: W, h: H });
  let nan = 0;
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const want = f(columnLon(g, x), rowLat(g, y));
      const got = all[y * W + x];
      if (Number.isNaN(want)) {
        nan++;
        if (!Number.isNaN(got)) throw new Error(`cell (${x}, ${y}): want no-data, got ${got}`);
      } else if (got !== want) throw new Error(`cell (${x}, ${y}): want ${want}, got ${got}`);
    }
  }
  expect(nan).toBeGreaterThan(0);
}

describeWhen(haveGmt)('GMT netCDF-4, chunked 16×16 with shuffle + deflate', () => {
  const p = join(dir, 'gmt.nc');
  beforeAll(() => run('gmt', ['grdconvert', base, `${p}=ns`, '--IO_NC4_CHUNK_SIZE=16,16', '--IO_NC4_DEFLATION_LEVEL=5']));

  test('values and coordinates', async () => {
    const g = await openGrid(p);
    try {
      expect(g.format).toBe('netcdf4');
      expect(g.info.layout).toMatch(/chunked 16×16, shuffle\+deflate/);
      expect(g.lon0).toBeCloseTo(200, 12);
      await expectTruth(g);
    } finally {
      await g.close();
    }
  });

  test('a window inside one block decompresses only that block; a second read comes from the cache', async () => {
    const g = (await openGrid(p)) as BlockGrid;
    try {
      const [bw, bh] = g.info.blockShape;
      // whole chunks, or the whole grid side
      expect(bw % 16 === 0 || bw === g.width).toBe(true);
      expect(bh % 16 === 0 || bh === g.height).toBe(true);
      await g.read({ x0: 1, y0: 1, w: 5, h: 5 });
      expect(g.stats.blocksRead).toBe(1);
      await g.read({ x0: 2, y0: 2, w: 3, h: 3 });
      expect(g.stats.blocksRead).toBe(1);
      expect(g.stats.cacheHits).toBe(1);
    } finally {
      await g.close();
    }
  });
});

describeWhen(haveGdal)('GDAL netCDF-4', () => {
  test('descending latitude (WRITE_BOTTOMUP=NO), deflate', async () => {
    const p = join(dir, 'gdal-desc.nc');
    run('gdal_translate', ['-q', '-of', 'netCDF', '-co', 'FORMAT=NC4', '-co', 'COMPRESS=DEFLATE', '-co', 'WRITE_BOTTOMUP=NO', base, p]);
    const g = await openGrid(p);
    try {
      expect(g.dLat).toBeLessThan(0);
      await expectTruth(g);
    } finally {
      await g.close();
    }
  });

  test('contiguous (CHUNKING=NO)', async () => {
    const p = join(dir, 'gdal-contig.nc');
    run('gdal_translate', ['-q', '-of', 'netCDF', '-co', 'FORMAT=NC4', '-co', 'CHUNKING=NO', base, p]);
    const g = await openGrid(p);
    try {
      expect(g.info.layout).toMatch(/contiguous/);
      await expectTruth(g);
    } finally {
      await g.close();
    }
  });
});

describe('written with h5wasm', () => {
  /** z(lon, lat): transposed storage, depths positive down, packed ×0.5, fill −1. */
  async function writeTransposed(path: string, withScales: boolean) {
    await h5wasm.ready;
    const f = new h5wasm.File(path, 'w');
    try {
      const depth = new Float32Array(W * H);
      for (let x = 0; x < W; x++) {
        for (let y = 0; y < H; y++) {
          const v = truth(lons[x], lats[y]);
          depth[x * H + y] = Number.isNaN(v) ? -1 : -v / 0.5;
        }
      }
      if (withScales) {
        f.create_dataset({ name: 'lon', data: Float64Array.from(lons) });
        const lon = f.get('lon') as Dataset;
        lon.create_attribute('units', 'degrees_east');
        lon.make_scale('lon');
        f.create_dataset({ name: 'lat', data: Float64Array.from(lats) });
        const lat = f.get('lat') as Dataset;
        lat.create_attribute('units', 'degrees_north');
        lat.make_scale('lat');
      }
      const z = f.create_dataset({ name: 'depth', data: depth, shape: [W, H], chunks: [32, 32], compression: 'gzip' });
      if (withScales) {
        z.attach_scale(0, '/lon');
        z.attach_scale(1, '/lat');
      }
      z.create_attribute('units', 'm');
      z.create_attribute('positive', 'down');
      z.create_attribute('scale_factor', 0.5);
      z.create_attribute('_FillValue', new Float32Array([-1]));
    } finally {
      f.close();
    }
  }

  test('transposed z(lon, lat) with dimension scales, positive down, scale_factor and _FillValue', async () => {
    const p = join(dir, 'h5-transposed.nc');
    await writeTransposed(p, true);
    const g = await openGrid(p);
    try {
      expect(g.variable).toBe('depth');
      expect(g.info.positiveDown).toBe(true);
      expect(g.info.layout).toMatch(/chunked 32×32, deflate/);
      await expectTruth(g);
    } finally {
      await g.close();
    }
  });

  test('plain HDF5 without dimension scales: no coordinates, a clear error', async () => {
    const p = join(dir, 'h5-noscales.h5');
    await writeTransposed(p, false);
    const err = await openGrid(p).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GridError);
    expect((err as GridError).message).toMatch(
      /no 2-D variable on longitude\/latitude dimensions; multi-dimensional variables found: depth\(phony_dim_0=120, phony_dim_1=90\)/,
    );
  });
});
