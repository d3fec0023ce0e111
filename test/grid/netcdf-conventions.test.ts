/**
 * CF / GMT conventions, exercised on netCDF-3 files written in code (fixtures.ts) whose truth is known:
 * coordinate names, row order, global wrap in both longitude conventions, registration, packing,
 * fill values, units, sign, record and transposed layouts, GMT's legacy layout.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { columnLon, rowLat } from '../../src/grid/geometry.js';
import { openGrid, type FileGrid } from '../../src/grid/index.js';
import { axis, grids, hasTool, lonLatNc3, run, tempDir, writeNc3 } from './fixtures.js';
import { testWhen } from '../support/skip.js';

const { dir, cleanup } = tempDir('grid-cf-');
afterAll(cleanup);
let n = 0;
const file = (name: string) => join(dir, `${n++}-${name}.nc`);

/** A smooth, non-symmetric surface in metres, integer valued so every stored type holds it exactly. */
const surface = (lon: number, lat: number) => Math.round(-4000 + 800 * Math.sin((lon * Math.PI) / 90) + 30 * lat);

async function withGrid<T>(path: string, fn: (g: FileGrid) => Promise<T>, variable?: string): Promise<T> {
  const g = await openGrid(path, { variable });
  try {
    return await fn(g);
  } finally {
    await g.close();
  }
}

/** Every cell equals `f` at its own coordinates. */
async function expectSurface(g: FileGrid, f: (lon: number, lat: number) => number) {
  const all = await g.read({ x0: 0, y0: 0, w: g.width, h: g.height });
  for (let y = 0; y < g.height; y++) {
    for (let x = 0; x < g.width; x++) {
      const want = f(columnLon(g, x), rowLat(g, y));
      const got = all[y * g.width + x];
      if (!(got === want || (Number.isNaN(want) && Number.isNaN(got))))
        throw new Error(`cell (${x}, ${y}) at ${columnLon(g, x)}, ${rowLat(g, y)}: want ${want}, got ${got}`);
    }
  }
}

describe('coordinates', () => {
  test('descending latitude: row 0 is the northernmost, values stay at their coordinates', async () => {
    const p = lonLatNc3(file('desc'), axis(150, 0.5, 9), axis(30, -0.25, 7), surface);
    await withGrid(p, async (g) => {
      expect(g.lat0).toBe(30);
      expect(g.dLat).toBe(-0.25);
      expect(g.info.northUp).toBe(true);
      await expectSurface(g, surface);
    });
  });

  test('ascending latitude: row 0 is the southernmost', async () => {
    const p = lonLatNc3(file('asc'), axis(150, 0.5, 9), axis(28.5, 0.25, 7), surface);
    await withGrid(p, async (g) => {
      expect(g.lat0).toBe(28.5);
      expect(g.dLat).toBe(0.25);
      await expectSurface(g, surface);
    });
  });

  test.each([
    ['longitude', 'latitude', { units: 'degrees_east' }, { units: 'degrees_north' }],
    ['x', 'y', { units: 'degrees_east' }, { units: 'degrees_north' }],
    ['x', 'y', { long_name: 'x' }, { long_name: 'y' }],
    ['ETOPO05_X', 'ETOPO05_Y', { units: 'degrees_east', modulo: ' ' }, { units: 'degrees_north' }],
    ['LON', 'LAT', { units: 'degree_E' }, { units: 'degree_N' }],
    ['i', 'j', { standard_name: 'longitude', units: 'degrees_east' }, { standard_name: 'latitude', units: 'degrees_north' }],
  ])('coordinates named %s / %s', async (lonName, latName, lonAttrs, latAttrs) => {
    const p = lonLatNc3(file(`names-${lonName}`), axis(-20, 1, 6), axis(-5, 1, 4), surface, { lonName, latName, lonAttrs, latAttrs });
    await withGrid(p, async (g) => {
      expect([g.lon0, g.dLon, g.lat0, g.dLat]).toEqual([-20, 1, -5, 1]);
      await expectSurface(g, surface);
    });
  });

  test('coordinates without units are taken as degrees, with a warning', async () => {
    const p = lonLatNc3(file('nounits'), axis(0, 1, 5), axis(0, 1, 4), surface, { lonAttrs: {}, latAttrs: {} });
    await withGrid(p, async (g) => {
      expect(g.info.warnings.join(' ')).toMatch(/no units: taken as degrees/);
    });
  });

  test('rounded coordinates (float32 at 15″) are accepted and snapped to the exact spacing', async () => {
    const lons = axis(179.5 + 1 / 480, 1 / 240, 100).map(Math.fround);
    const lats = axis(-10 + 1 / 480, 1 / 240, 50).map(Math.fround);
    const p = lonLatNc3(file('f32coords'), lons, lats, () => -5000);
    await withGrid(p, async (g) => {
      expect(g.dLon).toBe(1 / 240);
      expect(g.lon0).toBeCloseTo(179.5 + 1 / 480, 12);
    });
  });
});

describe('global grids wrap across the seam', () => {
  const periodic = (lon: number, lat: number) => Math.round(1000 * Math.cos((lon * Math.PI) / 180) + lat);

  test('0..360 gridline storing the seam twice: period 360°, columns beyond either edge wrap', async () => {
    const p = lonLatNc3(file('g0360'), axis(0, 10, 37), axis(-80, 20, 9), periodic);
    await withGrid(p, async (g) => {
      expect(g.periodicLon).toBe(true);
      expect(g.registration).toBe('gridline');
      const win = await g.read({ x0: -3, y0: 2, w: 8, h: 2 });
      for (let j = 0; j < 2; j++) {
        for (let i = 0; i < 8; i++) {
          const lon = (-3 + i) * 10;
          expect(win[j * 8 + i]).toBe(periodic(lon, rowLat(g, 2 + j)));
        }
      }
      // a window wider than the world still wraps column by column
      const wide = await g.read({ x0: 30, y0: 0, w: 80, h: 1 });
      for (let i = 0; i < 80; i++) expect(wide[i]).toBe(periodic((30 + i) * 10, -80));
    });
  });

  test('−180..180 pixel-registered (node_offset = 1): a window across the antimeridian', async () => {
    const p = lonLatNc3(file('gpix'), axis(-175, 10, 36), axis(-85, 10, 18), periodic, { globalAttrs: { node_offset: { type: 'int', values: [1] } } });
    await withGrid(p, async (g) => {
      expect(g.periodicLon).toBe(true);
      expect(g.registration).toBe('pixel');
      expect(g.info.edges.west).toBe(-180);
      expect(g.info.edges.east).toBe(180);
      const win = await g.read({ x0: 33, y0: 5, w: 6, h: 1 });
      expect(Array.from(win)).toEqual([155, 165, 175, 185, 195, 205].map((lon) => periodic(lon, -35)));
    });
  });

  test('a regional grid refuses columns outside it', async () => {
    const p = lonLatNc3(file('regional'), axis(0, 10, 30), axis(-80, 20, 9), periodic);
    await withGrid(p, async (g) => {
      expect(g.periodicLon).toBe(false);
      await expect(g.read({ x0: -1, y0: 0, w: 3, h: 1 })).rejects.toThrow(/columns -1..1 outside 0..29/);
      await expect(g.read({ x0: 0, y0: 8, w: 3, h: 2 })).rejects.toThrow(/rows 8..9 outside 0..8/);
    });
  });
});

describe('registration', () => {
  test.each([
    ['global attribute node_offset = 1', { globalAttrs: { node_offset: { type: 'int' as const, values: [1] } } }, 'pixel'],
    ['variable attribute node_offset = 1', { zAttrs: { units: 'm', node_offset: { type: 'int' as const, values: [1] } } }, 'pixel'],
    ['node_offset = 0', { globalAttrs: { node_offset: { type: 'int' as const, values: [0] } } }, 'gridline'],
    ['no node_offset', {}, 'gridline'],
  ])('%s', async (_name, o, registration) => {
    const p = lonLatNc3(file('reg'), axis(10.25, 0.5, 4), axis(20.25, 0.5, 3), surface, o);
    await withGrid(p, async (g) => {
      expect(g.registration).toBe(registration);
      // cell centres are the coordinates whatever the registration; the edges differ by half a cell
      expect(g.lon0).toBe(10.25);
      expect(g.info.edges.west).toBe(10);
    });
  });
});

describe('values: packing, fills, units, sign', () => {
  const lons = axis(0, 1, 6);
  const lats = axis(0, 1, 5);

  test('short with scale_factor and add_offset', async () => {
    const packed = (lon: number, lat: number) => lon * 100 + lat - 3000;
    const p = lonLatNc3(file('packed'), lons, lats, packed, { type: 'short', zAttrs: { scale_factor: 0.5, add_offset: -1000, units: 'm' } });
    await withGrid(p, (g) => expectSurface(g, (lon, lat) => packed(lon, lat) * 0.5 - 1000));
  });

  test('GMT-style km with scale_factor 0.001: stored integers are metres', async () => {
    const p = lonLatNc3(file('km'), lons, lats, surface, {
      type: 'short',
      zAttrs: { scale_factor: 0.001, units: 'km', _FillValue: { type: 'short', values: [-32768] } },
    });
    await withGrid(p, async (g) => {
      expect(g.info.metresPerStoredUnit).toBe(1000);
      await expectSurface(g, surface);
    });
  });

  test.each([
    ['meters', 1],
    ['metres', 1],
    ['m', 1],
    ['kilometers', 1000],
    ['ft', 0.3048],
  ])('units %s', async (units, factor) => {
    const p = lonLatNc3(file('units'), lons, lats, surface, { type: 'int', zAttrs: { units } });
    await withGrid(p, (g) => expectSurface(g, (lon, lat) => Math.fround(surface(lon, lat) * factor)));
  });

  test('_FillValue, missing_value (several) and valid_range become NaN', async () => {
    const marked = (lon: number, lat: number) => (lon === 1 ? -9999 : lon === 2 ? -8888 : lon === 3 ? -7777 : lat === 4 ? 12000 : surface(lon, lat));
    const p = lonLatNc3(file('fills'), lons, lats, marked, {
      type: 'float',
      zAttrs: {
        units: 'm',
        _FillValue: { type: 'float', values: [-9999] },
        missing_value: { type: 'float', values: [-8888, -7777] },
        valid_range: { type: 'float', values: [-11000, 9000] },
      },
    });
    await withGrid(p, async (g) => {
      await expectSurface(g, (lon, lat) => ((lon >= 1 && lon <= 3) || lat === 4 ? NaN : surface(lon, lat)));
      expect(g.info.nodata).toEqual([-9999, -8888, -7777]);
    });
  });

  test('a float fill stored as double −1e34 (ETOPO style) matches the float32 cells', async () => {
    const p = lonLatNc3(file('fill1e34'), lons, lats, (lon, lat) => (lon === 0 ? -1e34 : surface(lon, lat)), {
      type: 'float',
      zAttrs: { units: 'meters', _FillValue: { type: 'float', values: [-1e34] } },
    });
    await withGrid(p, (g) => expectSurface(g, (lon, lat) => (lon === 0 ? NaN : surface(lon, lat))));
  });

  test('without _FillValue the netCDF default fill of the type is no-data', async () => {
    const p = lonLatNc3(file('defaultfill'), lons, lats, (lon, lat) => (lat === 0 ? -32767 : surface(lon, lat)), { type: 'short', zAttrs: { units: 'm' } });
    await withGrid(p, (g) => expectSurface(g, (lon, lat) => (lat === 0 ? NaN : surface(lon, lat))));
  });

  test('NaN cells of a float grid stay NaN', async () => {
    const p = lonLatNc3(file('nan'), lons, lats, (lon, lat) => (lon === lat ? NaN : surface(lon, lat)), {
      type: 'float',
      zAttrs: { units: 'm', _FillValue: { type: 'float', values: [NaN] } },
    });
    await withGrid(p, (g) => expectSurface(g, (lon, lat) => (lon === lat ? NaN : surface(lon, lat))));
  });

  test('positive: down depths are flipped to elevations', async () => {
    const p = lonLatNc3(file('down'), lons, lats, (lon, lat) => -surface(lon, lat), { type: 'float', zAttrs: { units: 'm', positive: 'down' } });
    await withGrid(p, async (g) => {
      expect(g.info.positiveDown).toBe(true);
      await expectSurface(g, surface);
    });
  });

  test('standard_name sea_floor_depth_below_sea_level means positive down unless positive says up', async () => {
    const depth = (lon: number, lat: number) => -surface(lon, lat);
    const down = lonLatNc3(file('sn-down'), lons, lats, depth, {
      type: 'int',
      varName: 'depth',
      zAttrs: { units: 'm', standard_name: 'sea_floor_depth_below_sea_level' },
    });
    await withGrid(down, (g) => expectSurface(g, surface));
    const up = lonLatNc3(file('sn-up'), lons, lats, surface, {
      type: 'int',
      varName: 'depth',
      zAttrs: { units: 'm', standard_name: 'sea_floor_depth_below_sea_level', positive: 'up' },
    });
    await withGrid(up, (g) => expectSurface(g, surface));
  });

  test('_Unsigned short is read as 0..65535', async () => {
    const p = lonLatNc3(file('unsigned'), lons, lats, (lon) => (lon === 0 ? -1 : lon * 10000 - 30000), {
      type: 'short',
      zAttrs: { units: 'm', _Unsigned: 'true', _FillValue: { type: 'short', values: [-2] } },
    });
    await withGrid(p, (g) => expectSurface(g, (lon) => (lon === 0 ? 65535 : (lon * 10000 - 30000 + 65536) % 65536)));
  });
});

describe('storage layouts', () => {
  const lons = axis(100, 0.5, 7);
  const lats = axis(-10, 0.5, 5);
  const cells = (order: 'latlon' | 'lonlat') => {
    const z: number[] = [];
    if (order === 'latlon') for (const lat of lats) for (const lon of lons) z.push(surface(lon, lat));
    else for (const lon of lons) for (const lat of lats) z.push(surface(lon, lat));
    return z;
  };
  const coordVars = [
    { name: 'lat', dims: ['lat'], type: 'double' as const, attrs: { units: 'degrees_north' }, data: lats },
    { name: 'lon', dims: ['lon'], type: 'double' as const, attrs: { units: 'degrees_east' }, data: lons },
  ];

  test('latitude as the record (unlimited) dimension, with a second record variable interleaved', async () => {
    const p = writeNc3(file('record'), {
      dims: [
        { name: 'lat', size: null },
        { name: 'lon', size: lons.length },
      ],
      numRecs: lats.length,
      variables: [
        ...coordVars,
        { name: 'z', dims: ['lat', 'lon'], type: 'short', attrs: { units: 'm' }, data: cells('latlon') },
        { name: 'flag', dims: ['lat'], type: 'byte', data: lats.map(() => 1) },
      ],
    });
    await withGrid(p, async (g) => {
      expect(g.info.layout).toMatch(/record variable/);
      await expectSurface(g, surface);
    });
  });

  test('transposed z(lon, lat)', async () => {
    const p = writeNc3(file('transposed'), {
      dims: [
        { name: 'lon', size: lons.length },
        { name: 'lat', size: lats.length },
      ],
      variables: [...coordVars, { name: 'z', dims: ['lon', 'lat'], type: 'float', attrs: { units: 'm' }, data: cells('lonlat') }],
    });
    await withGrid(p, async (g) => {
      expect([g.width, g.height]).toEqual([7, 5]);
      await expectSurface(g, surface);
      const win = await g.read({ x0: 2, y0: 1, w: 3, h: 2 });
      expect(Array.from(win)).toEqual([surface(101, -9.5), surface(101.5, -9.5), surface(102, -9.5), surface(101, -9), surface(101.5, -9), surface(102, -9)]);
    });
  });

  test('a leading time dimension of length 1', async () => {
    const p = writeNc3(file('time'), {
      dims: [
        { name: 'time', size: 1 },
        { name: 'lat', size: lats.length },
        { name: 'lon', size: lons.length },
      ],
      variables: [
        { name: 'time', dims: ['time'], type: 'double', attrs: { units: 'days since 2000-01-01' }, data: [0] },
        ...coordVars,
        { name: 'elevation', dims: ['time', 'lat', 'lon'], type: 'int', attrs: { units: 'm' }, data: cells('latlon') },
      ],
    });
    await withGrid(p, (g) => expectSurface(g, surface));
  });

  test('netCDF-3 64-bit offset format (CDF\\x02)', async () => {
    const p = writeNc3(file('cdf2'), {
      version: 2,
      dims: [
        { name: 'lat', size: lats.length },
        { name: 'lon', size: lons.length },
      ],
      variables: [...coordVars, { name: 'z', dims: ['lat', 'lon'], type: 'double', attrs: { units: 'm' }, data: cells('latlon') }],
    });
    await withGrid(p, async (g) => {
      expect(g.info.layout).toMatch(/64-bit offset/);
      await expectSurface(g, surface);
    });
  });

  test('GMT legacy layout: z(xysize) with x_range, y_range, spacing, dimension; rows from the north', async () => {
    const z: number[] = [];
    for (const lat of [...lats].reverse()) for (const lon of lons) z.push(surface(lon, lat));
    const p = writeNc3(file('gmtlegacy'), {
      dims: [
        { name: 'side', size: 2 },
        { name: 'xysize', size: z.length },
      ],
      variables: [
        { name: 'x_range', dims: ['side'], type: 'double', attrs: { units: 'longitude [degrees_east]' }, data: [100, 103] },
        { name: 'y_range', dims: ['side'], type: 'double', attrs: { units: 'latitude [degrees_north]' }, data: [-10, -8] },
        { name: 'z_range', dims: ['side'], type: 'double', data: [0, 1] },
        { name: 'spacing', dims: ['side'], type: 'double', data: [0.5, 0.5] },
        { name: 'dimension', dims: ['side'], type: 'int', data: [7, 5] },
        { name: 'z', dims: ['xysize'], type: 'float', attrs: { node_offset: { type: 'int', values: [0] }, units: 'm' }, data: z },
      ],
    });
    await withGrid(p, async (g) => {
      expect([g.lon0, g.lat0, g.dLat]).toEqual([100, -8, -0.5]);
      await expectSurface(g, surface);
    });
  });

  testWhen(hasTool('gmt'))('GMT legacy file written by `gmt grdconvert =cf` reads like the CF original', async () => {
    const out = join(dir, 'spac-legacy.grd');
    run('gmt', ['grdconvert', grids('spac_33.nc3.nc'), `${out}=cf`]);
    const [a, b] = await Promise.all([openGrid(grids('spac_33.nc3.nc')), openGrid(out)]);
    try {
      expect([b.width, b.height, b.lon0, b.dLon]).toEqual([a.width, a.height, a.lon0, a.dLon]);
      const va = await a.read({ x0: 0, y0: 0, w: a.width, h: a.height });
      const vb = await b.read({ x0: 0, y0: 0, w: b.width, h: b.height });
      for (let y = 0; y < a.height; y++) {
        const yb = Math.round((rowLat(a, y) - b.lat0) / b.dLat);
        for (let x = 0; x < a.width; x++) if (va[y * a.width + x] !== vb[yb * b.width + x]) throw new Error(`cell ${x}, ${y}`);
      }
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  test('the header is parsed from a prefix, even when it is long', async () => {
    const long = 'x'.repeat(200_000);
    const p = lonLatNc3(file('longheader'), lons, lats, surface, { globalAttrs: { history: long } });
    expect(readFileSync(p).length).toBeGreaterThan(200_000);
    await withGrid(p, (g) => expectSurface(g, surface));
  });
});
